// Seeded generator of JavaScript values for the V8 codec's property tests. The same seed gives
// the same values on Node, Deno and Bun, so vectors recorded from Node's V8 can be checked
// everywhere. Values are built so that V8's bytes depend only on the value, never on V8's
// internal representation (docs/VALUE-FORMAT.md lists those cases):
// - objects (and arrays' named properties) are put in dictionary mode, so a field never reads
//   back as a boxed double because another object with the same shape once held a double;
// - integers are made with `| 0` (small integers), doubles are never integral within int32;
// - arrays that mix numbers with other values never pass through V8's double-elements kind;
// - strings come from one String.fromCharCode call (one-byte when every unit is <= 0xFF);
// - errors get a fixed own `stack` string.

/** mulberry32: small, fast, good enough, and identical on every engine. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  u32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return (this.u32() % n) | 0; // `| 0` keeps it a small integer inside V8
  }
  bool(p = 0.5): boolean {
    return this.u32() < p * 4294967296;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/** Make `o` a dictionary-mode object in V8 (a no-op elsewhere), then add `entries`. */
function dictionaryProps(o: object, entries: [string, unknown][]): void {
  const rec = o as Record<string, unknown>;
  rec.__gen_a = 0;
  rec.__gen_b = 0;
  delete rec.__gen_a; // deleting a property that is not the last one normalizes the object
  for (const [k, v] of entries) {
    if (k === "__proto__") Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
    else rec[k] = v;
  }
  delete rec.__gen_b;
}

const KEYS = [
  "a", "b", "key", "name", "x1", "", "__proto__", "0", "1", "7", "42", "2147483647", "2147483648",
  "4294967294", "4294967295", "-1", "01", "1.5", "é", "€", "\u{1F600}", "length2",
];
const SPECIAL_DOUBLES = [NaN, Infinity, -Infinity, -0, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, -(2 ** 53), 1e300, 5e-324, 0.1, -1.5];
const SMALL_INTS = [0, 1, -1, 63, 64, -64, -65, 127, 128, 8191, 8192, 2147483647, -2147483648];
const PATTERNS = ["a", "a/b", "^\\d+$", "[a-z]*", "(?<n>x)|y", "\\u{1F600}", "", "é+", "\\n"];
const FLAG_SETS = ["", "g", "i", "m", "s", "y", "d", "u", "gimsuy", "dgimsy", "v", "giv"];
const ERROR_CTORS = [Error, TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError];
const VIEW_CTORS = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
] as const;

export interface GenOptions {
  /** Generate errors with workerd-only features (AggregateError, custom names, own props). */
  workerdErrors?: boolean;
}

/** Generates one value per call; objects made within a value may be shared or cyclic. */
export class ValueGen {
  private pool: object[] = [];
  private buffers: ArrayBuffer[] = [];
  constructor(private readonly rng: Rng, private readonly opts: GenOptions = {}) {}

  value(): unknown {
    this.pool = [];
    this.buffers = [];
    return this.any(3);
  }

  private any(depth: number): unknown {
    const r = this.rng;
    if (depth <= 0 || r.bool(0.45)) return this.primitive();
    if (this.pool.length > 0 && r.bool(0.08)) return r.pick(this.pool);
    const obj = this.container(depth - 1);
    return obj;
  }

  int(): number {
    const r = this.rng;
    switch (r.int(3)) {
      case 0: return r.pick(SMALL_INTS);
      case 1: return (r.u32() | 0) >> r.int(31);
      default: return (r.int(200) - 100) | 0;
    }
  }

  double(): number {
    const r = this.rng;
    if (r.bool(0.4)) return r.pick(SPECIAL_DOUBLES);
    // Never integral: (odd / 2^k) with k >= 1.
    return (((r.u32() | 1) >> r.int(20)) | 1) / 2 ** (1 + r.int(30));
  }

  bigint(): bigint {
    const r = this.rng;
    let v = BigInt(r.u32());
    const words = r.int(4);
    for (let i = 0; i < words; i++) v = (v << 32n) | BigInt(r.u32());
    if (r.bool(0.2)) v = 0n;
    return r.bool() ? -v : v;
  }

  string(): string {
    const r = this.rng;
    const kind = r.int(6);
    const long = r.bool(0.1);
    const n = long ? 49 + r.int(60) : r.int(12);
    const codes: number[] = [];
    for (let i = 0; i < n; i++) {
      switch (kind) {
        case 0: codes.push(0x20 + r.int(95)); break; // ASCII
        case 1: codes.push(r.int(256)); break; // latin1
        case 2: codes.push(r.int(0xd800)); break; // two-byte BMP
        case 3: codes.push(r.bool(0.8) ? 0x61 + r.int(26) : 0xd800 + r.int(0x800)); break; // lone surrogates
        case 4: codes.push(r.bool(0.7) ? 0x61 + r.int(26) : r.pick([0xe9, 0x20ac, 0xd83d, 0xde00])); break;
        default: codes.push(r.int(0x80)); break; // ASCII incl. control chars
      }
    }
    return String.fromCharCode.apply(null, codes);
  }

  primitive(): unknown {
    const r = this.rng;
    switch (r.int(9)) {
      case 0: return r.pick([undefined, null, true, false]);
      case 1: case 2: return this.int();
      case 3: return this.double();
      case 4: return this.bigint();
      default: return this.string();
    }
  }

  private remember<T extends object>(o: T): T {
    this.pool.push(o);
    return o;
  }

  private key(): string {
    const r = this.rng;
    return r.bool(0.7) ? r.pick(KEYS) : this.string();
  }

  private container(depth: number): unknown {
    const r = this.rng;
    switch (r.int(16)) {
      case 0: case 1: case 2: return this.object(depth);
      case 3: case 4: return this.denseArray(depth);
      case 5: return this.numberArray();
      case 6: return this.sparseArray(depth);
      case 7: return this.map(depth);
      case 8: return this.set(depth);
      case 9: return this.remember(r.bool(0.2) ? new Date(NaN) : new Date((r.u32() | 0) * 1000 + r.int(1000)));
      case 10: return this.remember(new RegExp(r.pick(PATTERNS), r.pick(FLAG_SETS)));
      case 11: return this.wrapper();
      case 12: return this.arrayBuffer();
      case 13: case 14: return this.view();
      default: return this.error(depth);
    }
  }

  private object(depth: number): object {
    const r = this.rng;
    const o: Record<string, unknown> = this.remember({});
    const entries: [string, unknown][] = [];
    const n = r.int(5);
    for (let i = 0; i < n; i++) entries.push([this.key(), this.any(depth)]);
    if (r.bool(0.05)) entries.push(["self", o]); // a cycle
    dictionaryProps(o, entries);
    return o;
  }

  private denseArray(depth: number): unknown[] {
    const r = this.rng;
    const n = r.int(6);
    const items: unknown[] = [];
    for (let i = 0; i < n; i++) items.push(this.any(depth));
    // Start from an object-elements array so numbers never pass through double elements.
    const a: unknown[] = [null];
    this.remember(a);
    for (const x of items) a.push(x);
    a.shift();
    if (r.bool(0.05)) a.push(a); // a cycle
    if (r.bool(0.15)) dictionaryProps(a, [["x", this.primitive()], [this.string() + "!", this.primitive()]]);
    return a;
  }

  /**
   * All numbers: V8 picks small-integer or double elements from the values, as we do. Integer-only
   * and double arrays come from different array literals, because V8 remembers per literal site
   * that it once held doubles and then starts every new array from that site as doubles.
   */
  private numberArray(): number[] {
    const r = this.rng;
    const n = 1 + r.int(5);
    if (r.bool()) {
      const ints: number[] = [];
      for (let i = 0; i < n; i++) ints.push(this.int());
      return this.remember(ints);
    }
    const doubles: number[] = [0.5];
    doubles.pop();
    const at = r.int(n);
    for (let i = 0; i < n; i++) doubles.push(i === at || r.bool() ? this.double() : this.int());
    return this.remember(doubles);
  }

  private sparseArray(depth: number): unknown[] {
    const r = this.rng;
    const a: unknown[] = [];
    this.remember(a);
    const len = r.pick([1, 3, 10, 1000, 2 ** 31, 2 ** 32 - 1]);
    a.length = len;
    const n = r.int(4);
    for (let i = 0; i < n; i++) {
      const index = r.int(Math.min(len, 4294967294));
      if (index !== 0) a[index] = this.any(depth); // index 0 stays a hole
    }
    if (r.bool(0.2)) dictionaryProps(a, [["named", this.primitive()]]);
    return a;
  }

  private map(depth: number): Map<unknown, unknown> {
    const r = this.rng;
    const m = this.remember(new Map<unknown, unknown>());
    const n = r.int(4);
    for (let i = 0; i < n; i++) m.set(r.bool(0.7) ? this.primitive() : this.any(depth), this.any(depth));
    return m;
  }

  private set(depth: number): Set<unknown> {
    const r = this.rng;
    const s = this.remember(new Set<unknown>());
    const n = r.int(4);
    for (let i = 0; i < n; i++) s.add(this.any(depth));
    return s;
  }

  private wrapper(): object {
    const r = this.rng;
    switch (r.int(5)) {
      case 0: return this.remember(Object(r.bool()));
      case 1: return this.remember(Object(r.bool() ? this.int() : this.double()));
      case 2: return this.remember(Object(this.bigint()));
      default: return this.remember(Object(this.string()));
    }
  }

  private bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.rng.int(256);
    return out;
  }

  private arrayBuffer(): ArrayBuffer {
    const r = this.rng;
    const n = r.int(17);
    let b: ArrayBuffer;
    if (r.bool(0.25)) {
      b = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer)(n, {
        maxByteLength: n + r.int(64),
      });
      new Uint8Array(b).set(this.bytes(n));
    } else {
      b = this.bytes(n).buffer as ArrayBuffer;
    }
    this.buffers.push(b);
    return this.remember(b);
  }

  private view(): ArrayBufferView {
    const r = this.rng;
    const buffer = this.buffers.length > 0 && r.bool(0.4) ? r.pick(this.buffers) : this.arrayBuffer();
    const len = buffer.byteLength;
    const resizable = (buffer as { resizable?: boolean }).resizable === true;
    if (r.bool(0.2)) {
      const off = r.int(len + 1);
      const tracking = resizable && r.bool(0.5);
      return this.remember(tracking ? new DataView(buffer, off) : new DataView(buffer, off, r.int(len - off + 1)));
    }
    const Ctor = r.pick(VIEW_CTORS);
    const size = Ctor.BYTES_PER_ELEMENT;
    const off = size * r.int(Math.floor(len / size) + 1);
    const maxCount = Math.floor((len - off) / size);
    if (resizable && (len - off) % size === 0 && r.bool(0.5)) return this.remember(new Ctor(buffer, off));
    return this.remember(new Ctor(buffer, off, r.int(maxCount + 1)));
  }

  private error(depth: number): Error {
    const r = this.rng;
    const workerd = this.opts.workerdErrors === true;
    const message = r.bool(0.1) ? undefined : this.string();
    let e: Error;
    const cause = r.bool(0.3) ? { cause: this.any(depth) } : undefined;
    if (workerd && r.bool(0.15)) {
      e = new AggregateError([this.any(depth), this.any(depth)], message);
    } else {
      e = new (r.pick(ERROR_CTORS))(message, cause);
    }
    Object.defineProperty(e, "stack", { value: `${e.name}: stack ${r.int(100)}`, writable: true, configurable: true });
    if (workerd) {
      if (r.bool(0.2)) e.name = r.pick(["CustomErr", "Weird", "TypeError"]);
      if (r.bool(0.3)) (e as unknown as Record<string, unknown>).code = this.primitive();
      if (r.bool(0.1)) (e as unknown as Record<string, unknown>).detail = this.any(depth);
    }
    return this.remember(e);
  }
}

/** The values of one seed, in order. */
export function generateValues(seed: number, count: number, opts: GenOptions = {}): unknown[] {
  const gen = new ValueGen(new Rng(seed), opts);
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) out.push(gen.value());
  return out;
}

/** True if `v` holds a typed array or DataView anywhere (Node's v8.serialize writes those its own way). */
export function containsView(v: unknown, seen = new Set<unknown>()): boolean {
  if (typeof v !== "object" || v === null || seen.has(v)) return false;
  seen.add(v);
  if (ArrayBuffer.isView(v)) return true;
  if (v instanceof Map) {
    for (const [k, x] of v) if (containsView(k, seen) || containsView(x, seen)) return true;
    return false;
  }
  if (v instanceof Set) {
    for (const x of v) if (containsView(x, seen)) return true;
    return false;
  }
  if (v instanceof Error) return containsView((v as { cause?: unknown }).cause, seen) || Object.values(v).some((x) => containsView(x, seen));
  return Object.values(v).some((x) => containsView(x, seen));
}
