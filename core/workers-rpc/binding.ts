// What `env.NAME` is for a service binding (and what `connect()` returns to a plain script):
// `fetch` sends HTTP, every other string property is an RPC name whose call opens a new session
// on the target (a new entrypoint instance per call), over one shared, reconnecting connection.

import { RpcConnection, type ConnectionOptions } from "../rpc/connection.ts";
import { type Hook, QueueHook } from "../rpc/hooks.ts";
import type { Transport } from "../transport.ts";
import { SessionRoot, type BootstrapSource } from "./session.ts";
import { makeRootProperty } from "./stubs.ts";

/** `env.X instanceof ServiceStub` for service bindings, as in workerd. */
export class ServiceStub {
  get [Symbol.toStringTag](): string {
    return "Fetcher";
  }
}

export interface ServiceBindingOptions {
  rpc: BootstrapSource;
  /** Fetch API semantics to the target's fetch handler (plain HTTP). */
  fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  /** Present on `connect()` results: closes the connection. */
  dispose?: () => void;
}

export function makeServiceBinding(options: ServiceBindingOptions): object {
  const root = new SessionRoot(options.rpc);
  const proto = ServiceStub.prototype;
  const fetch = options.fetch ?? (() => Promise.reject(new TypeError("This binding has no fetch() target.")));
  return new Proxy(Object.create(proto) as object, {
    get(target, prop, receiver) {
      if (prop === "fetch") return fetch;
      if (prop === Symbol.dispose && options.dispose) return options.dispose;
      if (typeof prop === "symbol" || prop in proto) return Reflect.get(target, prop, receiver);
      if (prop === "then") return undefined;
      if (prop === "connect") return () => { throw new TypeError("connect() through a service binding is not supported by edgebind."); };
      return makeRootProperty(root, prop);
    },
    has: (_t, prop) => (typeof prop === "string" ? prop !== "then" : prop in proto),
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
}

export interface ServiceConnectionOptions extends ConnectionOptions {
  /** First retry delay after a failed connect; doubles up to `maxBackoffMs`. Default 50 ms. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * One persistent RPC connection to a target, shared by every call. Opened on first use;
 * after it fails or closes, the next call reconnects (waiting out an exponential backoff).
 */
export class ServiceConnection implements BootstrapSource {
  private connection: RpcConnection | null = null;
  private bootstrapHook: Hook | null = null;
  private pending: QueueHook | null = null;
  private failures = 0;
  private lastFailure = 0;
  private closed = false;

  constructor(
    private readonly open: () => Promise<Transport>,
    private readonly options: ServiceConnectionOptions = {},
  ) {}

  /** The live connection, if any (for stats). */
  get current(): RpcConnection | null {
    return this.connection;
  }

  bootstrap(): Hook {
    if (this.bootstrapHook && this.connection && !this.connection.isClosed) return this.bootstrapHook.addRef();
    if (!this.pending) this.connect();
    return this.pending!.addRef();
  }

  private connect(): void {
    const pending = new QueueHook();
    this.pending = pending;
    const backoff = this.failures === 0 ? 0 : Math.min(
      (this.options.backoffMs ?? 50) * 2 ** (this.failures - 1),
      this.options.maxBackoffMs ?? 5000,
    );
    const wait = Math.max(0, this.lastFailure + backoff - Date.now());
    const attempt = async () => {
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (this.closed) throw new Error("The service connection was closed.");
      return this.open();
    };
    attempt().then(
      (transport) => {
        if (this.closed) {
          transport.close();
          pending.reject(new Error("The service connection was closed."));
          return;
        }
        const connection = new RpcConnection(transport, this.options);
        this.failures = 0;
        this.connection = connection;
        this.bootstrapHook = connection.bootstrap();
        this.pending = null;
        pending.resolve(this.bootstrapHook.addRef());
        pending.release();
        void connection.closed().then(() => this.dropConnection(connection));
      },
      (err: unknown) => {
        this.failures++;
        this.lastFailure = Date.now();
        this.pending = null;
        const error = err instanceof Error ? err : new Error(String(err));
        (error as Error & { retryable?: boolean }).retryable = true;
        pending.reject(error);
        pending.release();
      },
    );
  }

  private dropConnection(connection: RpcConnection): void {
    if (this.connection !== connection) return;
    this.connection = null;
    this.bootstrapHook?.release();
    this.bootstrapHook = null;
    this.failures = 1;
    this.lastFailure = Date.now();
  }

  close(): void {
    this.closed = true;
    const connection = this.connection;
    this.bootstrapHook?.release();
    this.bootstrapHook = null;
    this.connection = null;
    connection?.close();
  }
}
