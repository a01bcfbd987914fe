// A `Transport` (core/transport.ts) over a node:net socket — the one socket API that behaves
// the same on Node, Deno and Bun (see docs/HOSTING.md for the measurements). Used for both
// sides of an RPC connection after the CONNECT handshake.
//
// Writes: every send() made in the same event-loop turn goes out as one socket write. The first
// send of a turn corks the socket and setImmediate uncorks it: after this turn's I/O callbacks
// and their microtasks, before the loop waits again, so a lone send is not held for a timer. A
// peer that answers one incoming chunk with several messages, each ready a few microtasks after
// the last (Workers RPC answers startEvent, jsRpcSession and the call that way), writes them
// together, and the other side wakes once instead of once per message. Reads: chunks that
// arrive before start() (and bytes that came right after the CONNECT head) are queued and
// delivered first, in order.
import type { Socket } from "node:net";
import type { Transport, TransportHandler } from "../../core/transport.ts";

export class SocketTransport implements Transport {
  #socket: Socket;
  #handler: TransportHandler | undefined;
  #queued: Uint8Array[] = [];
  #corked = false;
  #closed = false;
  #error: Error | undefined;
  #closedReported = false;

  /** `initial`: bytes already read from the socket that belong to this transport. */
  constructor(socket: Socket, initial?: Uint8Array) {
    this.#socket = socket;
    if (initial && initial.length > 0) this.#queued.push(initial);
    if (typeof socket.setNoDelay === "function" && socket.remoteFamily !== undefined) socket.setNoDelay(true);
    socket.on("data", (chunk: Uint8Array) => {
      if (this.#handler) this.#handler.data(chunk);
      else this.#queued.push(chunk);
    });
    socket.on("error", (error: Error) => { this.#error ??= error; });
    // The peer finished sending: an RPC connection is over. End our side too, at once (sockets
    // from node:http servers allow half-open connections and would otherwise linger).
    socket.on("end", () => this.close());
    socket.on("close", () => {
      this.#closed = true;
      this.#reportClosed();
    });
  }

  start(handler: TransportHandler): void {
    if (this.#handler) throw new Error("Transport.start() called twice");
    this.#handler = handler;
    const queued = this.#queued;
    this.#queued = [];
    for (const chunk of queued) handler.data(chunk);
    if (this.#closed) this.#reportClosed();
  }

  send(pieces: Uint8Array[]): void {
    if (this.#closed || this.#socket.destroyed) return;
    if (!this.#corked) {
      this.#corked = true;
      this.#socket.cork();
      setImmediate(this.#uncork);
    }
    for (const piece of pieces) this.#socket.write(piece);
  }

  #uncork = (): void => {
    if (!this.#corked) return;
    this.#corked = false;
    this.#socket.uncork();
  };

  close(error?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    if (error) this.#error ??= error;
    if (this.#corked) {
      this.#corked = false;
      this.#socket.uncork();
    }
    this.#socket.end(); // flushes what was sent, then FIN
    // A peer that never closes its side must not keep the socket (and the process) alive.
    const timer = setTimeout(() => this.#socket.destroy(), 2000);
    (timer as { unref?: () => void }).unref?.();
    this.#socket.once("close", () => clearTimeout(timer));
  }

  #reportClosed(): void {
    if (this.#closedReported || !this.#handler) return;
    this.#closedReported = true;
    this.#handler.closed(this.#error);
  }
}
