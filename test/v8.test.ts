// Hand-written cases for the V8 value codec: every type of workerd's RPC value model with the
// exact bytes Node's V8 writes (checked against node:v8 when it was written; the vector test keeps
// checking V8 live on Node), every refusal with workerd's wording, errors in both forms, the
// host-object hooks, limits and re-entrancy. Runs unchanged on Node, Deno and Bun.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  decodeValue,
  encodeValue,
  HostTag,
  ValueFormatError,
  type HostDecoder,
  type HostEncoder,
} from "../protocol/index.ts";
import { setBrandChecks } from "../protocol/v8/builtins.ts";
import { types } from "node:util";
import { diffValues, fromHex, toHex } from "./support/v8-equal.ts";

function roundTrip(value: unknown): unknown {
  return decodeValue(encodeValue(value));
}
function assertSame(actual: unknown, expected: unknown): void {
  const diff = diffValues(expected, actual);
  assert.equal(diff, null, diff ?? "");
}
function refusal(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a refusal");
}

const withGetter = { a: 1, get b() { return 2; } };
const sym = { x: 1, [Symbol("s")]: 2 };
Object.defineProperty(sym, "hidden", { value: 3, enumerable: false });
const extra = Object.assign([1, 2], { p: "q" });
const shared = { s: 1 };
const cyc: Record<string, unknown> = { n: "c" };
cyc.self = cyc;
const RAB = ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer;

/** name -> [value, V8's bytes]. */
const VALUES: Record<string, unknown> = {
  undefined: undefined, null: null, true: true, false: false, zero: 0, minus1: -1, int32max: 2147483647, int32min: -2147483648,
  twoTo31: 2 ** 31, negZero: -0, nan: NaN, inf: Infinity, ninf: -Infinity, onePointFive: 1.5,
  big0: 0n, big123: 123n, bigNeg: -(2n ** 64n), big100: 2n ** 100n,
  empty: "", latin1: "é", twoByte: "€", lone: "\ud800", padded: ["a", "€"], emoji: "😀",
  wrappers: [Object(true), Object(false), new Number(-0), Object(5n), new String("s€")],
  dates: [new Date(0), new Date(NaN)], regexps: [/a/dgimsuy, new RegExp("b", "v"), new RegExp("a/b")],
  map: new Map<unknown, unknown>([[1, "a"], ["k", [2]]]), set: new Set([1, "a", null]),
  dense: [1, "x", undefined, null], doubles: [1.5, 2], sparse: [1, , 3], extra,
  intKeys: { b: 1, 2: "x", 0: "y", 4294967294: "max", 4294967295: "str", 2147483648: "big" },
  proto: JSON.parse('{"__proto__": 1, "a": 2}'), withGetter, sym,
  sharedRefs: [shared, shared], cyc,
  ab: new Uint8Array([1, 2, 3]).buffer, rab: new RAB(2, { maxByteLength: 8 }),
};
const EXPECTED: Record<string, string> = {
  undefined: "ff0f5f",
  null: "ff0f30",
  true: "ff0f54",
  false: "ff0f46",
  zero: "ff0f4900",
  minus1: "ff0f4901",
  int32max: "ff0f49feffffff0f",
  int32min: "ff0f49ffffffff0f",
  twoTo31: "ff0f4e000000000000e041",
  negZero: "ff0f4e0000000000000080",
  nan: "ff0f4e000000000000f87f",
  inf: "ff0f4e000000000000f07f",
  ninf: "ff0f4e000000000000f0ff",
  onePointFive: "ff0f4e000000000000f83f",
  big0: "ff0f5a00",
  big123: "ff0f5a107b00000000000000",
  bigNeg: "ff0f5a2100000000000000000100000000000000",
  big100: "ff0f5a2000000000000000000000000010000000",
  empty: "ff0f2200",
  latin1: "ff0f2201e9",
  twoByte: "ff0f6302ac20",
  lone: "ff0f630200d8",
  padded: "ff0f4102220161006302ac20240002",
  emoji: "ff0f63043dd800de",
  wrappers: "ff0f410579786e00000000000000807a1005000000000000007363047300ac20240005",
  dates: "ff0f410244000000000000000044000000000000f87f240002",
  regexps: "ff0f410352220161bf01522201628002522204615c2f6200240003",
  map: "ff0f3b490222016122016b410149042400013a04",
  set: "ff0f274902220161302c03",
  dense: "ff0f410449022201785f30240004",
  doubles: "ff0f41024e000000000000f83f4e0000000000000040240002",
  sparse: "ff0f61034900490249044906400203",
  extra: "ff0f410249024904220170220171240102",
  intKeys: "ff0f6f490022017949042201784e000000000000e04122036269674e0000c0ffffffef4122036d61782201624902220a3432393439363732393522037374727b06",
  proto: "ff0f6f22095f5f70726f746f5f5f490222016149047b02",
  withGetter: "ff0f6f220161490222016249047b02",
  sym: "ff0f6f22017849027b01",
  sharedRefs: "ff0f41026f22017349027b015e01240002",
  cyc: "ff0f6f22016e220163220473656c665e007b02",
  ab: "ff0f4203010203",
  rab: "ff0f7e02080000",
};

describe("V8 codec: values (bytes as Node's V8 writes them)", () => {
  for (const [name, hex] of Object.entries(EXPECTED)) {
    it(name, () => {
      const value = VALUES[name];
      assert.equal(toHex(encodeValue(value)), hex);
      const back = decodeValue(fromHex(hex));
      if (name === "withGetter") assertSame(back, { a: 1, b: 2 });
      else if (name === "sym") assertSame(back, { x: 1 });
      else assertSame(back, value);
    });
  }

  it("decodes a two-byte string behind a padding byte and keeps lone surrogates", () => {
    const s = "a\udc00b\ud800";
    assert.equal(decodeValue(encodeValue(s)), s);
    assert.deepEqual(decodeValue(fromHex("ff0f4102220161006302ac20240002")), ["a", "€"]);
  });

  it("long strings: ASCII, latin1 and two-byte, beyond the short-string paths", () => {
    for (const s of ["x".repeat(5000), "é".repeat(5000), "€😀".repeat(3000), "a".repeat(49) + "\u00ff"]) {
      assert.equal(roundTrip(s), s);
    }
    assert.equal(toHex(encodeValue("é".repeat(60))).slice(0, 8), "ff0f223c");
  });

  it("own property named __proto__ stays an own property", () => {
    const back = roundTrip(JSON.parse('{"__proto__": {"x": 1}}')) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(back), Object.prototype);
    assert.deepEqual(Object.keys(back), ["__proto__"]);
  });

  it("sparse array with a huge length decodes without allocating it", () => {
    const a: unknown[] = [];
    a.length = 2 ** 32 - 1;
    a[5] = "x";
    const bytes = encodeValue(a);
    assert.equal(toHex(bytes), "ff0f61ffffffff0f490a220178400 1ffffffff0f".replace(" ", ""));
    const back = decodeValue(bytes) as unknown[];
    assert.equal(back.length, 2 ** 32 - 1);
    assert.equal(back[5], "x");
    assert.equal(0 in back, false);
  });

  it("every typed array kind and DataView, with offsets and a shared buffer", () => {
    const buf = new ArrayBuffer(16);
    new Uint8Array(buf).forEach((_, i, a) => (a[i] = i * 7));
    const views: unknown[] = [
      new Int8Array(buf, 1, 3), new Uint8Array(buf), new Uint8ClampedArray(buf, 2), new Int16Array(buf, 2, 3),
      new Uint16Array(buf, 4, 2), new Int32Array(buf, 4, 1), new Uint32Array(buf, 8), new Float32Array(buf, 4, 2),
      new Float64Array(buf, 8, 1), new BigInt64Array(buf, 0, 2), new BigUint64Array(buf, 8), new DataView(buf, 3, 5),
    ];
    const bytes = encodeValue(views);
    // The buffer is written once, then back-referenced by every later view.
    assert.equal(toHex(bytes).slice(0, 54), "ff0f410c421000070e151c232a31383f464d545b62695662010300");
    const back = decodeValue(bytes) as ArrayBufferView[];
    assertSame(back, views);
    assert.ok(back.every((v) => v.buffer === back[1]!.buffer));
    assert.equal(toHex(encodeValue(new Float64Array([1.5]))), "ff0f4208000000000000f83f5646000800");
  });

  it("Float16Array where the runtime has it", () => {
    const F16 = (globalThis as Record<string, unknown>).Float16Array as (new (n: number[]) => ArrayBufferView) | undefined;
    const bytes = fromHex("ff0f4204003c00c05668000400");
    if (F16 === undefined) {
      assert.throws(() => decodeValue(bytes), ValueFormatError);
      return;
    }
    const f = new F16([1, -2]);
    assert.equal(toHex(encodeValue(f)), toHex(bytes));
    assertSame(decodeValue(bytes), f);
  });

  it("resizable buffers and length-tracking views keep their kind", () => {
    const rab = new RAB(8, { maxByteLength: 16 });
    const tracking = new Uint16Array(rab, 2);
    const fixed = new Uint16Array(rab, 2, 2);
    const dv = new DataView(rab, 3);
    assert.equal(toHex(encodeValue(tracking)), "ff0f7e081000000000000000005657020003");
    assert.equal(toHex(encodeValue(fixed)), "ff0f7e081000000000000000005657020402");
    assert.equal(toHex(encodeValue(dv)), "ff0f7e08100000000000000000563f030003");
    const full = new RAB(4, { maxByteLength: 4 });
    new Uint8Array(full)[3] = 9;
    assert.equal(toHex(encodeValue(new Float32Array(full, 0))), "ff0f7e04040000000956660000 03".replace(" ", ""));
    assert.equal(new Uint8Array(full)[3], 9, "probing the view restored the buffer");
    const back = decodeValue(encodeValue([tracking, fixed])) as Uint16Array[];
    const buffer = back[0]!.buffer as ArrayBuffer & { resize(n: number): void; resizable: boolean };
    assert.equal(buffer.resizable, true);
    buffer.resize(12);
    assert.equal(back[0]!.length, 5, "length-tracking view grew");
    assert.equal(back[1]!.length, 2, "fixed view did not");
  });

  it("a 64 KiB Uint8Array round-trips and the decoded copy owns its memory", () => {
    const big = new Uint8Array(65536).map((_, i) => i & 0xff);
    const bytes = encodeValue(big);
    assert.equal(bytes.length, 65536 + 13);
    const back = decodeValue(bytes) as Uint8Array;
    bytes.fill(0);
    assert.equal(back[255], 255);
    assert.equal(back.buffer.byteLength, 65536);
  });

  it("getters run, and a getter that deletes a later property drops it (like V8)", () => {
    const o: Record<string, unknown> = { b: 2 };
    Object.defineProperty(o, "a", { enumerable: true, get() { delete o.b; return 1; } });
    const o2 = { get first() { delete (o2 as Record<string, unknown>).second; return 1; }, second: 2 };
    assert.deepEqual(roundTrip(o2), { first: 1 });
  });

  it("results stay intact when later results are produced (small ones share a slab)", () => {
    const first = encodeValue([1, 2]);
    const later = Array.from({ length: 3000 }, (_, i) => encodeValue({ i, s: "x".repeat(i % 300) }));
    assert.equal(toHex(first), "ff0f410249024904240002");
    later.forEach((bytes, i) => assert.deepEqual(decodeValue(bytes), { i, s: "x".repeat(i % 300) }));
  });

  it("re-entrant encode and decode (from a getter) do not disturb the outer call", () => {
    const o = { get inner() { return decodeValue(encodeValue({ deep: [1, "x"] })); }, after: "ok" };
    assert.deepEqual(roundTrip(o), { inner: { deep: [1, "x"] }, after: "ok" });
  });
});

describe("V8 codec: errors", () => {
  it("workerd host form (tag 10) by default, as workerd wrote it in a capture", () => {
    const err = new TypeError("bad thing");
    Object.defineProperty(err, "stack", { value: "S", writable: true, configurable: true });
    // \ 0A, ErrorTag 2 (TypeError), message, then {stack}
    assert.equal(toHex(encodeValue(err)), "ff0f5c0a02220962616420746869" + "6e676f2205737461636b2201537b01");
    const back = decodeValue(encodeValue(err)) as Error;
    assert.ok(back instanceof TypeError);
    assert.equal(back.message, "bad thing");
    assert.notEqual(back.stack, "S", "the serialized stack is dropped, as workerd does");
    const kept = decodeValue(encodeValue(err), { preserveErrorStack: true }) as Error;
    assert.equal(kept.stack, "S");
  });

  it("every standard type, cause, custom props, custom names and AggregateError round-trip", () => {
    for (const Ctor of [Error, TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError]) {
      const back = roundTrip(new Ctor("m")) as Error;
      assert.equal(Object.getPrototypeOf(back), Ctor.prototype);
      assert.equal(back.message, "m");
    }
    const e = new RangeError("boom", { cause: new Error("inner") }) as RangeError & { code?: number; data?: unknown };
    e.code = 42;
    e.data = { list: [1, 2] };
    const back = roundTrip(e) as typeof e;
    assert.ok(back instanceof RangeError);
    assert.equal((back.cause as Error).message, "inner");
    assert.equal(back.code, 42);
    assert.deepEqual(back.data, { list: [1, 2] });

    class CustomErr extends Error {
      constructor(m: string) { super(m); this.name = "CustomErr"; }
    }
    const custom = roundTrip(new CustomErr("c msg")) as Error;
    assert.equal(Object.getPrototypeOf(custom), Error.prototype);
    assert.equal(custom.name, "CustomErr");
    assert.equal(custom.message, "c msg");
    assert.equal(toHex(encodeValue(new CustomErr("m"), { errorStack: false })), "ff0f5c0a002209437573746f6d4572722201" + "6d6f7b00");

    const agg = roundTrip(new AggregateError([new Error("a"), 1], "agg")) as AggregateError;
    assert.ok(agg instanceof AggregateError);
    assert.equal(agg.message, "agg");
    assert.equal((agg.errors[0] as Error).message, "a");
    assert.equal(agg.errors[1], 1);
  });

  it("an error whose cause refers back to it", () => {
    const e = new Error("loop") as Error & { cause?: unknown };
    e.cause = e;
    const back = roundTrip(e) as Error & { cause?: unknown };
    assert.equal(back.cause, back);
  });

  it("V8's native form ('r') on request, and decoding it", () => {
    const e = new TypeError("m", { cause: 1 });
    Object.defineProperty(e, "stack", { value: "S", writable: true, configurable: true });
    const hex = "ff0f72546d22016d63490273220153" + "2e";
    assert.equal(toHex(encodeValue(e, { errors: "v8" })), hex);
    const back = decodeValue(fromHex(hex)) as Error;
    assert.ok(back instanceof TypeError);
    assert.equal(back.message, "m");
    assert.equal(back.cause, 1);
    assert.equal(back.stack, "S");
    assert.ok(decodeValue(fromHex("ff0f722e")) instanceof Error);
  });

  it("a non-string message in the host form is refused on decode", () => {
    assert.throws(() => decodeValue(fromHex("ff0f5c0a01490a6f7b00")), ValueFormatError);
  });
});

const namedFn = function f() { return 1; };

describe("V8 codec: refusals (workerd's DataCloneError wording)", () => {
  const cases: [string, () => unknown, string][] = [
    ["symbol", () => Symbol("x"), "Symbol(x) could not be cloned."],
    ["class instance", () => new (class Foo {})(), 'Could not serialize object of type "Foo". This type does not support serialization.'],
    ["null prototype", () => Object.create(null), 'Could not serialize object of type "Object". This type does not support serialization.'],
    ["WeakMap", () => new WeakMap(), "#<WeakMap> could not be cloned."],
    ["WeakSet", () => new WeakSet(), "#<WeakSet> could not be cloned."],
    ["WeakRef", () => new WeakRef({}), "#<WeakRef> could not be cloned."],
    ["Promise", () => Promise.resolve(1), "#<Promise> could not be cloned."],
    ["FinalizationRegistry", () => new FinalizationRegistry(() => {}), "#<FinalizationRegistry> could not be cloned."],
    ["Symbol wrapper", () => Object(Symbol("w")), "[object Symbol] could not be cloned."],
    ["SharedArrayBuffer", () => new SharedArrayBuffer(4), "#<SharedArrayBuffer> could not be cloned."],
    ["view of a SharedArrayBuffer", () => new Uint8Array(new SharedArrayBuffer(4)), "#<SharedArrayBuffer> could not be cloned."],
    ["function", () => namedFn, `${Function.prototype.toString.call(namedFn)} could not be cloned.`],
  ];
  for (const [name, make, message] of cases) {
    it(name, () => {
      const err = refusal(() => encodeValue({ nested: [make()] }));
      assert.equal(err.name, "DataCloneError");
      assert.equal(err.message, message);
      assert.ok(err instanceof DOMException);
    });
  }

  it("over the size limit, with workerd's message and the actual size", () => {
    const err = refusal(() => encodeValue(new Uint8Array(2 ** 25)));
    assert.equal(err.message, "Serialized RPC arguments or return values are limited to 32MiB, but the size of this value was: 33554447 bytes.");
    assert.ok(encodeValue(new Uint8Array(2 ** 25 - 100)).length <= 2 ** 25);
    assert.throws(() => encodeValue("x".repeat(100), { maxBytes: 50 }), /limited to 50 bytes, but the size of this value was: 104 bytes/);
  });

  it("nesting beyond maxDepth is a RangeError like V8's stack overflow", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 3000; i++) deep = { d: deep };
    const err = refusal(() => encodeValue(deep));
    assert.ok(err instanceof RangeError);
    assert.equal(err.message, "Maximum call stack size exceeded");
    let ok: unknown = 1;
    for (let i = 0; i < 1999; i++) ok = [ok];
    assert.ok(decodeValue(encodeValue(ok)), "the default limit (2000) itself works on this runtime's stack");
    let okObjects: unknown = new Map([[1, new Error("e")]]);
    for (let i = 0; i < 1990; i++) okObjects = i % 2 ? { o: okObjects } : new Set([okObjects]);
    assertSame(decodeValue(encodeValue(okObjects)), okObjects);
    assert.throws(() => encodeValue([[[[1]]]], { maxDepth: 3 }), RangeError);
  });

  it("the encoder recovers after a refusal", () => {
    assert.throws(() => encodeValue([1, Symbol("x")]));
    assert.equal(toHex(encodeValue([1, 2])), "ff0f410249024904240002");
  });
});

describe("V8 codec: host-object hooks", () => {
  class Target {
    constructor(readonly name: string) {}
  }
  /** A toy RPC engine: functions and Targets become stubs (tag 1) taking the next external. */
  function engine() {
    const externals: unknown[] = [];
    const host: HostEncoder = {
      write(value, w) {
        if (typeof value === "function" || value instanceof Target) {
          w.writeTag(HostTag.jsRpcStub);
          externals.push(value);
          return true;
        }
        if (value instanceof Headers) {
          w.writeTag(HostTag.headers);
          const list = [...value];
          w.writeVarint(list.length);
          for (const [k, v] of list) {
            w.writeLengthDelimited(k);
            w.writeLengthDelimited(v);
          }
          w.writeValue({ guard: "none" });
          return true;
        }
        return false;
      },
    };
    let next = 0;
    const decodeHost: HostDecoder = {
      read(tag, r) {
        if (tag === HostTag.jsRpcStub) return { stub: externals[next++] };
        if (tag === HostTag.headers) {
          const h = new Headers();
          const n = r.readVarint();
          for (let i = 0; i < n; i++) h.append(r.readLengthDelimitedString(), r.readLengthDelimitedString());
          const extra = r.readValue() as { guard: string };
          h.set("x-guard", extra.guard);
          return h;
        }
        throw new Error(`unexpected tag ${tag}`);
      },
    };
    return { host, decodeHost, externals };
  }

  it("functions and class instances become stubs with externals, in order", () => {
    const { host, decodeHost, externals } = engine();
    const fn = () => 1;
    const t = new Target("t");
    const bytes = encodeValue({ fn, t, again: t }, { host });
    // A host object takes an object id like any object: the second `t` is a back-reference.
    assert.equal(toHex(bytes), "ff0f6f2202666e5c0122017" + "45c012205616761696e5e027b03");
    assert.deepEqual(externals, [fn, t]);
    const back = decodeValue(bytes, { host: decodeHost }) as Record<string, { stub: unknown }>;
    assert.equal(back.fn!.stub, fn);
    assert.equal(back.t!.stub, t);
    assert.equal(back.again, back.t);
  });

  it("payloads with varints, length-delimited text and a nested value", () => {
    const { host, decodeHost } = engine();
    const h = new Headers({ a: "1", "content-type": "text/plain" });
    const back = decodeValue(encodeValue([h, "after"], { host }), { host: decodeHost }) as [Headers, string];
    assert.equal(back[0].get("content-type"), "text/plain");
    assert.equal(back[0].get("x-guard"), "none");
    assert.equal(back[1], "after");
  });

  it("a hook that declines leads to workerd's refusal; no hook on decode is a ValueFormatError", () => {
    const { host } = engine();
    const err = refusal(() => encodeValue(new (class Other {})(), { host }));
    assert.equal(err.message, 'Could not serialize object of type "Other". This type does not support serialization.');
    assert.throws(() => decodeValue(fromHex("ff0f5c01")), ValueFormatError);
  });

  it("exceptions from the decode hook pass through unchanged", () => {
    const boom = new Error("hook failed");
    assert.throws(() => decodeValue(fromHex("ff0f5c05"), { host: { read() { throw boom; } } }), (e) => e === boom);
  });
});

describe("V8 codec: brand checks (node:util types, as hosts install them) agree with the probes", () => {
  class Foo {}
  class MyMap extends Map<unknown, unknown> {}
  const tricky: [string, () => unknown][] = [
    ["class instance", () => new Foo()],
    ["Map subclass", () => new MyMap([[1, 2]])],
    ["a Map built with another prototype", () => Map.prototype.set.call(Reflect.construct(Map, [], Foo), 3, 4)],
    ["Object.create(Map.prototype) (no Map inside)", () => Object.create(Map.prototype)],
    ["a Date with a class prototype", () => Object.setPrototypeOf(new Date(0), Foo.prototype)],
    ["a RegExp with a class prototype", () => Object.setPrototypeOf(/a/g, Foo.prototype)],
    ["boxed primitives with a class prototype", () => [true, 1, "s", 2n].map((p) => Object.setPrototypeOf(Object(p), Foo.prototype))],
    ["an Error with a class prototype", () => Object.setPrototypeOf(new TypeError("t"), Foo.prototype)],
    ["an ArrayBuffer with a class prototype", () => Object.setPrototypeOf(new ArrayBuffer(3), Foo.prototype)],
    ["a SharedArrayBuffer with a class prototype", () => Object.setPrototypeOf(new SharedArrayBuffer(3), Foo.prototype)],
    ["a WeakMap with a class prototype", () => Object.setPrototypeOf(new WeakMap(), Foo.prototype)],
    ["a WeakRef with a class prototype", () => Object.setPrototypeOf(new WeakRef({}), Foo.prototype)],
    ["a FinalizationRegistry with a class prototype", () => Object.setPrototypeOf(new FinalizationRegistry(() => {}), Foo.prototype)],
    ["a Promise subclass", () => new (class P extends Promise<unknown> {})(() => {})],
    ["a Set subclass holding a Map subclass", () => new (class S extends Set<unknown> {})([new MyMap()])],
  ];
  const outcome = (make: () => unknown): string => {
    try {
      return `bytes ${toHex(encodeValue({ v: make() }))}`;
    } catch (e) {
      return `refused ${(e as Error).name}: ${(e as Error).message}`;
    }
  };
  for (const [name, make] of tricky) {
    it(name, () => {
      const value = make(); // one value for both (an Error's stack says where it was made)
      setBrandChecks(null);
      const probed = outcome(() => value);
      setBrandChecks(types);
      try {
        assert.equal(outcome(() => value), probed);
      } finally {
        setBrandChecks(null);
      }
    });
  }

  it("a disguised uncloneable is refused with V8's words, the host hook asked first", () => {
    const made = [
      Object.setPrototypeOf(new WeakRef({}), Foo.prototype),
      Object.setPrototypeOf(new FinalizationRegistry(() => {}), Foo.prototype),
      Object.setPrototypeOf(new WeakSet(), Foo.prototype),
    ];
    for (const checks of [null, types]) {
      setBrandChecks(checks);
      try {
        for (const v of made) {
          assert.equal(refusal(() => encodeValue([v])).message, "#<Foo> could not be cloned.");
          const asked: unknown[] = [];
          const host: HostEncoder = { write: (value, w) => (asked.push(value), w.writeTag(HostTag.jsRpcStub), true) };
          encodeValue([v], { host });
          assert.deepEqual(asked, [v]);
        }
      } finally {
        setBrandChecks(null);
      }
    }
  });

  it("a class instance the host hook takes costs no throwing probe (an RpcTarget sent)", () => {
    // Every failed probe runs with Error.stackTraceLimit set to 0 and back: count those writes.
    const E = Error as { stackTraceLimit?: number };
    const saved = Object.getOwnPropertyDescriptor(Error, "stackTraceLimit");
    let limit = E.stackTraceLimit;
    let writes = 0;
    Object.defineProperty(Error, "stackTraceLimit", {
      configurable: true,
      get: () => limit,
      set: (v: number) => { writes++; limit = v; },
    });
    const host: HostEncoder = { write: (value, w) => value instanceof Foo && (w.writeTag(HostTag.jsRpcStub), true) };
    setBrandChecks(types);
    try {
      encodeValue([new Foo(), new Foo()], { host });
      assert.equal(writes, 0);
      refusal(() => encodeValue([new Foo()])); // declined: the probes decide the wording
      assert.ok(writes > 0);
      assert.equal(limit, saved?.value);
    } finally {
      setBrandChecks(null);
      if (saved) Object.defineProperty(Error, "stackTraceLimit", saved);
    }
  });

  it("probing leaves Error.stackTraceLimit as it was", () => {
    const before = (Error as { stackTraceLimit?: number }).stackTraceLimit;
    for (const checks of [null, types]) {
      setBrandChecks(checks);
      outcome(() => new Foo());
      assert.equal((Error as { stackTraceLimit?: number }).stackTraceLimit, before);
    }
    setBrandChecks(null);
  });
});
