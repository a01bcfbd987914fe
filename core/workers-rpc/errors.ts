// Errors across Workers RPC, as workerd carries them. The callee turns a thrown value into a
// Cap'n Proto exception whose reason is `remote.jsg.<Type>: <message>` and attaches the whole
// thrown value, V8-serialized, as detail 0xe8027292171b1646. The caller rebuilds the value from
// the detail when it can (type, message, cause, own properties; never the callee's stack) and
// from the reason otherwise, then marks it `remote` (and `retryable` / `overloaded`).

import { decodeValue, encodeValue } from "../../protocol/index.ts";
import { RpcError } from "../rpc/errors.ts";

export const TUNNELED_ERROR_DETAIL = 0xe8027292171b1646n;
/**
 * Sent by workerd (seen from its 2026-11-17 release) next to the tunneled value, holding 0x01:
 * the value was written with enhanced error serialization. Without it workerd ignores the
 * tunneled value and rebuilds the error from the reason alone (losing cause and properties).
 */
export const ENHANCED_ERROR_DETAIL = 0xbdc917cdea1f7681n;
const ENHANCED = Uint8Array.of(1);

const KNOWN_ERROR_TYPES = [
  "Error", "RangeError", "TypeError", "SyntaxError", "ReferenceError", "CompileError", "LinkError",
  "RuntimeError", "SuspendError", "AggregateError", "SuppressedError", "URIError", "DOMException",
];

/** Constructors used when only the reason is available (legacy peers, undecodable details). */
const ERROR_CONSTRUCTORS: [string, new (message: string) => Error][] = [
  ["RangeError", RangeError],
  ["ReferenceError", ReferenceError],
  ["SyntaxError", SyntaxError],
  ["TypeError", TypeError],
  ["URIError", URIError],
  ["EvalError", EvalError],
  ["AggregateError", class extends Error { override name = "AggregateError"; }],
  ["Error", Error],
];

function describe(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function flag(value: unknown, name: string): boolean {
  try {
    return typeof value === "object" && value !== null && Boolean((value as Record<string, unknown>)[name]);
  } catch {
    return false;
  }
}

/** What a callee sends for a thrown value. */
export function thrownToRpcError(value: unknown): RpcError {
  if (value instanceof RpcError) return value; // already an RPC-level failure (e.g. forwarded)
  let description: string;
  if (typeof DOMException !== "undefined" && value instanceof DOMException) {
    description = `jsg.DOMException(${value.name}): ${value.message}`;
  } else {
    const text = describe(value);
    description = KNOWN_ERROR_TYPES.some((t) => text.startsWith(t)) ? `jsg.${text}` : `jsg.Error: ${text}`;
  }
  const type = flag(value, "overloaded") ? "overloaded" : flag(value, "retryable") ? "disconnected" : "failed";
  let details: RpcError["details"] = [];
  try {
    details = [
      { id: TUNNELED_ERROR_DETAIL, data: encodeValue(value) },
      { id: ENHANCED_ERROR_DETAIL, data: ENHANCED },
    ];
  } catch {
    // Not serializable (e.g. a property holding a function): the reason alone must do.
  }
  return new RpcError(`remote.${description}`, type, details);
}

function internalErrorId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return Array.from(bytes, (b) => (b % 36).toString(36)).join("");
}

/** What a caller throws for a failed call. Errors that never crossed the wire pass through. */
export function rpcErrorToThrown(err: unknown): unknown {
  if (!(err instanceof RpcError)) return err;
  let reason = err.message;
  while (reason.startsWith("remote exception: ")) reason = reason.slice("remote exception: ".length);
  let remote = false;
  while (reason.startsWith("remote.")) {
    remote = true;
    reason = reason.slice("remote.".length);
  }
  if (reason.startsWith("expected ")) {
    const at = reason.indexOf("; jsg.");
    if (at >= 0) reason = reason.slice(at + 2);
  }
  while (reason.startsWith("broken.")) {
    const at = reason.indexOf("; ");
    reason = at >= 0 ? reason.slice(at + 2) : "";
  }
  let internal = true;
  let text = reason;
  if (reason.startsWith("jsg.")) {
    internal = false;
    text = reason.slice(4);
  } else if (reason.startsWith("jsg-internal.")) {
    text = reason.slice("jsg-internal.".length);
  }

  let result: unknown;
  if (!internal || reason.startsWith("jsg-internal.")) {
    result = rebuildJsgError(text, internal, err);
  } else if (err.type === "disconnected") {
    result = new Error("Network connection lost.");
  } else {
    result = new Error(`internal error; reference = ${internalErrorId()}`);
  }
  if (typeof result === "object" && result !== null) {
    const target = result as Record<string, unknown>;
    if (remote) target.remote = true;
    if (err.type === "disconnected") target.retryable = true;
    else if (err.type === "overloaded") target.overloaded = true;
  }
  return result;
}

function rebuildJsgError(text: string, internal: boolean, err: RpcError): unknown {
  const messageAfter = (prefix: string) => {
    if (internal) return `internal error; reference = ${internalErrorId()}`;
    const rest = text.slice(prefix.length);
    return rest.startsWith(":") ? rest.slice(1).trimStart() : "";
  };
  if (text.startsWith("DOMException(")) {
    const close = text.indexOf(")");
    if (close > 0) {
      const name = text.slice("DOMException(".length, close);
      return new DOMException(messageAfter(text.slice(0, close + 1)), name);
    }
  }
  if (!internal) {
    const detail = err.details.find((d) => d.id === TUNNELED_ERROR_DETAIL);
    if (detail) {
      try {
        const value = decodeValue(detail.data);
        if (typeof value === "object" && value !== null) return value;
      } catch {
        // Undecodable detail: rebuild from the reason below, as workerd does.
      }
    }
  }
  for (const [name, ctor] of ERROR_CONSTRUCTORS) {
    if (text.startsWith(name)) return new ctor(messageAfter(name));
  }
  return new Error(messageAfter(""));
}
