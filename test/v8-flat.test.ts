// The V8 codec's flat paths (encodeValue and decodeValue for primitives and short dense arrays
// of them, the usual RPC arguments and results) against the general paths they shortcut: the
// same bytes, the same values, the same errors, for every case at their edges and for corrupted
// input. Runs unchanged on Node, Deno and Bun.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { decodeValue, encodeValue } from "../protocol/index.ts";
import { encodeLoneHostObject, encodeValueGeneral, offeredWholeToHost } from "../protocol/v8/encode.ts";
import { decodeValueGeneral, loneHostObjectTag } from "../protocol/v8/decode.ts";
import type { HostWriter } from "../protocol/v8/host.ts";
import { diffValues, toHex } from "./support/v8-equal.ts";

const PRIMITIVES: unknown[] = [
  undefined, null, true, false,
  0, -0, 1, -1, 63, 64, -64, -65, 2 ** 27 - 1, 2 ** 27, -(2 ** 27), 2 ** 28, 2 ** 31 - 1, -(2 ** 31), 2 ** 31,
  1.5, -1.5, NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53,
  "", "a", "add", "é", "x".repeat(63), "x".repeat(64), "x".repeat(127), "x".repeat(128), "x".repeat(300),
  "€", "a€", "\ud800", "😀", "ÿ",
];

/** Values that are not flat, alone or as an element. */
const OTHERS: unknown[] = [0n, -(2n ** 70n), {}, { a: 1 }, [], [[1]], new Date(0), new Map(), new Uint8Array(2), Object(1)];

function arrays(): unknown[][] {
  const out: unknown[][] = [[]];
  for (const p of PRIMITIVES) out.push([p], [1, p], [p, 2.5], [p, p, p]);
  out.push([1, 2], [1, 2.5], [2.5, 1], [-0, 1], [1, "x", true, null, undefined]);
  out.push(Array.from({ length: 16 }, (_, i) => i), Array.from({ length: 17 }, (_, i) => i));
  out.push(Array.from({ length: 16 }, (_, i) => "s" + i), Array.from({ length: 127 }, () => 1), Array.from({ length: 128 }, () => 1));
  for (const o of OTHERS) out.push([o], [1, o]);
  out.push([1, , 3], Object.assign([1, 2], { p: "q" }), [undefined, , undefined]);
  const withGetter = [1, 2];
  Object.defineProperty(withGetter, 1, { enumerable: true, get: () => "got" });
  out.push(withGetter);
  return out;
}

function outcome(fn: () => unknown): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

function assertSameOutcome(actual: ReturnType<typeof outcome>, expected: ReturnType<typeof outcome>, what: string): void {
  if (!expected.ok || !actual.ok) {
    assert.deepEqual(actual, expected, what);
    return;
  }
  const diff = diffValues(expected.value, actual.value);
  assert.equal(diff, null, `${what}: ${diff}`);
}

describe("V8 codec: the flat paths agree with the general ones", () => {
  it("encode: the same bytes for primitives, short arrays, and everything just beyond them", () => {
    for (const value of [...PRIMITIVES, ...OTHERS, ...arrays()]) {
      const fast = outcome(() => toHex(encodeValue(value)));
      const general = outcome(() => toHex(encodeValueGeneral(value)));
      assert.deepEqual(fast, general, `encoding ${String(value)}`);
    }
  });

  it("encode: refusals and the size limit are the general path's", () => {
    for (const value of [() => 1, [1, () => 1], Symbol("s"), [Symbol("s")]]) {
      assert.deepEqual(outcome(() => encodeValue(value)), outcome(() => encodeValueGeneral(value)));
    }
    const limited = outcome(() => encodeValue("x".repeat(20), { maxBytes: 10 }));
    assert.equal(limited.ok, false);
    assert.deepEqual(limited, outcome(() => encodeValueGeneral("x".repeat(20), { maxBytes: 10 })));
    assert.equal(toHex(encodeValue([1, 2], { maxBytes: 11 })), "ff0f410249024904240002");
  });

  it("encode: a getter that throws leaves the encoder usable, and one that encodes does not disturb it", () => {
    const throwing = [1, 2];
    Object.defineProperty(throwing, 0, { enumerable: true, get() { throw new Error("getter"); } });
    assert.throws(() => encodeValue(throwing), /getter/);
    assert.equal(toHex(encodeValue([1, 2])), "ff0f410249024904240002");
    const reentrant = [1, 2];
    Object.defineProperty(reentrant, 1, { enumerable: true, get: () => toHex(encodeValue(["in", 3])) });
    assert.deepEqual(decodeValue(encodeValue(reentrant)), [1, toHex(encodeValue(["in", 3]))]);
  });

  it("decode: the same values for everything either encoder writes", () => {
    for (const value of [...PRIMITIVES, ...OTHERS, ...arrays()]) {
      const bytes = outcome(() => encodeValueGeneral(value));
      if (!bytes.ok) continue;
      const b = bytes.value as Uint8Array;
      assertSameOutcome(outcome(() => decodeValue(b)), outcome(() => decodeValueGeneral(b)), `decoding ${toHex(b)}`);
    }
  });

  it("decode: the same value or the same error for corrupted, truncated and padded input", () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    const seeds = [[1, 2], [1, "x", true, null, undefined], [2.5, 1], "add", -123456, [-0, 1], []].map((v) => encodeValueGeneral(v));
    for (let round = 0; round < 4000; round++) {
      const base = seeds[random(seeds.length)]!;
      let bytes: Uint8Array;
      switch (random(4)) {
        case 0: // one byte replaced
          bytes = base.slice();
          bytes[random(bytes.length)] = random(256);
          break;
        case 1: // truncated
          bytes = base.slice(0, random(base.length));
          break;
        case 2: // one byte inserted (padding, among others)
          bytes = new Uint8Array(base.length + 1);
          {
            const at = random(base.length + 1);
            bytes.set(base.subarray(0, at), 0);
            bytes[at] = random(2) === 0 ? 0 : random(256);
            bytes.set(base.subarray(at), at + 1);
          }
          break;
        default: // trailing bytes
          bytes = new Uint8Array([...base, random(256)]);
      }
      assertSameOutcome(outcome(() => decodeValue(bytes)), outcome(() => decodeValueGeneral(bytes)), `decoding ${toHex(bytes)}`);
    }
  });

  it("decode: limits are the general path's", () => {
    const pair = encodeValueGeneral([1, 2]);
    for (const options of [{ maxObjects: 0 }, { maxDepth: 0 }, { maxBytes: 5 }]) {
      assertSameOutcome(outcome(() => decodeValue(pair, options)), outcome(() => decodeValueGeneral(pair, options)), JSON.stringify(options));
      assert.equal(outcome(() => decodeValue(pair, options)).ok, false, JSON.stringify(options));
    }
    assert.deepEqual(decodeValue(pair, { maxObjects: 1, maxDepth: 1, maxBytes: 11 }), [1, 2]);
  });
});

describe("V8 codec: a lone host object, as a capability result takes it without the encoder", () => {
  class Target {
    m() {}
  }
  const boxed = Object.setPrototypeOf(new Map(), Target.prototype);
  const nullProto = Object.create(null);
  const candidates: [string, unknown][] = [
    ["a function", () => 1], ["a class instance", new Target()], ["a null-prototype object", nullProto],
    ["a Map whose prototype is a class's", boxed], ["a plain object", {}], ["an array", []], ["a Map", new Map()],
    ["a Date", new Date(0)], ["an Error", new Error("x")], ["a boxed number", Object(1)], ["a Uint8Array", new Uint8Array(1)],
    ["a string", "s"], ["null", null],
  ];

  it("offeredWholeToHost is true exactly when the general encoder offers the value itself to the hook first", () => {
    for (const [what, value] of candidates) {
      let first: unknown = "none";
      const host = {
        write(v: object, w: HostWriter): boolean {
          if (first === "none") first = v;
          w.writeTag(1);
          return true;
        },
      };
      const offered = outcome(() => encodeValueGeneral(value, { host })).ok && first === value;
      assert.equal(offeredWholeToHost(value), offered, what);
    }
  });

  it("encodeLoneHostObject writes the general path's bytes, and loneHostObjectTag reads them back", () => {
    for (const tag of [0, 1, 2, 9, 11, 127]) {
      const general = encodeValueGeneral(() => 1, { host: { write: (_v: object, w: HostWriter) => (w.writeTag(tag), true) } });
      assert.equal(toHex(encodeLoneHostObject(tag)), toHex(general), `tag ${tag}`);
      assert.equal(loneHostObjectTag(general), tag, `tag ${tag}`);
    }
    assert.throws(() => encodeLoneHostObject(128), RangeError);
    assert.throws(() => encodeLoneHostObject(-1), RangeError);
  });

  it("loneHostObjectTag leaves every other form to the general decoder", () => {
    const lone = encodeLoneHostObject(1);
    const others = [
      Uint8Array.of(...lone, 0x00), // padding after it
      Uint8Array.of(0xff, 0x0d, 0x5c, 0x01), // an older version
      Uint8Array.of(0xff, 0x0f, 0x5c, 0x81, 0x01), // a two-byte tag
      Uint8Array.of(0xff, 0x0f, 0x5c, 10), // workerd's native error form, the decoder's own
      lone.subarray(0, 3), encodeValueGeneral([1]), encodeValueGeneral("abcd"),
    ];
    for (const bytes of others) assert.equal(loneHostObjectTag(bytes), -1, toHex(bytes));
  });
});
