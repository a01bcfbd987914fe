// Worker hosting, runtime-agnostic: entrypoint classes, execution contexts, export
// classification, the per-event API used by HTTP serving and the RPC engine, and env building.
export { WorkerEntrypoint, DurableObject, WorkflowEntrypoint, isEntrypointClass } from "./entrypoint.ts";
export {
  EventContext, contextStore, setContextStore, waitUntil,
  type ContextStore, type ExecutionContext,
} from "./context.ts";
export { classifyExports, WorkerLoadError, type Entrypoint, type EntrypointClass } from "./classify.ts";
export { Worker, EntrypointNotFound, type WorkerEvent, type WorkerOptions } from "./worker.ts";
export {
  buildEnv, bindingRequest, httpServiceBinding,
  type FetchBinding, type HttpFetch, type ServiceBindingFactory,
} from "./env.ts";
