// Bun's runtime adapter, selected by the "bun" condition of `#runtime`.
// Same node:* building blocks as Node (measured on Bun 1.4.5):
// - serving: `Bun.serve` rejects CONNECT with 400 before any handler runs, so HTTP and RPC
//   share one node:http listener (see adapters/shared/server.ts);
// - binding fetch: the real undici package, imported by path, because Bun's built-in "undici"
//   ignores dispatchers (adapters/shared/http-fetch.ts);
// - sockets: `Bun.connect` is ~10% faster than node:net in ping-pong; a candidate fast path here.
import { nodeCompat } from "../shared/node-compat.ts";
import type { RuntimeAdapter } from "../shared/types.ts";
import { useByteAllocator } from "../../protocol/bytes.ts";
import { uninitializedBytes } from "../shared/uninitialized-bytes.ts";

export const runtime: RuntimeAdapter = { name: "bun", ...nodeCompat };

// Large frames, decoded ArrayBuffers and large encoded values skip the zero-fill (protocol/bytes.ts).
useByteAllocator(uninitializedBytes);
