// Deno's runtime adapter, selected by the "deno" condition of `#runtime`.
// It deliberately uses the same node:* building blocks as Node (measured on Deno 2.9.6):
// - serving: `Deno.serve` cannot hand a CONNECT connection over (it answers it like any request),
//   so HTTP and RPC share one node:http listener (see adapters/shared/server.ts);
// - sockets: `Deno.connect` beat node:net by only ~10% in strict ping-pong and tied when
//   pipelined, not worth a second transport implementation yet;
// - AsyncLocalStorage from node:async_hooks is supported;
// - a binding's fetch() sends what undici corks as one write (corked-writes.ts);
// - a CONNECT connection reads into one fixed buffer (adapters/shared/adopt-socket.ts);
// - an RPC socket writes a flush of several pieces as one buffer (joined-writes.ts).
// A native fast path would be added here, without touching the other runtimes.
import { adoptRpcSocket } from "../shared/adopt-socket.ts";
import { createHttpFetch } from "../shared/http-fetch.ts";
import { nodeCompat } from "../shared/node-compat.ts";
import { serveNodeHttp } from "../shared/server.ts";
import { useSocketWriter } from "../shared/socket-transport.ts";
import type { RuntimeAdapter } from "../shared/types.ts";
import { coalesceCorkedWrites } from "./corked-writes.ts";
import { joinedWriter } from "./joined-writes.ts";

const bindingFetch = createHttpFetch(coalesceCorkedWrites);
useSocketWriter(joinedWriter);

export const runtime: RuntimeAdapter = {
  name: "deno",
  ...nodeCompat,
  serve: (options) => serveNodeHttp(options, { adoptRpcSocket }),
  httpFetch: bindingFetch.httpFetch,
  closeClients: bindingFetch.close,
};
