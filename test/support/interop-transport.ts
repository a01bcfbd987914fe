// Real sockets for the engine's interop tests: a Transport over node:net (the shared
// SocketTransport; the C++ peers speak raw Cap'n Proto, no CONNECT head), a listener that makes
// one RpcConnection per accepted socket, and a tap that decodes every message both ways so that
// tests can check what went over the wire and in which order.
import { connect, createServer, type Server, type Socket } from "node:net";
import { SocketTransport } from "../../adapters/shared/socket-transport.ts";
import { RpcConnection, type ConnectionOptions } from "../../core/rpc/connection.ts";
import type { Transport } from "../../core/transport.ts";
import { FrameReader } from "../../protocol/capnp/framing.ts";
import { decodeRpcMessage } from "../../protocol/capnp/rpc-codec.ts";
import type { IncomingMessage } from "../../protocol/rpc-model.ts";

/** One message in the tap's log: which way it went, and what it was. */
export interface Tapped {
  dir: "sent" | "received";
  message: IncomingMessage;
}

/** A Transport that passes everything through and decodes it into `log` on the way. */
export class TapTransport implements Transport {
  readonly log: Tapped[] = [];
  private readonly out = new FrameReader();
  private readonly in = new FrameReader();

  constructor(private readonly inner: Transport) {}

  start(handler: Parameters<Transport["start"]>[0]): void {
    this.inner.start({
      data: (chunk, transient) => {
        // Decode a copy first: the log then shows a message before anything it caused.
        for (const f of this.in.push(chunk.slice())) this.log.push({ dir: "received", message: decodeRpcMessage(f) });
        handler.data(chunk, transient);
      },
      closed: (error) => handler.closed(error),
    });
  }

  send(pieces: Uint8Array[]): void {
    for (const piece of pieces) {
      for (const f of this.out.push(piece.slice())) this.log.push({ dir: "sent", message: decodeRpcMessage(f) });
    }
    this.inner.send(pieces);
  }

  close(error?: Error): void {
    this.inner.close(error);
  }

  /** The messages that went one way, optionally of one type. */
  messages<T extends IncomingMessage["type"]>(dir: Tapped["dir"], type: T): Extract<IncomingMessage, { type: T }>[] {
    return this.log
      .filter((t) => t.dir === dir && t.message.type === type)
      .map((t) => t.message as Extract<IncomingMessage, { type: T }>);
  }
}

/** `unix:/path` or `HOST:PORT`, as the C++ peers write addresses, to node:net options. */
function netTarget(address: string): { path: string } | { host: string; port: number } {
  if (address.startsWith("unix:")) return { path: address.slice("unix:".length) };
  const colon = address.lastIndexOf(":");
  return { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
}

const sockets = new Set<Socket>();
const servers = new Set<Server>();

function track(socket: Socket): Socket {
  sockets.add(socket);
  socket.on("close", () => sockets.delete(socket));
  return socket;
}

/** Connects to a C++ peer and runs an RpcConnection over the socket (with a tap). */
export async function connectRpc(address: string, options: ConnectionOptions = {}): Promise<{ conn: RpcConnection; tap: TapTransport }> {
  const socket = track(connect(netTarget(address)));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  const tap = new TapTransport(new SocketTransport(socket));
  return { conn: new RpcConnection(tap, options), tap };
}

export interface RpcListener {
  /** The address in the C++ peers' syntax (`unix:/path` or `127.0.0.1:PORT`). */
  address: string;
  /** Resolves with each accepted connection, in order. */
  next(): Promise<{ conn: RpcConnection; tap: TapTransport }>;
  close(): Promise<void>;
}

/** Listens on `address` (`unix:/path` or `127.0.0.1:0`); one RpcConnection per socket. */
export async function listenRpc(address: string, options: () => ConnectionOptions): Promise<RpcListener> {
  const accepted: { conn: RpcConnection; tap: TapTransport }[] = [];
  const waiters: ((c: { conn: RpcConnection; tap: TapTransport }) => void)[] = [];
  const server = createServer((socket) => {
    track(socket);
    const tap = new TapTransport(new SocketTransport(socket));
    const entry = { conn: new RpcConnection(tap, options()), tap };
    const waiter = waiters.shift();
    if (waiter) waiter(entry);
    else accepted.push(entry);
  });
  servers.add(server);
  const target = netTarget(address);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    if ("path" in target) server.listen(target.path, resolve);
    else server.listen(target.port, target.host, resolve);
  });
  const bound = server.address();
  const actual = "path" in target || bound === null || typeof bound === "string" ? address : `${target.host}:${bound.port}`;
  return {
    address: actual,
    next: () => {
      const ready = accepted.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiters.push(resolve));
    },
    close: () => closeServer(server),
  };
}

function closeServer(server: Server): Promise<void> {
  servers.delete(server);
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Destroys every socket and listener these helpers opened (for `after` hooks). */
export async function closeAllSockets(): Promise<void> {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await Promise.all([...servers].map(closeServer));
}
