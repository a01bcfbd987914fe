// Hostile input for the V8 decoder: every prefix of many valid encodings, random byte flips,
// unknown tags, absurd lengths, deep nesting, bad and looping back-references, object floods.
// Each must end in a ValueFormatError (or, for flips, possibly a valid value) quickly: never
// another exception type, never a hang, never a large allocation.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { decodeValue, encodeValue, ValueFormatError } from "../protocol/index.ts";
import { generateValues, Rng } from "./support/v8-gen.ts";
import { fromHex } from "./support/v8-equal.ts";

/** Decode and classify: "ok", or the ValueFormatError; anything else fails the test. */
function attempt(bytes: Uint8Array): "ok" | ValueFormatError {
  try {
    decodeValue(bytes);
    return "ok";
  } catch (err) {
    if (err instanceof ValueFormatError) return err;
    throw new Error(`decodeValue threw ${String(err)} for ${Array.from(bytes.subarray(0, 40), (b) => b.toString(16).padStart(2, "0")).join("")}`);
  }
}
function rejects(hex: string, pattern?: RegExp): void {
  const started = Date.now();
  const r = attempt(fromHex(hex));
  assert.ok(r instanceof ValueFormatError, `expected a ValueFormatError for ${hex}`);
  if (pattern) assert.match(r.message, pattern);
  assert.ok(Date.now() - started < 1000, "took too long");
}

const samples = generateValues(0xbad, 400).map((v) => encodeValue(v));

describe("V8 codec: hostile input", () => {
  it("every strict prefix of 400 encodings is a ValueFormatError (or, rarely, a shorter value)", () => {
    let checked = 0;
    let valid = 0;
    for (const bytes of samples) {
      for (let n = 0; n < bytes.length; n++) {
        // A prefix can be complete: an ArrayBuffer whose view ('V...') was cut off.
        if (attempt(bytes.subarray(0, n)) === "ok") valid++;
        checked++;
      }
    }
    assert.ok(checked > 5000);
    assert.ok(valid < checked / 100, `${valid} of ${checked} prefixes decoded`);
  });

  it("random byte flips give a value or a ValueFormatError, in bounded time", () => {
    const rng = new Rng(77);
    const started = Date.now();
    for (let round = 0; round < 20000; round++) {
      const src = samples[rng.int(samples.length)]!;
      const bytes = src.slice();
      const flips = 1 + rng.int(3);
      for (let f = 0; f < flips; f++) {
        const at = rng.int(bytes.length);
        bytes[at] = rng.bool(0.5) ? rng.int(256) : bytes[at]! ^ (1 << rng.int(8));
      }
      const t0 = Date.now();
      attempt(bytes);
      assert.ok(Date.now() - t0 < 500, `slow decode of a corrupted value (round ${round})`);
    }
    assert.ok(Date.now() - started < 30000);
  });

  it("header problems", () => {
    rejects("", /empty input/);
    rejects("49 02", /missing version header/);
    rejects("ff", /truncated varint/);
    rejects("ff 10 5f", /unsupported format version 16/);
    rejects("ff 0c 5f", /unsupported format version 12/);
    rejects("ff 0f 5f 5f", /unexpected bytes after the value/);
    assert.equal(decodeValue(fromHex("ff0f5f0000")), undefined, "trailing padding is fine");
    assert.equal(decodeValue(fromHex("ff0d490a")), 5, "version 13 reads");
  });

  it("unknown and unsupported tags", () => {
    for (const tag of ["01", "7f", "80", "ff", "74 00", "75 00", "70 00", "77 00", "6d 00", "4d", "2d", "56 42 00 00 00"]) {
      rejects(`ff 0f ${tag}`);
    }
  });

  it("absurd lengths are refused before allocating", () => {
    rejects("ff 0f 22 ff ff ff ff 0f", /runs past the end/); // 4 GiB one-byte string
    rejects("ff 0f 63 fe ff ff ff 0f", /runs past the end/); // two-byte string
    rejects("ff 0f 63 03 41 00", /odd byte length/);
    rejects("ff 0f 41 ff ff ff ff 0f", /exceeds the remaining data/); // dense array
    rejects("ff 0f 42 ff ff ff ff 0f", /runs past the end/); // ArrayBuffer
    rejects("ff 0f 7e 04 02 00 00 00 00", /longer than its maxByteLength/);
    rejects("ff 0f 5a ff ff ff ff 0f", /runs past the end/); // BigInt
    rejects("ff 0f 49 ff ff ff ff ff ff", /varint/);
    rejects("ff 0f 42 04 00 00 00 00 56 42 02 04 00", /exceeds its ArrayBuffer/);
    rejects("ff 0f 42 04 00 00 00 00 56 77 01 02 00", /multiple of 2/);
    rejects("ff 0f 42 04 00 00 00 00 56 42 00 00 01", /fixed-length/);
    rejects("ff 0f 42 04 00 00 00 00 56 01 00 00 00", /unknown view type/);
  });

  it("huge sparse lengths cost nothing", () => {
    const a = decodeValue(fromHex("ff 0f 61 ff ff ff ff 0f 40 00 ff ff ff ff 0f".replace(/ /g, ""))) as unknown[];
    assert.equal(a.length, 4294967295);
    rejects("ff 0f 61 02 40 00 03", /length in trailer/);
  });

  it("counts, keys and structure must agree", () => {
    rejects("ff 0f 6f 22 01 61 49 02 7b 02", /property count/);
    rejects("ff 0f 6f 6f 7b 00 49 02 7b 01", /property key/);
    rejects("ff 0f 41 01 49 02 22 06 6c 65 6e 67 74 68 49 02 24 01 01", /length/);
    rejects("ff 0f 3b 49 02 49 04 3a 04", /Map entry count/);
    rejects("ff 0f 27 49 02 2c 02", /Set entry count/);
    rejects("ff 0f 52 22 01 28 00", /invalid RegExp/);
    rejects("ff 0f 52 22 01 61 c0 00", /unsupported RegExp flags/);
    rejects("ff 0f 72 99 01", /error sub-tag/);
    rejects("ff 0f 73 49 02", /String object value must be a string/);
  });

  it("bad and looping back-references", () => {
    rejects("ff 0f 5e 00", /back-reference to object 0/);
    rejects("ff 0f 41 01 5e 05 24 00 01", /back-reference to object 5/);
    rejects("ff 0f 72 63 5e 00 2e", /back-reference/); // V8's error form registers the error last
    const self = decodeValue(fromHex("ff0f6f220161 5e00 7b01".replace(/ /g, ""))) as { a: unknown };
    assert.equal(self.a, self, "a legitimate cycle");
  });

  it("deep nesting is refused, not a stack overflow", () => {
    const depth = 100000;
    const bytes = new Uint8Array(2 + depth * 2 + 1);
    bytes.set([0xff, 0x0f]);
    for (let i = 0; i < depth; i++) bytes.set([0x41, 0x01], 2 + i * 2);
    bytes[bytes.length - 1] = 0x5f;
    const r = attempt(bytes);
    assert.ok(r instanceof ValueFormatError);
    assert.match(r.message, /nesting deeper than 2000/);
    assert.ok(attempt(bytes.subarray(0, 2 + 100 * 2)) instanceof ValueFormatError);
  });

  it("object floods hit maxObjects", () => {
    const n = 5000;
    const parts = ["ff0f41", "8827"]; // dense array of 5000
    for (let i = 0; i < n; i++) parts.push("6f7b00");
    parts.push("2400", "8827");
    const bytes = fromHex(parts.join(""));
    assert.equal((decodeValue(bytes) as unknown[]).length, n);
    const err = (() => { try { decodeValue(bytes, { maxObjects: 1000 }); } catch (e) { return e; } })();
    assert.ok(err instanceof ValueFormatError);
    assert.match(err.message, /more than 1000 objects/);
  });

  it("inputs over maxBytes are refused up front", () => {
    assert.throws(() => decodeValue(new Uint8Array(100), { maxBytes: 10 }), ValueFormatError);
  });

  it("the decoder recovers after a failure", () => {
    rejects("ff 0f 41 02 49");
    assert.deepEqual(decodeValue(fromHex("ff0f410249024904240002")), [1, 2]);
  });
});
