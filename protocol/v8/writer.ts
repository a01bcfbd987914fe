// A growable byte buffer with the V8 format's primitive encodings: varints, zigzag int32,
// little-endian doubles, one-byte and two-byte strings, BigInt digits. One instance is reused by
// every encode (see encode.ts), so the steady state allocates nothing but the result. Growth
// switches to a dedicated buffer sized for large raw writes, so a 64 KiB payload is copied once
// and handed out without a final copy.

import { freshBytes } from "../bytes.ts";

const textEncoder = new TextEncoder();

// Scratch for doubles. The format stores doubles in host order; workerd and every runtime we
// target are little-endian, and we always write little-endian (swapping on a big-endian host).
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Results up to SLAB_MAX bytes are carved from a shared SLAB_SIZE slab. */
const SLAB_SIZE = 16 * 1024;
const SLAB_MAX = 512;
let slab = new ArrayBuffer(SLAB_SIZE);
let slabBytes = new Uint8Array(slab);
let slabUsed = 0;

/** Size of the shared scratch buffer; results that fit are returned as an exact-size copy. */
const SCRATCH_SIZE = 16 * 1024;

export class ByteWriter {
  buf: Uint8Array;
  pos = 0;
  /** True while `buf` is the reusable scratch buffer (so results must be copied out). */
  private scratch: boolean;
  private readonly scratchBuf: Uint8Array;

  constructor(size = SCRATCH_SIZE) {
    this.scratchBuf = new Uint8Array(size);
    this.buf = this.scratchBuf;
    this.scratch = true;
  }

  /** Make room for `n` more bytes. */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need > this.buf.length) this.grow(need, n);
  }

  private grow(need: number, n: number): void {
    // A big single write gets a buffer sized for it (plus room for a short tail), so it is copied
    // once and the result can be handed out without another copy; otherwise double.
    // Not zero-filled: only the written bytes [0, pos) are ever handed out (finish()).
    const size = n >= 4096 ? need + 256 : Math.max(need, this.buf.length * 2);
    const next = freshBytes(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.scratch = false;
  }

  /**
   * The bytes written so far as an exact-length Uint8Array the caller owns; resets the writer.
   * Its ArrayBuffer may be shared with other small results or be a little longer than the view:
   * use byteOffset/byteLength, never the whole `.buffer`.
   */
  finish(): Uint8Array {
    const { buf, pos } = this;
    let out: Uint8Array;
    // A dedicated buffer that is mostly used is handed out as is (no copy); its ArrayBuffer may
    // be a little longer than the view, so readers must honour byteOffset/byteLength.
    if (!this.scratch && pos >= buf.length - 1024 && pos * 4 >= buf.length * 3) {
      out = buf.subarray(0, pos);
    } else if (pos <= SLAB_MAX) {
      // Small results are views into a shared slab (like Node's Buffer pool): creating an
      // ArrayBuffer per result costs ~0.4 µs on Deno, a view on an existing one ~0.02 µs.
      if (slabUsed + pos > SLAB_SIZE) {
        slab = new ArrayBuffer(SLAB_SIZE);
        slabBytes = new Uint8Array(slab);
        slabUsed = 0;
      }
      const at = slabUsed;
      for (let i = 0; i < pos; i++) slabBytes[at + i] = buf[i]!;
      slabUsed = (at + pos + 7) & ~7;
      out = new Uint8Array(slab, at, pos);
    } else {
      out = buf.slice(0, pos);
    }
    this.reset();
    return out;
  }

  /** Drop what was written and go back to the scratch buffer. */
  reset(): void {
    this.buf = this.scratchBuf;
    this.scratch = true;
    this.pos = 0;
  }

  byte(b: number): void {
    if (this.pos >= this.buf.length) this.grow(this.pos + 1, 1);
    this.buf[this.pos++] = b;
  }

  /** Two bytes, e.g. a tag and a one-byte varint. */
  byte2(a: number, b: number): void {
    if (this.pos + 2 > this.buf.length) this.grow(this.pos + 2, 2);
    const buf = this.buf;
    buf[this.pos] = a;
    buf[this.pos + 1] = b;
    this.pos += 2;
  }

  /** Unsigned varint of a uint32 (callers guarantee 0 <= v < 2^32). */
  varint32(v: number): void {
    if (this.pos + 5 > this.buf.length) this.grow(this.pos + 5, 5);
    const buf = this.buf;
    let pos = this.pos;
    while (v > 0x7f) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[pos++] = v;
    this.pos = pos;
  }

  /** Unsigned varint of any non-negative integer up to 2^53 (no bit operations above 2^31). */
  varint(v: number): void {
    if (v < 0x80000000) return this.varint32(v);
    this.ensure(8);
    while (v > 0x7f) {
      this.buf[this.pos++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  /** Unsigned varint of a bigint up to 2^64 - 1. */
  varintBig(v: bigint): void {
    this.ensure(10);
    while (v > 0x7fn) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
  }

  /** Zigzag varint of an int32. */
  zigzag32(v: number): void {
    this.varint32(((v << 1) ^ (v >> 31)) >>> 0);
  }

  /** A double, 8 bytes little-endian; NaN is written as V8's canonical quiet NaN. */
  double(v: number): void {
    if (this.pos + 8 > this.buf.length) this.grow(this.pos + 8, 8);
    const buf = this.buf;
    const pos = this.pos;
    if (v !== v) {
      buf.fill(0, pos, pos + 6);
      buf[pos + 6] = 0xf8;
      buf[pos + 7] = 0x7f;
    } else {
      f64[0] = v;
      if (LITTLE_ENDIAN) {
        for (let i = 0; i < 8; i++) buf[pos + i] = f64Bytes[i]!;
      } else {
        for (let i = 0; i < 8; i++) buf[pos + i] = f64Bytes[7 - i]!;
      }
    }
    this.pos = pos + 8;
  }

  bytes(src: Uint8Array): void {
    const n = src.length;
    if (this.pos + n > this.buf.length) this.grow(this.pos + n, n);
    this.buf.set(src, this.pos);
    this.pos += n;
  }

  /**
   * A string body as V8 writes it: `"` + varint length + latin1 bytes when every code unit is at
   * most 0xFF, otherwise (padding byte if needed) `c` + varint byte length + UTF-16LE.
   */
  string(s: string): void {
    const len = s.length;
    const start = this.pos;
    // Room for tag, varint and the one-byte body (the two-byte path ensures its own room).
    if (start + len + 6 > this.buf.length) this.grow(start + len + 6, len + 6);
    const buf = this.buf;
    buf[start] = 0x22; // '"'
    let pos = start + 1;
    let v = len;
    while (v > 0x7f) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[pos++] = v;
    if (len > 48) {
      // Native fast path: pure ASCII encodes to exactly `len` bytes of UTF-8.
      const r = textEncoder.encodeInto(s, buf.subarray(pos, pos + len));
      if (r.read === len && r.written === len) {
        this.pos = pos + len;
        return;
      }
    }
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c > 0xff) {
        this.pos = start;
        return this.twoByteString(s);
      }
      buf[pos + i] = c;
    }
    this.pos = pos + len;
  }

  private twoByteString(s: string): void {
    const len = s.length;
    const byteLength = len * 2;
    this.ensure(byteLength + 7);
    // V8 keeps two-byte payloads at even offsets: pad when tag + varint would end on an odd one.
    let varintSize = 1;
    for (let v = byteLength; v > 0x7f; v >>>= 7) varintSize++;
    if ((this.pos + 1 + varintSize) & 1) this.buf[this.pos++] = 0x00;
    this.buf[this.pos++] = 0x63; // 'c'
    this.varint32(byteLength);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      buf[pos] = c & 0xff;
      buf[pos + 1] = c >>> 8;
      pos += 2;
    }
    this.pos = pos;
  }

  /** UTF-8 bytes of `s` preceded by their varint length (workerd's length-delimited text). */
  utf8LengthDelimited(s: string): void {
    const bytes = textEncoder.encode(s);
    this.varint(bytes.length);
    this.bytes(bytes);
  }

  /** BigInt body: bitfield varint (sign bit | byte length << 1), then 64-bit digits little-endian. */
  bigint(v: bigint): void {
    const negative = v < 0n;
    const mag = negative ? -v : v;
    if (mag === 0n) return this.byte(0);
    if (mag <= 0xffffffffffffffffn) {
      this.varint32(16 | (negative ? 1 : 0));
      this.ensure(8);
      let lo = Number(mag & 0xffffffffn);
      let hi = Number(mag >> 32n);
      const buf = this.buf;
      const pos = this.pos;
      for (let i = 0; i < 4; i++, lo >>>= 8) buf[pos + i] = lo & 0xff;
      for (let i = 4; i < 8; i++, hi >>>= 8) buf[pos + i] = hi & 0xff;
      this.pos = pos + 8;
      return;
    }
    let hex = mag.toString(16);
    const words = Math.ceil(hex.length / 16);
    const byteLength = words * 8;
    hex = hex.padStart(byteLength * 2, "0");
    this.varint(byteLength * 2 + (negative ? 1 : 0));
    this.ensure(byteLength);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = hex.length - 2; i >= 0; i -= 2) buf[pos++] = parseInt(hex.slice(i, i + 2), 16);
    this.pos = pos;
  }
}
