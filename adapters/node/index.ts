// Node's runtime adapter (the `default` of `#runtime`): node:http + @hono/node-server for
// serving, node:net transports, undici for binding fetch, AsyncLocalStorage for the current
// event (adapters/shared/node-compat.ts); a CONNECT connection's reads go through one fixed
// buffer (adapters/shared/adopt-socket.ts), and RPC sockets write through their handle
// (handle-writes.ts).
import { nodeCompat } from "../shared/node-compat.ts";
import { serveNodeHttp } from "../shared/server.ts";
import type { RuntimeAdapter } from "../shared/types.ts";
import { adoptRpcSocket } from "../shared/adopt-socket.ts";
import { useByteAllocator } from "../../protocol/bytes.ts";
import { uninitializedBytes } from "../shared/uninitialized-bytes.ts";
import { useSocketWriter } from "../shared/socket-transport.ts";
import { handleWriter } from "./handle-writes.ts";

export const runtime: RuntimeAdapter = { name: "node", ...nodeCompat, serve: (options) => serveNodeHttp(options, { adoptRpcSocket }) };

// Large frames, decoded ArrayBuffers and large encoded values skip the zero-fill (protocol/bytes.ts).
useByteAllocator(uninitializedBytes);
// RPC transports write straight to the socket's handle where Node offers it (handle-writes.ts).
useSocketWriter(handleWriter());
