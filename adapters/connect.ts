// `connect()` for plain scripts on any runtime: a stub for a Worker's entrypoint at an address,
// used exactly like a service binding (`await svc.add(1, 2)`, `svc.fetch(request)`), closed with
// `svc[Symbol.dispose]()`.
import { runtime } from "#runtime";
import { DEFAULT_CONNECT_HOST } from "../core/config/types.ts";
import { parseAddress } from "../core/config/address.ts";
import { bindingRequest, forEntrypoint } from "../core/worker/env.ts";
import { makeServiceBinding, ServiceConnection } from "../core/workers-rpc/index.ts";

export interface ConnectOptions {
  /** The entrypoint to call (an exported WorkerEntrypoint's name); default: the default export. */
  entrypoint?: string;
  /**
   * The CONNECT authority to send. By default the entrypoint's name (how an edgebind host picks
   * it); set it when the target is a workerd socket, whose `capnpConnectHost` must match.
   */
  connectHost?: string;
  /** Give up on connecting (and the CONNECT handshake) after this long. Default 10 s. */
  timeoutMs?: number;
  /** What the target sees as `this.ctx.props` (edgebind targets only). */
  props?: Record<string, unknown>;
}

/** A Disposable stub for the Worker entrypoint at `address` (`unix:/path` or `host:port`). */
export function connect(address: string, options: ConnectOptions = {}): any {
  const target = parseAddress(address);
  const connectHost = options.connectHost ?? options.entrypoint ?? DEFAULT_CONNECT_HOST;
  const rpc = new ServiceConnection(() => runtime.connectTransport(target, connectHost, { timeoutMs: options.timeoutMs, props: options.props }));
  return makeServiceBinding({
    rpc,
    fetch: (input, init) => runtime.httpFetch(target, forEntrypoint(bindingRequest(input, init), options.entrypoint)),
    dispose: () => rpc.close(),
  });
}
