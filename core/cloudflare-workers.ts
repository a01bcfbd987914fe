// The module Worker code gets for `import ... from "cloudflare:workers"` on every runtime
// (Node: adapters/node/resolve-hook.mjs; Deno: adapters/deno/import-map.json; Bun:
// adapters/bun/preload.ts). Same names and shapes as workerd's, so Workers run unmodified.
export { WorkerEntrypoint, DurableObject, WorkflowEntrypoint, waitUntil } from "./worker/index.ts";
export type { ExecutionContext } from "./worker/index.ts";
export { RpcTarget, RpcStub, RpcPromise, RpcProperty, ServiceStub } from "./workers-rpc/index.ts";
