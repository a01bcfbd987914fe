// Node's runtime adapter (the `default` of `#runtime`): node:http + @hono/node-server for
// serving, node:net transports, undici for binding fetch, AsyncLocalStorage for the current
// event (adapters/shared/node-compat.ts).
import { nodeCompat } from "../shared/node-compat.ts";
import type { RuntimeAdapter } from "../shared/types.ts";

export const runtime: RuntimeAdapter = { name: "node", ...nodeCompat };
