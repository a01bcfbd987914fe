// Writing a small message in one pass, without the builder. A call's messages have fixed shapes
// (docs/PERFORMANCE.md, "Code footprint": a cold call pays for every distinct function it runs),
// so the RPC codec lays out a Call or Return itself and asks its content to do the same: the
// content says how many bytes its objects take, then writes them at a given place in a zeroed
// buffer, in the order the builder would have allocated them. The bytes are the builder's bytes;
// test/capnp-flat.test.ts compares the two for every shape.

import type { PointerBuilder } from "./builder.ts";

/** A Payload's content that can be written by the builder (`write`) or in one pass (`writeFlat`). */
export interface ContentWriter {
  /** Writes the content at pointer p of a message being built. */
  write(p: PointerBuilder): void;
  /** Bytes the content's objects take when written flat (a multiple of 8), or -1: use write(). */
  flatBytes(): number;
  /**
   * Writes the objects at bytes[at ..) (zeroed, flatBytes() long) and the pointer to them at
   * bytes[p ..), exactly as write() would have laid them out starting at `at`. It must not
   * encode a message itself (the codec's one-pass buffer is in use).
   */
  writeFlat(dv: DataView, bytes: Uint8Array, p: number, at: number): void;
}

/** The builder's data fields up to this length go flat; longer ones stay uncopied (builder.ts). */
export const FLAT_DATA_MAX = 1024;

/** A struct pointer at p to a struct at `at` (the builder's encoding, empty structs included). */
export function structPointer(dv: DataView, p: number, at: number, dataWords: number, ptrCount: number): void {
  if (dataWords === 0 && ptrCount === 0) {
    dv.setUint32(p, 0xfffffffc, true);
    return;
  }
  dv.setInt32(p, ((at - p - 8) >> 3) << 2, true);
  dv.setUint32(p + 4, (dataWords | (ptrCount << 16)) >>> 0, true);
}

/** A list pointer at p to a list at `at` (element size 1..6; 7 with `count` = words). */
export function listPointer(dv: DataView, p: number, at: number, elementSize: number, count: number): void {
  dv.setInt32(p, (((at - p - 8) >> 3) << 2) | 1, true);
  dv.setUint32(p + 4, (elementSize | (count << 3)) >>> 0, true);
}

/**
 * A composite list of `length` structs (dataWords, ptrCount) at `at`: its pointer at p and its
 * tag word. Returns the offset of element 0.
 */
export function structListAt(dv: DataView, p: number, at: number, length: number, dataWords: number, ptrCount: number): number {
  listPointer(dv, p, at, 7, length * (dataWords + ptrCount));
  dv.setUint32(at, (length << 2) >>> 0, true);
  dv.setUint32(at + 4, (dataWords | (ptrCount << 16)) >>> 0, true);
  return at + 8;
}

/** A capability pointer at p holding a cap-table index. */
export function capPointer(dv: DataView, p: number, index: number): void {
  dv.setUint32(p, 3, true);
  dv.setUint32(p + 4, index >>> 0, true);
}

/** Bytes a Data field of n bytes takes (padded to a word). */
export function dataBytes(n: number): number {
  return (n + 7) & ~7;
}

/** Bytes an ASCII Text field takes (NUL included, padded), or -1 if `s` is not all ASCII. */
export function asciiTextBytes(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return -1;
  return (s.length + 8) & ~7;
}

/** Writes an ASCII Text field (asciiTextBytes(s) >= 0) at `at` and its pointer at p. */
export function writeAsciiText(dv: DataView, bytes: Uint8Array, p: number, at: number, s: string): void {
  const n = s.length;
  listPointer(dv, p, at, 2, n + 1);
  for (let i = 0; i < n; i++) bytes[at + i] = s.charCodeAt(i);
}

/** Writes a Data field at `at` and its pointer at p. */
export function writeData(dv: DataView, bytes: Uint8Array, p: number, at: number, data: Uint8Array): void {
  listPointer(dv, p, at, 2, data.length);
  bytes.set(data, at);
}

// ---- reading
// The same shapes, read back in one pass. Each helper accepts only the plain case: a near
// pointer of the expected kind and size whose target lies inside the segment [start, end).
// Anything else (null where a value is needed, far pointers, other sizes, bad bounds) gives -1,
// and the caller takes the general reader (reader.ts), which reads it or refuses it with the
// right error. Callers charge the words they read to the message's traversal budget, as the
// general reader would have.

/** Where the struct (exactly dataWords, ptrCount; not both 0) at the pointer at p starts, or -1. */
export function nearStruct(dv: DataView, p: number, start: number, end: number, dataWords: number, ptrCount: number): number {
  const lo = dv.getInt32(p, true);
  if ((lo & 3) !== 0 || dv.getUint32(p + 4, true) !== (dataWords | (ptrCount << 16)) >>> 0) return -1;
  const at = p + 8 + (lo >> 2) * 8;
  return at >= start && at + (dataWords + ptrCount) * 8 <= end ? at : -1;
}

/** Where the byte list (Text or Data) at the pointer at p starts, or -1. Its length: byteListLength(dv, p). */
export function nearBytes(dv: DataView, p: number, start: number, end: number): number {
  const lo = dv.getInt32(p, true);
  const hi = dv.getUint32(p + 4, true);
  if ((lo & 3) !== 1 || (hi & 7) !== 2) return -1;
  const at = p + 8 + (lo >> 2) * 8;
  return at >= start && at + (hi >>> 3) <= end ? at : -1;
}

/** The element count of the list whose pointer is at p (byte lists: their length in bytes). */
export function listCount(dv: DataView, p: number): number {
  return dv.getUint32(p + 4, true) >>> 3;
}

/**
 * Where element 0 of the composite list (elements exactly dataWords, ptrCount; not both 0) at
 * the pointer at p starts, or -1. Its element count is in the tag word: compositeLength(dv, at).
 */
export function nearStructList(dv: DataView, p: number, start: number, end: number, dataWords: number, ptrCount: number): number {
  const lo = dv.getInt32(p, true);
  const hi = dv.getUint32(p + 4, true);
  if ((lo & 3) !== 1 || (hi & 7) !== 7) return -1;
  const words = hi >>> 3;
  const tag = p + 8 + (lo >> 2) * 8;
  if (tag < start || tag + 8 + words * 8 > end) return -1;
  const tagLo = dv.getUint32(tag, true);
  if ((tagLo & 3) !== 0 || dv.getUint32(tag + 4, true) !== (dataWords | (ptrCount << 16)) >>> 0) return -1;
  return (tagLo >>> 2) * (dataWords + ptrCount) <= words ? tag + 8 : -1;
}

/** The element count of a composite list whose element 0 is at `first`. */
export function compositeLength(dv: DataView, first: number): number {
  return dv.getUint32(first - 8, true) >>> 2;
}

/** True when the pointer at p is null. */
export function isNullPointer(dv: DataView, p: number): boolean {
  return dv.getUint32(p, true) === 0 && dv.getUint32(p + 4, true) === 0;
}
