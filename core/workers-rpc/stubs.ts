// The caller's side of Workers RPC: RpcStub, RpcProperty and RpcPromise, as workerd shows them.
// Each is a callable Proxy (typeof "function") whose string properties that are not found on its
// prototype chain are RPC names; `then` on a stub is undefined so `await stub` returns the stub.
// A call serializes its arguments, sends JsRpcTarget.call, and returns an RpcPromise that is a
// thenable, pipelinable (properties and calls on it are sent at once against `callPipeline`),
// and disposable.

import { type CallHandle, type Hook, LocalHook, PipelinedCalls, releaseAll, type Results, type SettleListener, settleCall } from "../rpc/hooks.ts";
import { contextStore, type EventContext } from "../worker/context.ts";
import { thrownToRpcError, rpcErrorToThrown } from "./errors.ts";
import type { Lease } from "./lease.ts";
import { isPlainObject, isRpcTarget, runDisposerLater } from "./rpc-target.ts";
import { CALL, CALL_PIPELINE_OPS, JS_RPC_TARGET, readCallResults, writeCallParams, type JsValueOut } from "./schema.ts";
import { JsTargetServer, TRANSIENT_RESERVED } from "./target.ts";
import { deserializeValue, serializeValue } from "./values.ts";
import { externalPusherHook } from "./pusher.ts";

/** Longest pipelined property path (workerd's MAX_PROPERTY_DEPTH). */
export const MAX_PROPERTY_DEPTH = 64;

/** Something a call can be made on: hands out a capability (new reference) for one call. */
export interface CallRoot {
  hookForCall(): { hook: Hook; lease: Lease | null };
}

const GET_PROPERTY = Symbol("getProperty");
type Args = unknown[] | typeof GET_PROPERTY;

// ---------------------------------------------------------------------------------------------
// State behind each proxy

class StubState implements CallRoot {
  /** The event that created this stub (by dup()); it disposes the stub when it ends. */
  owner: EventContext | null = null;
  /** Registered with `collected` (see registerLater). */
  registered = false;

  constructor(
    public hook: Hook | null,
    public lease: Lease | null,
  ) {}

  hookForCall(): { hook: Hook; lease: Lease | null } {
    if (!this.hook) throw new Error("RPC stub used after being disposed.");
    return { hook: this.hook.addRef(), lease: this.lease?.acquire() ?? null };
  }

  dispose(): void {
    const hook = this.hook;
    if (!hook) return;
    this.hook = null;
    if (this.registered) collected.unregister(this);
    this.owner?.disown(this);
    this.owner = null;
    hook.release();
    this.lease?.release();
    this.lease = null;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

/**
 * A stub nobody can reach any more releases its capability (there is no caller context to end
 * in a plain script, and a long-running process must not keep every forgotten stub's callee
 * alive). GC is not observable to the program otherwise; explicit disposal remains the rule.
 */
const collected = new FinalizationRegistry<StubState>((state) => state.dispose());

/**
 * Stubs made since the last registration pass, with their states, registered with `collected`
 * a macrotask later if still undisposed. Most stubs a result makes are disposed in the turn that
 * made them (the RpcTarget a pipelined call returns, disposed with its promise), and registering
 * one with an unregister token and unregistering it again cost ~0.3-1 us on Node (an identity
 * hash for the token, the registry's key map). Held here until then, so a stub dropped in the
 * meantime is still registered, and collected a pass later than it would have been.
 */
let awaitingRegistration: (object | StubState)[] = [];

function registerLater(stub: object, state: StubState): void {
  if (awaitingRegistration.length === 0) setTimeout(registerAwaiting, 0);
  awaitingRegistration.push(stub, state);
}

function registerAwaiting(): void {
  const list = awaitingRegistration;
  awaitingRegistration = [];
  for (let i = 0; i < list.length; i += 2) {
    const state = list[i + 1] as StubState;
    if (state.hook === null) continue; // disposed already
    collected.register(list[i]!, state, state);
    state.registered = true;
  }
}

class PropertyState {
  constructor(
    readonly root: CallRoot,
    readonly path: readonly string[],
  ) {}
}

const NO_CAPS: readonly (Hook | null)[] = [];

type Settled = { state: "fulfilled"; value: unknown } | { state: "rejected"; error: unknown };
/** `was`: the disposed result's outcome, still what the promise gives if asked for later. */
type Outcome = { state: "pending" } | Settled | { state: "disposed"; was: Settled };

class PromiseState implements CallRoot, SettleListener {
  outcome: Outcome = { state: "pending" };
  /** The event that made the call: it disposes the result when it ends, if nobody did. */
  owner: EventContext | null = null;
  private pipelineHook: Hook | null = null;
  private disposeWhenSettled = false;
  /**
   * The promise `then` gives, made when first asked for: a call nobody awaits (pipelining
   * only) needs none, and one awaited is told of the outcome when the Return is handled.
   */
  private madePromise: Promise<unknown> | null = null;
  private resolvePromise: ((value: unknown) => void) | null = null;
  private rejectPromise: ((error: unknown) => void) | null = null;

  constructor(
    private handle: CallHandle | null,
    private lease: Lease | null,
    failure?: unknown,
  ) {
    if (handle === null) {
      this.outcome = { state: "rejected", error: failure };
    } else {
      settleCall(handle, this);
    }
  }

  get promise(): Promise<unknown> {
    if (this.madePromise === null) {
      const settled = this.settled();
      if (settled === null) {
        this.madePromise = new Promise((resolve, reject) => {
          this.resolvePromise = resolve;
          this.rejectPromise = reject;
        });
      } else {
        this.madePromise = settled.state === "fulfilled" ? Promise.resolve(settled.value) : Promise.reject(settled.error);
      }
    }
    return this.madePromise;
  }

  onResults(results: Results): void {
    try {
      this.fulfil(results);
    } catch {
      // fulfil() recorded the failure as the outcome.
    }
    this.announce();
  }

  onError(err: unknown): void {
    this.cleanup();
    this.release();
    this.outcome = { state: "rejected", error: rpcErrorToThrown(err) };
    this.announce();
  }

  /** The outcome once settled (through a disposal too); null while pending. */
  private settled(): Settled | null {
    const o = this.outcome;
    return o.state === "pending" ? null : o.state === "disposed" ? o.was : o;
  }

  /** Settles the promise `then` gave out before the outcome was known, if any. */
  private announce(): void {
    const settled = this.settled();
    if (settled?.state === "fulfilled") this.resolvePromise?.(settled.value);
    else if (settled) this.rejectPromise?.(settled.error);
    this.resolvePromise = this.rejectPromise = null;
  }

  private fulfil(results: Results): void {
    const stubs: object[] = [];
    let callPipeline: Hook | null = null;
    let value: unknown;
    try {
      const r = readCallResults(results.in.content);
      // The capabilities are read only if the value holds any: a result of plain data leaves
      // them unimported (the connection gives them back without making hooks).
      const caps = r.result !== null && r.result.externals.length > 0 ? results.in.caps : NO_CAPS;
      value = r.result ? deserializeValue(r.result, { caps, lease: this.lease, stubs }) : undefined;
      // The callee's own disposer runs when we drop callPipeline: keep it only for that.
      if (r.hasDisposer && r.callPipelineCap !== null) callPipeline = results.in.caps[r.callPipelineCap]?.addRef() ?? null;
    } catch (err) {
      results.release();
      this.cleanup();
      this.outcome = { state: "rejected", error: err };
      throw err;
    }
    results.release();
    this.cleanup();
    if (typeof value === "object" && value !== null || (typeof value === "function" && kindOfRpcObject(value) !== "stub")) {
      attachDisposer(value as object, stubs, callPipeline);
    } else {
      callPipeline?.release();
    }
    if (stubs.length === 0 && callPipeline === null) this.release(); // nothing left to revoke
    this.outcome = { state: "fulfilled", value };
    if (this.disposeWhenSettled) this.disposeValue();
  }

  /** Releases what only the pending call needed. */
  private cleanup(): void {
    this.handle?.release();
    this.handle = null;
    this.pipelineHook?.release();
    this.pipelineHook = null;
    this.lease?.release();
    this.lease = null;
  }

  hookForCall(): { hook: Hook; lease: Lease | null } {
    // Disposed before its result arrived: no more pipelining (the result is disposed on arrival).
    if (this.disposeWhenSettled) throw new Error("RPC promise used after being disposed.");
    const o = this.outcome;
    switch (o.state) {
      case "pending": {
        const handle = this.handle!;
        const lease = this.lease?.acquire() ?? null;
        // A call on the peer: each pipelined call goes straight to the promised answer, with
        // no PipelineHook to make, track and resolve (this state holds the question meanwhile,
        // and the Return fulfils it before any later call can come here).
        if (handle.pipelineCall) return { hook: new PipelinedCalls(handle, CALL_PIPELINE_OPS), lease };
        this.pipelineHook ??= handle.pipeline(CALL_PIPELINE_OPS);
        return { hook: this.pipelineHook.addRef(), lease };
      }
      case "disposed":
        throw new Error("RPC promise used after being disposed.");
      case "rejected":
        throw o.error;
      case "fulfilled": {
        const value = o.value;
        if (kindOfRpcObject(value) === "stub") return stubStateOf(value as object)!.hookForCall();
        if ((typeof value === "object" && value !== null) || typeof value === "function") {
          // Already here: make a real call on a one-off local target over the value. That target
          // does not own the value (as in workerd): releasing it must not run the result's
          // disposer, which would dispose the stubs the value holds.
          const server = new JsTargetServer(value as object, { mode: "own", reserved: TRANSIENT_RESERVED, context: null, onShutdown: null });
          return { hook: new LocalHook(server), lease: null };
        }
        throw new TypeError("Can't pipeline on RPC that did not return an object.");
      }
    }
  }

  dispose(): void {
    this.release();
    if (this.outcome.state === "pending") {
      this.disposeWhenSettled = true;
      return;
    }
    this.disposeValue();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** No longer the owning event's business. */
  private release(): void {
    this.owner?.disown(this);
    this.owner = null;
  }

  private disposeValue(): void {
    const o = this.outcome;
    if (o.state === "pending" || o.state === "disposed") return;
    this.outcome = { state: "disposed", was: o };
    if (o.state !== "fulfilled") return;
    const value = o.value as { [Symbol.dispose]?: () => void } | null;
    if ((typeof value === "object" || typeof value === "function") && value !== null) value[Symbol.dispose]?.();
  }
}

/** A disposer on a result object: disposes the stubs it holds and drops callPipeline. */
function attachDisposer(value: object, stubs: object[], callPipeline: Hook | null): void {
  let done = false;
  const dispose = () => {
    if (done) return;
    done = true;
    for (const stub of stubs) disposeStub(stub);
    callPipeline?.release();
  };
  try {
    Object.defineProperty(value, Symbol.dispose, { value: dispose, enumerable: false, configurable: true, writable: true });
  } catch {
    dispose(); // a frozen value cannot take a disposer: release now rather than leak
  }
}

// ---------------------------------------------------------------------------------------------
// The proxies

type AnyState = StubState | PropertyState | PromiseState;

/** Returns its argument from a constructor: a subclass then adds its fields to that object. */
class ReturnsArgument {
  constructor(o: object) {
    return o;
  }
}

/**
 * Each proxy's state, in a private field stamped onto the proxy itself. A private field is
 * invisible to user code and reading it runs no trap; unlike a WeakMap entry (an ephemeron the
 * garbage collector must trace, two per call), it costs the collector nothing extra: making a
 * proxy with its state this way measured ~0.6 µs against ~1.0 µs on Node.
 */
class ProxyState extends ReturnsArgument {
  #state: AnyState;

  private constructor(proxy: object, state: AnyState) {
    super(proxy);
    this.#state = state;
  }

  static stamp(proxy: object, state: AnyState): void {
    new ProxyState(proxy, state);
  }

  static of(v: object): AnyState | undefined {
    return #state in v ? (v as unknown as ProxyState).#state : undefined;
  }
}

function stubStateOf(v: object): StubState | null {
  const s = ProxyState.of(v);
  return s instanceof StubState ? s : null;
}

export function kindOfRpcObject(v: unknown): "stub" | "property" | "promise" | null {
  if ((typeof v !== "function" && typeof v !== "object") || v === null) return null;
  const s = ProxyState.of(v);
  if (s instanceof StubState) return "stub";
  if (s instanceof PropertyState) return "property";
  if (s instanceof PromiseState) return "promise";
  return null;
}

/** A new reference to a stub's capability, for sending it. */
export function stubHookForSend(stub: object): Hook {
  const s = stubStateOf(stub);
  if (!s?.hook) throw new Error("RPC stub used after being disposed.");
  return s.hook.addRef();
}

export function disposeStub(stub: object): void {
  stubStateOf(stub)?.dispose();
}

function checkedState<T>(self: unknown, ctor: new (...a: never[]) => T, what: string): T {
  const s = (typeof self === "function" || typeof self === "object") && self !== null ? ProxyState.of(self) : undefined;
  if (!(s instanceof ctor)) throw new TypeError(`Illegal invocation: not an ${what}`);
  return s;
}

/**
 * Where a proxy's traps find its state: on the proxy's own target function, so that one
 * handler per kind serves every proxy (no handler object and closures per proxy; two proxies
 * are made per call). The private stamp (ProxyState) is what everything else reads.
 */
const TARGET_STATE = Symbol("edgebind.state");
type Target = (() => void) & { [TARGET_STATE]?: AnyState };

function makeCallable(state: AnyState, handler: CallableHandler): object {
  const target: Target = () => {};
  target[TARGET_STATE] = state;
  const proxy = new Proxy(target, handler);
  ProxyState.stamp(proxy, state);
  return proxy;
}

/** `x.name` on a stub, property or promise: a pipelined property one level deeper. */
function propertyOf(state: AnyState, name: string): object {
  if (!(state instanceof PropertyState)) return makeProperty(state, [name]);
  // A stub's first property has depth 0 (workerd counts links above it): the deepest
  // property has a path of MAX_PROPERTY_DEPTH + 1 names.
  if (state.path.length > MAX_PROPERTY_DEPTH) {
    throw new TypeError(`RPC pipelined property path is too deep (max ${MAX_PROPERTY_DEPTH}).`);
  }
  return makeProperty(state.root, [...state.path, name]);
}

/** `x(...args)` on a stub, property or promise. */
function callOf(state: AnyState, args: unknown[]): RpcPromise {
  return state instanceof PropertyState ? call(state.root, state.path, args) : call(state, [], args);
}

/**
 * The traps, shared by every proxy of one kind (no own properties, a fixed prototype), as
 * methods of a class: under tsx every closure in an object literal costs a defineProperty.
 */
class CallableHandler implements ProxyHandler<Target> {
  constructor(
    private readonly proto: object,
    private readonly thenable: boolean,
  ) {}

  get(t: Target, prop: string | symbol, receiver: unknown): unknown {
    const proto = this.proto;
    if (typeof prop === "symbol" || prop in proto) return Reflect.get(proto, prop, receiver);
    if (prop === "then" && !this.thenable) return undefined;
    return propertyOf(t[TARGET_STATE]!, prop);
  }

  has(_t: Target, prop: string | symbol): boolean {
    return typeof prop === "string" ? prop !== "then" || this.thenable : prop in this.proto;
  }

  apply(t: Target, _this: unknown, args: unknown[]): unknown {
    return callOf(t[TARGET_STATE]!, args);
  }

  ownKeys(): ArrayLike<string | symbol> {
    return [];
  }

  getOwnPropertyDescriptor(): PropertyDescriptor | undefined {
    return undefined;
  }

  getPrototypeOf(): object {
    return this.proto;
  }

  setPrototypeOf(): boolean {
    return false;
  }

  set(): boolean {
    return false;
  }

  defineProperty(): boolean {
    return false;
  }

  deleteProperty(): boolean {
    return false;
  }
}

/** The client side of an RPC capability. `new RpcStub(value)` wraps a local object. */
export class RpcStub {
  constructor(value: unknown) {
    if ((typeof value !== "object" && typeof value !== "function") || value === null) {
      throw new TypeError("Failed to construct 'JsRpcStub': constructor parameter 1 is not of type 'Object'.");
    }
    let mode: "own" | "prototype";
    if (isPlainObject(value)) mode = "own";
    else if (isRpcTarget(value)) mode = "prototype";
    else if (typeof value === "function") mode = "own";
    else throw new TypeError("RpcStubs can only wrap plain objects, functions, and RpcTarget derivatives.");
    const dispose = (value as { [Symbol.dispose]?: unknown })[Symbol.dispose];
    const server = new JsTargetServer(value, {
      mode,
      reserved: TRANSIENT_RESERVED,
      context: null,
      onShutdown: typeof dispose === "function" ? () => runDisposerLater(() => dispose.call(value), "RpcTarget disposer") : null,
    });
    return makeStub(new LocalHook(server), null) as RpcStub;
  }

  /** A new, independently disposable handle to the same capability. */
  dup(): RpcStub {
    const s = checkedState(this, StubState, "RpcStub");
    if (!s.hook) throw new Error("RPC stub used after being disposed.");
    const dup = makeStub(s.hook.addRef(), s.lease?.acquire() ?? null) as RpcStub;
    const owner = contextStore().getStore();
    if (owner) {
      const state = stubStateOf(dup)!;
      state.owner = owner;
      owner.own(state);
    }
    return dup;
  }

  [Symbol.dispose](): void {
    checkedState(this, StubState, "RpcStub").dispose();
  }

  get [Symbol.toStringTag](): string {
    return "JsRpcStub";
  }
}

/** A pipelined property of a stub or promise: call it, read deeper, or await it (getProperty). */
export class RpcProperty {
  then(onFulfilled?: (v: unknown) => unknown, onRejected?: (e: unknown) => unknown): Promise<unknown> {
    const s = checkedState(this, PropertyState, "RpcProperty");
    return promiseOf(call(s.root, s.path, GET_PROPERTY)).then(onFulfilled, onRejected);
  }

  catch(onRejected?: (e: unknown) => unknown): Promise<unknown> {
    return this.then(undefined, onRejected);
  }

  finally(onFinally?: () => void): Promise<unknown> {
    const s = checkedState(this, PropertyState, "RpcProperty");
    return promiseOf(call(s.root, s.path, GET_PROPERTY)).finally(onFinally);
  }

  get [Symbol.toStringTag](): string {
    return "JsRpcProperty";
  }
}

/** The result of an RPC call: a thenable you can also pipeline on and dispose. */
export class RpcPromise {
  then(onFulfilled?: (v: unknown) => unknown, onRejected?: (e: unknown) => unknown): Promise<unknown> {
    return checkedState(this, PromiseState, "RpcPromise").promise.then(onFulfilled, onRejected);
  }

  catch(onRejected?: (e: unknown) => unknown): Promise<unknown> {
    return checkedState(this, PromiseState, "RpcPromise").promise.catch(onRejected);
  }

  finally(onFinally?: () => void): Promise<unknown> {
    return checkedState(this, PromiseState, "RpcPromise").promise.finally(onFinally);
  }

  [Symbol.dispose](): void {
    checkedState(this, PromiseState, "RpcPromise").dispose();
  }

  get [Symbol.toStringTag](): string {
    return "JsRpcPromise";
  }
}

const STUB_TRAPS = new CallableHandler(RpcStub.prototype, false);
const PROPERTY_TRAPS = new CallableHandler(RpcProperty.prototype, true);
const PROMISE_TRAPS = new CallableHandler(RpcPromise.prototype, true);

function makeProperty(root: CallRoot, path: readonly string[]): object {
  return makeCallable(new PropertyState(root, path), PROPERTY_TRAPS);
}

/** A stub over `hook` (takes the reference), holding `lease` (takes it too) until disposed. */
export function makeStub(hook: Hook, lease: Lease | null): object {
  const state = new StubState(hook, lease);
  const stub = makeCallable(state, STUB_TRAPS);
  registerLater(stub, state);
  return stub;
}

/** An object whose string properties call `root` (a service binding), for the hosting layer. */
export function makeRootProperty(root: CallRoot, name: string): object {
  return makeProperty(root, [name]);
}

function makePromise(state: PromiseState): RpcPromise {
  return makeCallable(state, PROMISE_TRAPS) as RpcPromise;
}

function promiseOf(p: RpcPromise): Promise<unknown> {
  return checkedState(p, PromiseState, "RpcPromise").promise;
}

/** Makes one RPC call on `root`. Never throws: failures come back as a rejected RpcPromise. */
export function call(root: CallRoot, path: readonly string[], args: Args): RpcPromise {
  let hook: Hook;
  let lease: Lease | null;
  try {
    ({ hook, lease } = root.hookForCall());
  } catch (err) {
    return makePromise(new PromiseState(null, null, err));
  }
  const caps: (Hook | null)[] = [externalPusherHook()];
  const afterSend: (() => void)[] = [];
  try {
    let argsOut: JsValueOut | null | "getProperty";
    if (args === GET_PROPERTY) argsOut = "getProperty";
    else if (args.length === 0) argsOut = null;
    else argsOut = serializeValue(args, { caps, ownership: "params", context: null, afterSend });
    const handle = hook.call({
      interfaceId: JS_RPC_TARGET,
      methodId: CALL,
      params: { content: writeCallParams({ path, args: argsOut, externalPusherCap: 0 }), caps },
    });
    hook.release();
    for (const f of afterSend) f();
    const state = new PromiseState(handle, lease);
    const owner = contextStore().getStore();
    if (owner) {
      state.owner = owner;
      owner.own(state);
    }
    return makePromise(state);
  } catch (err) {
    hook.release();
    lease?.release();
    releaseAll(caps);
    return makePromise(new PromiseState(null, null, err));
  }
}

export { thrownToRpcError };
