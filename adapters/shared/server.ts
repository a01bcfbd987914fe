// One listening address serving both plain HTTP (a fetch handler, through @hono/node-server's
// node:http bridge) and Cap'n Proto RPC after `CONNECT <authority> HTTP/1.1` — exactly what a
// workerd socket with `capnpConnectHost` serves. node:http parses the CONNECT head and gives us
// the raw socket plus any bytes that followed the head; we answer `HTTP/1.1 200 OK\r\n\r\n` and
// hand both over as a Transport.
//
// Why node:http on Deno and Bun too (measured, Deno 2.9.6 / Bun 1.4.5): `Deno.serve` answers a
// CONNECT like any request (200 with a body; no way to take over the connection) and `Bun.serve`
// answers `400 Bad Request` before the handler runs. Neither can accept a connection handed in
// from elsewhere, so there is no native way to share one address between HTTP and CONNECT.
// node:http's 'connect' event works identically on all three, early bytes included.
import { createServer as createHttpServer, type Server as HttpServer, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { Socket } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import type { Address } from "../../core/config/address.ts";
import type { Transport } from "../../core/transport.ts";
import { listenOn } from "./listen.ts";
import { encodeForWire } from "./body-coding.ts";
import { PROPS_HEADER } from "./connect-transport.ts";
import { concatPieces } from "../../protocol/capnp/framing.ts";
import { type FixedBufferReads, SocketTransport } from "./socket-transport.ts";

/** Receives an RPC connection: the transport and the CONNECT authority (entrypoint choice). */
export type RpcConnectionHandler = (transport: Transport, authority: string, props: Record<string, unknown>) => void;

export interface ServeOptions {
  /** Where to listen; TCP port 0 picks a free port. */
  readonly address: Address;
  /** Plain HTTP requests. */
  readonly fetch: (request: Request) => Response | Promise<Response>;
  /** CONNECT requests; without it they get `501 Not Implemented`. */
  readonly onRpcConnection?: RpcConnectionHandler;
}

export interface Server {
  /** The bound address (with the real port). */
  readonly address: Address;
  /** Stops accepting connections and closes idle keep-alive ones; in-flight requests go on. */
  stopAccepting(): void;
  /** Resolves when every in-flight HTTP request has been answered. */
  requestsDone(): Promise<void>;
  /** Closes every remaining connection, HTTP and RPC. */
  destroy(): void;
}

/** What a runtime adapter may change about serving (the Node and Deno adapters pass adoptRpcSocket). */
export interface ServeTuning {
  /**
   * Moves a CONNECT connection, once handed over by node:http, to a socket that reads without
   * the stream machinery, or returns null to keep it as it is.
   */
  readonly adoptRpcSocket?: (socket: Socket) => { socket: Socket; reads: FixedBufferReads } | null;
}

export async function serveNodeHttp(options: ServeOptions, tuning: ServeTuning = {}): Promise<Server> {
  const server = createAdaptorServer({
    // The Worker's response written as workerd would write it: status text and headers as the
    // Worker gave them, the body compressed where its Content-Encoding asks (body-coding.ts).
    fetch: async (request: Request, env: unknown) => {
      const response = await options.fetch(request);
      // node-server's bindings: the node:http request and response (HTTP/1.1: our own server).
      const outgoing = (env as { outgoing?: ServerResponse }).outgoing;
      if (outgoing) sendAsWorkerdWould(outgoing, response);
      return encodeForWire(response, request.method);
    },
    overrideGlobalObjects: false, // Worker code keeps the runtime's own Request/Response
    createServer: createHttpServer,
  }) as HttpServer;

  let inFlight = 0;
  let idleWaiters: (() => void)[] = [];
  server.on("request", (_req, res) => {
    res.sendDate = false; // workerd sends no Date header either
    inFlight++;
    res.once("close", () => {
      if (--inFlight === 0) for (const wake of idleWaiters.splice(0)) wake();
    });
  });

  const rpcSockets = new Set<Socket>();
  server.on("connect", (req: { url?: string; headers: Record<string, string | string[] | undefined> }, duplex: Duplex, head: Uint8Array) => {
    const socket = duplex as Socket;
    if (!options.onRpcConnection) {
      socket.end("HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return;
    }
    const props = parseProps(req.headers[PROPS_HEADER.toLowerCase()]);
    if (props === null) {
      socket.end("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return;
    }
    // What the caller sent after its CONNECT head: in `head`, and anything node:http read since
    // (a caller may send its first messages without waiting for our 200).
    const later = socket.readableLength > 0 ? (socket.read() as Uint8Array | null) : null;
    const initial = later === null ? new Uint8Array(head) : concatPieces([head, later]);
    const adopted = tuning.adoptRpcSocket?.(socket) ?? null;
    const rpcSocket = adopted?.socket ?? socket;
    rpcSockets.add(rpcSocket);
    rpcSocket.once("close", () => rpcSockets.delete(rpcSocket));
    rpcSocket.write("HTTP/1.1 200 OK\r\n\r\n");
    options.onRpcConnection(new SocketTransport(rpcSocket, initial, adopted?.reads), req.url ?? "", props);
  });

  const address = await listenOn(server, options.address);
  return {
    address,
    stopAccepting() {
      server.close();
      server.closeIdleConnections?.();
    },
    requestsDone() {
      return inFlight === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve));
    },
    destroy() {
      server.closeAllConnections?.();
      for (const socket of rpcSockets) socket.destroy();
      idleWaiters = [];
    },
  };
}

/**
 * What @hono/node-server would send differently from workerd, put right on the node:http
 * response it is about to write: the Worker's own status text (node-server leaves node:http's
 * table to fill it in), and no Content-Type where the Worker gave none (node-server adds
 * `text/plain; charset=UTF-8` to every body without one; workerd sends the body unlabelled).
 */
function sendAsWorkerdWould(outgoing: ServerResponse, response: Response): void {
  if (response.statusText) outgoing.statusMessage = response.statusText;
  if (response.body === null || response.headers.has("content-type")) return;
  const writeHead = outgoing.writeHead;
  outgoing.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const headers = args[args.length - 1];
    if (typeof headers === "object" && headers !== null && !Array.isArray(headers)) delete (headers as Record<string, unknown>)["content-type"];
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as typeof outgoing.writeHead;
}

/** The binding props a caller sent with CONNECT (`{}` if none), or null if the header is malformed. */
function parseProps(header: string | string[] | undefined): Record<string, unknown> | null {
  if (header === undefined) return {};
  if (typeof header !== "string") return null;
  try {
    const value: unknown = JSON.parse(decodeURIComponent(header));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
