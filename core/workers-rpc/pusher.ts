// The caller's ExternalPusher: workerd expects one with every call (the callee pushes streams
// that are part of the result through it). One local capability serves every call.

import { RpcError } from "../rpc/errors.ts";
import { type CapServer, type Hook, LocalHook, type OutPayload, type ServerCall } from "../rpc/hooks.ts";

class ExternalPusherServer implements CapServer {
  dispatch(call: ServerCall): OutPayload {
    throw new RpcError(
      `ExternalPusher method ${call.methodId} (streams and AbortSignals over RPC) is not supported by edgebind yet.`,
      "unimplemented",
    );
  }
}

let shared: Hook | null = null;

/** A new reference to the process-wide ExternalPusher capability. */
export function externalPusherHook(): Hook {
  return (shared ??= new LocalHook(new ExternalPusherServer())).addRef();
}
