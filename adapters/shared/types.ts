// The per-runtime primitives the host needs. Each of adapters/{node,deno,bun}/index.ts exports
// one `RuntimeAdapter`, and `#runtime` (package.json "imports" conditions) picks the right one
// statically: deno → adapters/deno, bun → adapters/bun, anything else → adapters/node. No runtime
// sniffing, and other runtimes' code is never in the import graph.
import type { RuntimeName } from "../../core/config/types.ts";
import type { Address } from "../../core/config/address.ts";
import type { Transport } from "../../core/transport.ts";
import type { ContextStore } from "../../core/worker/context.ts";
import type { HttpFetch } from "../../core/worker/env.ts";
import type { ConnectOptions } from "./connect-transport.ts";
import type { ServeOptions, Server } from "./server.ts";

export interface RuntimeAdapter {
  readonly name: RuntimeName;
  /** Listens on one address for HTTP and CONNECT (RPC). */
  serve(options: ServeOptions): Promise<Server>;
  /** Opens an RPC transport to a Worker: CONNECT handshake, then raw bytes. */
  connectTransport(address: Address, connectHost: string, options?: ConnectOptions): Promise<Transport>;
  /** Plain HTTP/1.1 to an address, for `env.X.fetch()`. */
  httpFetch: HttpFetch;
  /** Closes pooled client connections (binding fetch) at shutdown. */
  closeClients(): Promise<void>;
  /** Async-context storage so module-level `waitUntil` finds the current event. */
  createContextStore(): ContextStore;
}
