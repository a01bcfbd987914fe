// The engine's view of the bytes: frames in, RPC messages out, and back. One place that ties
// the framing reader and the message codec from protocol/capnp to the connection.

import { type Frame, FrameReader, type FrameLimits } from "../../protocol/capnp/framing.ts";
import { OutputQueue } from "../../protocol/capnp/output.ts";
import { decodeRpcMessage, encodeRpcMessageInto } from "../../protocol/capnp/rpc-codec.ts";
import type { AnyPointerReader } from "../../protocol/capnp/layout.ts";
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
   * chunk is valid only during this call (see TransportHandler.data); its large frames are then
   * read in place, and `onMessage` says whether it is done with the message's content (true:
   * nothing will read it again) or keeps some of it (false: it is copied).
   */
  push(chunk: Uint8Array, onMessage: (message: IncomingMessage) => boolean, transient = false): void {
    const frames = transient ? this.frames.pushTransient(chunk, true) : this.frames.push(chunk);
    for (const frame of frames) {
      if (frame.lent) handleLent(frame, onMessage);
      else onMessage(decodeRpcMessage(frame));
    }
  }

  /** Part of a message has arrived and the rest has not: the peer is still sending it. */
  get midMessage(): boolean {
    return this.frames.bufferedBytes > 0;
  }
}

/** Appends the framed message to `out`. */
export const encodeMessage: (message: OutgoingMessage, out: OutputQueue) => void = encodeRpcMessageInto;

/**
 * A message read in place from a transient chunk, handled; then its reader is retired if the
 * receiver is done with it (a late read throws rather than read reused memory), else copied
 * (also when handling it threw).
 */
function handleLent(frame: Frame, onMessage: (message: IncomingMessage) => boolean): void {
  const message = decodeRpcMessage(frame);
  let done = false;
  try {
    done = onMessage(message);
  } finally {
    settleLent(message, done);
  }
}

function settleLent(message: IncomingMessage, done: boolean): void {
  const reader = contentOf(message)?.msg;
  if (reader === undefined) return;
  if (done) reader.retire();
  else reader.keep();
}

/** The content a message carries, if any (all of a message's readers share one MessageReader). */
function contentOf(message: IncomingMessage): AnyPointerReader | null {
  switch (message.type) {
    case "call": return message.params.content;
    case "return": return message.body.type === "results" ? message.body.results.content : null;
    case "unimplemented": return contentOf(message.message);
    case "other": return message.raw;
    default: return null;
  }
}
