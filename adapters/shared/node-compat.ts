// The node:* building blocks that behave the same on Node, Deno and Bun. Each runtime adapter
// starts from these and replaces a piece where its native API measures better.
import { AsyncLocalStorage } from "node:async_hooks";
import "./brand-checks.ts";
import type { EventContext } from "../../core/worker/context.ts";
import { connectTransport } from "./connect-transport.ts";
import { closeHttpAgents, httpFetch } from "./http-fetch.ts";
import { serveNodeHttp } from "./server.ts";
import type { RuntimeAdapter } from "./types.ts";

export const nodeCompat: Omit<RuntimeAdapter, "name"> = {
  serve: serveNodeHttp,
  connectTransport,
  httpFetch,
  closeClients: closeHttpAgents,
  createContextStore: () => new AsyncLocalStorage<EventContext>(),
};
