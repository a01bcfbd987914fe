// Errors at the Cap'n Proto level: an RpcError carries the exception type across the wire.
// The Workers layer (core/workers-rpc) turns these into the JS errors users see.

import type { ExceptionDetail, ExceptionType, RpcException } from "../../protocol/rpc-model.ts";

export class RpcError extends Error {
  override name = "RpcError";
  readonly type: ExceptionType;
  readonly details: ExceptionDetail[];

  constructor(reason: string, type: ExceptionType = "failed", details: ExceptionDetail[] = []) {
    super(reason);
    this.type = type;
    this.details = details;
  }

  static fromException(e: RpcException): RpcError {
    return new RpcError(e.reason, e.type, e.details ?? []);
  }

  toException(): RpcException {
    return this.details.length > 0
      ? { reason: this.message, type: this.type, details: this.details }
      : { reason: this.message, type: this.type };
  }
}

/** The error every pending call gets when the connection goes away. */
export function connectionLost(cause?: unknown): RpcError {
  const err = new RpcError("Network connection lost.", "disconnected");
  if (cause !== undefined) (err as { cause?: unknown }).cause = cause;
  return err;
}

/** Turns anything thrown inside the engine into an RpcException to put on the wire. */
export function toException(err: unknown): RpcException {
  if (err instanceof RpcError) return err.toException();
  if (err instanceof Error) return { reason: err.message, type: "failed" };
  return { reason: String(err), type: "failed" };
}

/** A violation of the protocol by the peer: the connection is aborted with this reason. */
export class ProtocolViolation extends Error {
  override name = "ProtocolViolation";
}
