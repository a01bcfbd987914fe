// The floor: a raw length-prefixed echo over node:net (the transport edgebind uses on every
// runtime). The server writes every complete frame of a data event back in one write; the
// framing and the client are bench/support/raw-echo.ts.
//
//   server: <runtime> bench/peers/raw-echo.ts role=server listen=unix:/p.sock|127.0.0.1:0
//   client: <runtime> bench/peers/raw-echo.ts role=client address=... [scenarios=...]
import { createServer, type Socket } from "node:net";
import { parseKv, runPeer } from "../support/peer.ts";
import { listenArgs, printReady } from "../support/net.ts";
import { Framer, connectRawEcho } from "../support/raw-echo.ts";

const args = parseKv(process.argv.slice(2));

if (args.role === "server") {
  const server = createServer((socket: Socket) => {
    socket.setNoDelay?.(true);
    const framer = new Framer((bytes) => socket.write(bytes));
    socket.on("data", (chunk: Uint8Array) => framer.push(chunk));
    socket.on("error", () => {});
  });
  const address = await listenArgs(server, args.listen!);
  printReady(address);
} else {
  await runPeer(await connectRawEcho(args.address!), args);
  process.exit(0);
}
