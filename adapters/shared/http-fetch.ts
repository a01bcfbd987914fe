// `httpFetch(address, request)`: plain HTTP/1.1 to a Worker's address, for `env.X.fetch()`.
// Uses undici (pure JS over node:net, so it runs on Node, Deno and Bun alike) because it can
// dial a Unix socket or a fixed host:port while keeping the request's own URL and Host header,
// which is what a service binding needs: the target sees the URL the caller wrote, whatever
// address it actually lives at. One keep-alive Agent per address.
//
// The request goes through undici's dispatcher API, not its fetch(): fetch() runs the whole
// Fetch algorithm (CORS, default headers, redirect and cache steps) for what is a direct call:
// a binding's fetch cost ~450–520 µs of client CPU that way and ~240–280 µs this way, against
// one Node host (docs/PERFORMANCE.md, "Other observations"). What it keeps of fetch():
// - the request's method, URL, headers and body exactly as the caller built them: no default
//   headers are added, as with workerd's service bindings, except the Connection header undici
//   always writes (docs/COMPATIBILITY.md, "connection-header"); redirects followed unless the
//   request says "manual" or "error", as workerd's binding fetch() does, to the same address;
// - the Response: the runtime's own class, its body streamed with backpressure, gzip and br
//   decoded as workerd's fetch() decodes them (body-coding.ts); `request.signal` aborts the request or
//   the body being read; errors are fetch()'s (a TypeError "fetch failed" with the cause, or the
//   signal's reason).
// Imported as "undici/index.js": Bun answers a bare "undici" with its own built-in shim, which
// ignores `dispatcher` (measured: requests went to DNS for the URL's host). The package has no
// `exports` map, so this subpath is the same file on Node and Deno.
import type { Socket } from "node:net";
import { Agent, buildConnector, type Dispatcher } from "undici/index.js";
import { formatAddress, type Address } from "../../core/config/address.ts";
import type { HttpFetch } from "../../core/worker/env.ts";
import { concatPieces } from "../../protocol/capnp/framing.ts";
import { decodeFromWire, NULL_BODY_STATUS } from "./body-coding.ts";

/** Adjusts a new socket before undici uses it (Deno: adapters/deno/corked-writes.ts). */
export type SocketAdapter = (socket: Socket) => Socket;

/** The keep-alive Agents of one httpFetch, one per address. */
class HttpClients {
  private readonly agents = new Map<string, Agent>();

  constructor(private readonly adaptSocket: SocketAdapter | null) {}

  agentFor(address: Address): Agent {
    const key = formatAddress(address);
    let agent = this.agents.get(key);
    if (!agent) {
      const dial = buildConnector(address.kind === "unix" ? { socketPath: address.path } : {});
      const target = address.kind === "unix" ? {} : { hostname: address.host, port: String(address.port) };
      const adapt = this.adaptSocket;
      // Whatever the URL says (https://example.com/...), connect to `address` and speak plain HTTP.
      agent = new Agent({
        connect: (options, callback) =>
          dial({ ...options, ...target, protocol: "http:" }, adapt === null ? callback : (err, socket) => (err ? callback(err, null) : callback(null, adapt(socket as Socket)))),
      });
      this.agents.set(key, agent);
    }
    return agent;
  }

  async close(): Promise<void> {
    const all = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(all.map((a) => a.close()));
  }
}

/** Redirects followed before giving up, as in fetch(). */
const MAX_REDIRECTS = 20;
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
/** Request headers that describe a body, dropped when a redirect turns the request into a GET. */
const BODY_HEADERS = ["content-type", "content-length", "content-encoding", "content-language", "content-location"];

/**
 * An httpFetch and the close() of its connections. `adaptSocket` adjusts each new socket for
 * the runtime (null: as it comes).
 */
export function createHttpFetch(adaptSocket: SocketAdapter | null = null): { httpFetch: HttpFetch; close(): Promise<void> } {
  const clients = new HttpClients(adaptSocket);
  return { httpFetch: (address, request) => fetchVia(clients, address, request), close: () => clients.close() };
}

/** The node:net sockets as they come (Node and Bun). */
const plain = createHttpFetch();
export const httpFetch: HttpFetch = plain.httpFetch;
/** Closes every pooled connection of `httpFetch` (host shutdown, tests). */
export const closeHttpAgents: () => Promise<void> = plain.close;

async function fetchVia(clients: HttpClients, address: Address, request: Request): Promise<Response> {
  if (request.signal.aborted) throw request.signal.reason; // before reading the body
  let current = request;
  let body = request.body !== null && request.method !== "GET" && request.method !== "HEAD" ? await bodyToSend(request.body) : null;
  for (let redirects = 0; ; redirects++) {
    const response = await send(clients, address, current, body);
    const location = response.headers.get("location");
    if (!REDIRECT_STATUS.has(response.status) || location === null || request.redirect === "manual") {
      return withUrl(response, current.url, redirects > 0);
    }
    // Followed, as workerd's binding fetch() does: to the same address, whatever host the
    // Location names (a service binding reaches its one service).
    await response.body?.cancel();
    if (request.redirect === "error") throw fetchFailed(`redirect to ${location} with redirect mode "error"`);
    if (redirects === MAX_REDIRECTS) throw fetchFailed("too many redirects");
    let next: URL;
    try {
      next = new URL(location, current.url);
    } catch {
      throw fetchFailed(`invalid Location ${JSON.stringify(location)}`);
    }
    const toGet = (response.status === 303 && current.method !== "HEAD") ||
      ((response.status === 301 || response.status === 302) && current.method === "POST");
    // A whole body is sent again, as workerd does; a streamed one went once and cannot be
    // (fetch() refuses the same way).
    if (toGet) body = null;
    else if (body !== null && !(body instanceof Uint8Array)) throw fetchFailed(`a ${response.status} redirect would send the streamed request body again`);
    const headers = new Headers(current.headers);
    if (toGet) for (const name of BODY_HEADERS) headers.delete(name);
    current = new Request(next, { method: toGet ? "GET" : current.method, headers, signal: request.signal, redirect: "manual" });
  }
}

function fetchFailed(why: string): TypeError {
  return new TypeError("fetch failed", { cause: new Error(why) });
}

/**
 * A Response made here has an empty `url` and `redirected` false (read-only in the Fetch API);
 * a fetched one reports where it came from, so the instance gets its own.
 */
function withUrl(response: Response, url: string, redirected: boolean): Response {
  Object.defineProperty(response, "url", { value: url, configurable: true });
  if (redirected) Object.defineProperty(response, "redirected", { value: true, configurable: true });
  return response;
}

/** One HTTP request (its body prepared by bodyToSend), no redirects followed. */
function send(clients: HttpClients, address: Address, request: Request, body: Uint8Array | AsyncIterable<Uint8Array> | null): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    if (request.signal.aborted) {
      reject(request.signal.reason);
      return;
    }
    const url = new URL(request.url);
    url.hash = "";
    const receiver = new ResponseReceiver(request, resolve, reject);
    try {
      clients.agentFor(address).dispatch(
        {
          origin: url.origin,
          // From the href, which keeps an empty query ("/p?"), as workerd sends it.
          path: url.href.slice(url.origin.length),
          method: request.method as Dispatcher.HttpMethod,
          headers: flatHeaders(request.headers),
          body: body as never,
        },
        receiver,
      );
    } catch (err) {
      receiver.onResponseError(null, err as Error);
    }
  });
}

/** Bodies up to this size are sent whole, with a Content-Length; longer ones are streamed. */
const WHOLE_BODY_BYTES = 64 * 1024;

/**
 * The request body as undici should send it: whole (with a Content-Length) when it ends within
 * WHOLE_BODY_BYTES, as fetch() sends a body it knows the length of; otherwise the chunks read so
 * far and then the rest, streamed chunked. (A server that answers without reading a chunked
 * body may close the connection while it is still being written: workerd does.)
 */
async function bodyToSend(stream: ReadableStream<Uint8Array>): Promise<Uint8Array | AsyncIterable<Uint8Array>> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return concatPieces(chunks);
    chunks.push(value);
    length += value.length;
    if (length > WHOLE_BODY_BYTES) break;
  }
  return (async function* () {
    yield* chunks;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  })();
}

/** [name, value, name, value, ...]: the one list shape undici takes that keeps every value. */
function flatHeaders(headers: Headers): string[] {
  const flat: string[] = [];
  for (const [name, value] of headers) flat.push(name, value);
  return flat;
}

/** Bytes of response body buffered ahead of the reader before the socket is paused. */
const BODY_HIGH_WATER_MARK = 64 * 1024;

/** Turns undici's dispatch callbacks into a Response: status and headers, then a body stream. */
class ResponseReceiver implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | null = null;
  private body: ReadableStreamDefaultController<Uint8Array> | null = null;
  private settled = false;
  private readonly onAbort = () => this.controller?.abort(this.request.signal.reason);

  constructor(
    private readonly request: Request,
    private readonly resolve: (response: Response) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    request.signal.addEventListener("abort", this.onAbort, { once: true });
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.request.signal.aborted) controller.abort(this.request.signal.reason);
  }

  onResponseStart(controller: Dispatcher.DispatchController, status: number, rawHeaders: Record<string, string | string[] | undefined>, statusText?: string): void {
    if (status < 200) return; // informational; the final response follows
    const headers = new Headers();
    for (const name in rawHeaders) {
      const value = rawHeaders[name];
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.append(name, value);
    }
    const hasBody = this.request.method !== "HEAD" && !NULL_BODY_STATUS.has(status);
    let body: ReadableStream<Uint8Array> | null = null;
    try {
      if (hasBody) body = decodeFromWire(this.bodyStream(controller), headers.get("content-encoding"));
      const response = new Response(body, { status, statusText: statusText ?? "", headers });
      this.settled = true;
      this.resolve(response);
    } catch (err) {
      controller.abort(err as Error);
    }
  }

  /** The response body as it arrives, pausing the socket while the reader is behind. */
  private bodyStream(controller: Dispatcher.DispatchController): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          this.body = c;
        },
        pull: () => {
          if (controller.paused) controller.resume();
        },
        cancel: (reason) => {
          this.body = null;
          controller.abort(reason instanceof Error ? reason : new Error("The response body was cancelled."));
        },
      },
      { highWaterMark: BODY_HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
    );
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Uint8Array): void {
    const body = this.body;
    if (body === null) return;
    // A copy: undici's chunk shares its ArrayBuffer with whatever else the socket read.
    body.enqueue(new Uint8Array(chunk));
    if ((body.desiredSize ?? 1) <= 0) controller.pause();
  }

  onResponseEnd(): void {
    this.done();
    this.body?.close();
    this.body = null;
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, error: Error): void {
    this.done();
    const signal = this.request.signal;
    const reason = signal.aborted ? signal.reason : error;
    if (!this.settled) {
      this.settled = true;
      this.reject(signal.aborted ? reason : new TypeError("fetch failed", { cause: error }));
    } else {
      this.body?.error(reason);
    }
    this.body = null;
  }

  private done(): void {
    this.request.signal.removeEventListener("abort", this.onAbort);
  }
}
