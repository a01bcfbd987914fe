// Where the RPC engine plugs into every host process:
//   - `env.<BINDING>` for a service binding is an RPC-capable binding (core/workers-rpc): RPC over
//     one persistent, reconnecting connection to the target (CONNECT handshake, then capnp), and
//     `fetch()` as plain HTTP to the same address;
//   - each CONNECT connection is served with workerd's bootstrap (WorkerdBootstrap → startEvent →
//     jsRpcSession), on the entrypoint its CONNECT authority names.
import { RpcConnection } from "../../core/rpc/connection.ts";
import { bindingRequest, forEntrypoint } from "../../core/worker/env.ts";
import { makeServiceBinding, ServiceConnection, workerBootstrap } from "../../core/workers-rpc/index.ts";
import type { HostHooks } from "./host.ts";

export const engineHooks: HostHooks = {
  createServiceBinding(service, runtime) {
    const rpc = new ServiceConnection(() => runtime.connectTransport(service.address, service.connectHost, { props: service.props }));
    return makeServiceBinding({
      rpc,
      fetch: (input, init) => runtime.httpFetch(service.address, forEntrypoint(bindingRequest(input, init), service.entrypoint)),
    });
  },
  onRpcConnection(transport, authority, worker, props) {
    const entrypoint = worker.entrypointForAuthority(authority);
    new RpcConnection(transport, {
      bootstrap: workerBootstrap(worker, entrypoint, props),
      onError: (error) => console.error(`edgebind: RPC connection closed: ${error.message}`),
    });
  },
};
