// The only thing the RPC engine knows about a connection: bytes in, bytes out, close.
// Adapters (sockets on Node, Deno, Bun) and tests (an in-memory pair) implement it.

export interface TransportHandler {
  /**
   * A chunk of bytes arrived. Chunk boundaries mean nothing (frames may be split or merged).
   * `transient`: the transport reuses the chunk's memory once this returns (it reads into one
   * buffer), so the handler copies what it keeps; otherwise the handler may keep the chunk.
   */
  data(chunk: Uint8Array, transient?: boolean): void;
  /** The connection is gone (peer closed, error, or our own close()). Called once. */
  closed(error?: Error): void;
}

export interface Transport {
  /** Starts delivering events to `handler`; bytes that arrived earlier are delivered first. */
  start(handler: TransportHandler): void;
  /**
   * Sends bytes. The pieces are written in order as one contiguous stream; the transport may
   * coalesce them with other sends made in the same turn of the event loop, but must not delay
   * a lone send past it. `settled`: the sender has answered everything it was asked and expects
   * to send nothing more this turn, so the transport may write now (with whatever it holds)
   * instead of at the end of the turn.
   */
  send(pieces: Uint8Array[], settled?: boolean): void;
  /** Closes the connection (after flushing what was sent). Idempotent. */
  close(error?: Error): void;
}
