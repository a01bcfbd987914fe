// Decoder: V8 value format (versions 13-15, with header) -> JavaScript value. Reads everything
// V8's writer and workerd produce for RPC values, including workerd's host-form errors (tag 10)
// and V8's own errors ('r'); other host objects go to the host hook.
//
// Hostile input is expected: every length is checked against the bytes that remain before
// anything is allocated, nesting and the number of objects are limited, sparse arrays never
// allocate their declared length, and any failure is a ValueFormatError naming the offset.
// Decoded ArrayBuffers and typed arrays own copies of their bytes (as with V8), so the input can
// be reused as soon as decodeValue returns.

import { freshBytes } from "../bytes.ts";
import * as tags from "./tags.ts";

// Tag constants as module-local bindings: read on every value, they must not go through an
// export binding (some loaders, e.g. tsx, turn those into getter calls).
const {
  ET_CAUSE,
  ET_END,
  ET_EVAL_ERROR,
  ET_MESSAGE,
  ET_RANGE_ERROR,
  ET_REFERENCE_ERROR,
  ET_STACK,
  ET_SYNTAX_ERROR,
  ET_TYPE_ERROR,
  ET_URI_ERROR,
  FORMAT_VERSION,
  HostTag,
  MIN_READ_VERSION,
  REGEXP_FLAGS,
  REGEXP_FLAG_LINEAR,
  T_ARRAY_BUFFER,
  T_ARRAY_BUFFER_VIEW,
  T_BEGIN_DENSE_ARRAY,
  T_BEGIN_MAP,
  T_BEGIN_OBJECT,
  T_BEGIN_SET,
  T_BEGIN_SPARSE_ARRAY,
  T_BIGINT,
  T_BIGINT_OBJECT,
  T_DATE,
  T_DOUBLE,
  T_END_DENSE_ARRAY,
  T_END_MAP,
  T_END_OBJECT,
  T_END_SET,
  T_END_SPARSE_ARRAY,
  T_ERROR,
  T_FALSE,
  T_FALSE_OBJECT,
  T_HOST_OBJECT,
  T_INT32,
  T_NULL,
  T_NUMBER_OBJECT,
  T_OBJECT_REFERENCE,
  T_ONE_BYTE_STRING,
  T_PADDING,
  T_REGEXP,
  T_RESIZABLE_ARRAY_BUFFER,
  T_STRING_OBJECT,
  T_THE_HOLE,
  T_TRUE,
  T_TRUE_OBJECT,
  T_TWO_BYTE_STRING,
  T_UINT32,
  T_UNDEFINED,
  T_UTF8_STRING,
  T_VERIFY_OBJECT_COUNT,
  T_VERSION,
  VIEW_BACKED_BY_RAB,
  VIEW_LENGTH_TRACKING,
  VT_DATA_VIEW,
  WORKERD_ERROR_NAMES,
} = tags;
import { viewKindsByTag } from "./builtins.ts";
import { ValueFormatError } from "./errors.ts";
import type { DecodeOptions, HostDecoder, HostReader } from "./host.ts";
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH } from "./encode.ts";

/** Default input limit: workerd's 32 MiB plus room for framing. */
export const DEFAULT_MAX_INPUT_BYTES = DEFAULT_MAX_BYTES + 2 ** 20;
/** Default limit on objects created by one decode. */
export const DEFAULT_MAX_OBJECTS = 2 ** 21;

const utf8Decoder = new TextDecoder("utf-8");
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const fromCharCode = String.fromCharCode;
const EMPTY = new Uint8Array(0);
const defineProperty = Object.defineProperty;
/** Chunk size for String.fromCharCode.apply (stays far below every engine's argument limit). */
const CHUNK = 4096;

type AnyError = new (message?: string, options?: { cause: unknown }) => Error;
const g = globalThis as unknown as Record<string, unknown>;
const wasm = g.WebAssembly as Record<string, unknown> | undefined;
function ctorOr(v: unknown): AnyError | undefined {
  return typeof v === "function" ? (v as AnyError) : undefined;
}
/** Constructors for workerd's ErrorTag values (undefined: the runtime lacks it, use Error + name). */
const WORKERD_ERROR_CTORS: readonly (AnyError | undefined)[] = [
  Error,
  Error,
  TypeError,
  RangeError,
  ReferenceError,
  SyntaxError,
  ctorOr(wasm?.CompileError),
  ctorOr(wasm?.LinkError),
  ctorOr(wasm?.RuntimeError),
  ctorOr(wasm?.SuspendError),
  EvalError,
  URIError,
  AggregateError as unknown as AnyError,
  ctorOr(g.SuppressedError),
];

const KEY_CACHE_SIZE = 512;
const KEY_CACHE_MAX_LENGTH = 32;
const keyCache: (string | undefined)[] = new Array(KEY_CACHE_SIZE);
const charScratch: number[] = [];

/** Latin-1 bytes to a string without per-character concatenation. */
function latin1(bytes: Uint8Array, start: number, n: number): string {
  switch (n) {
    case 0: return "";
    case 1: return fromCharCode(bytes[start]!);
    case 2: return fromCharCode(bytes[start]!, bytes[start + 1]!);
    case 3: return fromCharCode(bytes[start]!, bytes[start + 1]!, bytes[start + 2]!);
    case 4: return fromCharCode(bytes[start]!, bytes[start + 1]!, bytes[start + 2]!, bytes[start + 3]!);
    default: break;
  }
  if (n <= 64) {
    // Filling a reused plain array and applying it is the fastest short-string path on V8.
    const codes = charScratch;
    codes.length = n;
    for (let i = 0; i < n; i++) codes[i] = bytes[start + i]!;
    return fromCharCode.apply(null, codes);
  }
  {
    let ascii = true;
    for (let i = start; i < start + n; i++) {
      if (bytes[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return utf8Decoder.decode(bytes.subarray(start, start + n));
  }
  if (n <= CHUNK) return fromCharCode.apply(null, bytes.subarray(start, start + n) as unknown as number[]);
  let s = "";
  for (let i = 0; i < n; i += CHUNK) {
    s += fromCharCode.apply(null, bytes.subarray(start + i, start + Math.min(n, i + CHUNK)) as unknown as number[]);
  }
  return s;
}

/** Thrown around an exception from the host hook so it passes through unchanged. */
class HookFailure {
  constructor(readonly error: unknown) {}
}

class Decoder implements HostReader {
  busy = false;
  private bytes: Uint8Array = EMPTY;
  private pos = 0;
  private end = 0;
  private version = FORMAT_VERSION;
  private objs: unknown[] = [];
  private nextId = 0;
  private objects = 0;
  private depth = 0;
  private maxDepth = DEFAULT_MAX_DEPTH;
  private maxObjects = DEFAULT_MAX_OBJECTS;
  private host: HostDecoder | undefined = undefined;
  private preserveErrorStack = false;

  decode(bytes: Uint8Array, opts: DecodeOptions | undefined): unknown {
    let maxBytes = DEFAULT_MAX_INPUT_BYTES;
    if (opts !== undefined) {
      this.host = opts.host;
      this.maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
      this.maxObjects = opts.maxObjects ?? DEFAULT_MAX_OBJECTS;
      this.preserveErrorStack = opts.preserveErrorStack ?? false;
      maxBytes = opts.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
    }
    if (!(bytes instanceof Uint8Array)) throw new TypeError("decodeValue expects a Uint8Array");
    if (bytes.length > maxBytes) throw new ValueFormatError(0, `input of ${bytes.length} bytes exceeds the limit of ${maxBytes}`);
    this.busy = true;
    this.bytes = bytes;
    this.pos = 0;
    this.end = bytes.length;
    try {
      this.header();
      const value = this.value();
      while (this.pos < this.end && bytes[this.pos] === T_PADDING) this.pos++;
      if (this.pos !== this.end) this.fail(`${this.end - this.pos} unexpected bytes after the value`);
      return value;
    } catch (err) {
      if (err instanceof HookFailure) throw err.error;
      if (err instanceof ValueFormatError) throw err;
      // Anything else means a check above was missed; keep the promise of one error type.
      if (err instanceof RangeError && /call stack/i.test(err.message)) this.fail("nesting too deep for the stack");
      this.fail(`unreadable value (${err instanceof Error ? err.message : String(err)})`);
    } finally {
      this.bytes = EMPTY;
      if (this.nextId > 0) {
        // A loop: usually there are few, and Array.prototype.fill with bounds is a call into C++.
        const objs = this.objs;
        for (let i = this.nextId - 1; i >= 0; i--) objs[i] = undefined;
        this.nextId = 0;
      }
      this.objects = 0;
      this.depth = 0;
      this.busy = false;
      if (opts !== undefined) {
        this.host = undefined;
        this.maxDepth = DEFAULT_MAX_DEPTH;
        this.maxObjects = DEFAULT_MAX_OBJECTS;
        this.preserveErrorStack = false;
      }
    }
  }

  fail(problem: string, at = this.pos): never {
    throw new ValueFormatError(at, problem);
  }

  private header(): void {
    if (this.end === 0) this.fail("empty input");
    if (this.bytes[0] !== T_VERSION) this.fail("missing version header (0xFF)");
    this.pos = 1;
    const version = this.varint32();
    if (version < MIN_READ_VERSION || version > FORMAT_VERSION) {
      this.fail(`unsupported format version ${version} (reads ${MIN_READ_VERSION}-${FORMAT_VERSION})`, 1);
    }
    this.version = version;
  }

  // ---- primitives ----

  /** Next tag, skipping padding bytes. */
  private tag(): number {
    const bytes = this.bytes;
    while (this.pos < this.end) {
      const t = bytes[this.pos++]!;
      if (t !== T_PADDING) return t;
    }
    return this.fail("unexpected end of data");
  }

  /** Peek the next tag (skipping padding, which is consumed); -1 at the end. */
  private peek(): number {
    const bytes = this.bytes;
    while (this.pos < this.end) {
      const t = bytes[this.pos]!;
      if (t !== T_PADDING) return t;
      this.pos++;
    }
    return -1;
  }

  /** Unsigned varint that must fit in 32 bits. */
  private varint32(): number {
    const bytes = this.bytes;
    let pos = this.pos;
    const end = this.end;
    if (pos < end) {
      const b = bytes[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    const start = pos;
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (pos >= end) this.fail("truncated varint", start);
      const b = bytes[pos++]!;
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) {
        if (result > 0xffffffff) this.fail("varint exceeds 32 bits", start);
        this.pos = pos;
        return result;
      }
    }
    return this.fail("varint too long", start);
  }

  readVarint(): number {
    const start = this.pos;
    const v = this.readVarint64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail("varint exceeds 2^53", start);
    return Number(v);
  }

  readVarint64(): bigint {
    const bytes = this.bytes;
    const start = this.pos;
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.end) this.fail("truncated varint", start);
      const b = bytes[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) {
        if (result > 0xffffffffffffffffn) this.fail("varint exceeds 64 bits", start);
        return result;
      }
    }
    return this.fail("varint too long", start);
  }

  /** Checks that `n` more bytes exist. */
  private need(n: number, what: string): void {
    if (n > this.end - this.pos) this.fail(`${what} of ${n} bytes runs past the end of the data`);
  }

  private double(): number {
    this.need(8, "double");
    const bytes = this.bytes;
    const pos = this.pos;
    if (LITTLE_ENDIAN) for (let i = 0; i < 8; i++) f64Bytes[i] = bytes[pos + i]!;
    else for (let i = 0; i < 8; i++) f64Bytes[i] = bytes[pos + 7 - i]!;
    this.pos = pos + 8;
    return f64[0]!;
  }

  private zigzag(): number {
    const u = this.varint32();
    return (u >>> 1) ^ -(u & 1);
  }

  private oneByteString(): string {
    const n = this.varint32();
    this.need(n, "string");
    const start = this.pos;
    this.pos = start + n;
    return latin1(this.bytes, start, n);
  }

  /** A one-byte string used as a property key: short ones come from a cache, like JSON.parse's. */
  private oneByteKey(): string {
    const n = this.varint32();
    this.need(n, "string");
    const bytes = this.bytes;
    const start = this.pos;
    this.pos = start + n;
    if (n > KEY_CACHE_MAX_LENGTH) return latin1(bytes, start, n);
    let h = n;
    for (let i = start; i < start + n; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
    const slot = (h >>> 0) & (KEY_CACHE_SIZE - 1);
    const cached = keyCache[slot];
    if (cached !== undefined && cached.length === n) {
      let same = true;
      for (let i = 0; i < n; i++) {
        if (cached.charCodeAt(i) !== bytes[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return cached;
    }
    const s = latin1(bytes, start, n);
    keyCache[slot] = s;
    return s;
  }

  private twoByteString(): string {
    const n = this.varint32();
    if (n & 1) this.fail("two-byte string of odd byte length");
    this.need(n, "string");
    const bytes = this.bytes;
    const start = this.pos;
    this.pos = start + n;
    const chars = n >>> 1;
    if (chars <= 24) {
      let s = "";
      for (let i = start; i < start + n; i += 2) s += fromCharCode(bytes[i]! | (bytes[i + 1]! << 8));
      return s;
    }
    // Lone surrogates must survive, so no TextDecoder("utf-16le") (it replaces them).
    const units = new Uint16Array(Math.min(chars, CHUNK));
    let s = "";
    for (let done = 0; done < chars; done += CHUNK) {
      const m = Math.min(CHUNK, chars - done);
      for (let i = 0, p = start + done * 2; i < m; i++, p += 2) units[i] = bytes[p]! | (bytes[p + 1]! << 8);
      s += fromCharCode.apply(null, (m === units.length ? units : units.subarray(0, m)) as unknown as number[]);
    }
    return s;
  }

  private utf8String(): string {
    const n = this.varint32();
    this.need(n, "string");
    const s = utf8Decoder.decode(this.bytes.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }

  private bigint(): bigint {
    const at = this.pos;
    const bitfield = this.varint32();
    const byteLength = (bitfield >>> 1) & 0x3fffffff;
    this.need(byteLength, "BigInt");
    const bytes = this.bytes;
    const start = this.pos;
    this.pos = start + byteLength;
    let mag: bigint;
    if (byteLength <= 8) {
      let lo = 0;
      let hi = 0;
      for (let i = Math.min(byteLength, 4) - 1; i >= 0; i--) lo = lo * 256 + bytes[start + i]!;
      for (let i = byteLength - 1; i >= 4; i--) hi = hi * 256 + bytes[start + i]!;
      mag = hi === 0 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo);
    } else {
      if (byteLength > 2 ** 27) this.fail("BigInt too large", at);
      let hex = "";
      for (let i = start + byteLength - 1; i >= start; i--) hex += (bytes[i]! | 0x100).toString(16).slice(1);
      mag = BigInt("0x" + hex);
    }
    return bitfield & 1 ? -mag : mag;
  }

  /** A value that must be a string (V8's ReadString for versions >= 12). */
  private stringValue(what: string): string {
    const at = this.pos;
    const t = this.tag();
    if (t === T_ONE_BYTE_STRING) return this.oneByteString();
    if (t === T_TWO_BYTE_STRING) return this.twoByteString();
    if (t === T_UTF8_STRING) return this.utf8String();
    return this.fail(`${what} must be a string`, at);
  }

  // ---- object bookkeeping ----

  private reserveId(): number {
    if (++this.objects > this.maxObjects) this.fail(`more than ${this.maxObjects} objects`);
    return this.nextId++;
  }

  private enter(): void {
    if (++this.depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth}`);
  }

  // ---- values ----

  value(): unknown {
    const t = this.tag();
    switch (t) {
      case T_INT32:
        return this.zigzag();
      case T_ONE_BYTE_STRING:
        return this.oneByteString();
      case T_DOUBLE:
        return this.double();
      case T_BEGIN_OBJECT:
        return this.object();
      case T_BEGIN_DENSE_ARRAY:
        return this.denseArray();
      case T_UNDEFINED:
        return undefined;
      case T_NULL:
        return null;
      case T_TRUE:
        return true;
      case T_FALSE:
        return false;
      case T_TWO_BYTE_STRING:
        return this.twoByteString();
      case T_UINT32:
        return this.varint32();
      case T_BIGINT:
        return this.bigint();
      case T_UTF8_STRING:
        return this.utf8String();
      case T_OBJECT_REFERENCE:
        return this.reference();
      case T_BEGIN_SPARSE_ARRAY:
        return this.sparseArray();
      case T_BEGIN_MAP:
        return this.map();
      case T_BEGIN_SET:
        return this.set();
      case T_DATE: {
        const d = new Date(this.double());
        this.objs[this.reserveId()] = d;
        return d;
      }
      case T_TRUE_OBJECT:
      case T_FALSE_OBJECT:
      case T_NUMBER_OBJECT:
      case T_BIGINT_OBJECT:
      case T_STRING_OBJECT:
        return this.wrapper(t);
      case T_REGEXP:
        return this.regexp();
      case T_ARRAY_BUFFER:
      case T_RESIZABLE_ARRAY_BUFFER:
        return this.maybeView(this.arrayBuffer(t === T_RESIZABLE_ARRAY_BUFFER));
      case T_ERROR:
        return this.v8Error();
      case T_HOST_OBJECT:
        return this.hostObject();
      case T_VERIFY_OBJECT_COUNT:
        this.varint32();
        return this.value();
      case T_THE_HOLE:
        return this.fail("hole outside a dense array", this.pos - 1);
      case T_ARRAY_BUFFER_VIEW:
        return this.fail("array buffer view without a buffer before it", this.pos - 1);
      default:
        return this.fail(`unknown or unsupported tag 0x${t.toString(16).padStart(2, "0")}`, this.pos - 1);
    }
  }

  private reference(): unknown {
    const at = this.pos - 1;
    const id = this.varint32();
    const obj = id < this.nextId ? this.objs[id] : undefined;
    if (obj === undefined) this.fail(`back-reference to object ${id}, which does not exist (yet)`, at);
    return obj instanceof ArrayBuffer ? this.maybeView(obj) : obj;
  }

  /** A property key: a string or a number (V8 writes array indices as numbers). */
  private key(): string | number {
    const at = this.pos;
    const t = this.tag();
    switch (t) {
      case T_ONE_BYTE_STRING:
        return this.oneByteKey();
      case T_INT32:
        return this.zigzag();
      case T_TWO_BYTE_STRING:
        return this.twoByteString();
      case T_DOUBLE:
        return this.double();
      case T_UINT32:
        return this.varint32();
      case T_UTF8_STRING:
        return this.utf8String();
      default:
        return this.fail("property key must be a string or a number", at);
    }
  }

  /** Read key/value pairs into `target` until `endTag`; returns how many. */
  private properties(target: Record<string | number, unknown>, endTag: number, isArray: boolean): number {
    let count = 0;
    for (;;) {
      const t = this.peek();
      if (t === endTag) {
        this.pos++;
        return count;
      }
      if (t < 0) this.fail("unexpected end of data in properties");
      const at = this.pos;
      const key = this.key();
      const value = this.value();
      if (key === "__proto__") {
        defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
      } else {
        if (isArray && key === "length") this.fail("array property named length", at);
        target[key] = value;
      }
      count++;
    }
  }

  private object(): Record<string, unknown> {
    const id = this.reserveId();
    this.enter();
    const obj: Record<string, unknown> = {};
    this.objs[id] = obj;
    const count = this.properties(obj, T_END_OBJECT, false);
    const at = this.pos;
    if (this.varint32() !== count) this.fail(`object property count does not match (${count} read)`, at);
    this.depth--;
    return obj;
  }

  private denseArray(): unknown[] {
    const at = this.pos;
    const len = this.varint32();
    // Every element takes at least one byte.
    if (len > this.end - this.pos) this.fail(`dense array length ${len} exceeds the remaining data`, at);
    const id = this.reserveId();
    this.enter();
    const arr: unknown[] = [];
    this.objs[id] = arr;
    for (let i = 0; i < len; i++) {
      if (this.peek() === T_THE_HOLE) {
        this.pos++;
        arr.length = i + 1;
        continue;
      }
      arr.push(this.value());
    }
    const count = this.properties(arr as unknown as Record<string, unknown>, T_END_DENSE_ARRAY, true);
    this.arrayTrailer(count, len);
    this.depth--;
    return arr;
  }

  private sparseArray(): unknown[] {
    const len = this.varint32();
    const id = this.reserveId();
    this.enter();
    const arr: unknown[] = [];
    arr.length = len; // O(1): a length, not storage
    this.objs[id] = arr;
    const count = this.properties(arr as unknown as Record<string, unknown>, T_END_SPARSE_ARRAY, true);
    this.arrayTrailer(count, len);
    this.depth--;
    return arr;
  }

  private arrayTrailer(count: number, len: number): void {
    const at = this.pos;
    if (this.varint32() !== count) this.fail(`array property count does not match (${count} read)`, at);
    if (this.varint32() !== len) this.fail("array length in trailer does not match", at);
  }

  private map(): Map<unknown, unknown> {
    const id = this.reserveId();
    this.enter();
    const m = new Map<unknown, unknown>();
    this.objs[id] = m;
    let count = 0;
    for (;;) {
      const t = this.peek();
      if (t === T_END_MAP) break;
      if (t < 0) this.fail("unexpected end of data in Map");
      const k = this.value();
      m.set(k, this.value());
      count += 2;
    }
    this.pos++;
    const at = this.pos;
    if (this.varint32() !== count) this.fail("Map entry count does not match", at);
    this.depth--;
    return m;
  }

  private set(): Set<unknown> {
    const id = this.reserveId();
    this.enter();
    const s = new Set<unknown>();
    this.objs[id] = s;
    let count = 0;
    for (;;) {
      const t = this.peek();
      if (t === T_END_SET) break;
      if (t < 0) this.fail("unexpected end of data in Set");
      s.add(this.value());
      count++;
    }
    this.pos++;
    const at = this.pos;
    if (this.varint32() !== count) this.fail("Set entry count does not match", at);
    this.depth--;
    return s;
  }

  private wrapper(t: number): object {
    const id = this.reserveId();
    let obj: object;
    switch (t) {
      case T_TRUE_OBJECT:
        obj = Object(true);
        break;
      case T_FALSE_OBJECT:
        obj = Object(false);
        break;
      case T_NUMBER_OBJECT:
        obj = Object(this.double());
        break;
      case T_BIGINT_OBJECT:
        obj = Object(this.bigint());
        break;
      default:
        obj = Object(this.stringValue("String object value"));
    }
    this.objs[id] = obj;
    return obj;
  }

  private regexp(): RegExp {
    const id = this.reserveId();
    const pattern = this.stringValue("RegExp pattern");
    const at = this.pos;
    const bits = this.varint32();
    if (bits & REGEXP_FLAG_LINEAR || bits >= 512) this.fail(`unsupported RegExp flags 0x${bits.toString(16)}`, at);
    let flags = "";
    for (const [letter, bit] of REGEXP_FLAGS) if (bits & bit) flags += letter;
    let re: RegExp;
    try {
      re = new RegExp(pattern, flags);
    } catch (err) {
      return this.fail(`invalid RegExp /${pattern.slice(0, 40)}/${flags}: ${(err as Error).message}`, at);
    }
    this.objs[id] = re;
    return re;
  }

  private arrayBuffer(resizable: boolean): ArrayBuffer {
    const id = this.reserveId();
    const at = this.pos;
    const len = this.varint32();
    let max = len;
    if (resizable) {
      max = this.varint32();
      if (len > max) this.fail("resizable ArrayBuffer longer than its maxByteLength", at);
    }
    this.need(len, "ArrayBuffer");
    let buffer: ArrayBuffer;
    if (resizable) {
      try {
        buffer = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer)(len, {
          maxByteLength: max,
        });
      } catch {
        return this.fail(`cannot create a resizable ArrayBuffer with maxByteLength ${max}`, at);
      }
      new Uint8Array(buffer).set(this.bytes.subarray(this.pos, this.pos + len));
    } else {
      // A copy of its own, exactly len bytes (freshBytes skips slice's zero-fill for large ones).
      const copy = freshBytes(len);
      copy.set(this.bytes.subarray(this.pos, this.pos + len));
      buffer = copy.buffer as ArrayBuffer;
    }
    this.pos += len;
    this.objs[id] = buffer;
    return buffer;
  }

  /** After an ArrayBuffer (or a reference to one), a 'V' makes it the backing of a view. */
  private maybeView(buffer: ArrayBuffer): unknown {
    if (this.peek() !== T_ARRAY_BUFFER_VIEW) return buffer;
    const at = this.pos;
    this.pos++;
    const bufferLength = buffer.byteLength;
    const subtag = this.varint32();
    const byteOffset = this.varint32();
    const byteLength = this.varint32();
    if (byteOffset > bufferLength || byteLength > bufferLength - byteOffset) {
      this.fail("view exceeds its ArrayBuffer", at);
    }
    const flags = this.version >= 14 ? this.varint32() : 0;
    const id = this.reserveId();
    const tracking = (flags & VIEW_LENGTH_TRACKING) !== 0;
    const rab = (flags & VIEW_BACKED_BY_RAB) !== 0;
    const resizable = (buffer as { resizable?: boolean }).resizable === true;
    if ((tracking || rab) && !resizable) this.fail("length-tracking view over a fixed-length ArrayBuffer", at);
    if (resizable && !rab) this.fail("view over a resizable ArrayBuffer not flagged as such", at);
    let view: ArrayBufferView;
    if (subtag === VT_DATA_VIEW) {
      view = tracking ? new DataView(buffer, byteOffset) : new DataView(buffer, byteOffset, byteLength);
    } else {
      const kind = viewKindsByTag.get(subtag);
      if (kind === undefined) return this.fail(`unknown view type 0x${subtag.toString(16)}`, at);
      if (kind.ctor === undefined) return this.fail(`${kind.name} is not available in this runtime`, at);
      if (byteOffset % kind.size !== 0 || byteLength % kind.size !== 0) {
        this.fail(`${kind.name} offset or length not a multiple of ${kind.size}`, at);
      }
      view = tracking ? new kind.ctor(buffer, byteOffset) : new kind.ctor(buffer, byteOffset, byteLength / kind.size);
    }
    this.objs[id] = view;
    return view;
  }

  /** V8's own error form: sub-tags until '.'. The error gets its id first, its object last. */
  private v8Error(): Error {
    const id = this.reserveId();
    this.enter();
    let ctor: AnyError = Error;
    let message: string | undefined;
    let hasCause = false;
    let cause: unknown;
    let stack: string | undefined;
    for (;;) {
      const at = this.pos;
      const sub = this.varint32();
      if (sub === ET_END) break;
      switch (sub) {
        case ET_EVAL_ERROR: ctor = EvalError; break;
        case ET_RANGE_ERROR: ctor = RangeError; break;
        case ET_REFERENCE_ERROR: ctor = ReferenceError; break;
        case ET_SYNTAX_ERROR: ctor = SyntaxError; break;
        case ET_TYPE_ERROR: ctor = TypeError; break;
        case ET_URI_ERROR: ctor = URIError; break;
        case ET_MESSAGE: message = this.stringValue("error message"); break;
        case ET_STACK: stack = this.stringValue("error stack"); break;
        case ET_CAUSE:
          hasCause = true;
          cause = this.value();
          break;
        default:
          this.fail(`unknown error sub-tag 0x${sub.toString(16)}`, at);
      }
    }
    const err = hasCause ? new ctor(message, { cause }) : new ctor(message);
    if (stack !== undefined) defineProperty(err, "stack", { value: stack, writable: true, enumerable: false, configurable: true });
    this.objs[id] = err;
    this.depth--;
    return err;
  }

  private hostObject(): unknown {
    const at = this.pos - 1;
    const tag = this.varint32();
    const id = this.reserveId();
    this.enter();
    let obj: unknown;
    if (tag === HostTag.nativeError) {
      obj = this.workerdError(id);
    } else {
      const host = this.host;
      if (host === undefined) this.fail(`host object with tag ${tag} and no host hook to read it`, at);
      try {
        obj = host.read(tag, this);
      } catch (err) {
        if (err instanceof ValueFormatError || err instanceof HookFailure) throw err;
        throw new HookFailure(err);
      }
      if ((typeof obj !== "object" || obj === null) && typeof obj !== "function") {
        this.fail(`host hook returned a ${obj === null ? "null" : typeof obj} for tag ${tag}`, at);
      }
    }
    this.objs[id] = obj;
    this.depth--;
    return obj;
  }

  /** workerd's host-form error: ErrorTag, [name], message, then an object of other own props. */
  private workerdError(id: number): Error {
    const at = this.pos;
    const tag = this.varint32();
    const name = tag === 0 ? this.value() : undefined;
    const message = this.value();
    if (typeof message !== "string") this.fail("error message is not a string", at);
    const ctor = WORKERD_ERROR_CTORS[tag];
    let err: Error;
    if (ctor === AggregateError) {
      err = new AggregateError([], message);
      delete (err as { errors?: unknown }).errors; // comes with the other properties, if it was there
    } else {
      err = new (ctor ?? Error)(message);
    }
    if (tag === 0) {
      defineProperty(err, "name", { value: name, writable: true, enumerable: true, configurable: true });
    } else if (ctor === undefined && tag < WORKERD_ERROR_NAMES.length) {
      // A type this runtime lacks (e.g. SuppressedError on Node 20): an Error that carries its name.
      defineProperty(err, "name", { value: WORKERD_ERROR_NAMES[tag], writable: true, enumerable: false, configurable: true });
    }
    // Registered before its properties, so a cause or property may refer back to the error.
    this.objs[id] = err;
    const props = this.value();
    if (typeof props === "object" && props !== null) {
      const record = props as Record<string, unknown>;
      for (const k of Object.keys(record)) {
        if (k === "stack" && !this.preserveErrorStack) continue;
        defineProperty(err, k, { value: record[k], writable: true, enumerable: true, configurable: true });
      }
    }
    return err;
  }

  // ---- HostReader ----
  get offset(): number {
    return this.pos;
  }
  readRawBytes(length: number): Uint8Array {
    if (!(length >= 0 && Number.isSafeInteger(length))) this.fail(`invalid raw byte length ${length}`);
    this.need(length, "raw bytes");
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }
  readLengthDelimited(): Uint8Array {
    return this.readRawBytes(this.readVarint());
  }
  readLengthDelimitedString(): string {
    return utf8Decoder.decode(this.readLengthDelimited());
  }
  readValue(): unknown {
    return this.value();
  }
}

const shared = new Decoder();

/**
 * Decode one value in the V8 value format (versions 13-15, with header). Throws ValueFormatError
 * for any input it cannot read; exceptions thrown by the host hook pass through unchanged.
 */
export function decodeValue(bytes: Uint8Array, options?: DecodeOptions): unknown {
  if (bytes instanceof Uint8Array && bytes.length <= FLAT_MAX_INPUT && bytes.length <= (options?.maxBytes ?? DEFAULT_MAX_INPUT_BYTES)) {
    const value = decodeFlat(bytes, options);
    if (value !== NOT_FLAT) return value;
  }
  const dec = shared.busy ? new Decoder() : shared;
  return dec.decode(bytes, options);
}

/**
 * The host tag of an encoding that is one host object written as its tag alone (what
 * encodeLoneHostObject gives: version 15, the host object tag, a one-byte varint, nothing
 * after), or -1 for anything else. Such a value decodes to whatever the host hook's `read(tag)`
 * returns, so a caller that knows that tag can skip the decoder; every other form, and every
 * error, is the general decoder's.
 */
export function loneHostObjectTag(bytes: Uint8Array): number {
  if (bytes.length !== 4 || bytes[0] !== T_VERSION || bytes[1] !== FORMAT_VERSION || bytes[2] !== T_HOST_OBJECT) return -1;
  const tag = bytes[3]!;
  return tag < 0x80 && tag !== HostTag.nativeError ? tag : -1;
}

/** decodeValue without its flat path: what the flat path must agree with (for tests). */
export function decodeValueGeneral(bytes: Uint8Array, options?: DecodeOptions): unknown {
  return (shared.busy ? new Decoder() : shared).decode(bytes, options);
}

/** What decodeFlat returns for input it leaves to the general decoder. */
const NOT_FLAT: unique symbol = Symbol("not flat");
/** Inputs up to this size may take the flat path (an argument list of a few short values). */
const FLAT_MAX_INPUT = 256;

/**
 * decodeValue's path for the values most calls carry, in the canonical form our encoder and
 * V8 write: version 15, then a primitive (a small integer whose varint fits 4 bytes, a double,
 * a one-byte string of up to 127 bytes, true, false, null, undefined) or a dense array of up to
 * 127 of them with no other properties, and nothing after it. The same values as the general
 * path (test/v8-flat.test.ts compares them) in one function instead of its dispatch through
 * header/tag/value/array/ids/depth: a call that runs cold pays for every function it runs
 * (docs/PERFORMANCE.md, "Code footprint"). Anything else, padding included, returns NOT_FLAT
 * and goes to the general decoder, which also gives every error.
 */
function decodeFlat(bytes: Uint8Array, options: DecodeOptions | undefined): unknown {
  const end = bytes.length;
  if (end < 3 || bytes[0] !== T_VERSION || bytes[1] !== FORMAT_VERSION) return NOT_FLAT;
  let pos = 2;
  let count = -1; // elements of the array (-1: a lone primitive)
  let value: unknown;
  let array: unknown[] | null = null;
  if (bytes[2] === T_BEGIN_DENSE_ARRAY) {
    if ((options?.maxObjects ?? DEFAULT_MAX_OBJECTS) < 1 || (options?.maxDepth ?? DEFAULT_MAX_DEPTH) < 1) return NOT_FLAT;
    if (end < 4 || bytes[3]! >= 0x80) return NOT_FLAT;
    count = bytes[3]!;
    pos = 4;
    array = [];
  }
  for (let i = 0; count < 0 ? i < 1 : i < count; i++) {
    if (pos >= end) return NOT_FLAT;
    const t = bytes[pos++]!;
    switch (t) {
      case T_INT32: {
        // Zigzag varint of 1 to 4 bytes (below 2^28); longer ones go the general way.
        let u = 0;
        let shift = 0;
        for (;;) {
          if (pos >= end || shift > 21) return NOT_FLAT;
          const b = bytes[pos++]!;
          u |= (b & 0x7f) << shift;
          if (b < 0x80) break;
          shift += 7;
        }
        value = (u >>> 1) ^ -(u & 1);
        break;
      }
      case T_DOUBLE:
        if (end - pos < 8) return NOT_FLAT;
        if (LITTLE_ENDIAN) for (let k = 0; k < 8; k++) f64Bytes[k] = bytes[pos + k]!;
        else for (let k = 0; k < 8; k++) f64Bytes[k] = bytes[pos + 7 - k]!;
        value = f64[0]!;
        pos += 8;
        break;
      case T_ONE_BYTE_STRING: {
        if (pos >= end) return NOT_FLAT;
        const n = bytes[pos++]!;
        if (n >= 0x80 || end - pos < n) return NOT_FLAT;
        value = latin1(bytes, pos, n);
        pos += n;
        break;
      }
      case T_TRUE:
        value = true;
        break;
      case T_FALSE:
        value = false;
        break;
      case T_NULL:
        value = null;
        break;
      case T_UNDEFINED:
        value = undefined;
        break;
      default:
        return NOT_FLAT;
    }
    if (array !== null) array.push(value);
  }
  if (array !== null) {
    // The trailer: '$', no properties, the length again.
    if (end - pos < 3 || bytes[pos] !== T_END_DENSE_ARRAY || bytes[pos + 1] !== 0 || bytes[pos + 2] !== count) return NOT_FLAT;
    pos += 3;
    value = array;
  }
  return pos === end ? value : NOT_FLAT;
}
