// The raw echo floor's framing and its client, shared by the floor's bench peer
// (bench/peers/raw-echo.ts) and the interleaved floor caller (bench/support/callers.ts). A frame
// is [u32 little-endian length][payload]; `add` is a 64-byte frame (about the size of one small
// call), `echo` sends the bytes themselves.
import { connect } from "node:net";
import type { Peer } from "./peer.ts";
import { dialOptions } from "./net.ts";

/**
 * Splits a stream into frames; `onFrames(bytes, frames)` gets the complete ones as one view.
 * Chunks of an incomplete frame are kept in a list and joined once, when the frame is complete.
 */
export class Framer {
  private parts: Uint8Array[] = [];
  private have = 0;
  /** Length of the frame being collected (-1: header not read yet). */
  private need = -1;
  constructor(private readonly onFrames: (bytes: Uint8Array, frames: number) => void) {}
  push(chunk: Uint8Array): void {
    this.parts.push(chunk);
    this.have += chunk.length;
    if (this.need < 0 && this.have >= 4) this.need = 4 + this.header();
    if (this.need < 0 || this.have < this.need) return;
    const buf = this.parts.length === 1 ? this.parts[0]! : join(this.parts, this.have);
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let at = 0;
    let frames = 0;
    while (at + 4 <= buf.length) {
      const len = view.getUint32(at, true);
      if (at + 4 + len > buf.length) break;
      at += 4 + len;
      frames++;
    }
    this.onFrames(buf.subarray(0, at), frames);
    const rest = buf.subarray(at);
    this.parts = rest.length ? [rest.slice()] : [];
    this.have = rest.length;
    this.need = rest.length >= 4 ? 4 + new DataView(rest.buffer, rest.byteOffset).getUint32(0, true) : -1;
  }
  private header(): number {
    const head = this.parts[0]!.length >= 4 ? this.parts[0]! : join(this.parts, this.have);
    return new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0, true);
  }
}

function join(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function frame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + payload.length);
  new DataView(out.buffer).setUint32(0, payload.length, true);
  out.set(payload, 4);
  return out;
}

/** Connects to a raw echo server at `unix:/path` or `host:port`: a Peer of add and echo. */
export async function connectRawEcho(address: string): Promise<Peer> {
  const socket = connect(dialOptions(address));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("error", reject);
  });
  socket.setNoDelay?.(true);
  // Replies come back in order: a FIFO of resolvers, one per frame.
  const waiting: ((n: number) => void)[] = [];
  let head = 0;
  const framer = new Framer((bytes, frames) => {
    for (let i = 0; i < frames; i++) waiting[head++]!(bytes.length);
    if (head > 4096 && head === waiting.length) {
      waiting.length = 0;
      head = 0;
    }
  });
  socket.on("data", (chunk: Uint8Array) => framer.push(chunk));
  const small = frame(new Uint8Array(60));
  const send = (bytes: Uint8Array, result: number) =>
    new Promise<number>((resolve) => {
      waiting.push(() => resolve(result));
      socket.write(bytes);
    });
  const framed = new Map<Uint8Array, Uint8Array>();
  return {
    add: () => send(small, 3),
    echo: (bytes) => {
      let f = framed.get(bytes);
      if (!f) framed.set(bytes, (f = frame(bytes)));
      return send(f, bytes.length);
    },
    close: () => {
      socket.destroy();
    },
  };
}
