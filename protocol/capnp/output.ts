// Where encoded messages are copied to on their way out. A builder's buffer is reused for the
// next message, so each finished message is copied once; small ones go into a shared slab, where
// a message queued right after another lands next to it, and a write of a whole turn's messages
// is then one view of the slab. Slab bytes handed out are never overwritten: a full slab is
// dropped and collected once its views are. A message laid out in one pass is written straight
// into the slab instead (reserve/commit), and is not copied at all.

import { freshBytes } from "../bytes.ts";

const SLAB_BYTES = 32 * 1024;
/** Larger messages get a buffer of their own (they would waste the rest of a slab). */
const SLAB_MAX_COPY = 4096;

/**
 * The current slab, as bytes, a DataView and 32-bit words; OutputQueue.reserve() hands out room
 * in it. Replaced when full: read it after reserve().
 */
export const slabInPlace = slabViews(new ArrayBuffer(SLAB_BYTES));
/** Always a multiple of 8, so a copy can go word by word. Bytes from here on are still zero. */
let slabPos = 0;

function slabViews(buffer: ArrayBuffer): { bytes: Uint8Array; view: DataView; words: Int32Array } {
  return { bytes: new Uint8Array(buffer), view: new DataView(buffer), words: new Int32Array(buffer) };
}

function newSlab(): void {
  Object.assign(slabInPlace, slabViews(new ArrayBuffer(SLAB_BYTES)));
  slabPos = 0;
}

/**
 * Copies src[0..n) into the slab; returns where it went (the slab may have been replaced).
 * `srcWords`, a view of src's whole buffer as 32-bit words (src must start at offset 0 of it),
 * lets a small copy go a word at a time: for a typical 40-200 byte message that is several
 * times faster than a view to copy from, and a byte loop is slower still.
 */
function slabCopy(src: Uint8Array, n: number, srcWords: Int32Array | null): number {
  if (slabPos + n > SLAB_BYTES) newSlab();
  const start = slabPos;
  if (srcWords !== null && (n & 3) === 0 && n <= 512) {
    const words = slabInPlace.words;
    const at = start >> 2;
    for (let i = 0, w = n >> 2; i < w; i++) words[at + i] = srcWords[i]!;
  } else {
    slabInPlace.bytes.set(src.subarray(0, n), start);
  }
  slabPos = (start + n + 7) & ~7;
  return start;
}

/** An exact-size copy of src[0..n) that nothing else will write to. */
export function copyOut(src: Uint8Array, n: number): Uint8Array {
  if (n > SLAB_MAX_COPY) {
    // Not slice(): its new buffer is zero-filled first (a memset of every large read: 3.5% of
    // an echo64k pair's perf samples on Node), and every byte is written here anyway.
    const copy = freshBytes(n);
    copy.set(n === src.length ? src : src.subarray(0, n));
    return copy;
  }
  const start = slabCopy(src, n, null);
  return slabInPlace.bytes.subarray(start, start + n);
}

/**
 * The framed messages of one connection waiting for the next write. Consecutive small messages
 * become one piece (one view of the slab, no per-message view); a large Data piece is kept by
 * reference and must not change until written.
 */
export class OutputQueue {
  private pieces: Uint8Array[] = [];
  /** The slab and byte range of the run of copies still being extended (runSlab null: none). */
  private runSlab: Uint8Array | null = null;
  private runStart = 0;
  private runEnd = 0;
  private large = false;

  get isEmpty(): boolean {
    return this.runSlab === null && this.pieces.length === 0;
  }

  /** A piece kept by reference (a large message or payload) is queued. */
  get holdsLarge(): boolean {
    return this.large;
  }

  /**
   * Appends a copy of src[0..n). `srcWords`: src's buffer as 32-bit words, when src starts at
   * offset 0 of its buffer (a builder's own buffer), for a faster copy.
   */
  append(src: Uint8Array, n: number, srcWords: Int32Array | null = null): void {
    if (n === 0) return;
    if (n > SLAB_MAX_COPY) {
      this.appendPiece(copyOut(src, n));
      return;
    }
    this.commit(slabCopy(src, n, srcWords), n);
  }

  /**
   * Room for a message of `n` bytes (a multiple of 8, at most 4 KiB) written in place, at the
   * returned offset of `slabInPlace`, where every byte is zero: a message laid out there is not
   * copied again (the one-pass Calls and Returns, Finish and Release: rpc-codec.ts). Then
   * commit(start, n) queues it, or discard(start, n) drops what a failed writer left there.
   * Nothing else may use the slab in between.
   */
  reserve(n: number): number {
    if (slabPos + n > SLAB_BYTES) {
      // Only here can a message fail to fit: a typed array drops writes past its end silently.
      if (n > SLAB_MAX_COPY) throw new RangeError(`OutputQueue.reserve: ${n} bytes is more than ${SLAB_MAX_COPY}`);
      newSlab();
    }
    return slabPos;
  }

  /** Queues the message written at `start` (from reserve(n), or copied there by append). */
  commit(start: number, n: number): void {
    slabPos = (start + n + 7) & ~7;
    const slab = slabInPlace.bytes;
    if (this.runSlab === slab && this.runEnd === start) {
      this.runEnd = start + n;
      return;
    }
    this.endRun();
    this.runSlab = slab;
    this.runStart = start;
    this.runEnd = start + n;
  }

  /** Gives up the room from reserve(n): it is passed over, never handed out, so the slab stays zero past slabPos. */
  discard(start: number, n: number): void {
    slabPos = (start + n + 7) & ~7;
  }

  /** Appends `piece` itself (not copied). */
  appendPiece(piece: Uint8Array): void {
    this.endRun();
    this.large = true;
    this.pieces.push(piece);
  }

  /** Everything queued, in order; the queue is empty afterwards. */
  take(): Uint8Array[] {
    this.endRun();
    const pieces = this.pieces;
    this.pieces = [];
    this.large = false;
    return pieces;
  }

  private endRun(): void {
    if (this.runSlab === null) return;
    this.pieces.push(this.runSlab.subarray(this.runStart, this.runEnd));
    this.runSlab = null;
  }
}
