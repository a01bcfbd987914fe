// Capabilities as the engine sees them ("hooks", after ClientHook in Cap'n Proto's rpc.c++).
// A Hook is reference counted by hand: JS has no destructors, so every holder calls release()
// exactly once for every reference it owns (the first one comes with construction, more with
// addRef()). Remote hooks send Release to the peer when their count reaches zero.
//
// Two entry points exist because a call's parameters come in two shapes: from local code they
// are a content *writer* (call), from the wire a content *reader* (deliver). Each hook takes the
// shape it can use without a copy and converts the other (see content.ts).

import type { AnyPointerReader, AnyPointerWriter } from "../../protocol/capnp/layout.ts";
import type { PromisedAnswerOp } from "../../protocol/rpc-model.ts";
import { inToOut, outToIn } from "./content.ts";
import { RpcError } from "./errors.ts";

/** Content to send plus the capabilities it points at (by index). The taker owns the caps. */
export interface OutPayload {
  content: AnyPointerWriter | null;
  caps: (Hook | null)[];
  /** Which cap (index into `caps`) a pipelined path reaches; absent means no pipelining. */
  pipelineCap?(ops: readonly PromisedAnswerOp[]): number | null;
}

/** Content received plus its capabilities. Whoever holds it owns the caps. */
export interface InPayload {
  content: AnyPointerReader | null;
  caps: (Hook | null)[];
}

export interface OutCall {
  interfaceId: bigint;
  methodId: number;
  params: OutPayload;
}

export interface InCall {
  interfaceId: bigint;
  methodId: number;
  params: InPayload;
  /** The connection the call arrived on (absent for local calls). */
  origin?: object;
  /** What the server's prepare() read of the params, in its own form (CapServer.prepare). */
  prepared?: unknown;
}

/** A call's results; the one who awaited them owns this object and must release() it. */
export abstract class Results {
  /** The results for reading. The caps stay owned by this object: addRef() what you keep. */
  abstract readonly in: InPayload;
  /**
   * The results for sending on: a writer plus the caps, which stay owned by this object (the
   * connection describes them into a Return and keeps the results until the Finish).
   */
  abstract outgoing(): OutPayload;
  /** A new reference to the capability at `ops`. */
  abstract pipelineCap(ops: readonly PromisedAnswerOp[]): Hook;
  abstract release(): void;
  /**
   * The connection has put outgoing()'s content into a Return and keeps these results only for
   * pipelineCap() and release() until the Finish: the content may be let go.
   */
  returned(): void {}
}

export interface CallHandle {
  /** Resolves to the results, owned by the caller from then on. Call at most once. */
  results(): Promise<Results>;
  /** A new reference to a capability that the results will contain at `ops` (pipelining). */
  pipeline(ops: readonly PromisedAnswerOp[]): Hook;
  /**
   * The caller is done with this call. Before the results arrive this cancels it (unless
   * pipelined capabilities are still in use); results that arrive later are released.
   */
  release(): void;
  /**
   * Instead of results(): tells `listener` once the call settles, without a promise where the
   * handle can (the connection answers every incoming call this way).
   */
  settle?(listener: SettleListener): void;
  /**
   * Makes `call` on the capability at `ops` in the results, as `pipeline(ops)` + `call` +
   * `release` would, without the pipelined hook where the handle can (see callPipelined).
   */
  pipelineCall?(ops: readonly PromisedAnswerOp[], call: OutCall): CallHandle;
}

/** One call on a capability the results of `handle` will hold at `ops` (pipelining). */
export function callPipelined(handle: CallHandle, ops: readonly PromisedAnswerOp[], call: OutCall): CallHandle {
  if (handle.pipelineCall) return handle.pipelineCall(ops, call);
  const target = handle.pipeline(ops);
  const result = target.call(call);
  target.release();
  return result;
}

/**
 * Where settle() reports a call's outcome: an object with two methods rather than two closures
 * (the connection's Answer is its own listener: nothing is allocated per incoming call for it).
 */
export interface SettleListener {
  onResults(results: Results): void;
  onError(error: unknown): void;
}

/** results().then(onResults, onError), or the handle's own promise-free settle(). */
export function settleCall(handle: CallHandle, listener: SettleListener): void {
  if (handle.settle) handle.settle(listener);
  else handle.results().then((results) => listener.onResults(results), (err: unknown) => listener.onError(err));
}

/**
 * An already-resolved promise to hang a one-step yield on: `RESOLVED.then(f)` runs `f` exactly
 * when `Promise.resolve().then(f)` or `queueMicrotask(f)` would, at the cost of one promise
 * (Node's queueMicrotask makes an AsyncResource per call, several times dearer).
 */
export const RESOLVED: Promise<void> = Promise.resolve();

export abstract class Hook {
  // Assigned in the constructor, not by a field initialiser: every kind of hook runs this on its
  // own object shape, and the megamorphic field definition showed at ~5% of a call's CPU.
  private declare refcount: number;
  /**
   * Bookkeeping for one connection that exports this hook (see ExportIndex in connection.ts):
   * that connection and the export id there, kept on the hook so that exporting a capability
   * per call needs no hash table.
   */
  declare exportOwner: object | null;
  declare exportSlot: number;

  constructor() {
    this.refcount = 1;
    this.exportOwner = null;
    this.exportSlot = -1;
  }

  get refs(): number {
    return this.refcount;
  }

  addRef(): this {
    if (this.refcount <= 0) throw new RpcError("Capability used after it was released.");
    this.refcount++;
    return this;
  }

  release(): void {
    if (this.refcount <= 0) return;
    if (--this.refcount === 0) this.destroy();
  }

  /** Runs once, when the last reference is released. */
  protected destroy(): void {}

  /** The connection whose peer hosts this capability, or null when it is local. */
  get brand(): object | null {
    return null;
  }

  /**
   * The local object that answers this capability's calls, if delivering a call to it is
   * exactly dispatching it there (LocalHook, and wrappers that only forward): the connection
   * then serves a call from the wire itself, without a call handle in between.
   */
  get localServer(): CapServer | null {
    return null;
  }

  /** True while this capability is a promise that may still resolve to another one. */
  get isPromise(): boolean {
    return false;
  }

  /** What this promise resolved to (one step), or null. */
  get resolution(): Hook | null {
    return null;
  }

  /** For promises: settles when `resolution` is set (never rejects). */
  whenResolved(): Promise<void> | null {
    return null;
  }

  /**
   * For promises: runs `callback` as a microtask once `resolution` is set, exactly when
   * `whenResolved().then(callback)` would. Returns false (and never calls it) if not a promise.
   */
  onResolved(callback: () => void): boolean {
    const promise = this.whenResolved();
    if (promise === null) return false;
    void promise.then(callback);
    return true;
  }

  /** Withdraws a callback given to onResolved() that has not run yet, where the hook can. */
  offResolved(_callback: () => void): void {}

  abstract call(call: OutCall): CallHandle;
  abstract deliver(call: InCall): CallHandle;
}

/** Follows promise resolutions to the most resolved hook (no new reference). */
export function mostResolved(hook: Hook): Hook {
  let h = hook;
  for (let r = h.resolution; r !== null; r = h.resolution) h = r;
  return h;
}

export function releaseAll(caps: readonly (Hook | null)[]): void {
  for (const cap of caps) cap?.release();
}

// ---------------------------------------------------------------------------------------------
// Local capabilities

export interface ServerCall {
  readonly interfaceId: bigint;
  readonly methodId: number;
  /** Owned by the engine: released when the call settles. addRef() any cap you keep. */
  readonly params: InPayload;
  /** The connection the call arrived on (a hook whose `brand` is this lives on the caller's side). */
  readonly origin?: object;
  /** Set by the server's own prepare(), if it read the params early (CapServer.prepare). */
  prepared?: unknown;
}

/** An object that answers calls: our side of an exported capability. */
export interface CapServer {
  dispatch(call: ServerCall): OutPayload | Promise<OutPayload>;
  /** The last reference to the capability is gone (the peer released it, or local code did). */
  shutdown?(): void;
  /**
   * True if dispatch() always returns (or throws) synchronously and runs no user code (only
   * WorkerdBootstrap.startEvent): such a call is answered on delivery, without the yield, and
   * calls pipelined on its results go straight to their target instead of through a QueueHook.
   */
  readonly immediate?: boolean;
  /**
   * Instead of dispatch(), where a server can: reports the outcome to `done` rather than through
   * a promise of its own (one promise and one step fewer per call). It must not report before
   * returning: `done` hears of it at least one promise step later.
   */
  dispatchTo?(call: ServerCall, done: OutcomeListener): void;
  /**
   * Called on delivery, before the yield, for a call whose params were read in place from a
   * transient chunk (their bytes are reused once the message is handled): reads what the
   * dispatch will need of them now, if the server can, and returns true; `call.params.content`
   * is then not read again (the connection drops it rather than copy it). No user code may run.
   */
  prepare?(call: ServerCall): boolean;
  /**
   * prepare() for a call pipelined on the results of a call this server is computing, on behalf
   * of the server those results will lead it to at `ops` (one whose kind this server knows in
   * advance), or false.
   */
  preparePipelined?(ops: readonly PromisedAnswerOp[], call: ServerCall): boolean;
}

/** Where a server's outcome for one call goes (CapServer.dispatchTo, dispatchLater). */
export interface OutcomeListener {
  answered(out: OutPayload): void;
  failed(error: unknown): void;
}

/**
 * Runs `call` on an immediate server (CapServer.immediate): answered on delivery, no yield and
 * no promise. The call's capabilities are released.
 */
export function dispatchNow(server: CapServer, call: ServerCall): { results: Results } | { error: unknown } {
  let outcome: { results: Results } | { error: unknown };
  try {
    outcome = { results: new LocalResults(server.dispatch(call) as OutPayload) };
  } catch (error) {
    outcome = { error };
  }
  releaseAll(call.params.caps);
  return outcome;
}

/**
 * Runs `call` on `server` and reports the outcome to `done`: one promise step after a
 * synchronous answer (or throw), or as soon as a promised answer settles. Callers yield once
 * before this, as workerd does, so that a caller's synchronous code finishes first.
 */
export function dispatchLater(server: CapServer, call: ServerCall, done: OutcomeListener): void {
  if (server.dispatchTo !== undefined) {
    server.dispatchTo(call, done);
    return;
  }
  let out: OutPayload | Promise<OutPayload>;
  try {
    out = server.dispatch(call);
  } catch (err) {
    void RESOLVED.then(() => done.failed(err));
    return;
  }
  if (typeof (out as { then?: unknown }).then === "function") {
    (out as Promise<OutPayload>).then((o) => done.answered(o), (err: unknown) => done.failed(err));
  } else {
    void RESOLVED.then(() => done.answered(out as OutPayload));
  }
}

/** Results produced locally; converted to a reader only if a local caller asks. */
export class LocalResults extends Results {
  private reader: InPayload | null = null;
  private released = false;
  /** The results as given; null once their content has gone out in a Return (returned()). */
  private out: OutPayload | null;
  private readonly caps: OutPayload["caps"];
  private readonly pipelineIndex: OutPayload["pipelineCap"];

  constructor(out: OutPayload) {
    super();
    this.out = out;
    this.caps = out.caps;
    this.pipelineIndex = out.pipelineCap;
  }

  get in(): InPayload {
    const out = this.out;
    if (out === null) throw new Error("internal: results read after their content went out in a Return");
    return (this.reader ??= outToIn({ content: out.content, caps: out.caps.map(addRefOrNull) }));
  }

  outgoing(): OutPayload {
    if (this.out === null) throw new Error("internal: results sent twice");
    return this.out;
  }

  /**
   * An answer keeps its results until the Finish, a round trip after the Return; their content
   * (a 64 KiB value's encoding, say) is not read again, and holding it kept every answer's value
   * reachable while calls were in flight (4 MB with 64 echo64k calls in flight).
   */
  override returned(): void {
    if (this.reader === null) this.out = null; // else read here too, and perhaps read again
  }

  pipelineCap(ops: readonly PromisedAnswerOp[]): Hook {
    const index = this.pipelineIndex?.(ops) ?? null;
    const cap = index === null ? null : this.caps[index];
    if (!cap) return new BrokenHook(new RpcError("Pipelined path does not lead to a capability."));
    return cap.addRef();
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    releaseAll(this.caps);
    if (this.reader) releaseAll(this.reader.caps);
  }
}

function addRefOrNull(h: Hook | null): Hook | null {
  return h ? h.addRef() : null;
}

/** A capability served by a local object. */
export class LocalHook extends Hook {
  constructor(readonly server: CapServer) {
    super();
  }

  override get localServer(): CapServer | null {
    return this.server;
  }

  call(call: OutCall): CallHandle {
    return this.deliver({ interfaceId: call.interfaceId, methodId: call.methodId, params: outToIn(call.params) });
  }

  deliver(call: InCall): CallHandle {
    const server = this.server;
    if (server.immediate === true) return SettlingCallHandle.of(dispatchNow(server, call));
    // Yield once before entering the server, as workerd does, so that a caller's synchronous
    // code finishes first; calls still start in the order they were delivered (E-order).
    // The handle settles without a promise of its own (see dispatchLater).
    const handle = SettlingCallHandle.pending();
    const done: OutcomeListener = {
      answered(out) {
        releaseAll(call.params.caps);
        handle.resolve(new LocalResults(out));
      },
      failed(err) {
        releaseAll(call.params.caps);
        handle.reject(err);
      },
    };
    void RESOLVED.then(() => dispatchLater(server, call, done));
    return handle;
  }

  protected override destroy(): void {
    this.server.shutdown?.();
  }
}

/**
 * A handle over results already known (`SettlingCallHandle.of`, a server that answered on
 * delivery) or over an outcome that comes later through resolve()/reject() (`pending()`, a
 * local call). No promise is made unless someone asks for the results.
 */
export class SettlingCallHandle implements CallHandle {
  private taken = false;
  private released = false;
  private settled: Results | null = null;
  private failed = false;
  private failure: unknown = null;
  private waiting: { ops: readonly PromisedAnswerOp[]; hook: QueueHook }[] | null = [];
  private listener: SettleListener | null = null;

  private constructor() {}

  /** A handle whose outcome comes later, through resolve() or reject() (no promise). */
  static pending(): SettlingCallHandle {
    return new SettlingCallHandle();
  }

  /** A handle whose outcome is known now: `results`, or the error a synchronous server threw. */
  static of(outcome: { results: Results } | { error: unknown }): SettlingCallHandle {
    const handle = new SettlingCallHandle();
    if ("results" in outcome) handle.resolve(outcome.results);
    else handle.reject(outcome.error);
    return handle;
  }

  results(): Promise<Results> {
    if (this.taken) throw new Error("results() may be called once");
    return new Promise((resolve, reject) => this.settle({ onResults: resolve, onError: reject }));
  }

  // Settled already (a server that answered on delivery): at once. Otherwise when resolve() or
  // reject() is called.
  settle(listener: SettleListener): void {
    if (this.taken) throw new Error("results() may be called once");
    this.taken = true;
    if (this.failed) listener.onError(this.failure);
    else if (this.settled) listener.onResults(this.settled);
    else if (this.waiting === null) listener.onError(new RpcError("The results were already released."));
    else this.listener = listener;
  }

  pipeline(ops: readonly PromisedAnswerOp[]): Hook {
    if (this.waiting === null) return this.resolvePipeline(ops);
    const hook = new QueueHook();
    this.waiting.push({ ops, hook: hook.addRef() });
    return hook;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    if (this.settled && !this.taken) {
      this.settled.release();
      this.settled = null;
    }
  }

  /** Settles a pending() handle with results (taking them). */
  resolve(results: Results): void {
    if (this.released && !this.taken) results.release();
    else this.settled = results;
    this.flush();
    const listener = this.listener;
    this.listener = null;
    listener?.onResults(results);
  }

  /** Settles a pending() handle with an error. */
  reject(err: unknown): void {
    this.failed = true;
    this.failure = err;
    this.flush();
    const listener = this.listener;
    this.listener = null;
    listener?.onError(err);
  }

  private resolvePipeline(ops: readonly PromisedAnswerOp[]): Hook {
    if (this.failed) return new BrokenHook(this.failure);
    if (this.settled) return this.settled.pipelineCap(ops);
    // The results were taken and released already: nothing left to pipeline on.
    return new BrokenHook(new RpcError("Pipelined call on results that were already released."));
  }

  private flush(): void {
    const waiting = this.waiting ?? [];
    this.waiting = null;
    for (const { ops, hook } of waiting) {
      hook.resolve(this.resolvePipeline(ops));
      hook.release();
    }
  }
}

/** A capability whose every call fails. */
export class BrokenHook extends Hook {
  readonly #error: unknown;

  constructor(error: unknown) {
    super();
    this.#error = error;
  }

  get error(): unknown {
    return this.#error;
  }

  call(call: OutCall): CallHandle {
    releaseAll(call.params.caps);
    return this.failed();
  }

  deliver(call: InCall): CallHandle {
    releaseAll(call.params.caps);
    return this.failed();
  }

  private failed(): CallHandle {
    return SettlingCallHandle.of({ error: this.error });
  }
}

/** The null capability: what a promise resolves to when it settles to "nothing" (`none`). */
export class NullHook extends BrokenHook {
  constructor() {
    super(null);
  }

  // The error is made only if someone calls: null capabilities are common (every finished
  // session resolves to one) and calls on them are rare.
  override get error(): unknown {
    return new RpcError("Called a null capability.");
  }
}

/**
 * A local promise for a capability: calls queue, in order, until resolve() names the target.
 * Used for answers still being computed, embargoes, and promises we export.
 */
export class QueueHook extends Hook {
  private target: Hook | null = null;
  private queue: { call: OutCall | InCall; wire: boolean; handle: DeferredCallHandle }[] = [];
  private waiters: Waiter[] = [];

  override get isPromise(): boolean {
    return this.target === null;
  }

  override get resolution(): Hook | null {
    return this.target;
  }

  override whenResolved(): Promise<void> | null {
    if (this.target) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  // Without the two promises of whenResolved().then(): the callback is queued at the moment the
  // promise's reaction would be, so it runs at the same point (once per exported session).
  override onResolved(callback: () => void): boolean {
    if (this.target) {
      void RESOLVED.then(callback);
    } else {
      const waiter: Waiter = () => void RESOLVED.then(callback);
      waiter.callback = callback;
      this.waiters.push(waiter);
    }
    return true;
  }

  // An exported promise the peer released withdraws its pending Resolve: released with nothing
  // waiting, the promise is then simply dropped (once per Workers RPC session).
  override offResolved(callback: () => void): void {
    const waiters = this.waiters;
    const i = waiters.findIndex((w) => w.callback === callback);
    if (i < 0) return;
    // Usually the only one (a session's Resolve): pop rather than splice.
    if (i === waiters.length - 1) waiters.pop();
    else waiters.splice(i, 1);
  }

  call(call: OutCall): CallHandle {
    if (this.target) return this.target.call(call);
    const handle = new DeferredCallHandle();
    this.queue.push({ call, wire: false, handle });
    return handle;
  }

  deliver(call: InCall): CallHandle {
    if (this.target) return this.target.deliver(call);
    const handle = new DeferredCallHandle();
    this.queue.push({ call, wire: true, handle });
    return handle;
  }

  /** Settles the promise; takes ownership of `target`. Queued calls go out in order. */
  resolve(target: Hook): void {
    if (this.target) {
      target.release();
      return;
    }
    this.target = target;
    const queue = this.queue;
    this.queue = [];
    for (const { call, wire, handle } of queue) {
      handle.attach(wire ? target.deliver(call as InCall) : target.call(call as OutCall));
    }
    for (const w of this.waiters.splice(0)) w();
  }

  reject(error: unknown): void {
    this.resolve(new BrokenHook(error));
  }

  protected override destroy(): void {
    if (this.target) {
      this.target.release();
    } else if (this.queue.length === 0 && this.waiters.length === 0) {
      this.target = RELEASED; // nothing waits on it; later resolve() calls drop their target
    } else {
      // Nobody can reach the queued calls' eventual target any more; fail them. With no queued
      // call (only waiters, such as an exported promise's pending Resolve, which happens once
      // per Workers RPC session) the error is made only if someone calls: an Error captures a
      // stack trace, which cost ~10% of a call's CPU when made eagerly.
      this.resolve(this.queue.length === 0 ? new ReleasedHook() : new BrokenHook(new RpcError(RELEASED_BEFORE_RESOLVED)));
      (this.target as Hook | null)?.release();
    }
  }
}

const RELEASED_BEFORE_RESOLVED = "Promise capability released before it resolved.";

/** Something waiting for a QueueHook to resolve; `callback`: the onResolved() callback it runs. */
type Waiter = (() => void) & { callback?: () => void };

/** What a released, unresolved QueueHook with waiters resolves to: broken, its error made lazily. */
class ReleasedHook extends BrokenHook {
  constructor() {
    super(null);
  }

  override get error(): unknown {
    return new RpcError(RELEASED_BEFORE_RESOLVED);
  }
}

/** What a released, unresolved QueueHook points at (shared; never released itself). */
const RELEASED: Hook = new NullHook();

/** A call handle whose real call does not exist yet (queued on a promise). */
export class DeferredCallHandle implements CallHandle {
  private inner: CallHandle | null = null;
  private released = false;
  private listener: SettleListener | null = null;
  private pipelines: { ops: readonly PromisedAnswerOp[]; hook: QueueHook }[] = [];

  attach(inner: CallHandle): void {
    this.inner = inner;
    for (const { ops, hook } of this.pipelines.splice(0)) {
      hook.resolve(inner.pipeline(ops));
      hook.release();
    }
    if (this.listener) settleCall(inner, this.listener);
    this.listener = null;
    if (this.released) inner.release();
  }

  results(): Promise<Results> {
    if (this.inner) return this.inner.results();
    return new Promise((resolve, reject) => this.settle({ onResults: resolve, onError: reject }));
  }

  settle(listener: SettleListener): void {
    if (this.inner) settleCall(this.inner, listener);
    else this.listener = listener;
  }

  pipeline(ops: readonly PromisedAnswerOp[]): Hook {
    if (this.inner) return this.inner.pipeline(ops);
    const hook = new QueueHook();
    this.pipelines.push({ ops, hook: hook.addRef() });
    return hook;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.inner?.release();
  }
}

/** Converts a received call into one we can send on (used when forwarding to a remote). */
export function toOutCall(call: InCall): OutCall {
  return { interfaceId: call.interfaceId, methodId: call.methodId, params: inToOut(call.params) };
}

/**
 * A hook for making calls on the capability at `ops` in a call's pending results, each passed
 * on as it comes (callPipelined): no pipelined hook to make, track and resolve. It holds no
 * reference: whoever holds `handle` keeps it while this is used.
 */
export class PipelinedCalls extends Hook {
  constructor(
    private readonly handle: CallHandle | { pipelineCall(ops: readonly PromisedAnswerOp[], call: OutCall): CallHandle },
    private readonly ops: readonly PromisedAnswerOp[],
  ) {
    super();
  }

  call(call: OutCall): CallHandle {
    const handle = this.handle;
    return handle.pipelineCall ? handle.pipelineCall(this.ops, call) : callPipelined(handle as CallHandle, this.ops, call);
  }

  deliver(call: InCall): CallHandle {
    return this.call(toOutCall(call));
  }
}
