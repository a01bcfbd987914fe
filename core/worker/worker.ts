// A loaded Worker: its entrypoints, its env, and the per-event API that the HTTP server and the
// RPC engine both use. `startEvent` gives the handler for one event — a NEW class instance each
// time, constructed with a fresh ExecutionContext — and `finish()` ends it once its waitUntil
// promises have settled. The Worker counts open events so the host can drain them on shutdown.
import { classifyExports, type Entrypoint } from "./classify.ts";
import { contextStore, EventContext } from "./context.ts";

export interface WorkerEvent {
  /** The object whose methods the event calls: the class instance or the handler object. */
  readonly handler: Record<string, unknown>;
  readonly kind: "class" | "object";
  readonly entrypoint: string;
  readonly ctx: EventContext;
  /** The Worker's env (object handlers receive it as an argument). */
  readonly env: Record<string, unknown>;
  /** Runs `fn` with this event as the current context (module-level `waitUntil` sees it). */
  run<R>(fn: () => R): R;
  /**
   * Ends the event: resolves after every waitUntil promise has settled. Idempotent.
   * `onFinished` runs then too (one promise step sooner than a then() on the result would).
   */
  finish(onFinished?: () => void): Promise<void>;
}

export interface WorkerOptions {
  /** The Worker's module namespace. */
  readonly module: Record<string, unknown>;
  readonly env: Record<string, unknown>;
  /** Used in messages. */
  readonly name?: string;
  /** Where handler errors are reported (default: console.error). */
  readonly onError?: (message: string, error: unknown) => void;
}

/** A request named an entrypoint the Worker does not export. */
export class EntrypointNotFound extends Error {
  override name = "EntrypointNotFound";
}

/** The host's own error responses: workerd's are a bare body, with no Content-Type. */
const text = (status: number, body: string) => new Response(new TextEncoder().encode(body), { status });

/** `instanceof Response`, tolerant of Response classes from another realm or library (undici). */
const isResponse = (value: unknown): value is Response =>
  value instanceof Response ||
  (typeof value === "object" && value !== null && typeof (value as Response).status === "number" &&
    typeof (value as Response).headers === "object" && "body" in value);

export class Worker {
  readonly name: string;
  readonly env: Record<string, unknown>;
  readonly entrypoints: ReadonlyMap<string, Entrypoint>;
  /** Events started and not finished, and who waits for there to be none (idle()). */
  #open = 0;
  #idleWaiters: (() => void)[] = [];
  #onError: (message: string, error: unknown) => void;

  constructor(options: WorkerOptions) {
    this.name = options.name ?? "worker";
    this.env = options.env;
    this.entrypoints = classifyExports(options.module);
    this.#onError = options.onError ?? ((message, error) => console.error(`edgebind: ${message}`, error));
  }

  /**
   * The entrypoint an RPC connection asked for through its CONNECT authority: an exported
   * entrypoint's name selects it, anything else (workerd sends "cappy") the default export.
   */
  entrypointForAuthority(authority: string): string {
    return authority !== "default" && this.entrypoints.has(authority) ? authority : "default";
  }

  /** Starts one event on `entrypoint`. Throws EntrypointNotFound for an unknown name. */
  startEvent(entrypoint = "default", props: Readonly<Record<string, unknown>> = {}): WorkerEvent {
    const ep = this.entrypoints.get(entrypoint);
    if (!ep) {
      throw new EntrypointNotFound(entrypoint === "default"
        ? `Worker "${this.name}" has no default export`
        : `Worker "${this.name}" does not export an entrypoint named "${entrypoint}"`);
    }
    const ctx = new EventContext(props, (error) => this.#onError("a ctx.waitUntil() promise rejected:", error));
    const store = contextStore();
    const run = <R>(fn: () => R): R => store.run(ctx, fn);
    const handler = ep.kind === "class"
      ? run(() => new ep.cls(ctx, this.env) as Record<string, unknown>)
      : ep.handler;
    let finished: Promise<void> | undefined;
    let ended = false;
    let onEnd: (() => void)[] | null = null;
    this.#open++;
    return {
      handler, kind: ep.kind, entrypoint, ctx, env: this.env, run,
      finish: (onFinished?: () => void) => {
        if (onFinished) {
          if (ended) onFinished();
          else (onEnd ??= []).push(onFinished);
        }
        // then(), not finally(): drain() never rejects, and finally() costs two more promises.
        return (finished ??= ctx.drain().then(() => {
          ctx.revoke();
          this.#eventFinished();
          ended = true;
          for (const f of onEnd ?? []) {
            try {
              f();
            } catch (error) {
              this.#onError("finishing an event failed:", error);
            }
          }
          onEnd = null;
        }));
      },
    };
  }

  #eventFinished(): void {
    // A count, not a set of per-event promises: an RPC session is an event, one per call.
    if (--this.#open > 0 || this.#idleWaiters.length === 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Events started and not yet finished (HTTP requests, RPC sessions, their waitUntil). */
  get openEvents(): number {
    return this.#open;
  }

  /** Resolves when no event is open (new events started meanwhile are waited for too). */
  idle(): Promise<void> {
    if (this.#open === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Serves one HTTP request with `entrypoint`'s fetch handler. Never throws: a missing
   * entrypoint is a 404, a missing handler or a throwing one a 500 (logged).
   */
  async fetch(request: Request, entrypoint = "default"): Promise<Response> {
    let event: WorkerEvent;
    try {
      event = this.startEvent(entrypoint);
    } catch (error) {
      if (error instanceof EntrypointNotFound) return text(404, error.message);
      this.#onError(`constructing entrypoint "${entrypoint}" failed:`, error);
      return text(500, "Internal Server Error");
    }
    try {
      const fetch = event.handler.fetch;
      if (typeof fetch !== "function") {
        this.#onError(`entrypoint "${entrypoint}" of Worker "${this.name}" does not export a fetch() handler`, "");
        return text(500, "Handler does not export a fetch() function.");
      }
      const args = event.kind === "class" ? [request] : [request, this.env, event.ctx];
      const response: unknown = await event.run(() => fetch.apply(event.handler, args));
      if (!isResponse(response)) {
        this.#onError(`the fetch() handler of "${entrypoint}" returned ${typeof response}, not a Response`, "");
        return text(500, "Internal Server Error");
      }
      return response;
    } catch (error) {
      this.#onError(`the fetch() handler of "${entrypoint}" threw:`, error);
      return text(500, "Internal Server Error");
    } finally {
      void event.finish();
    }
  }
}
