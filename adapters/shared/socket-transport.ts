// A `Transport` (core/transport.ts) over a node:net socket — the one socket API that behaves
// the same on Node, Deno and Bun (see docs/HOSTING.md for the measurements). Used for both
// sides of an RPC connection after the CONNECT handshake.
//
// Writes: every send() made in the same event-loop turn goes out as one socket write. Sends are
// queued and a setImmediate writes them: after this turn's I/O callbacks and their microtasks,
// before the loop waits again, so a lone send is not held for a timer. A peer that answers one
// incoming chunk with several messages, each ready a few microtasks after the last (Workers RPC
// answers startEvent, jsRpcSession and the call that way), writes them together, and the other
// side wakes once instead of once per message. Small pieces are copied into one buffer (a
// Writable.write costs more than copying a few hundred bytes; a call is ~14 pieces); large ones
// (a 64 KiB payload) are written as they are, between them, in one corked writev (or handed to
// a SocketWriter a runtime adapter installed: Node's writes to the socket's handle, Deno's one
// joined write). Reads: chunks
// that arrive before start() (and bytes that came right after the CONNECT head) are queued and
// delivered first, in order.
import { Buffer } from "node:buffer";
import type { Socket } from "node:net";
import type { Transport, TransportHandler } from "../../core/transport.ts";
import { copyOut } from "../../protocol/capnp/output.ts";

/**
 * Writes `pieces` (in order, as one write) to `socket` in a way of its own, or returns false to
 * leave them to the corked `socket.write()`s. A runtime adapter may install one: Node's writes
 * to the socket's handle (adapters/node/handle-writes.ts), Deno's joins the pieces into one
 * `socket.write()` (adapters/deno/joined-writes.ts).
 */
export type SocketWriter = (socket: Socket, pieces: Uint8Array[]) => boolean;

let writeThrough: SocketWriter | null = null;

/** Installs the writer every SocketTransport tries first (null: `socket.write()` only). */
export function useSocketWriter(writer: SocketWriter | null): void {
  writeThrough = writer;
}

/** Reads up to this long are copied out at once (the same copy a transient one would get). */
const SMALL_READ = 4096;

/**
 * The size of a connection's read buffer, and so the most one read can take. Larger than
 * node:net's 64 KiB so that a 64 KiB value's ~65.7 KiB frame, or a socket buffer's worth of
 * frames, comes in one read: with 64 KiB its last ~1.7 KiB needed a second read, and the frame
 * was assembled from the two. Measured with bench/tools/ab.ts (4 pairs each, 2026-11-29): echo64k
 * p50 0.92x and 1.27x the calls/s with 64 in flight on a Node host, 0.93x and 1.13x on a Deno
 * host. The cost is memory: up to 256 KiB per connection where 64 KiB did before.
 */
export const READ_BUFFER_BYTES = 256 * 1024;

/**
 * Reads of a socket made with node:net's `onread` option (client sockets, and the CONNECT sockets
 * the Node and Deno hosts move to one: adopt-socket.ts; Node, Deno and Bun all support it): each
 * read lands in one fixed buffer and is handed to `deliver`, bypassing the stream machinery and
 * the new Buffer a 'data' event costs per read. The buffer is reused by the next read: a short
 * read (a call's messages) is copied out at once into a shared slab, and a long one is delivered
 * as transient, for the receiver to copy what it keeps (the RPC connection assembles a large
 * frame straight into a buffer of its own: protocol/capnp/framing.ts, where a copy per read and
 * then one per frame cost twice the allocations and copies).
 */
export class FixedBufferReads {
  /** Where the next chunk goes (the CONNECT handshake first, then the transport). */
  deliver: (chunk: Uint8Array, transient: boolean) => void = () => {};
  /** Pass as `connect({ ..., onread })`. */
  readonly onread = {
    buffer: new Uint8Array(READ_BUFFER_BYTES),
    callback: (n: number, buffer: Uint8Array): boolean => {
      if (n <= SMALL_READ) this.deliver(copyOut(buffer, n), false);
      else this.deliver(buffer.subarray(0, n), true);
      return true; // keep reading
    },
  };
}

export class SocketTransport implements Transport {
  #socket: Socket;
  #handler: TransportHandler | undefined;
  #queued: Uint8Array[] = [];
  #pending: Uint8Array[] = [];
  #flushScheduled: ReturnType<typeof setImmediate> | null = null;
  #closed = false;
  #error: Error | undefined;
  #closedReported = false;

  /**
   * `initial`: bytes already read from the socket that belong to this transport. `reads`: the
   * socket was made with `reads.onread` (no 'data' events).
   */
  constructor(socket: Socket, initial?: Uint8Array, reads?: FixedBufferReads) {
    this.#socket = socket;
    if (initial && initial.length > 0) this.#queued.push(initial);
    if (typeof socket.setNoDelay === "function" && socket.remoteFamily !== undefined) socket.setNoDelay(true);
    const onData = (chunk: Uint8Array, transient = false) => {
      if (this.#handler) this.#handler.data(chunk, transient);
      else this.#queued.push(transient ? copyOut(chunk, chunk.length) : chunk);
    };
    if (reads) reads.deliver = onData;
    else socket.on("data", onData);
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

  send(pieces: Uint8Array[], settled = false): void {
    if (this.#closed || this.#socket.destroyed) return;
    for (const piece of pieces) this.#pending.push(piece);
    if (settled) {
      // Nothing more is coming this turn: write now, so that on another CPU the peer starts on
      // it while this process finishes its turn (on one CPU it only reorders the same work).
      // A flush already scheduled is not needed any more: a host answering a call schedules one
      // with its first Return and writes with its last, and a pending immediate would run (and
      // run Node's async hooks) after the write, before the process can sleep.
      if (this.#flushScheduled !== null) clearImmediate(this.#flushScheduled);
      this.#flush();
      return;
    }
    this.#flushScheduled ??= setImmediate(this.#flush);
  }

  #flush = (): void => {
    this.#flushScheduled = null;
    const pieces = this.#pending;
    if (pieces.length === 0) return;
    this.#pending = [];
    if (this.#socket.destroyed) return;
    const out = coalesce(pieces);
    if (writeThrough !== null && writeThrough(this.#socket, out)) return;
    if (out.length === 1) {
      this.#socket.write(out[0]!);
      return;
    }
    this.#socket.cork();
    for (const piece of out) this.#socket.write(piece);
    this.#socket.uncork();
  };

  close(error?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    if (error) this.#error ??= error;
    if (this.#flushScheduled !== null) clearImmediate(this.#flushScheduled); // as in send()
    this.#flush();
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

/** Pieces at least this long are written as they are; shorter runs are copied together. */
const COPY_LIMIT = 8192;

/**
 * Neighbouring pieces that are adjacent views of one buffer, joined into one view (no copy):
 * a connection's successive flushes in one turn are runs of the same output slab, one after
 * the other, which would otherwise be copied a second time below.
 */
function joinAdjacent(pieces: Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [pieces[0]!];
  for (let i = 1; i < pieces.length; i++) {
    const piece = pieces[i]!;
    const last = out[out.length - 1]!;
    if (last.buffer === piece.buffer && last.byteOffset + last.byteLength === piece.byteOffset) {
      out[out.length - 1] = new Uint8Array(last.buffer, last.byteOffset, last.byteLength + piece.byteLength);
    } else {
      out.push(piece);
    }
  }
  return out;
}

/** Runs of small pieces merged into one buffer each; large pieces kept as they are. */
function coalesce(all: Uint8Array[]): Uint8Array[] {
  if (all.length === 1) return all;
  const pieces = joinAdjacent(all);
  if (pieces.length === 1) return pieces;
  const out: Uint8Array[] = [];
  let runStart = 0;
  let runBytes = 0;
  const endRun = (end: number): void => {
    if (end - runStart === 1) out.push(pieces[runStart]!);
    else if (end > runStart) {
      const merged = Buffer.allocUnsafe(runBytes); // from Node's pool: no ArrayBuffer per write
      let at = 0;
      for (let i = runStart; i < end; i++) {
        merged.set(pieces[i]!, at);
        at += pieces[i]!.length;
      }
      out.push(merged);
    }
  };
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    if (piece.length >= COPY_LIMIT) {
      endRun(i);
      out.push(piece);
      runStart = i + 1;
      runBytes = 0;
    } else {
      runBytes += piece.length;
    }
  }
  endRun(pieces.length);
  return out;
}
