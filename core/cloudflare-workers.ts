// The module Worker code gets for `import ... from "cloudflare:workers"` on every runtime
// (Node: adapters/node/resolve-hook.mjs; Deno: adapters/deno/import-map.json; Bun:
// adapters/bun/preload.ts). Same names and shapes as workerd's, so Workers run unmodified.
export { WorkerEntrypoint, waitUntil } from "./worker/index.ts";
export type { ExecutionContext } from "./worker/index.ts";

// engine exports are added here: the RPC object model lives in core/rpc/ (being written), e.g.
// export { RpcTarget, RpcStub, RpcPromise, RpcProperty } from "./rpc/...";
// export { ServiceStub } from "./rpc/...";
// export { DurableObject } from "./rpc/...";
