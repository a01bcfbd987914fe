// Cap'n Proto standard stream framing (unpacked), both directions.
//
// A frame is: u32 (segmentCount - 1), one u32 word count per segment, zero padding to 8 bytes,
// then the segments back to back. FrameReader turns an arbitrary chunked byte stream into frames:
// a frame that arrived inside one chunk is described in place (offsets into that chunk, whose
// DataView its frames share: no copy, no view per message); a frame split across chunks is copied
// exactly once when its last byte arrives (chunks are queued, never re-concatenated per push, so
// trickled input costs O(total bytes)). The header is checked against the limits as soon as it is
// complete, before any segment byte is buffered: a peer cannot make us hold more than
// `maxFrameBytes` (plus one header) by announcing a huge frame.
//
// A transport that reads into one reusable buffer hands its chunks in with pushTransient(): they
// are valid only during the call, so what is kept is copied. A frame larger than a copy into the
// shared slab is then assembled in a buffer of its own, filled straight from the reads: one
// allocation and one copy per large frame, where copying each read out and then gathering the
// frame from the copies took two of each. That buffer is sized by what the peer has sent (up to
// 32 times the bytes of the frame's start and of the read that brought it, at least 256 KiB)
// and grows as the rest comes: a peer cannot make us hold much more than it sends by announcing
// a huge frame. (32: a 1 MiB frame read 64 KiB at a time gets its buffer at once.) A caller that
// reads each message before the read buffer is reused may ask for large whole frames to be lent
// instead (views of the chunk, `Frame.lent`) and copy only the ones it keeps (core/rpc/wire.ts):
// a 64 KiB value's frame is then not copied at all.
//
// The writer side is in builder.ts (MessageBuilder.finish/finishInto), which frames single-segment
// messages directly; encodeFrame() here frames arbitrary segments (tests, multi-segment messages).

import { freshBytes } from "../bytes.ts";
import { CapnpFormatError } from "./errors.ts";
import { copyOut } from "./output.ts";

/** Default cap on a frame's segments (header excluded), like capnp's 8M-word traversal limit. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;
/** Default cap on segments per frame (capnp's C++ reader refuses 512 and more). */
export const DEFAULT_MAX_SEGMENTS = 512;

export interface FrameLimits {
  /** Largest accepted sum of segment sizes in bytes. Default 64 MiB. */
  maxFrameBytes?: number;
  /** Largest accepted segment count. Default 512. */
  maxSegments?: number;
  /**
   * Frames at least this long that lie wholly in a transient chunk are lent rather than copied
   * when pushTransient() is asked to lend (shorter ones are copied together into the shared
   * slab, which costs little). Default 4096; tests lend every frame with 0.
   */
  lendFrom?: number;
}

/**
 * One received message: where its segments lie in a buffer (the received chunk itself, or one
 * copy when the frame was split across chunks). Frames of one chunk share the chunk's DataView.
 */
export class Frame {
  /**
   * A DataView over exactly `bytes`: the one given (a chunk's, shared by its frames), or a new
   * one. A field, not a lazy getter: every frame is read through it, and a getter is one more
   * function per message (docs/PERFORMANCE.md, "Code footprint").
   */
  readonly dv: DataView;

  constructor(
    /** The buffer holding the segments. */
    readonly bytes: Uint8Array,
    /** Segment i is bytes[bounds[i] .. bounds[i + 1]). */
    readonly bounds: readonly number[],
    /** Size of the whole frame on the wire, header included. */
    readonly byteLength: number,
    dv: DataView | null = null,
  ) {
    this.dv = dv ?? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.lent = false;
  }

  /**
   * `bytes` is a view of a transient chunk (FrameReader.pushTransient with `lend`): valid only
   * until the chunk's memory is reused, so whoever keeps the frame's content copies it first.
   */
  lent: boolean;

  /** The segments, as views of `bytes`. */
  get segments(): Uint8Array[] {
    return segmentViews(this.bytes, this.bounds);
  }
}

/** Segment i as bytes[bounds[i] .. bounds[i + 1]), for each i: views, no copy. */
export function segmentViews(bytes: Uint8Array, bounds: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) out.push(bytes.subarray(bounds[i], bounds[i + 1]));
  return out;
}

/** Frames at least this long that a transient chunk starts are assembled in their own buffer. */
const ASSEMBLE_MIN = 4096;
const DEFAULT_LEND_FROM = 4096;
/** An assembly buffer starts at up to this size, or 32 times what has arrived, whichever is larger. */
const ASSEMBLE_UPFRONT = 256 * 1024;
const ASSEMBLE_FACTOR = 32;

const NO_FRAMES: Frame[] = [];
Object.freeze(NO_FRAMES);
/** What a consumed chunk's slot in FrameReader.queue holds until the queue is emptied or trimmed. */
const CONSUMED = new Uint8Array(0);

function u32At(b: Uint8Array, i: number): number {
  return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
}

function checkSegmentCount(countMinus1: number, maxSegments: number): number {
  // countMinus1 + 1 can overflow u32 in C++; here it is just a large number, refused alike.
  if (countMinus1 + 1 > maxSegments) {
    throw new CapnpFormatError(
      "TOO_MANY_SEGMENTS",
      `frame announces ${countMinus1 + 1} segments; the limit is ${maxSegments}`,
    );
  }
  return countMinus1 + 1;
}

/** Bytes taken by the header of a frame with `segmentCount` segments. */
export function frameHeaderBytes(segmentCount: number): number {
  return (4 + 4 * segmentCount + 7) & ~7;
}

/** Sum of the segment sizes (bytes) announced by a complete header at `b[at..]`, unchecked. */
function announcedSegmentBytes(b: Uint8Array, at: number, segmentCount: number): number {
  let words = 0;
  for (let i = 0; i < segmentCount; i++) words += u32At(b, at + 4 + 4 * i);
  return words * 8;
}

/** Sum of the segment sizes (bytes) announced by a complete header at `b[0..]`, within the limit. */
function segmentBytesFromHeader(b: Uint8Array, segmentCount: number, maxFrameBytes: number): number {
  return checkFrameBytes(announcedSegmentBytes(b, 0, segmentCount), maxFrameBytes);
}

function checkFrameBytes(bytes: number, maxFrameBytes: number): number {
  if (bytes > maxFrameBytes) throw frameTooLarge(bytes, maxFrameBytes);
  return bytes;
}

function frameTooLarge(bytes: number, max: number): CapnpFormatError {
  return new CapnpFormatError("FRAME_TOO_LARGE", `frame announces ${bytes} bytes of segments; the limit is ${max}`);
}

/** Segment bounds of the frame starting at bytes[at] (its header already checked). */
function segmentBounds(bytes: Uint8Array, at: number, segmentCount: number, headerBytes: number): number[] {
  let pos = at + headerBytes;
  if (segmentCount === 1) return [pos, pos + u32At(bytes, at + 4) * 8];
  const bounds = new Array<number>(segmentCount + 1);
  bounds[0] = pos;
  for (let i = 0; i < segmentCount; i++) {
    pos += u32At(bytes, at + 4 + 4 * i) * 8;
    bounds[i + 1] = pos;
  }
  return bounds;
}

/** The frame of `length` bytes at chunk[at], whose header frameLength() has checked, as a view of the chunk. */
function lentFrame(chunk: Uint8Array, at: number, length: number): Frame {
  const bytes = chunk.subarray(at, at + length);
  const count = u32At(bytes, 0) + 1;
  const frame = new Frame(bytes, segmentBounds(bytes, 0, count, frameHeaderBytes(count)), length);
  frame.lent = true;
  return frame;
}

/**
 * Incremental frame reader: feed it the chunks of a byte stream in order, get back the frames
 * that are complete. After it throws (a limit or a malformed header) it stays failed.
 */
export class FrameReader {
  private readonly maxFrameBytes: number;
  private readonly maxSegments: number;
  private readonly lendFrom: number;
  private queue: Uint8Array[] = [];
  private qHead = 0;
  /** Offset of the first unconsumed byte in queue[qHead]. */
  private qOff = 0;
  private buffered = 0;
  /** 0: need the first word; 1: need the whole header; 2: need the whole frame. */
  private stage = 0;
  private segmentCount = 0;
  private headerBytes = 0;
  private frameBytes = 0;
  private failure: CapnpFormatError | null = null;
  /** The DataView of the chunk the last in-place frame came from (shared by its frames). */
  private headView: DataView | null = null;
  private headViewOf: Uint8Array | null = null;
  /** A large frame being filled from transient chunks (pushTransient), header included. */
  private assembling: Uint8Array | null = null;
  /** Bytes of it received so far, and its whole length (the buffer may still be shorter). */
  private assembled = 0;
  private assembleLength = 0;

  constructor(limits: FrameLimits = {}) {
    this.maxFrameBytes = limits.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.maxSegments = limits.maxSegments ?? DEFAULT_MAX_SEGMENTS;
    this.lendFrom = limits.lendFrom ?? DEFAULT_LEND_FROM;
  }

  /** Bytes received but not yet handed out as part of a frame. */
  get bufferedBytes(): number {
    return this.buffered + this.assembled;
  }

  /**
   * Bytes the reader keeps reachable for frames to come: the assembly buffer's size, or else the
   * chunks it still references whole (a chunk of push() stays until its last byte is consumed).
   */
  get retainedBytes(): number {
    if (this.assembling !== null) return this.assembling.length;
    let n = 0;
    for (const chunk of this.queue) n += chunk.length;
    return n;
  }

  /** Adds a chunk, which the reader may keep; returns the frames it completed (often none, often one). */
  push(chunk: Uint8Array): Frame[] {
    if (this.failure) throw this.failure;
    if (this.assembling !== null) return this.pushTransient(chunk);
    const n = chunk.length;
    if (n === 0) return NO_FRAMES;
    let out: Frame[] = NO_FRAMES;
    let at = 0;
    if (this.buffered === 0) {
      // The usual case, in one loop: nothing buffered, and the chunk starts with whole
      // single-segment frames within the limit, described in place (a call runs cold and pays
      // per function it runs: docs/PERFORMANCE.md, "Code footprint"). Whatever is left, and
      // every check that can fail, is the general path's below.
      const max = this.maxFrameBytes;
      let dv: DataView | null = null;
      while (n - at >= 8 && (chunk[at]! | chunk[at + 1]! | chunk[at + 2]! | chunk[at + 3]!) === 0) {
        const bytes = ((chunk[at + 4]! | (chunk[at + 5]! << 8) | (chunk[at + 6]! << 16) | (chunk[at + 7]! << 24)) >>> 0) * 8;
        if (bytes > max || n - at - 8 < bytes) break;
        dv ??= new DataView(chunk.buffer, chunk.byteOffset, n);
        if (out === NO_FRAMES) out = [];
        out.push(new Frame(chunk, [at + 8, at + 8 + bytes], 8 + bytes, dv));
        at += 8 + bytes;
      }
      if (at === n) return out;
      if (dv !== null) {
        this.headView = dv;
        this.headViewOf = chunk;
      }
    }
    this.queue.push(chunk);
    if (at > 0) this.qOff = at; // the queue was empty: the chunk is its head
    this.buffered += n - at;
    try {
      for (;;) {
        if (this.stage === 0) {
          if (this.buffered < 8) break;
          // The first word holds the segment count and segment 0's size: enough to refuse early.
          this.segmentCount = checkSegmentCount(this.u32(0), this.maxSegments);
          this.headerBytes = frameHeaderBytes(this.segmentCount);
          const segment0 = this.u32(4) * 8;
          if (segment0 > this.maxFrameBytes) throw frameTooLarge(segment0, this.maxFrameBytes);
          this.stage = 1;
        }
        if (this.stage === 1) {
          if (this.buffered < this.headerBytes) break;
          // A single-segment header is the first word, read already; only longer ones are copied.
          const segmentBytes = this.segmentCount === 1
            ? checkFrameBytes(this.u32(4) * 8, this.maxFrameBytes)
            : segmentBytesFromHeader(this.peek(this.headerBytes), this.segmentCount, this.maxFrameBytes);
          this.frameBytes = this.headerBytes + segmentBytes;
          this.stage = 2;
        }
        if (this.buffered < this.frameBytes) break;
        if (out === NO_FRAMES) out = [];
        out.push(this.takeFrame());
        this.stage = 0;
      }
    } catch (e) {
      if (e instanceof CapnpFormatError) {
        this.failure = e;
        this.queue = [];
        this.qHead = this.qOff = this.buffered = 0;
        this.headView = this.headViewOf = null;
      }
      throw e;
    }
    return out;
  }

  /**
   * Like push(), for a chunk that is valid only during this call (the caller reuses its memory):
   * whatever is kept is copied. A large frame the chunk leaves incomplete is assembled in a
   * buffer of its own (see the top of this file). With `lend`, a frame of at least `lendFrom`
   * bytes that lies wholly in the chunk is not copied but lent: a view of the chunk, marked
   * `lent`, for a caller that reads it before the chunk's memory is reused and copies only
   * what it keeps beyond that (core/rpc/wire.ts).
   */
  pushTransient(chunk: Uint8Array, lend = false): Frame[] {
    if (this.failure) throw this.failure;
    const n = chunk.length;
    // The usual small read (a call's messages): copied whole, as push() would have it.
    if (this.assembling === null && this.buffered === 0 && n < (lend ? Math.min(this.lendFrom, ASSEMBLE_MIN) : ASSEMBLE_MIN)) return this.pushCopy(chunk, 0, NO_FRAMES);
    let at = 0;
    let done: Frame[] = NO_FRAMES;
    while (at < n) {
      let big = this.assembling;
      if (big !== null) {
        const k = Math.min(n - at, this.assembleLength - this.assembled);
        if (this.assembled + k > big.length) big = this.growAssembly(this.assembled + k);
        big.set(chunk.subarray(at, at + k), this.assembled);
        this.assembled += k;
        at += k;
        if (this.assembled < this.assembleLength) break;
        this.assembling = null;
        this.assembled = 0;
        const count = u32At(big, 0) + 1; // checked when its header was read
        const frame = new Frame(big, segmentBounds(big, 0, count, frameHeaderBytes(count)), big.length);
        if (done === NO_FRAMES) done = [frame];
        else done.push(frame);
      } else if (this.buffered > 0) {
        // A frame begun in an earlier chunk: assembled if it is large, else fed what it lacks.
        if (this.stage === 2 && this.frameBytes >= ASSEMBLE_MIN) {
          this.assembleQueued(n - at);
          continue;
        }
        const k = Math.min(n - at, Math.max(1, this.lacking()));
        done = this.pushCopy(chunk.subarray(0, at + k), at, done);
        at += k;
      } else {
        // Whole frames first (the large ones lent, if asked), then the frame the chunk leaves
        // incomplete, if it is large. `at` is where the frames not yet handed out start.
        let end = at;
        let length = 0;
        while (end < n) {
          length = this.frameLength(chunk, end);
          if (length < 0 || end + length > n) break;
          if (lend && length >= this.lendFrom) {
            if (end > at) done = this.pushCopy(chunk.subarray(0, end), at, done);
            if (done === NO_FRAMES) done = [];
            done.push(lentFrame(chunk, end, length));
            at = end + length;
          }
          end += length;
        }
        if (end === n || length < ASSEMBLE_MIN) return this.pushCopy(chunk, at, done);
        if (end > at) done = this.pushCopy(chunk.subarray(0, end), at, done);
        this.startAssembly(length, n);
        at = end;
      }
    }
    return done;
  }

  /** Bytes the frame queued so far still lacks to reach its next stage (header word, header, frame). */
  private lacking(): number {
    if (this.stage === 0) return 8 - this.buffered;
    return (this.stage === 1 ? this.headerBytes : this.frameBytes) - this.buffered;
  }

  /**
   * Moves the large frame begun in the queue to a buffer of its own, to be filled by
   * pushTransient() from the read at hand (`arriving` bytes of it not yet taken).
   */
  private assembleQueued(arriving: number): void {
    const n = this.buffered;
    const frame = this.startAssembly(this.frameBytes, n + arriving);
    this.copyQueued(frame, n);
    this.assembled = n;
    this.queue = [];
    this.qHead = this.qOff = this.buffered = 0;
    this.stage = 0;
    this.headView = this.headViewOf = null;
  }

  /** A buffer for a frame of `length` bytes, sized by `received`, what the peer has sent of late (see the top of this file). */
  private startAssembly(length: number, received: number): Uint8Array {
    // Not zero-filled: the frame is handed out only once all `length` bytes have arrived in it.
    const buffer = freshBytes(Math.min(length, Math.max(ASSEMBLE_UPFRONT, ASSEMBLE_FACTOR * received)));
    this.assembling = buffer;
    this.assembled = 0;
    this.assembleLength = length;
    return buffer;
  }

  /** The assembly buffer, grown to hold at least `need` bytes (at most the frame's length). */
  private growAssembly(need: number): Uint8Array {
    const old = this.assembling!;
    const next = freshBytes(Math.min(this.assembleLength, Math.max(need, 2 * old.length)));
    next.set(old.subarray(0, this.assembled));
    this.assembling = next;
    return next;
  }

  /** push() of a copy of chunk[at..], after the frames already completed (`done`). */
  private pushCopy(chunk: Uint8Array, at: number, done: Frame[]): Frame[] {
    if (at === chunk.length) return done;
    const frames = this.push(copyOut(at === 0 ? chunk : chunk.subarray(at), chunk.length - at));
    if (done === NO_FRAMES) return frames;
    for (const f of frames) done.push(f);
    return done;
  }

  /**
   * Length of the frame starting at chunk[at], header included, when its header lies in the
   * chunk and is within the limits; else -1 (push() then refuses it, or waits for more).
   */
  private frameLength(chunk: Uint8Array, at: number): number {
    if (chunk.length - at < 8) return -1;
    const count = u32At(chunk, at) + 1;
    if (count > this.maxSegments) return -1;
    const headerBytes = frameHeaderBytes(count);
    if (chunk.length - at < headerBytes) return -1;
    const segmentBytes = announcedSegmentBytes(chunk, at, count);
    return segmentBytes > this.maxFrameBytes ? -1 : headerBytes + segmentBytes;
  }

  /** Call when the stream ended: throws if a frame was cut short. */
  end(): void {
    if (this.failure) throw this.failure;
    if (this.buffered > 0 || this.assembling !== null) {
      throw new CapnpFormatError(
        "TRUNCATED",
        `stream ended inside a frame (${this.bufferedBytes} bytes of an incomplete frame)`,
      );
    }
  }

  /** The little-endian u32 at `at` bytes past the next unconsumed byte (which must be buffered). */
  private u32(at: number): number {
    const head = this.queue[this.qHead]!;
    const i = this.qOff + at;
    if (i + 4 <= head.length) return u32At(head, i);
    return u32At(this.peek(at + 4), at); // straddles chunks: rare
  }

  /** The next n buffered bytes, contiguous: a view when they lie in one chunk, else a copy. */
  private peek(n: number): Uint8Array {
    const head = this.queue[this.qHead]!;
    if (head.length - this.qOff >= n) return head.subarray(this.qOff, this.qOff + n);
    return this.gather(n);
  }

  /** A copy of the next n buffered bytes, which span several chunks. */
  private gather(n: number): Uint8Array {
    const out = freshBytes(n); // all n bytes copied in below
    this.copyQueued(out, n);
    return out;
  }

  /** Copies the next n buffered bytes to the start of `out` (not consuming them). */
  private copyQueued(out: Uint8Array, n: number): void {
    let filled = 0;
    let off = this.qOff;
    for (let i = this.qHead; filled < n; i++) {
      const c = this.queue[i]!;
      const k = Math.min(c.length - off, n - filled);
      out.set(c.subarray(off, off + k), filled);
      filled += k;
      off = 0;
    }
  }

  /**
   * Consumes the complete frame at the front. One that lies inside the head chunk is described
   * in place (no view, no copy; the chunk's DataView is shared by its frames); one that spans
   * chunks is copied once.
   */
  private takeFrame(): Frame {
    const n = this.frameBytes;
    const head = this.queue[this.qHead]!;
    let frame: Frame;
    if (head.length - this.qOff >= n) {
      if (this.headView === null || this.headViewOf !== head) {
        this.headView = new DataView(head.buffer, head.byteOffset, head.byteLength);
        this.headViewOf = head;
      }
      frame = new Frame(head, segmentBounds(head, this.qOff, this.segmentCount, this.headerBytes), n, this.headView);
    } else {
      const bytes = this.gather(n);
      frame = new Frame(bytes, segmentBounds(bytes, 0, this.segmentCount, this.headerBytes), n);
    }
    this.consume(n);
    return frame;
  }

  /** Drops the next n buffered bytes. */
  private consume(n: number): void {
    this.buffered -= n;
    let left = n;
    while (left > 0) {
      const c = this.queue[this.qHead]!;
      const avail = c.length - this.qOff;
      if (avail > left) {
        this.qOff += left;
        break;
      }
      left -= avail;
      // Let the consumed chunk go now: with a frame always left incomplete at the end of a read,
      // the queue may not empty for a long time, and it held up to 64 consumed chunks. Its
      // frames keep their own DataView; the reader's is only for more frames from it.
      if (c === this.headViewOf) this.headView = this.headViewOf = null;
      this.queue[this.qHead++] = CONSUMED;
      this.qOff = 0;
    }
    if (this.qHead === this.queue.length) {
      this.queue = [];
      this.qHead = 0;
      this.headView = null;
      this.headViewOf = null;
    } else if (this.qHead > 64 && this.qHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.qHead);
      this.qHead = 0;
    }
  }
}

/** Splits a buffer holding exactly one frame. Views, no copy. */
export function parseFrame(bytes: Uint8Array, limits: FrameLimits = {}): Frame {
  const maxSegments = limits.maxSegments ?? DEFAULT_MAX_SEGMENTS;
  const maxFrameBytes = limits.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  if (bytes.length < 8) {
    throw new CapnpFormatError("TRUNCATED", `frame of ${bytes.length} bytes is shorter than its header`);
  }
  const segmentCount = checkSegmentCount(u32At(bytes, 0), maxSegments);
  const headerBytes = frameHeaderBytes(segmentCount);
  if (bytes.length < headerBytes) {
    throw new CapnpFormatError("TRUNCATED", `frame of ${bytes.length} bytes is shorter than its header`);
  }
  const total = headerBytes + segmentBytesFromHeader(bytes, segmentCount, maxFrameBytes);
  if (bytes.length < total) {
    throw new CapnpFormatError("TRUNCATED", `frame announces ${total} bytes but has ${bytes.length}`);
  }
  if (bytes.length > total) {
    throw new CapnpFormatError("TRAILING_BYTES", `${bytes.length - total} bytes follow the frame`);
  }
  return new Frame(bytes, segmentBounds(bytes, 0, segmentCount, headerBytes), total);
}

/** Frames segments (each a multiple of 8 bytes long) into one new buffer. */
export function encodeFrame(segments: readonly Uint8Array[]): Uint8Array {
  if (segments.length === 0) throw new RangeError("a message has at least one segment");
  const headerBytes = frameHeaderBytes(segments.length);
  let total = headerBytes;
  for (const s of segments) {
    if ((s.length & 7) !== 0) throw new RangeError("segment length must be a multiple of 8");
    total += s.length;
  }
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, segments.length - 1, true);
  let pos = headerBytes;
  for (let i = 0; i < segments.length; i++) {
    dv.setUint32(4 + 4 * i, segments[i]!.length / 8, true);
    out.set(segments[i]!, pos);
    pos += segments[i]!.length;
  }
  return out;
}

/** Joins pieces (as returned by encodeRpcMessage / MessageBuilder.finish) into one buffer. */
export function concatPieces(pieces: readonly Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0]!;
  let total = 0;
  for (const p of pieces) total += p.length;
  const out = new Uint8Array(total);
  let pos = 0;
  for (const p of pieces) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}
