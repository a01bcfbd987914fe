// ExecutionContext (`ctx` in handlers) and the "current context" used by the module-level
// `waitUntil` from `cloudflare:workers`.
//
// Which context is current across `await`s needs async context tracking. `AsyncLocalStorage`
// (node:async_hooks) does that on Node, Deno and Bun, but core/ stays web-standard, so the host
// injects it through `setContextStore`. Until then a synchronous store is used: it knows the
// context only during the synchronous part of a handler call, which is enough for tests and is
// never wrong (outside it `waitUntil` throws rather than attach to the wrong event).
// The store lives in a global slot so that two copies of this module (say, one reached through
// a Worker's own node_modules) still agree on it.

/** What a Worker sees as `ctx` / `this.ctx`. */
export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
  readonly props: Readonly<Record<string, unknown>>;
}

/** Async-context storage; `AsyncLocalStorage` satisfies it. */
export interface ContextStore {
  run<R>(context: EventContext, fn: () => R): R;
  getStore(): EventContext | undefined;
}

const SETTLED: Promise<void> = Promise.resolve();

/** The ExecutionContext of one event (one HTTP request, or one RPC session). */
export class EventContext implements ExecutionContext {
  readonly props: Readonly<Record<string, unknown>>;
  // Made on first use: most RPC sessions never wait on anything nor own a stub.
  #pending: Set<Promise<unknown>> | null = null;
  #owned: Set<Disposable> | null = null;
  #passThrough = false;
  #onError: (error: unknown) => void;

  constructor(props: Readonly<Record<string, unknown>> = {}, onError: (error: unknown) => void = logWaitUntilError) {
    this.props = props;
    this.#onError = onError;
  }

  /** Keeps the event alive until `promise` settles; a rejection is logged, never thrown. */
  waitUntil(promise: Promise<unknown>): void {
    const pending = (this.#pending ??= new Set());
    const tracked: Promise<unknown> = Promise.resolve(promise).then(
      () => pending.delete(tracked),
      (error: unknown) => { pending.delete(tracked); this.#onError(error); },
    );
    pending.add(tracked);
  }

  /** Recorded for inspection; a self-hosted Worker has no origin to fall through to. */
  passThroughOnException(): void {
    this.#passThrough = true;
  }

  get passThrough(): boolean {
    return this.#passThrough;
  }

  /** How many `waitUntil` promises are still pending. */
  get pending(): number {
    return this.#pending?.size ?? 0;
  }

  /** Resolves once every `waitUntil` promise has settled, including ones added while waiting. */
  drain(): Promise<void> {
    // Nothing pending is the common case (an RPC session per call): no async function for it.
    const pending = this.#pending;
    return pending === null || pending.size === 0 ? SETTLED : this.#drainPending(pending);
  }

  async #drainPending(pending: Set<Promise<unknown>>): Promise<void> {
    while (pending.size > 0) await Promise.all(pending);
  }

  /**
   * Ties an RPC resource (a call's promise, a duplicated stub) to this event: whatever is still
   * undisposed when the event ends is disposed then, as workerd revokes a context's stubs.
   */
  own(resource: Disposable): void {
    (this.#owned ??= new Set()).add(resource);
  }

  disown(resource: Disposable): void {
    this.#owned?.delete(resource);
  }

  /** Disposes every resource still owned (the event has ended). */
  revoke(): void {
    if (this.#owned === null) return;
    const owned = [...this.#owned];
    this.#owned.clear();
    for (const resource of owned) {
      try {
        resource[Symbol.dispose]();
      } catch (error) {
        this.#onError(error);
      }
    }
  }
}

function logWaitUntilError(error: unknown): void {
  console.error("edgebind: a ctx.waitUntil() promise rejected:", error);
}

/** Knows the current context only while `fn` runs synchronously. */
class SyncContextStore implements ContextStore {
  #current: EventContext | undefined;
  run<R>(context: EventContext, fn: () => R): R {
    const outer = this.#current;
    this.#current = context;
    try {
      return fn();
    } finally {
      this.#current = outer;
    }
  }
  getStore(): EventContext | undefined {
    return this.#current;
  }
}

const SLOT = Symbol.for("edgebind.contextStore");
type Slot = { [SLOT]?: ContextStore };

/** Installs the async-context storage (hosts pass `new AsyncLocalStorage()`). */
export function setContextStore(store: ContextStore): void {
  (globalThis as Slot)[SLOT] = store;
}

export function contextStore(): ContextStore {
  return ((globalThis as Slot)[SLOT] ??= new SyncContextStore());
}

/** The module-level `waitUntil` of `cloudflare:workers`: attaches to the current event. */
export function waitUntil(promise: Promise<unknown>): void {
  const context = contextStore().getStore();
  if (!context) throw new Error("Disallowed operation called within global scope.");
  context.waitUntil(promise);
}
