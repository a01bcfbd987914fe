// Baseline: capnweb (Cap'n Web) over a WebSocket (npm `ws`), the JSON-based RPC alternative.
// Same scenarios; Uint8Arrays travel the way capnweb carries them.
//
//   server: node bench/peers/capnweb.ts role=server listen=unix:/p.sock|127.0.0.1:0
//   client: node bench/peers/capnweb.ts role=client address=... [scenarios=...]
import { createServer } from "node:http";
import { RpcTarget, newWebSocketRpcSession } from "capnweb";
import { WebSocket, WebSocketServer } from "ws";
import { parseKv, runPeer, stubCalls, type Peer } from "../support/peer.ts";
import { benchApi } from "../support/chain.ts";
import { listenArgs, printReady } from "../support/net.ts";

const args = parseKv(process.argv.slice(2));
// capnweb reads the global WebSocket's constants; Node 20 has none, so `ws` stands in.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

const Api = benchApi(RpcTarget, RpcTarget);

if (args.role === "server") {
  const http = createServer((_req, res) => res.end("hello from bench\n"));
  const wss = new WebSocketServer({ server: http, maxPayload: 64 << 20 });
  wss.on("connection", (ws) => {
    newWebSocketRpcSession(ws as unknown as globalThis.WebSocket, new Api());
  });
  printReady(await listenArgs(http, args.listen!));
} else {
  const address = args.address!;
  const url = address.startsWith("unix:") ? `ws+unix://${address.slice(5)}:/` : `ws://${address}/`;
  const ws = new WebSocket(url, { maxPayload: 64 << 20 });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  const api: any = newWebSocketRpcSession(ws as unknown as globalThis.WebSocket);
  const peer: Peer = {
    ...stubCalls(api),
    close() {
      api[Symbol.dispose]?.();
      ws.close();
    },
  };
  await runPeer(peer, args);
  process.exit(0);
}
