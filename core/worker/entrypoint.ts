// The `WorkerEntrypoint` base class users extend. As in workerd, the constructor takes
// `(ctx, env)` and stores them as own properties, and the class can be constructed by hand.
// The fields are `declare`d: they are assigned in the constructor on every runtime, as
// workerd's constructor sets them (a [[Set]], which a subclass accessor named `ctx` or `env`
// sees), whatever a runtime does with class fields (Deno defines them first).
// Classes are recognised through a brand on the prototype chain rather than `instanceof`, so
// a Worker that reaches a second copy of this module is still classified correctly.
import type { ExecutionContext } from "./context.ts";

export const ENTRYPOINT_BRAND: unique symbol = Symbol.for("edgebind.WorkerEntrypoint") as never;

export abstract class WorkerEntrypoint<Env = unknown, Props = Record<string, unknown>> {
  static readonly [ENTRYPOINT_BRAND] = true;
  protected declare ctx: ExecutionContext & { readonly props: Props };
  protected declare env: Env;

  constructor(ctx: ExecutionContext, env: Env) {
    this.ctx = ctx as ExecutionContext & { readonly props: Props };
    this.env = env;
  }

  fetch?(request: Request): Response | Promise<Response>;
}

/** True for `WorkerEntrypoint` itself and its subclasses (from any copy of this module). */
export function isEntrypointClass(value: unknown): value is new (ctx: ExecutionContext, env: unknown) => object {
  return typeof value === "function" && (value as unknown as Record<symbol, unknown>)[ENTRYPOINT_BRAND] === true;
}

/**
 * Base classes of `cloudflare:workers` that edgebind does not host (Durable Objects and
 * Workflows need Cloudflare's storage and scheduler). They exist so that a Worker module that
 * declares such classes next to its entrypoints still loads; such exports are not entrypoints.
 */
export abstract class DurableObject<Env = unknown> {
  protected declare ctx: unknown;
  protected declare env: Env;

  constructor(ctx: unknown, env: Env) {
    this.ctx = ctx;
    this.env = env;
  }
}

export abstract class WorkflowEntrypoint<Env = unknown> {
  protected declare ctx: unknown;
  protected declare env: Env;

  constructor(ctx: unknown, env: Env) {
    this.ctx = ctx;
    this.env = env;
  }
}
