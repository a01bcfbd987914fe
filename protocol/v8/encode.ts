// Encoder: JavaScript value -> V8 value format, version 15 with header, byte-for-byte as Node's
// V8 writes it wherever V8's output depends only on the value (see docs/VALUE-FORMAT.md for the
// few places where it depends on V8's internal representation instead). Errors are written in
// workerd's host form (tag 10) by default; functions and non-plain objects go to the host hook.
//
// Hot path: numbers, strings, plain objects and arrays are handled inline with no allocation
// beyond the result; object ids for back-references live in a reused array (a Map only once a
// value holds many objects). One encoder instance is reused; a re-entrant call (a getter or host
// hook that encodes) gets a fresh one.

import * as tags from "./tags.ts";

// Tag constants as module-local bindings: read on every value, they must not go through an
// export binding (some loaders, e.g. tsx, turn those into getter calls).
const {
  FORMAT_VERSION,
  HostTag,
  REGEXP_FLAGS,
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
  T_REGEXP,
  T_RESIZABLE_ARRAY_BUFFER,
  T_STRING_OBJECT,
  T_TRUE,
  T_TRUE_OBJECT,
  T_UNDEFINED,
  T_VERSION,
  VIEW_BACKED_BY_RAB,
  VIEW_LENGTH_TRACKING,
  VT_DATA_VIEW,
  WORKERD_ERROR_NAMES,
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
} = tags;
import {
  K_ARRAY_BUFFER,
  K_BIGINT,
  K_BOOLEAN,
  K_DATE,
  K_ERROR,
  K_MAP,
  K_NONE,
  K_NUMBER,
  K_REGEXP,
  K_SET,
  K_SHARED_ARRAY_BUFFER,
  K_STRING,
  K_SYMBOL,
  K_VIEW,
  arrayBufferByteLength,
  bigintValue,
  booleanValue,
  classify,
  constructorName,
  dataViewBuffer,
  dataViewByteLength,
  dataViewByteOffset,
  dateValue,
  isUncloneable,
  numberValue,
  regexpFlagGetters,
  regexpSource,
  stringValue,
  typedArrayBuffer,
  typedArrayByteLength,
  typedArrayByteOffset,
  typedArrayName,
  viewKindsByName,
} from "./builtins.ts";
import { ByteWriter } from "./writer.ts";
import { dataCloneError, sizeLimitError, stackOverflowError } from "./errors.ts";
import type { EncodeOptions, HostEncoder, HostWriter } from "./host.ts";

/** workerd's limit on a serialized RPC value: 32 MiB. */
export const DEFAULT_MAX_BYTES = 2 ** 25;
/** Default nesting limit: deep enough for real data, shallow enough for every runtime's stack. */
export const DEFAULT_MAX_DEPTH = 2000;

const objectPrototype = Object.prototype;
const getPrototypeOf = Object.getPrototypeOf;
const isArray = Array.isArray;
const objectKeys = Object.keys;
const hasOwn = Object.prototype.hasOwnProperty;
const functionToString = Function.prototype.toString;

/** Ids are found by linear search until a value holds this many objects, then through a Map. */
const LINEAR_IDS = 32;

// Own properties JavaScriptCore (Bun) puts on every error; V8 has none of them. Dropped when
// non-enumerable so an error encodes the same on all three runtimes.
const ENGINE_ERROR_PROPS = new Set(["line", "column", "sourceURL", "originalLine", "originalColumn"]);
const V8_ERROR_PROTOTYPE_TAGS = new Map<string, number>([
  ["EvalError", ET_EVAL_ERROR],
  ["RangeError", ET_RANGE_ERROR],
  ["ReferenceError", ET_REFERENCE_ERROR],
  ["SyntaxError", ET_SYNTAX_ERROR],
  ["TypeError", ET_TYPE_ERROR],
  ["URIError", ET_URI_ERROR],
]);

/** Canonical array index ("0".."4294967294") as a number, or -1. V8 writes such keys as numbers. */
export function arrayIndexOf(key: string): number {
  const n = key.length;
  if (n === 0 || n > 10) return -1;
  let c = key.charCodeAt(0) - 48;
  if (c < 0 || c > 9) return -1;
  if (c === 0) return n === 1 ? 0 : -1;
  let v = c;
  for (let i = 1; i < n; i++) {
    c = key.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v <= 4294967294 ? v : -1;
}

/** True if V8 (32-bit Smis, as in Node) holds `n` as a small integer and writes it with tag 'I'. */
function isSmi(n: number): boolean {
  return (n | 0) === n && (n !== 0 || 1 / n > 0);
}

class Encoder implements HostWriter {
  readonly w = new ByteWriter();
  busy = false;
  /** seen[id] is the object with that id (null for the synthetic object of an error); `ids` used. */
  private seen: (object | null)[] = [];
  private ids = 0;
  private idMap: Map<object, number> | null = null;
  private depth = 0;
  private maxDepth = DEFAULT_MAX_DEPTH;
  private host: HostEncoder | undefined = undefined;
  private v8Errors = false;
  private errorStack = true;

  encode(value: unknown, opts: EncodeOptions | undefined): Uint8Array {
    const w = this.w;
    let maxBytes = DEFAULT_MAX_BYTES;
    if (opts !== undefined) {
      this.host = opts.host;
      this.maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
      this.v8Errors = opts.errors === "v8";
      this.errorStack = opts.errorStack ?? true;
      maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    }
    this.busy = true;
    try {
      w.byte2(T_VERSION, FORMAT_VERSION);
      this.value(value);
      if (w.pos > maxBytes) throw sizeLimitError(maxBytes, w.pos);
      return w.finish();
    } finally {
      w.reset();
      if (this.ids > 0) {
        // Drop references so encoded values can be collected; keep the array's storage. A
        // loop: usually there are few, and Array.prototype.fill with bounds is a call into C++.
        const seen = this.seen;
        for (let i = this.ids - 1; i >= 0; i--) seen[i] = null;
        this.ids = 0;
      }
      this.idMap = null;
      this.depth = 0;
      this.busy = false;
      if (opts !== undefined) {
        this.host = undefined;
        this.maxDepth = DEFAULT_MAX_DEPTH;
        this.v8Errors = false;
        this.errorStack = true;
      }
    }
  }

  // ---- HostWriter (what a host hook sees) ----
  writeTag(tag: number): void {
    this.w.varint(tag);
  }
  writeVarint(value: number | bigint): void {
    if (typeof value === "bigint") {
      if (value < 0n || value > 0xffffffffffffffffn) throw new RangeError("varint out of range");
      this.w.varintBig(value);
    } else {
      if (!(value >= 0 && value <= Number.MAX_SAFE_INTEGER && Math.floor(value) === value)) {
        throw new RangeError("varint out of range");
      }
      this.w.varint(value);
    }
  }
  writeRawBytes(bytes: Uint8Array): void {
    this.w.bytes(bytes);
  }
  writeLengthDelimited(bytes: Uint8Array | string): void {
    if (typeof bytes === "string") return this.w.utf8LengthDelimited(bytes);
    this.w.varint(bytes.length);
    this.w.bytes(bytes);
  }
  writeValue(value: unknown): void {
    this.value(value);
  }

  // ---- values ----
  private value(v: unknown): void {
    const w = this.w;
    if (flatPrimitive(v, w, false)) return; // numbers, strings, booleans, undefined, null
    switch (typeof v) {
      case "object":
        return this.object(v as object);
      case "bigint":
        w.byte(T_BIGINT);
        return w.bigint(v);
      case "function":
        return this.func(v as (...args: unknown[]) => unknown);
      default:
        throw dataCloneError(`${String(v)} could not be cloned.`);
    }
  }

  /** Write a back-reference if `v` was seen; returns true if it did. */
  private backRef(v: object): boolean {
    let id = -1;
    const count = this.ids;
    if (count === 0) return false;
    if (this.idMap === null) {
      const seen = this.seen;
      if (count <= LINEAR_IDS) {
        for (let i = 0; i < count; i++) {
          if (seen[i] === v) {
            id = i;
            break;
          }
        }
      } else {
        const m = (this.idMap = new Map());
        for (let i = 0; i < count; i++) if (seen[i] !== null) m.set(seen[i]!, i);
        id = m.get(v) ?? -1;
      }
    } else {
      id = this.idMap.get(v) ?? -1;
    }
    if (id < 0) return false;
    this.w.byte(T_OBJECT_REFERENCE);
    this.w.varint32(id);
    return true;
  }

  /** Give `v` the next object id (V8 numbers every object it writes, in order). */
  private assignId(v: object | null): void {
    if (this.idMap !== null && v !== null) this.idMap.set(v, this.ids);
    this.seen[this.ids++] = v;
  }

  private enter(): void {
    if (++this.depth > this.maxDepth) throw stackOverflowError();
  }

  private object(v: object): void {
    if (this.backRef(v)) return;
    if (isArray(v)) {
      this.assignId(v);
      this.enter();
      this.array(v as unknown[]);
      this.depth--;
      return;
    }
    const proto = getPrototypeOf(v);
    if (proto === objectPrototype) {
      this.assignId(v);
      this.enter();
      this.plainObject(v as Record<string, unknown>);
      this.depth--;
      return;
    }
    this.enter();
    this.other(v, proto);
    this.depth--;
  }

  /** A key as V8 writes it: array indices as numbers (I up to 2^31-1, else N), others as strings. */
  private key(k: string): void {
    const index = arrayIndexOf(k);
    if (index < 0) return this.w.string(k);
    if (index <= 0x7fffffff) {
      this.w.byte(T_INT32);
      this.w.zigzag32(index);
    } else {
      this.w.byte(T_DOUBLE);
      this.w.double(index);
    }
  }

  /** Own enumerable string-keyed properties from `keys[from..]`; returns how many were written. */
  private properties(o: Record<string, unknown>, keys: string[], from: number): number {
    let count = 0;
    for (let i = from; i < keys.length; i++) {
      const k = keys[i]!;
      const val = o[k];
      // A getter may have deleted a later property: V8 then skips it.
      if (val === undefined && !hasOwn.call(o, k)) continue;
      this.key(k);
      this.value(val);
      count++;
    }
    return count;
  }

  private plainObject(o: Record<string, unknown>): void {
    const w = this.w;
    w.byte(T_BEGIN_OBJECT);
    const count = this.properties(o, objectKeys(o), 0);
    w.byte(T_END_OBJECT);
    w.varint32(count);
  }

  private array(a: unknown[]): void {
    const w = this.w;
    const len = a.length;
    // One pass decides the form: a hole means sparse ('a'); all numbers with at least one that is
    // not a small integer means V8 holds the elements as doubles and writes every one as 'N'.
    let allNumbers = true;
    let anyDouble = false;
    for (let i = 0; i < len; i++) {
      const x = a[i];
      if (typeof x === "number") {
        if (!anyDouble && !isSmi(x)) anyDouble = true;
      } else {
        allNumbers = false;
        if (x === undefined && !(i in a)) return this.sparseArray(a);
      }
    }
    w.byte(T_BEGIN_DENSE_ARRAY);
    w.varint32(len);
    if (allNumbers && anyDouble) {
      for (let i = 0; i < len; i++) {
        w.byte(T_DOUBLE);
        w.double(a[i] as number);
      }
    } else {
      for (let i = 0; i < len; i++) this.value(a[i]);
    }
    // Named properties follow the elements; Object.keys lists the len indices first.
    const keys = objectKeys(a);
    const count = keys.length > len ? this.properties(a as unknown as Record<string, unknown>, keys, len) : 0;
    w.byte(T_END_DENSE_ARRAY);
    w.varint32(count);
    w.varint32(len);
  }

  private sparseArray(a: unknown[]): void {
    const w = this.w;
    const len = a.length;
    w.byte(T_BEGIN_SPARSE_ARRAY);
    w.varint32(len);
    const count = this.properties(a as unknown as Record<string, unknown>, objectKeys(a), 0);
    w.byte(T_END_SPARSE_ARRAY);
    w.varint32(count);
    w.varint32(len);
  }

  private func(f: (...args: unknown[]) => unknown): void {
    if (this.backRef(f)) return;
    if (this.hostObject(f)) return;
    let text: string;
    try {
      text = functionToString.call(f);
    } catch {
      text = "function";
    }
    throw dataCloneError(`${text} could not be cloned.`);
  }

  /** Offer `v` to the host hook. Returns true if the hook wrote it. */
  private hostObject(v: object): boolean {
    const host = this.host;
    if (host === undefined) return false;
    const w = this.w;
    const mark = w.pos;
    const idMark = this.ids;
    this.assignId(v);
    w.byte(T_HOST_OBJECT);
    if (host.write(v, this)) return true;
    if (w.pos !== mark + 1) throw new Error("V8 host hook returned false after writing");
    w.pos = mark;
    this.seen[idMark] = null;
    this.ids = idMark;
    this.idMap?.delete(v);
    return false;
  }

  private other(v: object, proto: object | null): void {
    const w = this.w;
    const kind = classify(v, proto);
    switch (kind) {
      case K_VIEW:
        return this.view(v as ArrayBufferView);
      case K_ARRAY_BUFFER:
        this.assignId(v);
        return this.arrayBuffer(v as ArrayBuffer);
      case K_DATE:
        this.assignId(v);
        w.byte(T_DATE);
        return w.double(dateValue.call(v));
      case K_MAP:
        this.assignId(v);
        return this.map(v as Map<unknown, unknown>);
      case K_SET:
        this.assignId(v);
        return this.set(v as Set<unknown>);
      case K_REGEXP:
        this.assignId(v);
        return this.regexp(v as RegExp);
      case K_ERROR:
        // A DOMException is a host object in workerd (tag 8): offer it to the hook first.
        if (typeof DOMException === "function" && v instanceof DOMException && this.hostObject(v)) return;
        this.assignId(v);
        return this.v8Errors ? this.v8Error(v as Error) : this.workerdError(v as Error);
      case K_BOOLEAN:
        this.assignId(v);
        return w.byte(booleanValue.call(v) ? T_TRUE_OBJECT : T_FALSE_OBJECT);
      case K_NUMBER:
        this.assignId(v);
        w.byte(T_NUMBER_OBJECT);
        return w.double(numberValue.call(v));
      case K_BIGINT:
        this.assignId(v);
        w.byte(T_BIGINT_OBJECT);
        return w.bigint(bigintValue.call(v));
      case K_STRING:
        this.assignId(v);
        w.byte(T_STRING_OBJECT);
        return w.string(stringValue.call(v));
      case K_SYMBOL:
        throw dataCloneError("[object Symbol] could not be cloned.");
      case K_SHARED_ARRAY_BUFFER:
        // workerd writes it, but no receiver can read it; refuse up front.
        throw dataCloneError("#<SharedArrayBuffer> could not be cloned.");
      default:
        // Not a built-in written here: the host hook's, else refused in V8's words.
        if (this.hostObject(v)) return;
        if (isUncloneable(v)) throw dataCloneError(`#<${constructorName(v)}> could not be cloned.`);
        throw dataCloneError(
          `Could not serialize object of type "${constructorName(v)}". This type does not support serialization.`,
        );
    }
  }

  private arrayBuffer(b: ArrayBuffer): void {
    const w = this.w;
    if ((b as { detached?: boolean }).detached === true) {
      throw dataCloneError("An ArrayBuffer is detached and could not be cloned.");
    }
    const len = arrayBufferByteLength.call(b);
    if ((b as { resizable?: boolean }).resizable === true) {
      w.byte(T_RESIZABLE_ARRAY_BUFFER);
      w.varint(len);
      w.varint((b as unknown as { maxByteLength: number }).maxByteLength);
    } else {
      w.byte(T_ARRAY_BUFFER);
      w.varint(len);
    }
    if (len > 0) w.bytes(new Uint8Array(b, 0, len));
  }

  private view(v: ArrayBufferView): void {
    const w = this.w;
    const name = typedArrayName.call(v);
    let buffer: ArrayBufferLike;
    let byteOffset: number;
    let byteLength: number;
    let tag: number;
    let size: number;
    if (name === undefined) {
      buffer = dataViewBuffer.call(v);
      byteOffset = dataViewByteOffset.call(v);
      byteLength = dataViewByteLength.call(v);
      tag = VT_DATA_VIEW;
      size = 1;
    } else {
      const kind = viewKindsByName.get(name)!;
      buffer = typedArrayBuffer.call(v);
      byteOffset = typedArrayByteOffset.call(v);
      byteLength = typedArrayByteLength.call(v);
      tag = kind.tag;
      size = kind.size;
    }
    // The buffer goes first (or a back-reference to it), then the view.
    if (!this.backRef(buffer)) {
      if (classify(buffer, getPrototypeOf(buffer)) !== K_ARRAY_BUFFER) {
        throw dataCloneError("#<SharedArrayBuffer> could not be cloned.");
      }
      this.assignId(buffer);
      this.arrayBuffer(buffer as ArrayBuffer);
    }
    this.assignId(v);
    let flags = 0;
    if ((buffer as { resizable?: boolean }).resizable === true) {
      flags = VIEW_BACKED_BY_RAB;
      if (isLengthTracking(v, buffer as ArrayBuffer, byteOffset, byteLength, size, name === undefined)) {
        flags |= VIEW_LENGTH_TRACKING;
        byteLength = 0; // V8 stores no length for a length-tracking view
      }
    }
    w.byte(T_ARRAY_BUFFER_VIEW);
    w.byte(tag);
    w.varint(byteOffset);
    w.varint(byteLength);
    w.varint32(flags);
  }

  private map(m: Map<unknown, unknown>): void {
    const w = this.w;
    // Snapshot first: writing a value may run getters that change the map (V8 does the same).
    const entries: unknown[] = [];
    Map.prototype.forEach.call(m, (val: unknown, k: unknown) => entries.push(k, val));
    w.byte(T_BEGIN_MAP);
    for (let i = 0; i < entries.length; i++) this.value(entries[i]);
    w.byte(T_END_MAP);
    w.varint(entries.length);
  }

  private set(s: Set<unknown>): void {
    const w = this.w;
    const items: unknown[] = [];
    Set.prototype.forEach.call(s, (k: unknown) => items.push(k));
    w.byte(T_BEGIN_SET);
    for (let i = 0; i < items.length; i++) this.value(items[i]);
    w.byte(T_END_SET);
    w.varint(items.length);
  }

  private regexp(r: RegExp): void {
    const w = this.w;
    w.byte(T_REGEXP);
    w.string(regexpSource.call(r));
    let flags = 0;
    for (let i = 0; i < REGEXP_FLAGS.length; i++) {
      const get = regexpFlagGetters[i];
      if (get !== undefined && get.call(r) === true) flags |= REGEXP_FLAGS[i]![1];
    }
    w.varint32(flags);
  }

  /** workerd's host form: `\` 10, ErrorTag, [name], message, then a plain object of other own props. */
  private workerdError(e: Error): void {
    const w = this.w;
    w.byte(T_HOST_OBJECT);
    w.byte(HostTag.nativeError);
    const nameValue: unknown = e.name;
    const name = String(nameValue);
    let tag = WORKERD_ERROR_NAMES.indexOf(name);
    if (tag < 1) tag = 0;
    w.varint32(tag);
    if (tag === 0) this.value(nameValue);
    this.value(e.message);
    // The other own properties, enumerable or not, as a fresh plain object (it takes an id).
    // `stack` goes first as on V8 (JavaScriptCore lists it last).
    const names = Object.getOwnPropertyNames(e);
    const props: string[] = [];
    for (const k of names) {
      if (k === "name" || k === "message" || arrayIndexOf(k) >= 0) continue;
      if (k === "stack") {
        if (this.errorStack) props.unshift(k);
        continue;
      }
      if (ENGINE_ERROR_PROPS.has(k) && !Object.prototype.propertyIsEnumerable.call(e, k)) continue;
      props.push(k);
    }
    this.assignId(null);
    this.enter();
    w.byte(T_BEGIN_OBJECT);
    const record = e as unknown as Record<string, unknown>;
    for (const k of props) {
      w.string(k);
      this.value(record[k]);
    }
    w.byte(T_END_OBJECT);
    w.varint32(props.length);
    this.depth--;
  }

  /** V8's own form: 'r', prototype tag, message, cause, stack, end. */
  private v8Error(e: Error): void {
    const w = this.w;
    w.byte(T_ERROR);
    const protoTag = V8_ERROR_PROTOTYPE_TAGS.get(String(e.name));
    if (protoTag !== undefined) w.byte(protoTag);
    const message = Object.getOwnPropertyDescriptor(e, "message");
    if (message !== undefined && "value" in message) {
      w.byte(ET_MESSAGE);
      w.string(String(message.value));
    }
    const cause = Object.getOwnPropertyDescriptor(e, "cause");
    if (cause !== undefined && "value" in cause) {
      w.byte(ET_CAUSE);
      this.value(cause.value);
    }
    const stack: unknown = e.stack;
    if (typeof stack === "string") {
      w.byte(ET_STACK);
      w.string(stack);
    }
    w.byte(ET_END);
  }
}

/**
 * Whether a view over a resizable buffer tracks the buffer's length. JavaScript has no direct
 * query, so resize the buffer by one step and watch the view, then restore the buffer exactly.
 * Runs only for views that end at the end of a resizable buffer.
 */
function isLengthTracking(
  v: ArrayBufferView,
  buffer: ArrayBuffer,
  byteOffset: number,
  byteLength: number,
  size: number,
  isDataView: boolean,
): boolean {
  const len = arrayBufferByteLength.call(buffer);
  if (byteOffset + byteLength !== len) return false;
  const rab = buffer as ArrayBuffer & { maxByteLength: number; resize(n: number): void };
  const viewLength = () => (isDataView ? safeLength(dataViewByteLength, v) : typedArrayByteLength.call(v));
  if (len + size <= rab.maxByteLength) {
    rab.resize(len + size);
    const grown = viewLength();
    rab.resize(len);
    return grown !== byteLength;
  }
  if (len === 0) return byteLength === 0; // cannot move: an empty view at the end tracks or not alike
  const last = new Uint8Array(buffer, len - 1, 1)[0]!;
  rab.resize(len - 1);
  // A fixed view that no longer fits goes out of bounds, where a DataView's byteLength and a
  // typed array's methods throw; a tracking view just shrinks with the buffer.
  const inBounds = isDataView ? safeLength(dataViewByteLength, v) >= 0 : typedArrayInBounds(v);
  rab.resize(len);
  new Uint8Array(buffer, len - 1, 1)[0] = last;
  return inBounds;
}

const typedArrayAt = (Object.getPrototypeOf(Uint8Array.prototype) as { at: (this: unknown, i: number) => unknown }).at;
function typedArrayInBounds(v: unknown): boolean {
  try {
    typedArrayAt.call(v, 0);
    return true;
  } catch {
    return false;
  }
}

function safeLength(get: (this: unknown) => number, v: unknown): number {
  try {
    return get.call(v);
  } catch {
    return -1; // an out-of-bounds DataView throws
  }
}

const shared = new Encoder();

/**
 * Encode `value` in the V8 value format (version 15, with header), as workerd sends it.
 * Returns a Uint8Array of exactly the encoded length, owned by the caller; its ArrayBuffer may
 * be shared with other small results or be slightly longer, so use byteOffset/byteLength.
 * Throws a DataCloneError (DOMException) for values that cannot be sent, Error for values over
 * `maxBytes`, RangeError for nesting deeper than `maxDepth`.
 */
export function encodeValue(value: unknown, options?: EncodeOptions): Uint8Array {
  if (shared.busy) return new Encoder().encode(value, options);
  // Busy while the flat path runs too: an array element's getter may encode a value itself.
  shared.busy = true;
  let flat: Uint8Array | null;
  try {
    flat = encodeFlat(value, shared.w, options?.maxBytes ?? DEFAULT_MAX_BYTES);
  } catch (error) {
    shared.w.reset();
    throw error;
  } finally {
    shared.busy = false;
  }
  return flat ?? shared.encode(value, options);
}

/**
 * True when encodeValue(v) would hand `v` itself to the host hook before writing anything else:
 * a function, or an object that no built-in form takes (an RpcTarget, say; not an array, a plain
 * object or another built-in). If the hook then writes only a tag, the whole encoding is what
 * `encodeLoneHostObject` gives for it, and a caller that knows the hook's answer can skip the
 * encoder (a call returning a capability: docs/PERFORMANCE.md, "Code footprint"). Some runtimes
 * offer a DOMException this way too (where it is not a native error): a hook writes more for it.
 */
export function offeredWholeToHost(v: unknown): boolean {
  if (typeof v === "function") return true;
  if (typeof v !== "object" || v === null || isArray(v)) return false;
  const proto = getPrototypeOf(v);
  return proto !== objectPrototype && classify(v, proto) === K_NONE;
}

/**
 * The encoding of a value the host hook wrote as `tag` alone (HostWriter.writeTag and nothing
 * more): the header, the host object tag and the tag's varint, exactly as the general path
 * writes them (test/v8-flat.test.ts compares the two).
 */
export function encodeLoneHostObject(tag: number): Uint8Array {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0x7f) throw new RangeError(`host tag ${tag}: 0 to 127 only`);
  return Uint8Array.of(T_VERSION, FORMAT_VERSION, T_HOST_OBJECT, tag);
}

/** encodeValue without its flat path: what the flat path must agree with (for tests). */
export function encodeValueGeneral(value: unknown, options?: EncodeOptions): Uint8Array {
  return (shared.busy ? new Encoder() : shared).encode(value, options);
}

/** Arrays up to this length may take the flat path. */
const FLAT_MAX_LENGTH = 16;

/**
 * encodeValue's path for the values most calls carry: a primitive other than a BigInt, or a
 * dense array of at most FLAT_MAX_LENGTH of them with no other own properties (an argument
 * list). The same bytes as the general path (test/v8-flat.test.ts compares them), in one function
 * instead of the general path's dispatch through value/object/array/ids/depth: a call that runs
 * cold pays for every function it runs (docs/PERFORMANCE.md, "Code footprint"). Returns null,
 * with nothing written, for anything else.
 */
function encodeFlat(value: unknown, w: ByteWriter, maxBytes: number): Uint8Array | null {
  if (typeof value === "object" && value !== null && !isArray(value)) return null;
  w.byte2(T_VERSION, FORMAT_VERSION);
  const written = isArray(value) ? flatArray(value as unknown[], w) : flatPrimitive(value, w, false);
  if (!written || w.pos > maxBytes) {
    w.reset(); // the general path takes it (and throws the size error)
    return null;
  }
  return w.finish();
}

/**
 * Writes a primitive other than a BigInt (as doubles, with `asDouble`: the elements of an array
 * of numbers that are not all small integers); false, with nothing written, for anything else.
 * The general path's `value` writes its primitives through this too.
 */
function flatPrimitive(v: unknown, w: ByteWriter, asDouble: boolean): boolean {
  switch (typeof v) {
    case "number":
      if (!asDouble && (v | 0) === v && (v !== 0 || 1 / v > 0)) { // isSmi, inline
        w.byte(T_INT32);
        w.zigzag32(v);
      } else {
        w.byte(T_DOUBLE);
        w.double(v);
      }
      return true;
    case "string":
      w.string(v);
      return true;
    case "boolean":
      w.byte(v ? T_TRUE : T_FALSE);
      return true;
    case "undefined":
      w.byte(T_UNDEFINED);
      return true;
    case "object":
      if (v !== null) return false;
      w.byte(T_NULL);
      return true;
    default:
      return false;
  }
}

/** An array as `array` writes it when every element is a flat primitive (no holes, no extras). */
function flatArray(a: unknown[], w: ByteWriter): boolean {
  const len = a.length;
  if (len > FLAT_MAX_LENGTH) return false;
  // The general path's form pass: all numbers with one that is not a small integer are written
  // as doubles, every one of them.
  let allNumbers = true;
  let anyDouble = false;
  for (let i = 0; i < len; i++) {
    const x = a[i];
    if (typeof x === "number") {
      if (!anyDouble && ((x | 0) !== x || (x === 0 && 1 / x < 0))) anyDouble = true;
    } else {
      allNumbers = false;
      if (x === undefined) {
        if (!(i in a)) return false; // a hole: the sparse form
      } else if ((typeof x === "object" && x !== null) || typeof x === "function" || typeof x === "bigint" || typeof x === "symbol") {
        return false;
      }
    }
  }
  if (objectKeys(a).length !== len) return false; // named properties follow the elements
  w.byte(T_BEGIN_DENSE_ARRAY);
  w.varint32(len);
  const asDouble = allNumbers && anyDouble;
  for (let i = 0; i < len; i++) if (!flatPrimitive(a[i], w, asDouble)) return false;
  w.byte(T_END_DENSE_ARRAY);
  w.byte(0); // no properties
  w.varint32(len);
  return true;
}
