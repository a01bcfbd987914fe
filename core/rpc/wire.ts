// The engine's view of the bytes: frames in, RPC messages out, and back. One place that ties
// the framing reader and the message codec from protocol/capnp to the connection.

import { FrameReader, type FrameLimits } from "../../protocol/capnp/framing.ts";
import { OutputQueue } from "../../protocol/capnp/output.ts";
import { decodeRpcMessage, encodeRpcMessageInto } from "../../protocol/capnp/rpc-codec.ts";
import type { IncomingMessage, OutgoingMessage } from "../../protocol/rpc-model.ts";

export type { FrameLimits };
export { OutputQueue };

/** Splits a byte stream into RPC messages, enforcing the frame limits. */
export class MessageStream {
  private readonly frames: FrameReader;

  constructor(limits?: FrameLimits) {
    this.frames = new FrameReader(limits);
  }

  /**
   * Feeds a chunk; calls `onMessage` for every complete message, in order. `transient`: the
   * chunk is valid only during this call (see TransportHandler.data).
   */
  push(chunk: Uint8Array, onMessage: (message: IncomingMessage) => void, transient = false): void {
    const frames = transient ? this.frames.pushTransient(chunk) : this.frames.push(chunk);
    for (const frame of frames) onMessage(decodeRpcMessage(frame));
  }

  /** Part of a message has arrived and the rest has not: the peer is still sending it. */
  get midMessage(): boolean {
    return this.frames.bufferedBytes > 0;
  }
}

/** Appends the framed message to `out`. */
export const encodeMessage: (message: OutgoingMessage, out: OutputQueue) => void = encodeRpcMessageInto;
