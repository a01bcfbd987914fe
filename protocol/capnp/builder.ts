// Building Cap'n Proto messages by hand, fast: one growable segment, bump allocation, objects laid
// out in the order they are initialised, and exact-size framed output.
//
// A MessageBuilder is meant to be reused: finish() copies the used bytes (header included) into one
// exact-size output (a view carved from a shared slab for small messages, since an ArrayBuffer per
// message costs more than the encoding) and zeroes what it used, so steady-state encoding
// allocates only that view.
// A Data field at least `deferDataBytes` long is not copied at all while it is the last thing in
// the message: finish() then returns [head, thatData, padding] pieces, so a 64 KiB payload goes to
// the transport as the caller's own view. (The caller must not modify such data until the pieces
// have been written.) Any later allocation copies it into place, so correctness never depends on it.
//
// Builders are plain handles (absolute byte offsets into the builder's buffer); they stay valid when
// the buffer grows. Views returned by initData() do not: fill them before the next allocation.

import { CapnpFormatError } from "./errors.ts";
import type { PointerReader, StructReader } from "./reader.ts";
import { ElementSize } from "./reader.ts";
import { utf8Length, writeUtf8 } from "./utf8.ts";
import { copyOut, type OutputQueue } from "./output.ts";

export interface BuilderOptions {
  /** Initial buffer size in bytes. Default 1 KiB. */
  initialBytes?: number;
  /** Data fields at least this long are emitted as their own piece when last. Default 4 KiB. */
  deferDataBytes?: number;
  /** After finish(), a buffer that grew beyond this is dropped rather than kept. Default 1 MiB. */
  retainBytes?: number;
}

/** One segment may hold at most this many bytes (keeps every word offset within 2^28). */
const MAX_SEGMENT_BYTES = 2 ** 31 - 8;
/** Frame header of a single-segment message occupies the first 8 bytes of the buffer. */
const HEADER = 8;
const ZEROS = new Uint8Array(8);

const LIST_BITS = [0, 1, 8, 16, 32, 64, 64];

function tooLarge(bytes: number): CapnpFormatError {
  return new CapnpFormatError("MESSAGE_TOO_LARGE", `message of ${bytes} bytes does not fit in one segment`);
}

export class MessageBuilder {
  /** The buffer: frame header (8 bytes), then the segment. Replaced when it grows. */
  buf: Uint8Array;
  dv: DataView;
  /** buf as 32-bit words (for copying a finished message out). */
  private words: Int32Array;
  /** Logical end of the segment (absolute offset into buf). */
  private end = HEADER + 8;
  /** Deferred Data (not yet copied) occupying [pendingOff, end) of the logical segment. */
  private pending: Uint8Array | null = null;
  private pendingOff = 0;
  private readonly initialBytes: number;
  private readonly deferDataBytes: number;
  private readonly retainBytes: number;

  constructor(options: BuilderOptions = {}) {
    this.initialBytes = Math.max(64, (options.initialBytes ?? 1024) & ~7);
    this.deferDataBytes = options.deferDataBytes ?? 4096;
    this.retainBytes = options.retainBytes ?? 1024 * 1024;
    this.buf = new Uint8Array(this.initialBytes);
    this.dv = new DataView(this.buf.buffer);
    this.words = new Int32Array(this.buf.buffer);
  }

  /** Bytes of segment used so far. */
  get segmentBytes(): number {
    return this.end - HEADER;
  }

  /** The root pointer. */
  root(): PointerBuilder {
    return new PointerBuilder(this, HEADER);
  }

  /** Allocates the root struct. */
  initRoot(dataWords: number, ptrCount: number): StructBuilder {
    return this.initStructAt(HEADER, dataWords, ptrCount);
  }

  /** Allocates `bytes` (a multiple of 8) of zeroed segment space; returns its absolute offset. */
  alloc(bytes: number): number {
    if (this.pending !== null) this.materialize();
    const off = this.end;
    const end = off + bytes;
    if (end > this.buf.length) this.grow(end);
    this.end = end;
    return off;
  }

  private grow(min: number): void {
    if (min - HEADER > MAX_SEGMENT_BYTES) throw tooLarge(min - HEADER);
    let cap = this.buf.length * 2;
    while (cap < min) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pending !== null ? this.pendingOff : this.end));
    this.buf = next;
    this.dv = new DataView(next.buffer);
    this.words = new Int32Array(next.buffer);
  }

  /** Copies deferred Data into place (something is about to be allocated after it). */
  private materialize(): void {
    const data = this.pending!;
    this.pending = null;
    if (this.end > this.buf.length) this.grow(this.end);
    this.buf.set(data, this.pendingOff);
  }

  // ---- pointer writers (p = absolute offset of the pointer word) ----

  private writeOffset(p: number, target: number, kind: number): void {
    this.dv.setInt32(p, (((target - p - 8) >> 3) << 2) | kind, true);
  }

  /** Allocates a struct for pointer p; returns the absolute offset of its data section. */
  allocStructAt(p: number, dataWords: number, ptrCount: number): number {
    const off = this.alloc((dataWords + ptrCount) * 8);
    const dv = this.dv;
    if (dataWords === 0 && ptrCount === 0) {
      // An empty struct must not look like a null pointer: offset -1, as capnp's C++ writes it.
      dv.setUint32(p, 0xfffffffc, true);
      dv.setUint32(p + 4, 0, true);
    } else {
      this.writeOffset(p, off, 0);
      dv.setUint32(p + 4, (dataWords | (ptrCount << 16)) >>> 0, true);
    }
    return off;
  }

  initStructAt(p: number, dataWords: number, ptrCount: number): StructBuilder {
    const off = this.allocStructAt(p, dataWords, ptrCount);
    return new StructBuilder(this, off, dataWords * 8, off + dataWords * 8, ptrCount);
  }

  /** Allocates a non-composite list (element size 0..6) for pointer p; returns element 0's offset. */
  allocListAt(p: number, elementSize: ElementSize, length: number): number {
    if (elementSize === 7) throw new RangeError("use allocStructListAt for lists of structs");
    if (length < 0 || length >= 2 ** 29) throw tooLarge(length);
    const bytes = Math.ceil((length * LIST_BITS[elementSize]!) / 64) * 8;
    const off = this.alloc(bytes);
    // A void list has no content; its offset is written as 0 (as capnp-es does).
    this.writeOffset(p, elementSize === 0 ? p + 8 : off, 1);
    this.dv.setUint32(p + 4, (elementSize | (length << 3)) >>> 0, true);
    return off;
  }

  initListAt(p: number, elementSize: ElementSize, length: number): ListBuilder {
    const off = this.allocListAt(p, elementSize, length);
    return new ListBuilder(this, off, length, elementSize);
  }

  /** Allocates a composite list (tag word + elements) for pointer p; returns element 0's offset. */
  allocStructListAt(p: number, length: number, dataWords: number, ptrCount: number): number {
    const words = length * (dataWords + ptrCount);
    if (length < 0 || words >= 2 ** 29) throw tooLarge(words * 8);
    const tag = this.alloc(8 + words * 8);
    const dv = this.dv;
    this.writeOffset(p, tag, 1);
    dv.setUint32(p + 4, (7 | (words << 3)) >>> 0, true);
    dv.setUint32(tag, (length << 2) >>> 0, true);
    dv.setUint32(tag + 4, (dataWords | (ptrCount << 16)) >>> 0, true);
    return tag + 8;
  }

  initStructListAt(p: number, length: number, dataWords: number, ptrCount: number): StructListBuilder {
    const off = this.allocStructListAt(p, length, dataWords, ptrCount);
    return new StructListBuilder(this, off, length, dataWords * 8, ptrCount);
  }

  setTextAt(p: number, text: string): void {
    const len = utf8Length(text);
    const off = this.allocListAt(p, ElementSize.BYTE, len + 1);
    writeUtf8(this.buf, off, text, len);
  }

  /** Writes a Data field. Long data that stays last in the message is not copied (see top). */
  setDataAt(p: number, data: Uint8Array): void {
    const n = data.length;
    if (n < this.deferDataBytes) {
      const off = this.allocListAt(p, ElementSize.BYTE, n);
      this.buf.set(data, off);
      return;
    }
    if (n >= 2 ** 29) throw tooLarge(n);
    if (this.pending !== null) this.materialize();
    const off = this.end;
    const end = off + ((n + 7) & ~7);
    if (end - HEADER > MAX_SEGMENT_BYTES) throw tooLarge(end - HEADER);
    this.writeOffset(p, off, 1);
    this.dv.setUint32(p + 4, (2 | (n << 3)) >>> 0, true);
    this.pending = data;
    this.pendingOff = off;
    this.end = end;
  }

  /** Allocates a Data field of n bytes; returns a view to fill before the next allocation. */
  initDataAt(p: number, n: number): Uint8Array {
    const off = this.allocListAt(p, ElementSize.BYTE, n);
    return this.buf.subarray(off, off + n);
  }

  /** Writes a capability pointer holding a cap-table index. */
  setCapAt(p: number, capIndex: number): void {
    this.dv.setUint32(p, 3, true);
    this.dv.setUint32(p + 4, capIndex >>> 0, true);
  }

  /**
   * Deep-copies the object `src` points to (from a received message) into pointer p. Capability
   * pointers are copied as they are, or through `mapCap` (old cap-table index -> new index).
   * Reading the source is subject to its message's traversal and nesting limits.
   */
  copyAt(p: number, src: PointerReader, mapCap?: (index: number) => number): void {
    const kind = src.kind();
    if (kind === "null") return;
    if (kind === "struct") {
      this.copyStruct(p, src.struct()!, mapCap);
    } else if (kind === "list") {
      const list = src.list()!;
      const msg = list.msg;
      const bytes = msg.bytes;
      if (list.elementSize === 7) {
        const dw = list.dataBytes / 8;
        const off = this.allocStructListAt(p, list.length, dw, list.ptrCount);
        this.buf.set(bytes.subarray(list.off, list.off + list.length * list.step), off);
        // Pointers were copied raw; rewrite each from its source.
        for (let i = 0; i < list.length && list.ptrCount > 0; i++) {
          const s = list.struct(i);
          for (let j = 0; j < list.ptrCount; j++) {
            const q = off + i * list.step + list.dataBytes + j * 8;
            this.dv.setUint32(q, 0, true);
            this.dv.setUint32(q + 4, 0, true);
            this.copyAt(q, s.ptr(j), mapCap);
          }
        }
      } else if (list.elementSize === 6) {
        const off = this.allocListAt(p, 6, list.length);
        for (let i = 0; i < list.length; i++) this.copyAt(off + i * 8, list.ptr(i), mapCap);
      } else {
        const off = this.allocListAt(p, list.elementSize, list.length);
        const n = Math.ceil((list.length * LIST_BITS[list.elementSize]!) / 8);
        this.buf.set(bytes.subarray(list.off, list.off + n), off);
      }
    } else if (kind === "capability") {
      const index = src.cap()!;
      this.setCapAt(p, mapCap ? mapCap(index) : index);
    } else {
      throw new CapnpFormatError("BAD_POINTER", "cannot copy an unknown kind of 'other' pointer");
    }
  }

  private copyStruct(p: number, s: StructReader, mapCap?: (index: number) => number): void {
    const dw = s.dataBytes / 8;
    const off = this.allocStructAt(p, dw, s.ptrCount);
    this.buf.set(s.msg.bytes.subarray(s.dataStart, s.dataStart + s.dataBytes), off);
    for (let i = 0; i < s.ptrCount; i++) this.copyAt(off + s.dataBytes + i * 8, s.ptr(i), mapCap);
  }

  // ---- output ----

  /**
   * Frames the message (standard framing, one segment) and resets the builder for the next one.
   * Returns one exact-size buffer, or [head, data, padding?] when a long Data field was last.
   */
  finish(): Uint8Array[] {
    const dv = this.dv;
    dv.setUint32(0, 0, true);
    dv.setUint32(4, (this.end - HEADER) / 8, true);
    let pieces: Uint8Array[];
    const data = this.pending;
    if (data !== null) {
      const pad = ((data.length + 7) & ~7) - data.length;
      const head = copyOut(this.buf, this.pendingOff);
      pieces = pad === 0 ? [head, data] : [head, data, ZEROS.subarray(0, pad)];
    } else {
      pieces = [copyOut(this.buf, this.end)];
    }
    this.reset();
    return pieces;
  }

  /** Like finish(), but appends the framed message to `out` (the pieces finish() would return). */
  finishInto(out: OutputQueue): void {
    const dv = this.dv;
    dv.setUint32(0, 0, true);
    dv.setUint32(4, (this.end - HEADER) / 8, true);
    const data = this.pending;
    if (data !== null) {
      const pad = ((data.length + 7) & ~7) - data.length;
      out.append(this.buf, this.pendingOff, this.words);
      out.appendPiece(data);
      if (pad !== 0) out.append(ZEROS, pad);
    } else {
      out.append(this.buf, this.end, this.words);
    }
    this.reset();
  }

  /** Like finish(), as one contiguous buffer (copies deferred data). */
  finishBytes(): Uint8Array {
    if (this.pending !== null) this.materialize();
    return this.finish()[0]!;
  }

  /** Drops the message being built and gets ready for the next one. */
  reset(): void {
    const used = this.pending !== null ? this.pendingOff : Math.min(this.end, this.buf.length);
    this.pending = null;
    if (this.buf.length > this.retainBytes) {
      this.buf = new Uint8Array(this.initialBytes);
      this.dv = new DataView(this.buf.buffer);
      this.words = new Int32Array(this.buf.buffer);
    } else {
      this.buf.fill(0, 0, used);
    }
    this.end = HEADER + 8;
  }
}

/** A struct being built. Offsets are in bytes (Bool fields: bits); `def` is the schema default. */
export class StructBuilder {
  constructor(
    readonly m: MessageBuilder,
    /** Absolute offset of the data section in the builder's buffer. */
    readonly dataStart: number,
    readonly dataBytes: number,
    /** Absolute offset of the pointer section. */
    readonly ptrs: number,
    readonly ptrCount: number,
  ) {}

  private d(off: number, size: number): number {
    if (off + size > this.dataBytes || off < 0) {
      throw new RangeError(`data field at byte ${off} is outside a ${this.dataBytes}-byte data section`);
    }
    return this.dataStart + off;
  }
  /** Absolute offset of pointer field i. */
  p(i: number): number {
    if (i >= this.ptrCount || i < 0) {
      throw new RangeError(`pointer field ${i} is outside a ${this.ptrCount}-pointer section`);
    }
    return this.ptrs + i * 8;
  }

  setBool(bit: number, value: boolean, def = false): void {
    const a = this.d(bit >>> 3, 1);
    const dv = this.m.dv;
    const mask = 1 << (bit & 7);
    const b = dv.getUint8(a);
    dv.setUint8(a, value !== def ? b | mask : b & ~mask);
  }
  setU8(off: number, v: number, def = 0): void {
    this.m.dv.setUint8(this.d(off, 1), v ^ def);
  }
  setI8(off: number, v: number, def = 0): void {
    this.m.dv.setInt8(this.d(off, 1), v ^ def);
  }
  setU16(off: number, v: number, def = 0): void {
    this.m.dv.setUint16(this.d(off, 2), v ^ def, true);
  }
  setI16(off: number, v: number, def = 0): void {
    this.m.dv.setInt16(this.d(off, 2), v ^ def, true);
  }
  setU32(off: number, v: number, def = 0): void {
    this.m.dv.setUint32(this.d(off, 4), (v ^ def) >>> 0, true);
  }
  setI32(off: number, v: number, def = 0): void {
    this.m.dv.setInt32(this.d(off, 4), v ^ def, true);
  }
  setU64(off: number, v: bigint, def = 0n): void {
    this.m.dv.setBigUint64(this.d(off, 8), def === 0n ? v : v ^ def, true);
  }
  setI64(off: number, v: bigint, def = 0n): void {
    this.m.dv.setBigInt64(this.d(off, 8), def === 0n ? v : v ^ def, true);
  }
  setF32(off: number, v: number): void {
    this.m.dv.setFloat32(this.d(off, 4), v, true);
  }
  setF64(off: number, v: number): void {
    this.m.dv.setFloat64(this.d(off, 8), v, true);
  }

  ptr(i: number): PointerBuilder {
    return new PointerBuilder(this.m, this.p(i));
  }
  initStruct(i: number, dataWords: number, ptrCount: number): StructBuilder {
    return this.m.initStructAt(this.p(i), dataWords, ptrCount);
  }
  initList(i: number, elementSize: ElementSize, length: number): ListBuilder {
    return this.m.initListAt(this.p(i), elementSize, length);
  }
  initStructList(i: number, length: number, dataWords: number, ptrCount: number): StructListBuilder {
    return this.m.initStructListAt(this.p(i), length, dataWords, ptrCount);
  }
  setText(i: number, text: string): void {
    this.m.setTextAt(this.p(i), text);
  }
  setData(i: number, data: Uint8Array): void {
    this.m.setDataAt(this.p(i), data);
  }
  initData(i: number, n: number): Uint8Array {
    return this.m.initDataAt(this.p(i), n);
  }
  setCap(i: number, capIndex: number): void {
    this.m.setCapAt(this.p(i), capIndex);
  }
}

/** A primitive or pointer list being built (element size 0..6). */
export class ListBuilder {
  constructor(
    readonly m: MessageBuilder,
    /** Absolute offset of element 0. */
    readonly off: number,
    readonly length: number,
    readonly elementSize: ElementSize,
  ) {}

  private at(i: number, bytes: number): number {
    if (i < 0 || i >= this.length) throw new RangeError(`list index ${i} out of range (length ${this.length})`);
    if (LIST_BITS[this.elementSize] !== bytes * 8) throw new RangeError("element size mismatch");
    return this.off + i * bytes;
  }
  setBool(i: number, v: boolean): void {
    if (this.elementSize !== 1 || i < 0 || i >= this.length) throw new RangeError("not a bit list index");
    const a = this.off + (i >>> 3);
    const b = this.m.dv.getUint8(a);
    this.m.dv.setUint8(a, v ? b | (1 << (i & 7)) : b & ~(1 << (i & 7)));
  }
  setU8(i: number, v: number): void {
    this.m.dv.setUint8(this.at(i, 1), v);
  }
  setU16(i: number, v: number): void {
    this.m.dv.setUint16(this.at(i, 2), v, true);
  }
  setU32(i: number, v: number): void {
    this.m.dv.setUint32(this.at(i, 4), v >>> 0, true);
  }
  setU64(i: number, v: bigint): void {
    this.m.dv.setBigUint64(this.at(i, 8), v, true);
  }
  setF64(i: number, v: number): void {
    this.m.dv.setFloat64(this.at(i, 8), v, true);
  }
  /** Element i of a pointer list. */
  ptr(i: number): PointerBuilder {
    return new PointerBuilder(this.m, this.at(i, 8));
  }
}

/** A list of structs (inline composite) being built. */
export class StructListBuilder {
  constructor(
    readonly m: MessageBuilder,
    /** Absolute offset of element 0 (after the tag). */
    readonly off: number,
    readonly length: number,
    readonly dataBytes: number,
    readonly ptrCount: number,
  ) {}

  get(i: number): StructBuilder {
    if (i < 0 || i >= this.length) throw new RangeError(`list index ${i} out of range (length ${this.length})`);
    const e = this.off + i * (this.dataBytes + this.ptrCount * 8);
    return new StructBuilder(this.m, e, this.dataBytes, e + this.dataBytes, this.ptrCount);
  }
}

/** One pointer slot being written: the root, a pointer field, or a pointer-list element. */
export class PointerBuilder {
  constructor(
    readonly m: MessageBuilder,
    /** Absolute offset of the pointer word. */
    readonly off: number,
  ) {}

  initStruct(dataWords: number, ptrCount: number): StructBuilder {
    return this.m.initStructAt(this.off, dataWords, ptrCount);
  }
  initList(elementSize: ElementSize, length: number): ListBuilder {
    return this.m.initListAt(this.off, elementSize, length);
  }
  initStructList(length: number, dataWords: number, ptrCount: number): StructListBuilder {
    return this.m.initStructListAt(this.off, length, dataWords, ptrCount);
  }
  setText(text: string): void {
    this.m.setTextAt(this.off, text);
  }
  setData(data: Uint8Array): void {
    this.m.setDataAt(this.off, data);
  }
  initData(n: number): Uint8Array {
    return this.m.initDataAt(this.off, n);
  }
  setCap(capIndex: number): void {
    this.m.setCapAt(this.off, capIndex);
  }
  copyFrom(src: PointerReader, mapCap?: (index: number) => number): void {
    this.m.copyAt(this.off, src, mapCap);
  }
}
