// Benchmark of the V8 value codec (protocol/v8) against JSON.stringify+JSON.parse of the same
// value (a Uint8Array travels as base64 text there, as a JSON protocol would carry it) and, on
// Node, against node:v8's serialize/deserialize (base Serializer for the typed array).
//
// Three values, each encoded and decoded per operation:
//  - [1, 2]: the arguments of `add(1, 2)`, the smallest real call;
//  - a typical small object (an RPC-ish record with nested array and object);
//  - a 64 KiB Uint8Array.
//
//   node --import tsx bench/codec-v8.ts     (also: bun bench/codec-v8.ts, deno run -A bench/codec-v8.ts)
// `npm run bench` can import runV8CodecBench() and print its rows with formatV8CodecRows().

import { Bench } from "tinybench";
import { codecColumns, isMain, medianMicros, runtimeName, textTable, type CodecRow } from "./support/tinybench.ts";
import { decodeValue, encodeValue } from "../protocol/index.ts";
import { fromBase64, toBase64 } from "../test/support/v8-equal.ts";

/**
 * One (value, codec) pair: `codec` is ours | json | node:v8; `usPerOp` the median encode + decode
 * time in µs; `xJson` that relative to JSON.stringify+parse of the same value; `bytes` the
 * encoded size (characters for JSON).
 */
export type V8CodecBenchRow = CodecRow;

const ADD_ARGS = [1, 2];
const SMALL = { id: 1234, method: "getUser", user: { name: "Ada Lovelace", email: "ada@example.com", admin: false }, tags: ["a", "b", "c"], score: 98.5 };
const BIG = new Uint8Array(65536).map((_, i) => (i * 31) & 0xff);

let sink = 0;
type Fn = () => number;

function ours(value: unknown): Fn {
  return () => {
    const bytes = encodeValue(value);
    const back = decodeValue(bytes);
    sink += back === null ? 0 : 1;
    return bytes.length;
  };
}
function json(value: unknown): Fn {
  if (value instanceof Uint8Array) {
    return () => {
      const s = JSON.stringify(toBase64(value));
      sink += fromBase64(JSON.parse(s) as string).length;
      return s.length;
    };
  }
  return () => {
    const s = JSON.stringify(value);
    sink += JSON.parse(s) === null ? 0 : 1;
    return s.length;
  };
}

interface NodeV8 {
  serialize(v: unknown): Uint8Array;
  deserialize(b: Uint8Array): unknown;
  Serializer: new () => { writeHeader(): void; writeValue(v: unknown): void; releaseBuffer(): Uint8Array };
  Deserializer: new (b: Uint8Array) => { readHeader(): boolean; readValue(): unknown };
}
function nodeV8(v8: NodeV8, value: unknown): Fn {
  if (ArrayBuffer.isView(value)) {
    return () => {
      const ser = new v8.Serializer();
      ser.writeHeader();
      ser.writeValue(value);
      const bytes = ser.releaseBuffer();
      const des = new v8.Deserializer(bytes);
      des.readHeader();
      sink += des.readValue() === null ? 0 : 1;
      return bytes.length;
    };
  }
  return () => {
    const bytes = v8.serialize(value);
    sink += v8.deserialize(bytes) === null ? 0 : 1;
    return bytes.length;
  };
}

function onNode(): boolean {
  const g = globalThis as Record<string, unknown>;
  return typeof g.Deno === "undefined" && typeof g.Bun === "undefined" && typeof g.process !== "undefined";
}

export async function runV8CodecBench(options: { time?: number } = {}): Promise<V8CodecBenchRow[]> {
  const v8 = onNode() ? ((await import("node:v8")).default as unknown as NodeV8) : undefined;
  const cases = [
    { name: "[1, 2] (add args)", value: ADD_ARGS, inner: 1000 },
    { name: "small object", value: SMALL, inner: 200 },
    { name: "64 KiB Uint8Array", value: BIG, inner: 5 },
  ];
  // One bench with every (case, codec) task; each task loops `inner` times to beat timer noise.
  const bench = new Bench({ time: options.time ?? 600, warmup: true });
  const meta = new Map<string, { c: (typeof cases)[number]; codec: string; bytes: number }>();
  for (const c of cases) {
    const fns: [string, Fn][] = [["ours", ours(c.value)], ["json", json(c.value)]];
    if (v8) fns.push(["node:v8", nodeV8(v8, c.value)]);
    for (const [codec, fn] of fns) {
      const id = `${c.name}|${codec}`;
      meta.set(id, { c, codec, bytes: fn() });
      bench.add(id, () => {
        for (let i = 0; i < c.inner; i++) fn();
      });
    }
  }
  await bench.run();
  const micros = medianMicros(bench, (name) => meta.get(name)!.c.inner);
  const rows = [...meta].map(([id, m]) => {
    const us = micros.get(id)!;
    return { case: m.c.name, codec: m.codec, usPerOp: us, xJson: us / micros.get(`${m.c.name}|json`)!, bytes: m.bytes };
  });
  if (sink === 0.5) console.log(sink);
  return rows;
}

export function formatV8CodecRows(rows: V8CodecBenchRow[]): string {
  return textTable(`V8 value codec, encode+decode per value (${runtimeName()})`, codecColumns(22), rows);
}

if (isMain(import.meta)) console.log(formatV8CodecRows(await runV8CodecBench()));
