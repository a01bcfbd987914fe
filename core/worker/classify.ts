// Which exports of a Worker module are entrypoints, and of what kind, following workerd:
// a class extending WorkerEntrypoint is a "class" entrypoint (new instance per event); any other
// object is an "object" handler (`fetch(request, env, ctx)`, RPC methods get env and ctx
// appended) — a plain object literal, or e.g. a Hono app (`export default app`). The default
// export must be one of the two; other exports that are neither (functions, primitives, Durable
// Object classes the engine may add later) are not entrypoints.
import { isEntrypointClass } from "./entrypoint.ts";
import type { ExecutionContext } from "./context.ts";

export type EntrypointClass = new (ctx: ExecutionContext, env: unknown) => object;

export type Entrypoint =
  | { readonly name: string; readonly kind: "class"; readonly cls: EntrypointClass }
  | { readonly name: string; readonly kind: "object"; readonly handler: Record<string, unknown> };

/** The module cannot be served as a Worker. */
export class WorkerLoadError extends Error {
  override name = "WorkerLoadError";
}

/** Maps export name (`"default"` for the default export) to its entrypoint. */
export function classifyExports(module: Record<string, unknown>): Map<string, Entrypoint> {
  const entrypoints = new Map<string, Entrypoint>();
  for (const [name, value] of Object.entries(module)) {
    if (isEntrypointClass(value)) entrypoints.set(name, { name, kind: "class", cls: value });
    else if (typeof value === "object" && value !== null) entrypoints.set(name, { name, kind: "object", handler: value as Record<string, unknown> });
    else if (name === "default") {
      throw new WorkerLoadError(typeof value === "function"
        ? "the default export is a class or function that does not extend WorkerEntrypoint " +
          "(import { WorkerEntrypoint } from \"cloudflare:workers\")"
        : `the default export must be an object with a fetch() handler or a WorkerEntrypoint class, got ${value === null ? "null" : typeof value}`);
    }
  }
  return entrypoints;
}
