// JavaScript values ⇄ JsValue (V8 bytes plus an externals table), with workerd's rules for what
// goes by reference: stubs, RpcTargets and functions become capabilities (host tag 1 plus the
// next external), everything else is copied by the V8 value codec.

import { decodeValue, encodeLoneHostObject, encodeValue, loneHostObjectTag, offeredWholeToHost } from "../../protocol/index.ts";
import { dataCloneError } from "../../protocol/v8/errors.ts";
import type { HostReader, HostWriter } from "../../protocol/v8/host.ts";
import type { Hook } from "../rpc/hooks.ts";
import { mostResolved } from "../rpc/hooks.ts";
import type { Lease } from "./lease.ts";
import { isRpcTarget, runDisposerLater } from "./rpc-target.ts";
import type { ExternalIn, JsValueIn, JsValueOut } from "./schema.ts";
import { JsTargetServer, serve, TRANSIENT_RESERVED, type CalleeContext } from "./target.ts";
import { disposeStub, kindOfRpcObject, makeStub, stubHookForSend } from "./stubs.ts";

/** workerd's cap on one serialized value (args or result), 32 MiB. */
export const MAX_VALUE_BYTES = 2 ** 25;

const HOST_TAG_STUB = 1;
/** workerd's DOMException host forms: 7 (legacy: name, then {message, stack}), 8 (name, message, stack). */
const HOST_TAG_DOM_EXCEPTION_LEGACY = 7;
const HOST_TAG_DOM_EXCEPTION = 8;

/**
 * - "params": the caller keeps its stubs (they are duplicated into the message), and a target
 *   with a dup() method is dup()ed (rpc_params_dup_stubs, today's default).
 * - "results": stubs are transferred (the callee's copy is disposed once sent).
 */
export type Ownership = "params" | "results";

export interface SerializeContext {
  /** The cap table being built; externals point into it. */
  caps: (Hook | null)[];
  ownership: Ownership;
  /** The callee context that owns new capabilities (counted for its lifetime), if any. */
  context: CalleeContext | null;
  /** Run after the message is built (transferred stubs are disposed then). */
  afterSend: (() => void)[];
}

export function serializeValue(value: unknown, ctx: SerializeContext): JsValueOut {
  // A capability alone (a method returning an RpcTarget, a stub or a function): the encoding is
  // fixed, and the encoder, its hook and its bookkeeping are skipped. Whatever capabilityFor
  // declines or refuses, it does the same in the hook below, so the general path decides those.
  // (Primitives, arrays and plain objects, most values, are ruled out inline: one function less.)
  const candidate = typeof value === "function" ||
    (typeof value === "object" && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype);
  if (candidate && offeredWholeToHost(value) && !(value instanceof DOMException)) {
    const hook = capabilityFor(value as object, ctx);
    if (hook !== null) return { v8: encodeLoneHostObject(HOST_TAG_STUB), externalCaps: [ctx.caps.push(hook) - 1] };
  }
  const externalCaps: number[] = [];
  const host = {
    write(v: object, w: HostWriter): boolean {
      if (v instanceof DOMException) {
        w.writeTag(HOST_TAG_DOM_EXCEPTION);
        w.writeLengthDelimited(v.name);
        w.writeLengthDelimited(v.message);
        w.writeLengthDelimited(typeof v.stack === "string" ? v.stack : "");
        return true;
      }
      const hook = capabilityFor(v, ctx);
      if (hook === null) return false;
      w.writeTag(HOST_TAG_STUB);
      externalCaps.push(ctx.caps.push(hook) - 1);
      return true;
    },
  };
  const v8 = encodeValue(value, { host, maxBytes: MAX_VALUE_BYTES });
  return { v8, externalCaps };
}

/** A new capability for a by-reference value, or null if the value is not one. */
function capabilityFor(v: object, ctx: SerializeContext): Hook | null {
  const kind = kindOfRpcObject(v);
  if (kind === "promise" || kind === "property") {
    throw dataCloneError(
      `Could not serialize object of type "${kind === "promise" ? "RpcPromise" : "RpcProperty"}". This type does not support serialization.`,
    );
  }
  if (kind === "stub") {
    const hook = stubHookForSend(v);
    if (ctx.ownership === "results") ctx.afterSend.push(() => disposeStub(v));
    // A stub forwarded from elsewhere (another Worker) keeps this session open while the caller
    // holds it, like workerd's CompletionMembrane; the caller's own capabilities coming back are
    // not wrapped, so they still travel as receiverHosted (the caller gets its own object).
    const context = ctx.context;
    if (context && mostResolved(hook).brand !== context.callerBrand) return context.track(hook);
    return hook;
  }
  const byPrototype = isRpcTarget(v);
  if (!byPrototype && typeof v !== "function") return null;
  let target: object = v;
  if (ctx.ownership === "params" && typeof (v as { dup?: unknown }).dup === "function") {
    // The caller keeps the original; the callee gets a duplicate that is disposed with the call.
    const dup = (v as { dup: () => unknown }).dup();
    const sameKind = typeof dup === "object" || typeof dup === "function" ? (byPrototype ? isRpcTarget(dup as object) : typeof dup === "function") : false;
    if (!sameKind) throw dataCloneError("The dup() method of an RpcTarget or function passed over RPC must return the same kind of object.");
    target = dup as object;
  }
  return targetCapability(target, byPrototype ? "prototype" : "own", ctx.context);
}

/** A new capability serving `target` (its disposer runs when the last reference is gone). */
export function targetCapability(target: object, mode: "prototype" | "own", context: CalleeContext | null): Hook {
  const dispose = (target as { [Symbol.dispose]?: unknown })[Symbol.dispose];
  const server = new JsTargetServer(target, {
    mode,
    reserved: TRANSIENT_RESERVED,
    context,
    onShutdown: typeof dispose === "function" ? () => runDisposerLater(() => dispose.call(target), "RpcTarget disposer") : null,
  });
  return serve(server, context);
}

export interface DeserializeContext {
  caps: readonly (Hook | null)[];
  /** Stubs created from the value hold a reference to this (the caller's session). */
  lease: Lease | null;
  /** Every stub created, for disposal groups. */
  stubs: object[];
}

export function deserializeValue(value: JsValueIn, ctx: DeserializeContext): unknown {
  const externals: readonly ExternalIn[] = value.externals;
  // A capability alone (what serializeValue's own shortcut writes): its stub, without the decoder.
  if (externals.length === 1 && loneHostObjectTag(value.v8) === HOST_TAG_STUB) {
    try {
      return stubFor(externals[0], ctx);
    } catch (err) {
      for (const stub of ctx.stubs.splice(0)) disposeStub(stub); // as the general path below
      throw err;
    }
  }
  let next = 0;
  const host = {
    read(tag: number, r: HostReader): object {
      if (tag === HOST_TAG_DOM_EXCEPTION || tag === HOST_TAG_DOM_EXCEPTION_LEGACY) return readDomException(tag, r);
      if (tag !== HOST_TAG_STUB) throw dataCloneError("Unable to deserialize cloned data.");
      return stubFor(externals[next++], ctx);
    },
  };
  let result: unknown;
  try {
    result = decodeValue(value.v8, { host });
    if (next !== externals.length) throw new TypeError("Malformed RPC value: not every external was used.");
  } catch (err) {
    for (const stub of ctx.stubs.splice(0)) disposeStub(stub);
    throw err;
  }
  return result;
}

/** The stub for a value's next external, kept in `ctx.stubs`. */
function stubFor(ext: ExternalIn | undefined, ctx: DeserializeContext): object {
  if (!ext || ext.kind !== "rpcTarget" || ext.cap === null) {
    throw new TypeError("Malformed RPC value: a stub has no matching rpcTarget external.");
  }
  const hook = ctx.caps[ext.cap];
  if (!hook) throw new TypeError("Malformed RPC value: an external names a missing capability.");
  const stub = makeStub(hook.addRef(), ctx.lease?.acquire() ?? null);
  ctx.stubs.push(stub);
  return stub;
}

function readDomException(tag: number, r: HostReader): DOMException {
  const name = r.readLengthDelimitedString();
  let message: string;
  let stack: string;
  if (tag === HOST_TAG_DOM_EXCEPTION) {
    message = r.readLengthDelimitedString();
    stack = r.readLengthDelimitedString();
  } else {
    const detail = r.readValue() as { message?: unknown; stack?: unknown } | null;
    if (typeof detail?.message !== "string" || typeof detail.stack !== "string") {
      throw dataCloneError("Deserialization failed: DOMException payload is not an object");
    }
    message = detail.message;
    stack = detail.stack;
  }
  const error = new DOMException(message, name);
  // A DOMException passed as a value keeps its stack, as in workerd (thrown errors do not).
  Object.defineProperty(error, "stack", { value: stack, writable: true, configurable: true, enumerable: false });
  return error;
}
