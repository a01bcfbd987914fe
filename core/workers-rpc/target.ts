// The callee's side of Workers RPC: a capability server over a JavaScript object (an entrypoint
// instance, an RpcTarget, a function, a plain result object) that answers JsRpcTarget.call with
// workerd's lookup rules, and the callee context that tracks when a session is done.

import { RpcError } from "../rpc/errors.ts";
import {
  type CapServer,
  Hook,
  type InCall,
  LocalHook,
  type OutCall,
  type OutcomeListener,
  type OutPayload,
  RESOLVED,
  type ServerCall,
  releaseAll,
} from "../rpc/hooks.ts";
import { copyOut } from "../../protocol/capnp/output.ts";
import { thrownToRpcError } from "./errors.ts";
import { isPlainObject, isRpcTarget } from "./rpc-target.ts";
import {
  CALL,
  type CallResultsOut,
  EXTERNAL_PUSHER,
  JS_RPC_TARGET,
  type JsValueIn,
  readCallParams,
  writeCallResults,
} from "./schema.ts";
import { disposeStub, kindOfRpcObject } from "./stubs.ts";
import { deserializeValue, serializeValue } from "./values.ts";

/** Names no RPC call may use on a top-level entrypoint, checked on every path segment. */
export const TOP_LEVEL_RESERVED: ReadonlySet<string> = new Set([
  "fetch", "connect", "alarm", "webSocketMessage", "webSocketClose", "webSocketError", "dup", "constructor",
]);
/** Names no RPC call may use on other targets (stubs, RpcTargets, functions, results). */
export const TRANSIENT_RESERVED: ReadonlySet<string> = new Set(["dup", "constructor"]);

/**
 * The lifetime of one callee-side session: it is done once the top-level call has returned and
 * every capability it handed out has been released (workerd's CompletionMembrane).
 */
export class CalleeContext {
  private live = 0;
  private doneFired = false;

  constructor(
    private readonly onDone: () => void,
    /** Runs user code inside the event (so that module-level waitUntil finds it). */
    readonly run: (<R>(fn: () => R) => R) | null = null,
    /** The connection to the caller: capabilities it hosts itself are not ours to count. */
    readonly callerBrand: object | null = null,
  ) {}

  /** Wraps a capability that belongs to this context, so that its release is counted. */
  track(hook: Hook): Hook {
    this.live++;
    return new TrackedHook(hook, this);
  }

  untrack(): void {
    if (--this.live === 0 && !this.doneFired) {
      this.doneFired = true;
      this.onDone();
    }
  }
}

class TrackedHook extends Hook {
  constructor(
    private readonly inner: Hook,
    private readonly context: CalleeContext,
  ) {
    super();
  }

  override get localServer(): CapServer | null {
    return this.inner.localServer;
  }

  call(call: OutCall) {
    return this.inner.call(call);
  }

  deliver(call: InCall) {
    return this.inner.deliver(call);
  }

  protected override destroy(): void {
    this.inner.release();
    this.context.untrack();
  }
}

export interface TargetOptions {
  /** "prototype": class instances (methods only); "own": plain objects and functions. */
  mode: "prototype" | "own";
  reserved: ReadonlySet<string>;
  context: CalleeContext | null;
  /** For object handlers (`export default { m(arg, env, ctx) }`): inserted after the argument. */
  envCtx?: { env: unknown; ctx: unknown };
  /** Runs when the last reference to the capability is released. */
  onShutdown: (() => void) | null;
}

/** A call's params as prepareJsRpcCall() read them, for invoke(). */
interface PreparedCall {
  /** null: the params could not be read (`failure`). */
  path: string[] | null;
  getProperty: boolean;
  /** The decoded arguments; null for none, when decoding them failed (`failure`), or when they wait in `held`. */
  args: unknown[] | null;
  /** Arguments that hold capabilities, with their bytes copied: decoded at dispatch (their stubs are the call's). */
  held: JsValueIn | null;
  /** What reading them threw, if anything (thrown by invoke() where it would have been). */
  failure: { error: unknown } | null;
}

/**
 * CapServer.prepare for a JsRpcTarget.call that a JsTargetServer will serve: its path and
 * arguments are read now, before the yield (and before whatever the call waits for), rather
 * than when it is dispatched. Arguments of plain data are decoded now: nothing is made that
 * user code could see or that would need disposing if the call never ran. Arguments that hold
 * capabilities are decoded at dispatch as before (their stubs die with the call), from a copy
 * of their bytes. A failure to read them is thrown where it would have been (invoke()).
 */
export function prepareJsRpcCall(call: ServerCall): boolean {
  if (call.interfaceId !== JS_RPC_TARGET || call.methodId !== CALL) return false;
  const prepared: PreparedCall = { path: null, getProperty: false, args: null, held: null, failure: null };
  try {
    const params = readCallParams(call.params.content);
    prepared.path = params.path;
    prepared.getProperty = params.getProperty;
    const args = params.args;
    if (args !== null && args.externals.length > 0) prepared.held = { v8: copyOut(args.v8, args.v8.length), externals: args.externals };
    else if (args !== null) prepared.args = decodeArgs(args, call, NO_STUBS);
  } catch (err) {
    prepared.failure = { error: err };
  }
  call.prepared = prepared;
  return true;
}

/** The arguments of a call that has none (Reflect.apply and insertEnvCtx only read them). */
const NO_ARGS: unknown[] = [];
Object.freeze(NO_ARGS);

/** Where decodeArgs() puts the stubs of arguments that hold none. */
const NO_STUBS: object[] = [];
Object.freeze(NO_STUBS);

/** A call's arguments, decoded (stubs made for them go to `stubs`). */
function decodeArgs(args: JsValueIn, call: ServerCall, stubs: object[]): unknown[] {
  const decoded = deserializeValue(args, { caps: call.params.caps, lease: null, stubs });
  if (!Array.isArray(decoded)) throw new TypeError("expected JsArray when deserializing arguments.");
  return decoded;
}

export class JsTargetServer implements CapServer {
  constructor(
    readonly target: object,
    readonly options: TargetOptions,
  ) {}

  dispatch(call: ServerCall): Promise<OutPayload> {
    return new Promise((resolve, reject) => this.dispatchTo(call, { answered: resolve, failed: reject }));
  }

  dispatchTo(call: ServerCall, done: OutcomeListener): void {
    if (call.interfaceId === JS_RPC_TARGET && call.methodId === CALL) {
      this.callMethod(call, done);
      return;
    }
    const error = call.interfaceId === EXTERNAL_PUSHER
      ? new RpcError("Streams and AbortSignals over RPC are not supported by edgebind yet.", "unimplemented")
      : new RpcError(`Method ${call.interfaceId.toString(16)}.${call.methodId} is not implemented.`, "unimplemented");
    void RESOLVED.then(() => done.failed(error));
  }

  shutdown(): void {
    this.options.onShutdown?.();
  }

  prepare(call: ServerCall): boolean {
    return prepareJsRpcCall(call);
  }

  /**
   * Runs the method, then (one promise step later, as `await` would: the result is serialized
   * after the microtasks the method queued) serializes its result and hands it to `done`.
   * Written with one `then` and a listener rather than as async functions and promises: three
   * fewer promises per call.
   */
  private callMethod(call: ServerCall, done: OutcomeListener): void {
    const paramStubs: object[] = [];
    // Stubs received as parameters die with the call unless the callee dup()ed them; as in
    // workerd, only after the result is serialized, so the result may hold them.
    const disposeParams = () => {
      for (const stub of paramStubs) disposeStub(stub);
    };
    let result: unknown;
    try {
      result = this.invoke(call, paramStubs);
    } catch (err) {
      disposeParams();
      const error = thrownToRpcError(err);
      void RESOLVED.then(() => done.failed(error));
      return;
    }
    // The result is awaited as `await` would: Promise.resolve reads its `then` once and adopts
    // a thenable. Read here instead, so that anything else (a primitive, an RpcTarget) waits
    // the same one step on RESOLVED, with no promise of its own.
    let thenable = false;
    let step: Promise<unknown> = RESOLVED;
    if ((typeof result === "object" && result !== null) || typeof result === "function") {
      let then: unknown;
      try {
        then = (result as { then?: unknown }).then;
      } catch (err) {
        void RESOLVED.then(() => {
          disposeParams();
          done.failed(thrownToRpcError(err));
        });
        return;
      }
      if (typeof then === "function") {
        thenable = true;
        step = adopt(result as object, then);
      }
    }
    void step.then(
      (resolved) => {
        let out: OutPayload;
        try {
          out = this.serializeResult(thenable ? resolved : result);
        } catch (err) {
          disposeParams();
          done.failed(thrownToRpcError(err));
          return;
        }
        disposeParams();
        done.answered(out);
      },
      (err: unknown) => {
        disposeParams();
        done.failed(thrownToRpcError(err));
      },
    );
  }

  /**
   * Finds the method and calls it (or reads the property): its result, maybe a promise. The
   * params are read here, or were by prepare(); either way in this order: the path, the lookup,
   * then the arguments.
   */
  private invoke(call: ServerCall, paramStubs: object[]): unknown {
    const prepared = call.prepared as PreparedCall | undefined;
    let params: { path: string[]; getProperty: boolean };
    /** Arguments still to decode, after the lookup (their stubs are this call's). */
    let undecoded: JsValueIn | null;
    if (prepared === undefined) {
      const read = readCallParams(call.params.content);
      params = read;
      undecoded = read.args;
    } else {
      if (prepared.path === null) throw prepared.failure!.error;
      params = { path: prepared.path, getProperty: prepared.getProperty };
      undecoded = prepared.held;
    }
    const { value, thisArg, name } = this.lookup(params.path);
    if (params.getProperty) return value;
    if (typeof value !== "function") throw new TypeError(`"${name}" is not a function.`);
    if (prepared?.failure) throw prepared.failure.error;
    let args = prepared?.args ?? (undecoded === null ? NO_ARGS : decodeArgs(undecoded, call, paramStubs));
    if (this.options.envCtx) args = insertEnvCtx(name, value, args, this.options.envCtx);
    const run = this.options.context?.run;
    return run ? run(() => Reflect.apply(value, thisArg, args)) : Reflect.apply(value, thisArg, args);
  }

  /** Walks the method path with workerd's visibility rules. */
  private lookup(path: readonly string[]): { value: unknown; thisArg: unknown; name: string } {
    const reserved = this.options.reserved;
    let holder: object = this.target;
    let own = this.options.mode === "own";
    // Calling the target itself (a function stub): `this` is the function, as in workerd.
    if (path.length === 0) return { value: holder, thisArg: holder, name: "(this)" };
    for (let i = 0; i < path.length - 1; i++) {
      const next = getMember(holder, path[i]!, own, reserved);
      if ((typeof next !== "object" && typeof next !== "function") || next === null) failLookup(path[i]!);
      holder = next;
      if (isPlainObject(holder)) own = true;
      else if (isRpcTarget(holder)) own = false;
      else if (kindOfRpcObject(holder) !== null) own = false; // a stub: its names are RPC names
      else if (typeof holder === "function") own = true;
      else failLookup(path[i]!);
    }
    const last = path[path.length - 1]!;
    // A one-name path (nearly every call) needs no join for its name.
    return { value: getMember(holder, last, own, reserved), thisArg: holder, name: path.length === 1 ? last : path.join(".") };
  }

  private serializeResult(value: unknown): OutPayload {
    const context = this.options.context;
    let dispose: unknown = undefined;
    if (typeof value === "object" && value !== null && isPlainObject(value)) {
      // The result's own disposer stays here; the caller's copy gets a fresh one.
      dispose = (value as { [Symbol.dispose]?: unknown })[Symbol.dispose];
      delete (value as { [Symbol.dispose]?: unknown })[Symbol.dispose];
    }
    const caps: OutPayload["caps"] = [];
    const afterSend: (() => void)[] = [];
    let result: ReturnType<typeof serializeValue>;
    try {
      result = serializeValue(value, { caps, ownership: "results", context, afterSend });
    } catch (err) {
      releaseAll(caps); // capabilities made for the value before it failed (and their contexts)
      throw err;
    }
    let callPipelineCap: number;
    let hasDisposer = false;
    const kind = kindOfRpcObject(value);
    const single =
      (typeof value === "function" && kind !== "promise" && kind !== "property") ||
      (typeof value === "object" && value !== null && isRpcTarget(value));
    if (single && result.externalCaps.length === 1) {
      // The result is one capability: it is also the pipeline (two cap-table entries, one export).
      const cap = caps[result.externalCaps[0]!]!;
      callPipelineCap = caps.push(cap.addRef()) - 1;
    } else if (typeof value === "object" && value !== null && isPlainObject(value)) {
      hasDisposer = typeof dispose === "function";
      // The stubs inside the result are transferred, but pipelined calls still reach them through
      // the live result object: our copies die with the pipeline, as in workerd.
      const transferred = afterSend.splice(0);
      const server = new JsTargetServer(value, {
        mode: "own",
        reserved: TRANSIENT_RESERVED,
        context,
        onShutdown: () => {
          for (const f of transferred) f();
          if (hasDisposer) runLater(() => (dispose as () => void).call(value));
        },
      });
      callPipelineCap = caps.push(serve(server, context)) - 1;
    } else {
      // Nothing to pipeline on: a target over an empty object, so that pipelined calls get
      // workerd's "does not implement" error rather than a protocol-level failure. Every call
      // on it fails the same way, so one server serves them all (counted per session).
      callPipelineCap = caps.push(serve(nothingToPipeline(), context)) - 1;
    }
    for (const f of afterSend) f();
    const out: CallResultsOut = { result, callPipelineCap, hasDisposer };
    return {
      content: writeCallResults(out),
      caps,
      pipelineCap: (ops) => (ops.length === 1 && ops[0]!.type === "getPointerField" && ops[0]!.index === 1 ? callPipelineCap : null),
    };
  }
}

let emptyTarget: JsTargetServer | null = null;

/** The target behind every result that has nothing to pipeline on (a primitive, an array…). */
function nothingToPipeline(): JsTargetServer {
  return (emptyTarget ??= new JsTargetServer(Object.freeze({}), {
    mode: "own",
    reserved: TRANSIENT_RESERVED,
    context: null,
    onShutdown: null,
  }));
}

/** A capability for `server`, counted in `context` (the callee session it belongs to) if any. */
export function serve(server: JsTargetServer, context: CalleeContext | null): Hook {
  return context ? context.track(new LocalHook(server)) : new LocalHook(server);
}

function runLater(f: () => void): void {
  Promise.resolve().then(f).catch((err: unknown) => console.error("Uncaught error in RPC result disposer:", err));
}

function failLookup(name: string): never {
  throw new TypeError(`The RPC receiver does not implement the method "${name}".`);
}

function getMember(holder: object, name: string, own: boolean, reserved: ReadonlySet<string>): unknown {
  if (reserved.has(name)) throw new TypeError(`'${name}' is a reserved method and cannot be called over RPC.`);
  if (own) {
    if (!Object.prototype.hasOwnProperty.call(holder, name)) failLookup(name);
    return (holder as Record<string, unknown>)[name];
  }
  if (Object.prototype.hasOwnProperty.call(holder, name)) failLookup(name);
  const value = Reflect.get(holder, name);
  if (value === (Object.prototype as unknown as Record<string, unknown>)[name]) failLookup(name);
  if (value === undefined && !(name in holder)) failLookup(name);
  return value;
}

/** Object handlers get (arg, env, ctx): workerd's arity rules. */
function insertEnvCtx(name: string, fn: Function, args: unknown[], envCtx: { env: unknown; ctx: unknown }): unknown[] {
  let arity = fn.length;
  if (!(arity >= 0 && arity < 256)) throw new TypeError(`RPC function has unreasonable length attribute: ${arity}`);
  if (arity < 3) arity = 3;
  if (arity !== 3) {
    throw new TypeError(
      `Cannot call handler function "${name}" over RPC because it has the wrong number of arguments. A simple function handler can only be called over RPC if it has exactly the arguments (arg, env, ctx), where only the first argument comes from the client. To support multi-argument RPC functions, use class-based syntax (extending WorkerEntrypoint) instead.`,
    );
  }
  if (args.length !== 1) {
    throw new TypeError(
      `Attempted to call RPC function "${name}" with the wrong number of arguments. When calling a top-level handler function that is not declared as part of a class, you must always send exactly one argument. In order to support variable numbers of arguments, the server must use class-based syntax (extending WorkerEntrypoint) instead.`,
    );
  }
  return [args[0], envCtx.env, envCtx.ctx];
}

const promiseThen = Promise.prototype.then;

/**
 * Promise.resolve(value) for a value whose `then` (a function) was read already: a native
 * promise as it is, any other thenable through the `then` read, not a second read of it (same
 * steps: Promise.resolve of an object with that `then` runs it in one job).
 */
function adopt(value: object, then: Function): Promise<unknown> {
  if (then === promiseThen) return Promise.resolve(value);
  return Promise.resolve({ then: (resolve: unknown, reject: unknown) => then.call(value, resolve, reject) });
}
