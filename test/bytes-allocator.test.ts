// protocol/bytes.ts: large buffers may come from an allocator that does not zero them (Node's and
// Bun's adapters install one). Every byte of such a buffer must be written before it is read,
// sent or handed out, or a peer would see what the memory held before. Here the allocator fills
// each buffer with a marker first, and every frame, encoding and decoded value must still be
// exactly what a zero-filled buffer gives.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { freshBytes, useByteAllocator } from "../protocol/bytes.ts";
import { encodeFrame, FrameReader, type Frame } from "../protocol/capnp/framing.ts";
import { decodeValue, encodeValue } from "../protocol/v8/index.ts";
import { WorkerEntrypoint } from "../core/worker/index.ts";
import { bindWorker, expectQuiet } from "./support/workers-harness.ts";
import { overEachWire } from "./fixtures/rpc-pair.ts";
import { sameBytes } from "./support/bytes.ts";
import { uninitializedBytes } from "../adapters/shared/uninitialized-bytes.ts";

const MARK = 0xe5;
let handedOut = 0;
/** Buffers full of MARK: any byte the caller forgets to write shows. */
function poisoned(n: number): Uint8Array {
  handedOut++;
  return new Uint8Array(n).fill(MARK);
}

function pattern(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 13 + seed * 101 + (i >> 9)) & 0xff;
  return b;
}

/** Large values of every kind whose encoding writes or decoding copies many bytes at once. */
function largeValues(): unknown[] {
  const u8 = pattern(65536, 1);
  const offsetView = new Uint8Array(pattern(70_000, 2).buffer, 1000, 65_000);
  return [
    u8,
    offsetView,
    pattern(200_001, 3).buffer,
    new DataView(pattern(9000, 4).buffer, 8, 8000),
    new Float64Array(pattern(8 * 4096, 5).buffer),
    [pattern(5000, 6), "a".repeat(70_000), { big: pattern(300_000, 7), small: new Uint8Array([1, 2, 3]) }],
    "é".repeat(40_000),
  ];
}

describe("fresh bytes from a non-zeroing allocator", () => {
  before(() => useByteAllocator(poisoned));
  after(() => useByteAllocator(null));

  it("refuses an allocator that hands out part of a larger buffer", () => {
    const pooled = (n: number) => new Uint8Array(new ArrayBuffer(n + 64), 64, n);
    assert.throws(() => useByteAllocator(pooled), /ArrayBuffer of exactly n bytes/);
    const longer = (n: number) => new Uint8Array(new ArrayBuffer(n + 8), 0, n);
    assert.throws(() => useByteAllocator(longer), /ArrayBuffer of exactly n bytes/);
    const before = handedOut;
    assert.equal(freshBytes(100_000)[0], MARK, "the refused allocators did not replace the installed one");
    assert.equal(freshBytes(100)[0], 0, "small buffers are always zero-filled ones");
    assert.equal(handedOut, before + 1);
  });

  it("the Node and Bun adapters' allocator keeps the contract on every runtime", () => {
    for (const n of [4096, 65536 + 24, 1 << 20]) {
      const b = uninitializedBytes(n);
      assert.equal(Object.getPrototypeOf(b), Uint8Array.prototype, "a plain Uint8Array, not a Buffer");
      assert.deepEqual([b.byteOffset, b.byteLength, b.buffer.byteLength], [0, n, n]);
    }
    useByteAllocator(uninitializedBytes); // its own probe passes
    useByteAllocator(poisoned);
  });

  it("frames assembled from reads of every size are exactly the frames sent", () => {
    const sent = [
      encodeFrame([pattern(8 * 9000, 1)]),
      encodeFrame([pattern(64, 2)]),
      encodeFrame([pattern(8 * 40_000, 3), pattern(8 * 700, 4)]),
      encodeFrame([pattern(8 * 600, 5)]),
      encodeFrame([pattern(8 * 131_072, 6)]),
    ];
    const stream = new Uint8Array(sent.reduce((n, f) => n + f.length, 0));
    sent.reduce((at, f) => (stream.set(f, at), at + f.length), 0);
    const before = handedOut;
    for (const readSize of [1000, 4096, 65536, 100_003, stream.length]) {
      for (const transient of [true, false]) {
        const reader = new FrameReader();
        const read = new Uint8Array(readSize);
        const got: Uint8Array[] = [];
        for (let at = 0; at < stream.length; at += readSize) {
          const n = Math.min(readSize, stream.length - at);
          const chunk = transient ? read.subarray(0, n) : stream.slice(at, at + n);
          if (transient) chunk.set(stream.subarray(at, at + n));
          const frames: Frame[] = transient ? reader.pushTransient(chunk) : reader.push(chunk);
          for (const f of frames) got.push(encodeFrame(f.segments));
        }
        reader.end();
        assert.equal(got.length, sent.length);
        got.forEach((f, i) => assert.ok(sameBytes(f, sent[i]!), `frame ${i}, reads of ${readSize}, ${transient ? "transient" : "kept"}`));
      }
    }
    assert.ok(handedOut > before, "the reader assembled frames in fresh buffers");
  });

  it("encodes large values to the bytes a zero-filled buffer gives, and decodes them into exact buffers", () => {
    const poisonedBytes = largeValues().map((v) => encodeValue(v).slice());
    useByteAllocator(null);
    const zeroedBytes = largeValues().map((v) => encodeValue(v).slice());
    useByteAllocator(poisoned);
    poisonedBytes.forEach((b, i) => assert.ok(sameBytes(b, zeroedBytes[i]!), `value ${i} encodes the same`));
    const before = handedOut;
    for (const [i, bytes] of poisonedBytes.entries()) {
      const back = decodeValue(bytes);
      assert.deepEqual(back, largeValues()[i], `value ${i} decodes the same`);
    }
    const u8 = decodeValue(poisonedBytes[0]!) as Uint8Array;
    assert.equal(u8.buffer.byteLength, 65536, "a decoded array's buffer is exactly its own bytes");
    assert.ok(handedOut > before, "decoding used fresh buffers");
  });
});

class Echo extends WorkerEntrypoint {
  echo(v: unknown) {
    return v;
  }
}

overEachWire("large values through RPC with a non-zeroing allocator", () => bindWorker({ default: Echo }), (peer) => {
  before(() => useByteAllocator(poisoned));
  after(() => useByteAllocator(null));

  it("arrive exactly as sent, one at a time and many in flight", async () => {
    for (const [i, v] of largeValues().entries()) {
      assert.deepEqual(await peer.svc.echo(v), v, `value ${i}`);
    }
    const sent = Array.from({ length: 16 }, (_, k) => pattern(40_000 + k * 9_999, k));
    const back = await Promise.all(sent.map((b) => peer.svc.echo(b) as Promise<Uint8Array>));
    back.forEach((b, k) => assert.ok(sameBytes(b, sent[k]!) && b.buffer.byteLength === sent[k]!.length, `in flight ${k}`));
    await expectQuiet(peer.pair);
  });
});
