// Workers RPC on the engine: the object model users see, sessions, and service bindings.
export { RpcTarget } from "./rpc-target.ts";
export { RpcStub, RpcProperty, RpcPromise } from "./stubs.ts";
export { ServiceStub, makeServiceBinding, ServiceConnection, type ServiceBindingOptions, type ServiceConnectionOptions } from "./binding.ts";
export { workerBootstrap, openSession, SessionRoot, type EntrypointHost, type HostedEvent, type BootstrapSource } from "./session.ts";
