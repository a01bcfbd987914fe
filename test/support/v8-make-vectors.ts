// Records Node's V8 answers for the seeded values as test vectors, so the codec tests can check
// byte equality on Deno and Bun too (they have no node:v8 serializer).
//
//   node --import tsx test/support/v8-make-vectors.ts
//
// Writes test/vectors/v8-values.json with
// - v8[i]: V8's encoding of value i of VECTOR_SEED (errors in V8's own form);
// - ours: { i: base64 } our encoding where it differs from V8's. V8 sometimes writes a small
//   integer as a double because of how it happened to store it (an array literal site that once
//   held doubles): the value is the same, only its representation differs. The maker checks that
//   both decode to equal values and keeps such cases rare;
// - workerd[i]: our encoding of value i of WORKERD_SEED, errors in workerd's host form (tag 10),
//   which V8 cannot write: these pin our output so it cannot change unnoticed.

import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { generateValues } from "./v8-gen.ts";
import { v8Encode } from "./v8-oracle.ts";
import { diffValues, toBase64 } from "./v8-equal.ts";
import { decodeValue, encodeValue } from "../../protocol/index.ts";
import { VECTOR_COUNT, VECTOR_SEED, WORKERD_COUNT, WORKERD_SEED } from "./v8-vectors.ts";

const values = generateValues(VECTOR_SEED, VECTOR_COUNT);
const v8: string[] = [];
const ours: Record<number, string> = {};
values.forEach((value, i) => {
  const theirs = v8Encode(value);
  const mine = encodeValue(value, { errors: "v8" });
  v8.push(toBase64(theirs));
  if (toBase64(mine) === v8[i]) return;
  const diff = diffValues(decodeValue(theirs), decodeValue(mine));
  if (diff !== null) throw new Error(`value ${i}: our encoding differs from V8's in meaning: ${diff}`);
  ours[i] = toBase64(mine);
});
if (Object.keys(ours).length > VECTOR_COUNT / 100) throw new Error(`too many representation differences: ${Object.keys(ours).length}`);
const workerdValues = generateValues(WORKERD_SEED, WORKERD_COUNT, { workerdErrors: true });
const workerd = workerdValues.map((v) => toBase64(encodeValue(v)));
const out = { seed: VECTOR_SEED, count: VECTOR_COUNT, v8, ours, workerdSeed: WORKERD_SEED, workerdCount: WORKERD_COUNT, workerd };
const path = fileURLToPath(new URL("../vectors/v8-values.json", import.meta.url));
writeFileSync(path, JSON.stringify(out, null, 0).replace(/","/g, '",\n"') + "\n");
console.log(`wrote ${path}: ${VECTOR_COUNT} V8 vectors (${Object.keys(ours).length} with a representation difference), ${WORKERD_COUNT} workerd-form vectors`);
