// Reading Cap'n Proto messages in place: no copies, no schema, no Proxies. A MessageReader wraps
// the segments of one received frame; StructReader / ListReader / PointerReader are small handles
// (segment + byte offsets) that hand-written codecs use to pull fields out.
//
// Every pointer is checked the way capnp's C++ reader checks it: the target must lie inside its
// segment, far and double-far landing pads must exist and be well-formed, the pointer must have the
// expected kind, every object read is charged against a traversal budget (default 8M words = 64 MiB,
// so repeated pointers to one big object cannot amplify work), list of zero-sized elements are
// charged one word per element, and pointer nesting is limited (default 64, which also stops
// cycles). Any violation throws CapnpFormatError; nothing else is thrown for hostile bytes.
//
// Struct fields are read by byte offset (bit offset for Bool) with an optional default that is
// XORed in, exactly as the schema compiler lays them out; a field beyond a (smaller, older) struct's
// data section reads as its default, and a pointer beyond its pointer section reads as null.

import { CapnpFormatError } from "./errors.ts";
import type { Frame } from "./framing.ts";
import { parseFrame, segmentViews } from "./framing.ts";
import { readUtf8 } from "./utf8.ts";
import { copyOut } from "./output.ts";

export const DEFAULT_TRAVERSAL_LIMIT_WORDS = 8 * 1024 * 1024;
export const DEFAULT_NESTING_LIMIT = 64;

export interface ReaderOptions {
  /** Words the reader may visit in this message before it throws TRAVERSAL_LIMIT. Default 8Mi. */
  traversalLimitWords?: number;
  /** Pointer nesting depth before it throws DEPTH_LIMIT. Default 64. */
  nestingLimit?: number;
}

/** List element size codes, as in the pointer's C field. */
export const ElementSize = {
  VOID: 0,
  BIT: 1,
  BYTE: 2,
  TWO_BYTES: 3,
  FOUR_BYTES: 4,
  EIGHT_BYTES: 5,
  POINTER: 6,
  INLINE_COMPOSITE: 7,
} as const;
export type ElementSize = (typeof ElementSize)[keyof typeof ElementSize];

/** Data bytes per element for each element size (bit lists are special-cased). */
const ELEMENT_BYTES = [0, 0, 1, 2, 4, 8, 0, 0];
const ELEMENT_BITS = [0, 1, 8, 16, 32, 64, 64, 0];

export type PointerKind = "null" | "struct" | "list" | "capability" | "other";
const KIND_NAMES = ["struct", "list", "far", "capability"] as const;

function outOfBounds(what: string): CapnpFormatError {
  return new CapnpFormatError("POINTER_OUT_OF_BOUNDS", `${what} points outside its segment`);
}

function wrongKind(expected: string, kind: number): CapnpFormatError {
  return new CapnpFormatError("BAD_POINTER", `expected a ${expected} pointer, found a ${KIND_NAMES[kind]} pointer`);
}

function depthExceeded(): CapnpFormatError {
  return new CapnpFormatError("DEPTH_LIMIT", "message is too deeply nested (or contains a pointer cycle)");
}

const RETIRED = new Uint8Array(0);
const RETIRED_VIEW = new DataView(RETIRED.buffer);

/**
 * The segments of one received message, the traversal budget, and the pointer-following core.
 * All segments lie in one buffer (`bytes`, usually the received chunk itself, shared by every
 * message that arrived in it): segment i is bytes[bounds[i] .. bounds[i + 1]), and every offset
 * the readers hold is a position in `bytes`, checked against its segment's bounds. So reading a
 * message costs no view or copy of its own.
 */
export class MessageReader {
  /** Rebound only by keep() and retire() (every reader of the message reads through these two). */
  bytes: Uint8Array;
  dv: DataView;
  /** `bytes` is a view of a lent frame (framing.ts): see keep() and retire(). */
  lent: boolean;
  /** Segment i spans bytes[bounds[i] .. bounds[i + 1]). */
  readonly bounds: readonly number[];
  readonly nestingLimit: number;
  private budget: number;
  /** Results of resolve(): segment, content byte offset, and the (landing) pointer's two words. */
  private rSeg = 0;
  private rOff = 0;
  private rLo = 0;
  private rHi = 0;

  /** `dv` must view exactly `bytes` (pass it when several messages share one buffer). */
  constructor(bytes: Uint8Array, bounds: readonly number[], options?: ReaderOptions, dv?: DataView) {
    this.bytes = bytes;
    this.dv = dv ?? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.bounds = bounds;
    this.budget = options?.traversalLimitWords ?? DEFAULT_TRAVERSAL_LIMIT_WORDS;
    this.nestingLimit = options?.nestingLimit ?? DEFAULT_NESTING_LIMIT;
    this.lent = false;
  }

  /** A reader over a frame (as produced by FrameReader) or a buffer holding exactly one frame. */
  static from(frame: Frame | Uint8Array, options?: ReaderOptions): MessageReader {
    const f = frame instanceof Uint8Array ? parseFrame(frame) : frame;
    const reader = new MessageReader(f.bytes, f.bounds, options, f.dv);
    reader.lent = f.lent;
    return reader;
  }

  /**
   * A lent message that is kept beyond the read it came in: its bytes are copied (same offsets)
   * and every reader of it reads the copy from now on. Struct and list readers made before this
   * still see the lent bytes: only pointer readers (a Payload's content) may be kept across it.
   */
  keep(): void {
    if (!this.lent) return;
    const copy = copyOut(this.bytes, this.bytes.length);
    this.bytes = copy;
    this.dv = new DataView(copy.buffer, copy.byteOffset, copy.byteLength);
    this.lent = false;
  }

  /**
   * A lent message its receiver is done with: any later read throws (a RangeError) instead of
   * reading whatever has reused the lent memory.
   */
  retire(): void {
    if (!this.lent) return;
    this.bytes = RETIRED;
    this.dv = RETIRED_VIEW;
    this.lent = false;
  }

  /** A reader over separate segment buffers (copied into one; for tests and tools). */
  static ofSegments(segments: readonly Uint8Array[], options?: ReaderOptions): MessageReader {
    let total = 0;
    for (const s of segments) total += s.length;
    const bytes = new Uint8Array(total);
    const bounds = [0];
    for (const s of segments) {
      bytes.set(s, bounds[bounds.length - 1]!);
      bounds.push(bounds[bounds.length - 1]! + s.length);
    }
    return new MessageReader(bytes, bounds, options);
  }

  /** The segments, as views of `bytes`. */
  get segments(): Uint8Array[] {
    return segmentViews(this.bytes, this.bounds);
  }

  /** Words left in the traversal budget. */
  get remainingBudget(): number {
    return this.budget;
  }

  /** The root pointer (first word of segment 0). */
  root(): PointerReader {
    return new PointerReader(this, 0, this.rootOffset(), this.nestingLimit);
  }

  /** The root struct, or null when the root pointer is null. */
  rootStruct(): StructReader | null {
    return this.readStruct(0, this.rootOffset(), this.nestingLimit);
  }

  private rootOffset(): number {
    const b = this.bounds;
    if (b.length < 2 || b[1]! - b[0]! < 8) throw new CapnpFormatError("TRUNCATED", "message has no root pointer");
    return b[0]!;
  }

  /** Charges `words` against the traversal budget. */
  charge(words: number): void {
    if ((this.budget -= words) < 0) {
      throw new CapnpFormatError(
        "TRAVERSAL_LIMIT",
        "message traversal exceeded the read limit (too large, or amplified by shared pointers)",
      );
    }
  }

  /**
   * Follows far pointers from the pointer word at byte p (of segment seg). Returns the kind of
   * the pointed object (0 struct, 1 list, 3 other/capability) or -1 for null, and leaves the
   * content location and the describing pointer words in rSeg/rOff/rLo/rHi (no allocation here).
   */
  private resolve(seg: number, p: number): number {
    const dv = this.dv;
    const lo = dv.getUint32(p, true);
    const hi = dv.getUint32(p + 4, true);
    const kind = lo & 3;
    if (kind !== 2) {
      if (lo === 0 && hi === 0) return -1;
      this.rSeg = seg;
      this.rOff = p + 8 + ((lo | 0) >> 2) * 8;
      this.rLo = lo;
      this.rHi = hi;
      return kind;
    }
    // Far pointer: hi is the landing pad's segment, lo[3..] its word offset, lo[2] double-far.
    const bounds = this.bounds;
    if (hi >= bounds.length - 1) {
      throw new CapnpFormatError("POINTER_OUT_OF_BOUNDS", `far pointer to missing segment ${hi}`);
    }
    const padOff = bounds[hi]! + (lo >>> 3) * 8;
    const double = (lo & 4) !== 0;
    if (padOff + (double ? 16 : 8) > bounds[hi + 1]!) throw outOfBounds("far pointer");
    this.charge(double ? 2 : 1);
    const plo = dv.getUint32(padOff, true);
    const phi = dv.getUint32(padOff + 4, true);
    if (!double) {
      const k = plo & 3;
      if (k === 2) throw new CapnpFormatError("BAD_POINTER", "far pointer lands on another far pointer");
      if (plo === 0 && phi === 0) return -1;
      this.rSeg = hi;
      this.rOff = padOff + 8 + ((plo | 0) >> 2) * 8;
      this.rLo = plo;
      this.rHi = phi;
      return k;
    }
    // Double-far: the pad is a far pointer to the content, followed by a tag describing it.
    if ((plo & 3) !== 2) {
      throw new CapnpFormatError("BAD_POINTER", "double-far landing pad does not start with a far pointer");
    }
    if (phi >= bounds.length - 1) {
      throw new CapnpFormatError("POINTER_OUT_OF_BOUNDS", `double-far pointer to missing segment ${phi}`);
    }
    const tlo = dv.getUint32(padOff + 8, true);
    const k = tlo & 3;
    if (k === 2) throw new CapnpFormatError("BAD_POINTER", "double-far tag is a far pointer");
    this.rSeg = phi;
    this.rOff = bounds[phi]! + (plo >>> 3) * 8;
    this.rLo = tlo;
    this.rHi = dv.getUint32(padOff + 12, true);
    return k;
  }

  /** Pointer kind at byte p (of segment seg) (following far pointers). */
  kindAt(seg: number, p: number): PointerKind {
    const k = this.resolve(seg, p);
    if (k === -1) return "null";
    if (k === 0) return "struct";
    if (k === 1) return "list";
    return (this.rLo >>> 2) === 0 ? "capability" : "other";
  }

  /** The struct at the pointer at byte p (of segment seg), or null. `depth` is the nesting still allowed. */
  readStruct(seg: number, p: number, depth: number): StructReader | null {
    const k = this.resolve(seg, p);
    if (k === -1) return null;
    if (depth <= 0) throw depthExceeded();
    if (k !== 0) throw wrongKind("struct", k);
    const hi = this.rHi;
    const dw = hi & 0xffff;
    const pc = hi >>> 16;
    const off = this.rOff;
    const s = this.rSeg;
    if (off < this.bounds[s]! || off + (dw + pc) * 8 > this.bounds[s + 1]!) throw outOfBounds("struct pointer");
    this.charge(dw + pc);
    return new StructReader(this, s, this.dv, off, dw * 8, off + dw * 8, pc, depth - 1);
  }

  /** The list at the pointer at byte p (of segment seg), or null. */
  readList(seg: number, p: number, depth: number): ListReader | null {
    const k = this.resolve(seg, p);
    if (k === -1) return null;
    if (depth <= 0) throw depthExceeded();
    if (k !== 1) throw wrongKind("list", k);
    const hi = this.rHi;
    const size = hi & 7;
    const count = hi >>> 3;
    const off = this.rOff;
    const s = this.rSeg;
    const segLen = this.bounds[s + 1]!;
    if (off < this.bounds[s]!) throw outOfBounds("list pointer");
    if (size === 7) {
      // Inline composite: `count` is the word count after the tag; the tag is a struct-shaped word
      // whose offset field holds the element count.
      if (off + 8 + count * 8 > segLen) throw outOfBounds("list pointer");
      this.charge(count + 1);
      const dv = this.dv;
      const tlo = dv.getUint32(off, true);
      const thi = dv.getUint32(off + 4, true);
      if ((tlo & 3) !== 0) {
        throw new CapnpFormatError("BAD_POINTER", "composite list tag is not a struct-shaped word");
      }
      const n = tlo >>> 2;
      const dw = thi & 0xffff;
      const pc = thi >>> 16;
      const per = dw + pc;
      if (n * per > count) {
        throw new CapnpFormatError("BAD_POINTER", "composite list elements overrun the list's word count");
      }
      if (per === 0) this.charge(n);
      return new ListReader(this, s, dv, off + 8, n, 7, per * 8, dw * 8, pc, depth - 1);
    }
    const bits = ELEMENT_BITS[size]!;
    const words = Math.ceil((count * bits) / 64);
    if (off + words * 8 > segLen) throw outOfBounds("list pointer");
    this.charge(size === 0 ? count : words);
    const pc = size === 6 ? 1 : 0;
    return new ListReader(this, s, this.dv, off, count, size as ElementSize, bits >>> 3, ELEMENT_BYTES[size]!, pc, depth - 1);
  }

  /**
   * Locates a byte list (Text/Data) at the pointer at byte p (of segment seg): returns its length and leaves its
   * segment/offset in rSeg/rOff, or returns -1 for null.
   */
  private readBlob(seg: number, p: number, what: string): number {
    const k = this.resolve(seg, p);
    if (k === -1) return -1;
    if (k !== 1) throw wrongKind("list", k);
    const hi = this.rHi;
    if ((hi & 7) !== 2) {
      throw new CapnpFormatError("BAD_POINTER", `expected a byte list for ${what}, found element size ${hi & 7}`);
    }
    const n = hi >>> 3;
    const off = this.rOff;
    if (off < this.bounds[this.rSeg]! || off + n > this.bounds[this.rSeg + 1]!) throw outOfBounds(`${what} pointer`);
    this.charge(Math.ceil(n / 8));
    return n;
  }

  /** The Text at the pointer at byte p (of segment seg) (decoded), or null. */
  readText(seg: number, p: number): string | null {
    const n = this.readBlob(seg, p, "text");
    if (n === -1) return null;
    const bytes = this.bytes;
    const off = this.rOff;
    if (n === 0 || bytes[off + n - 1] !== 0) {
      throw new CapnpFormatError("BAD_TEXT", "text is not NUL-terminated");
    }
    return readUtf8(bytes, off, off + n - 1);
  }

  /** The Data at the pointer at byte p (of segment seg) as a view into the message (no copy), or null. */
  readData(seg: number, p: number): Uint8Array | null {
    const n = this.readBlob(seg, p, "data");
    if (n === -1) return null;
    return this.bytes.subarray(this.rOff, this.rOff + n);
  }

  /** The capability-table index of the capability pointer at byte p (of segment seg), or null when null. */
  readCap(seg: number, p: number): number | null {
    const k = this.resolve(seg, p);
    if (k === -1) return null;
    if (k !== 3) throw wrongKind("capability", k);
    if ((this.rLo >>> 2) !== 0) {
      throw new CapnpFormatError("BAD_POINTER", "unknown kind of 'other' pointer (not a capability)");
    }
    return this.rHi;
  }
}

/** A struct inside a received message. Offsets are in bytes (Bool fields: bits). */
export class StructReader {
  constructor(
    readonly msg: MessageReader,
    readonly seg: number,
    readonly dv: DataView,
    /** Byte offset of the data section in the message's buffer. */
    readonly dataStart: number,
    /** Size of the data section in bytes. */
    readonly dataBytes: number,
    /** Byte offset of the pointer section in the message's buffer. */
    readonly ptrs: number,
    readonly ptrCount: number,
    /** Nesting still allowed below this struct. */
    readonly depth: number,
  ) {}

  bool(bit: number, def = false): boolean {
    const byte = bit >>> 3;
    if (byte >= this.dataBytes) return def;
    return (((this.dv.getUint8(this.dataStart + byte) >>> (bit & 7)) & 1) === 1) !== def;
  }
  u8(off: number, def = 0): number {
    return off + 1 <= this.dataBytes ? this.dv.getUint8(this.dataStart + off) ^ def : def;
  }
  i8(off: number, def = 0): number {
    return off + 1 <= this.dataBytes ? this.dv.getInt8(this.dataStart + off) ^ def : def;
  }
  u16(off: number, def = 0): number {
    return off + 2 <= this.dataBytes ? this.dv.getUint16(this.dataStart + off, true) ^ def : def;
  }
  i16(off: number, def = 0): number {
    return off + 2 <= this.dataBytes ? this.dv.getInt16(this.dataStart + off, true) ^ def : def;
  }
  u32(off: number, def = 0): number {
    return off + 4 <= this.dataBytes ? (this.dv.getUint32(this.dataStart + off, true) ^ def) >>> 0 : def;
  }
  i32(off: number, def = 0): number {
    return off + 4 <= this.dataBytes ? this.dv.getInt32(this.dataStart + off, true) ^ def : def;
  }
  u64(off: number, def = 0n): bigint {
    if (off + 8 > this.dataBytes) return def;
    const v = this.dv.getBigUint64(this.dataStart + off, true);
    return def === 0n ? v : v ^ def;
  }
  i64(off: number, def = 0n): bigint {
    if (off + 8 > this.dataBytes) return def;
    const v = this.dv.getBigInt64(this.dataStart + off, true);
    return def === 0n ? v : v ^ def;
  }
  f32(off: number): number {
    return off + 4 <= this.dataBytes ? this.dv.getFloat32(this.dataStart + off, true) : 0;
  }
  f64(off: number): number {
    return off + 8 <= this.dataBytes ? this.dv.getFloat64(this.dataStart + off, true) : 0;
  }

  /** True when pointer field i is present and non-null (does not follow it). */
  hasPtr(i: number): boolean {
    if (i >= this.ptrCount) return false;
    const p = this.ptrs + i * 8;
    return this.dv.getUint32(p, true) !== 0 || this.dv.getUint32(p + 4, true) !== 0;
  }
  /** A handle on pointer field i (an AnyPointer field, e.g. Payload.content). */
  ptr(i: number): PointerReader {
    return new PointerReader(this.msg, this.seg, i < this.ptrCount ? this.ptrs + i * 8 : -1, this.depth);
  }
  struct(i: number): StructReader | null {
    return i < this.ptrCount ? this.msg.readStruct(this.seg, this.ptrs + i * 8, this.depth) : null;
  }
  list(i: number): ListReader | null {
    return i < this.ptrCount ? this.msg.readList(this.seg, this.ptrs + i * 8, this.depth) : null;
  }
  text(i: number): string | null {
    return i < this.ptrCount ? this.msg.readText(this.seg, this.ptrs + i * 8) : null;
  }
  /** Data field i as a view into the received message (no copy). */
  data(i: number): Uint8Array | null {
    return i < this.ptrCount ? this.msg.readData(this.seg, this.ptrs + i * 8) : null;
  }
  /** Capability field i: its index in the message's cap table, or null. */
  cap(i: number): number | null {
    return i < this.ptrCount ? this.msg.readCap(this.seg, this.ptrs + i * 8) : null;
  }
}

/**
 * A list inside a received message. Lists of any element size can be read as lists of structs
 * (capnp's upgrade rules), and primitive getters on a struct list read each element's first field.
 */
export class ListReader {
  constructor(
    readonly msg: MessageReader,
    readonly seg: number,
    readonly dv: DataView,
    /** Byte offset of element 0 (after the tag for composite lists). */
    readonly off: number,
    readonly length: number,
    readonly elementSize: ElementSize,
    /** Bytes from one element to the next (0 for void and bit lists). */
    readonly step: number,
    /** Data bytes per element (0 for void, bit and pointer lists). */
    readonly dataBytes: number,
    /** Pointers per element. */
    readonly ptrCount: number,
    /** Nesting still allowed below this list's elements. */
    readonly depth: number,
  ) {}

  private at(i: number): number {
    if (i < 0 || i >= this.length || i !== Math.floor(i)) {
      throw new RangeError(`list index ${i} out of range (length ${this.length})`);
    }
    return this.off + i * this.step;
  }

  /** Element i as a struct (any element size except bit). */
  struct(i: number): StructReader {
    if (this.elementSize === 1) {
      throw new CapnpFormatError("BAD_POINTER", "a bit list cannot be read as a list of structs");
    }
    const e = this.at(i);
    return new StructReader(this.msg, this.seg, this.dv, e, this.dataBytes, e + this.dataBytes, this.ptrCount, this.depth);
  }
  bool(i: number): boolean {
    if (this.elementSize === 1) {
      this.at(i);
      return ((this.dv.getUint8(this.off + (i >>> 3)) >>> (i & 7)) & 1) === 1;
    }
    const e = this.at(i);
    return this.dataBytes >= 1 && (this.dv.getUint8(e) & 1) === 1;
  }
  u8(i: number): number {
    const e = this.at(i);
    return this.dataBytes >= 1 ? this.dv.getUint8(e) : 0;
  }
  u16(i: number): number {
    const e = this.at(i);
    return this.dataBytes >= 2 ? this.dv.getUint16(e, true) : 0;
  }
  u32(i: number): number {
    const e = this.at(i);
    return this.dataBytes >= 4 ? this.dv.getUint32(e, true) : 0;
  }
  i32(i: number): number {
    const e = this.at(i);
    return this.dataBytes >= 4 ? this.dv.getInt32(e, true) : 0;
  }
  u64(i: number): bigint {
    const e = this.at(i);
    return this.dataBytes >= 8 ? this.dv.getBigUint64(e, true) : 0n;
  }
  f64(i: number): number {
    const e = this.at(i);
    return this.dataBytes >= 8 ? this.dv.getFloat64(e, true) : 0;
  }
  /** The bytes of a byte list (List(UInt8)), as a view. */
  bytes(): Uint8Array {
    if (this.elementSize !== 2) throw new CapnpFormatError("BAD_POINTER", "not a byte list");
    return this.msg.bytes.subarray(this.off, this.off + this.length);
  }

  /** Byte offset of element i's first pointer, or -1 when elements have no pointers. */
  private ptrAt(i: number): number {
    const e = this.at(i);
    return this.ptrCount > 0 ? e + this.dataBytes : -1;
  }
  ptr(i: number): PointerReader {
    return new PointerReader(this.msg, this.seg, this.ptrAt(i), this.depth);
  }
  list(i: number): ListReader | null {
    const p = this.ptrAt(i);
    return p < 0 ? null : this.msg.readList(this.seg, p, this.depth);
  }
  text(i: number): string | null {
    const p = this.ptrAt(i);
    return p < 0 ? null : this.msg.readText(this.seg, p);
  }
  data(i: number): Uint8Array | null {
    const p = this.ptrAt(i);
    return p < 0 ? null : this.msg.readData(this.seg, p);
  }
  cap(i: number): number | null {
    const p = this.ptrAt(i);
    return p < 0 ? null : this.msg.readCap(this.seg, p);
  }
}

/**
 * A handle on one pointer inside a received message (an AnyPointer field such as a Payload's
 * content). Creating it reads nothing; each getter follows and checks the pointer.
 */
export class PointerReader {
  constructor(
    readonly msg: MessageReader,
    readonly seg: number,
    /** Byte offset of the pointer word, or -1 for an absent pointer (reads as null). */
    readonly off: number,
    /** Nesting still allowed for the pointed-to object. */
    readonly depth: number,
  ) {}

  isNull(): boolean {
    if (this.off < 0) return true;
    const dv = this.msg.dv;
    return dv.getUint32(this.off, true) === 0 && dv.getUint32(this.off + 4, true) === 0;
  }
  kind(): PointerKind {
    return this.off < 0 ? "null" : this.msg.kindAt(this.seg, this.off);
  }
  struct(): StructReader | null {
    return this.off < 0 ? null : this.msg.readStruct(this.seg, this.off, this.depth);
  }
  list(): ListReader | null {
    return this.off < 0 ? null : this.msg.readList(this.seg, this.off, this.depth);
  }
  text(): string | null {
    return this.off < 0 ? null : this.msg.readText(this.seg, this.off);
  }
  data(): Uint8Array | null {
    return this.off < 0 ? null : this.msg.readData(this.seg, this.off);
  }
  cap(): number | null {
    return this.off < 0 ? null : this.msg.readCap(this.seg, this.off);
  }
}
