// Property-based check of the V8 codec against Node's own V8, on every runtime: the seeded values
// are regenerated here and compared with the bytes V8 produced for them (recorded in
// test/vectors/v8-values.json by test/support/v8-make-vectors.ts). On Node the test also asks V8
// live: the vectors must still be what V8 writes, V8 must read our bytes back to equal values, we
// must read V8's, and a fresh seed is checked without vectors.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { decodeValue, encodeValue } from "../protocol/index.ts";
import { generateValues } from "./support/v8-gen.ts";
import { diffValues, fromBase64, toBase64, toHex } from "./support/v8-equal.ts";
import { VECTOR_COUNT, VECTOR_SEED, WORKERD_COUNT, WORKERD_SEED } from "./support/v8-vectors.ts";
import vectors from "./vectors/v8-values.json" with { type: "json" };

const g = globalThis as Record<string, unknown>;
const onNode = typeof g.Deno === "undefined" && typeof g.Bun === "undefined";

interface Vectors {
  seed: number;
  count: number;
  v8: string[];
  ours: Record<string, string>;
  workerdSeed: number;
  workerdCount: number;
  workerd: string[];
}
const file = vectors as Vectors;

describe("V8 codec: recorded V8 vectors", () => {
  it("the vector file matches the generator settings", () => {
    assert.equal(file.seed, VECTOR_SEED);
    assert.equal(file.count, VECTOR_COUNT);
    assert.equal(file.v8.length, VECTOR_COUNT);
    assert.equal(file.workerdSeed, WORKERD_SEED);
    assert.equal(file.workerd.length, WORKERD_COUNT);
  });

  const values = generateValues(VECTOR_SEED, VECTOR_COUNT);

  it(`encodes ${VECTOR_COUNT} seeded values to V8's bytes`, () => {
    const failures: string[] = [];
    values.forEach((value, i) => {
      const expected = file.ours[i] ?? file.v8[i]!;
      const actual = toBase64(encodeValue(value, { errors: "v8" }));
      if (actual !== expected) failures.push(`#${i}: ${toHex(fromBase64(actual)).slice(0, 120)} vs ${toHex(fromBase64(expected)).slice(0, 120)}`);
    });
    assert.deepEqual(failures.slice(0, 5), []);
  });

  it(`decodes V8's bytes of ${VECTOR_COUNT} seeded values to equal values`, () => {
    const failures: string[] = [];
    values.forEach((value, i) => {
      const diff = diffValues(value, decodeValue(fromBase64(file.v8[i]!)));
      if (diff !== null) failures.push(`#${i}: ${diff}`);
    });
    assert.deepEqual(failures.slice(0, 5), []);
  });

  it(`workerd-form errors: ${WORKERD_COUNT} seeded values encode to the recorded bytes and round-trip`, () => {
    const failures: string[] = [];
    generateValues(WORKERD_SEED, WORKERD_COUNT, { workerdErrors: true }).forEach((value, i) => {
      const bytes = encodeValue(value);
      if (toBase64(bytes) !== file.workerd[i]) failures.push(`#${i}: bytes changed`);
      const diff = diffValues(value, decodeValue(bytes));
      if (diff !== null) failures.push(`#${i}: ${diff}`);
    });
    assert.deepEqual(failures.slice(0, 5), []);
  });

  it("Node only: V8 still writes the vectors, reads our bytes, and agrees on a fresh seed", async () => {
    if (!onNode) return; // node:v8 exists only on Node; the recorded vectors above stand in for it
    const { v8Encode, v8Decode } = await import("./support/v8-oracle.ts");
    const failures: string[] = [];
    let representation = 0;
    values.forEach((value, i) => {
      const theirs = v8Encode(value);
      if (toBase64(theirs) !== file.v8[i]) {
        // V8's bytes can depend on how it stored a number (see docs/VALUE-FORMAT.md): same meaning.
        if (diffValues(decodeValue(theirs), decodeValue(fromBase64(file.v8[i]!))) !== null) failures.push(`#${i}: V8 now writes something else`);
        else representation++;
      }
      const diff = diffValues(value, v8Decode(encodeValue(value, { errors: "v8" })));
      if (diff !== null) failures.push(`#${i}: V8 reads our bytes differently: ${diff}`);
    });
    for (const [i, value] of generateValues(0xfade, 3000).entries()) {
      const ours = encodeValue(value, { errors: "v8" });
      const theirs = v8Encode(value);
      if (toBase64(ours) !== toBase64(theirs)) {
        if (diffValues(decodeValue(theirs), decodeValue(ours)) !== null) failures.push(`fresh #${i}: differs in meaning`);
        else representation++;
      }
      const diff = diffValues(value, decodeValue(theirs)) ?? diffValues(value, v8Decode(ours));
      if (diff !== null) failures.push(`fresh #${i}: ${diff}`);
    }
    assert.deepEqual(failures.slice(0, 5), []);
    assert.ok(representation <= 50, `${representation} representation-only differences (expected a handful)`);
  });
});
