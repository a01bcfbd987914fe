// The one place where the RPC engine (core/rpc, being written) plugs into every host process.
// Until it lands, service bindings are fetch-only (plain HTTP) and CONNECT is answered 501.
//
// The engine fills in:
//   createServiceBinding(service, runtime): an RPC-capable stub for `env[service.binding]`:
//     RPC calls over `runtime.connectTransport(service.address, service.connectHost)` (one
//     persistent connection per target), `fetch()` over `runtime.httpFetch(service.address, req)`.
//   onRpcConnection(transport, authority, worker): serve WorkerdBootstrap on `transport`; for each
//     startEvent → jsRpcSession, `worker.startEvent(worker.entrypointForAuthority(authority),
//     props)` gives a fresh handler; call its methods inside `event.run(...)` and call
//     `event.finish()` when the session ends (it drains waitUntil).
import type { HostHooks } from "./host.ts";

export const engineHooks: HostHooks = {};
