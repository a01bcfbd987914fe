// The `edgebind` package entry: `connect()` for plain scripts, and the Workers RPC classes.
export { connect, type ConnectOptions } from "./connect.ts";
export { RpcTarget, RpcStub, RpcPromise, RpcProperty, ServiceStub } from "../core/workers-rpc/index.ts";
export { WorkerEntrypoint } from "../core/worker/index.ts";
