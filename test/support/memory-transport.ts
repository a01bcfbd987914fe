// An in-memory duplex pair implementing core/transport.ts, for engine tests without sockets.
// Bytes are delivered asynchronously (a microtask later) and in order, like a socket would.

import type { Transport, TransportHandler } from "../../core/transport.ts";

class MemoryEnd implements Transport {
  peer!: MemoryEnd;
  private handler: TransportHandler | null = null;
  private pending: Uint8Array[] = [];
  private closed = false;
  /** Every byte this end has sent, for tests that inspect the wire (only when recording). */
  readonly sent: Uint8Array[] = [];
  /** Whether each recorded send said the sender was settled (Transport.send's hint). */
  readonly settled: boolean[] = [];

  constructor(
    private readonly record: boolean,
    /** Every chunk this end receives is transient (scribbled over once its handler returns). */
    private readonly transientReads: boolean,
  ) {}

  start(handler: TransportHandler): void {
    this.handler = handler;
    const pending = this.pending;
    this.pending = [];
    for (const chunk of pending) handler.data(chunk);
  }

  send(pieces: Uint8Array[], settled = false): void {
    if (this.closed) return;
    let size = 0;
    for (const p of pieces) size += p.length;
    const chunk = new Uint8Array(size);
    let at = 0;
    for (const p of pieces) {
      chunk.set(p, at);
      at += p.length;
    }
    if (this.record) {
      this.sent.push(chunk); // kept forever: a benchmark must not record
      this.settled.push(settled);
    }
    const peer = this.peer;
    queueMicrotask(() => peer.receive(chunk, peer.transientReads));
  }

  /**
   * Injects raw bytes as if the peer had sent them. `transient`: as a socket's fixed read buffer
   * would, valid only during the handler's call (scribbled over right after it).
   */
  receive(chunk: Uint8Array, transient = false): void {
    if (this.closed) return;
    if (!this.handler) {
      this.pending.push(chunk);
    } else if (!transient) {
      this.handler.data(chunk);
    } else {
      const scratch = chunk.slice();
      this.handler.data(scratch, true);
      scratch.fill(0xee);
    }
  }

  close(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.handler?.closed(error);
    const peer = this.peer;
    queueMicrotask(() => peer.remoteClosed());
  }

  private remoteClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.handler?.closed();
  }
}

/** One end of the pair, as tests see it. */
export type MemoryTransport = Transport & { sent: Uint8Array[]; settled: boolean[]; receive(c: Uint8Array, transient?: boolean): void };

/**
 * `record`: keep every chunk sent in `sent` (engine tests that decode the wire), and its `settled`
 * hint. `transient`: both ends deliver every chunk as a socket's fixed read buffer would (valid
 * only during the handler's call).
 */
export function memoryTransportPair({ record = false, transient = false }: { record?: boolean; transient?: boolean } = {}): [MemoryTransport, MemoryTransport] {
  const a = new MemoryEnd(record, transient);
  const b = new MemoryEnd(record, transient);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
