// Large encode buffers used again once everyone is done with them (protocol/recycled-bytes.ts):
// the pool's counting, the V8 encoder's use of it, content writers that give their bytes back,
// and calls over sockets whose large values go round without being read after reuse.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  dropRecycledBytes,
  isRecyclable,
  recycledBytesStats,
  releaseBytes,
  retainBytes,
  takeRecyclable,
} from "../protocol/recycled-bytes.ts";
import { encodeValue } from "../protocol/v8/encode.ts";
import { decodeValue } from "../protocol/v8/decode.ts";
import { MessageBuilder } from "../protocol/capnp/layout.ts";
import { writeCallParams, writeCallResults } from "../core/workers-rpc/schema.ts";
import { useSocketWriter } from "../adapters/shared/socket-transport.ts";
import { WorkerEntrypoint } from "../core/worker/index.ts";
import { bindWorker, expectQuiet, type WorkerPair } from "./support/workers-harness.ts";

const plain = (n: number) => new Uint8Array(n);

function pattern(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

describe("recycled bytes: the pool", () => {
  before(dropRecycledBytes);

  it("gives a released buffer to the next request of a fitting size", () => {
    const a = takeRecyclable(65_600, plain);
    assert.equal(a.length, 65_600);
    assert.ok(isRecyclable(a));
    const buffer = a.buffer;
    releaseBytes(a);
    assert.equal(isRecyclable(a), false, "back on the free list, nobody holds it");
    const b = takeRecyclable(65_000, plain);
    assert.equal(b.buffer, buffer, "reused");
    assert.equal(b.length, 65_000);
    releaseBytes(b);
  });

  it("keeps a buffer out of reach while any holder remains", () => {
    const a = takeRecyclable(70_000, plain);
    retainBytes(a.subarray(0, 100)); // a second holder, through any view of the buffer
    releaseBytes(a);
    const b = takeRecyclable(70_000, plain);
    assert.notEqual(b.buffer, a.buffer, "still held: not handed out again");
    releaseBytes(a.subarray(10));
    const c = takeRecyclable(70_000, plain);
    assert.equal(c.buffer, a.buffer, "the last holder gone: reused");
    releaseBytes(b);
    releaseBytes(c);
  });

  it("ignores buffers it did not hand out, and releases past the last", () => {
    const foreign = new Uint8Array(80_000);
    retainBytes(foreign);
    releaseBytes(foreign);
    assert.equal(isRecyclable(foreign), false);
    const a = takeRecyclable(90_000, plain);
    releaseBytes(a);
    releaseBytes(a); // a second release of the same hold: already free, nothing happens
    const b = takeRecyclable(90_000, plain);
    const c = takeRecyclable(90_000, plain);
    assert.equal(b.buffer, a.buffer);
    assert.notEqual(c.buffer, a.buffer, "handed out once, not twice");
    releaseBytes(b);
    releaseBytes(c);
  });

  it("does not serve a small request from a much larger buffer, and bounds what it keeps", () => {
    dropRecycledBytes();
    const big = takeRecyclable(1 << 20, plain);
    releaseBytes(big);
    const small = takeRecyclable(8192, plain);
    assert.notEqual(small.buffer, big.buffer, "a 1 MiB buffer is not spent on 8 KiB");
    releaseBytes(small);
    // Six 1 MiB buffers released: the free list keeps what fits in 4 MiB, the rest is garbage.
    const six = Array.from({ length: 6 }, () => takeRecyclable(1 << 20, plain));
    const before = recycledBytesStats.reused;
    for (const b of six) releaseBytes(b);
    const again = Array.from({ length: 6 }, () => takeRecyclable(1 << 20, plain));
    const reused = recycledBytesStats.reused - before;
    assert.ok(reused >= 3 && reused <= 4, `reused ${reused} of 6`);
    for (const b of again) releaseBytes(b);
    dropRecycledBytes();
  });
});

describe("recycled bytes: the V8 encoder", () => {
  before(dropRecycledBytes);

  it("hands a large value's encoding out in a recyclable buffer; small ones are not", () => {
    const big = encodeValue(pattern(65_536, 1));
    assert.ok(isRecyclable(big));
    assert.deepEqual(decodeValue(big), pattern(65_536, 1));
    const small = encodeValue(pattern(100, 2));
    assert.equal(isRecyclable(small), false);
    releaseBytes(big);
    const next = encodeValue(pattern(65_536, 3));
    assert.equal(next.buffer, big.buffer, "the released buffer holds the next large value");
    assert.deepEqual(decodeValue(next), pattern(65_536, 3));
    releaseBytes(next);
  });

  it("gives back a buffer it copied out of, and one an encode failed in", () => {
    // An object with many small fields grows the writer by doubling, then is copied out exactly.
    const many: Record<string, number> = {};
    for (let i = 0; i < 4000; i++) many[`k${i}`] = i;
    const taken = recycledBytesStats.taken;
    const returned = recycledBytesStats.returned;
    const out = encodeValue(many);
    assert.ok(recycledBytesStats.taken > taken, "the writer grew into pooled buffers");
    assert.equal(isRecyclable(out), false, "copied out: the caller holds nothing of the pool");
    assert.equal(recycledBytesStats.returned - returned, recycledBytesStats.taken - taken, "every one given back");
    // A large Uint8Array, then a value that cannot be encoded: the encode throws, and the
    // buffer it grew into goes back.
    const before = recycledBytesStats.returned;
    assert.throws(() => encodeValue([pattern(65_536, 4), Symbol("no")]));
    assert.equal(recycledBytesStats.returned, before + 1);
  });
});

describe("recycled bytes: content writers", () => {
  it("give their V8 bytes back once dropped, once, and refuse to be written after", () => {
    dropRecycledBytes();
    const v8 = encodeValue(pattern(65_536, 5));
    const params = writeCallParams({ path: ["echo"], args: { v8, externalCaps: [] }, externalPusherCap: 0 });
    retainBytes(v8); // as the outgoing queue does while the message waits
    params.drop!();
    params.drop!(); // twice: still one release
    const other = takeRecyclable(65_600, plain);
    assert.notEqual(other.buffer, v8.buffer, "the queue's hold remains");
    releaseBytes(v8); // written
    const reused = takeRecyclable(65_600, plain);
    assert.equal(reused.buffer, v8.buffer);
    assert.throws(() => params.write(new MessageBuilder().root()), /written after it was dropped/);
    releaseBytes(other);
    releaseBytes(reused);

    const result = encodeValue(pattern(65_536, 6));
    const results = writeCallResults({ result: { v8: result, externalCaps: [] }, callPipelineCap: 0, hasDisposer: false });
    results.drop!();
    assert.equal(isRecyclable(result), false, "no other holder: back at once");
    assert.throws(() => results.write(new MessageBuilder().root()), /written after it was dropped/);
  });
});

class Echo extends WorkerEntrypoint {
  echo(value: unknown) {
    return value;
  }
  sum(bytes: Uint8Array) {
    let s = 0;
    for (const b of bytes) s += b;
    return s;
  }
}

function sumOf(bytes: Uint8Array): number {
  let s = 0;
  for (const b of bytes) s += b;
  return s;
}

for (const wire of ["unix", "tcp", "memory"] as const) {
  describe(`recycled bytes: large calls over the ${wire} wire`, () => {
    let pair: WorkerPair;
    before(async () => {
      dropRecycledBytes();
      pair = await bindWorker({ default: Echo }, { wire });
    });
    after(async () => {
      await pair.close();
    });

    it("echoes distinct large values in turn, each intact", async () => {
      const reused = recycledBytesStats.reused;
      for (let i = 0; i < 40; i++) {
        const sent = pattern(65_536 + i * 8, i);
        const back = (await pair.binding.echo(sent)) as Uint8Array;
        assert.deepEqual(back, sent);
      }
      await expectQuiet(pair);
      const gained = recycledBytesStats.reused - reused;
      // Over a socket each call's params (once written) and result (once written and finished)
      // buffers go round, all but the first few; in memory the peer reads the sender's bytes,
      // which are then never reused.
      if (wire === "memory") assert.equal(gained, 0);
      else assert.ok(gained >= 2 * 40 - 6, `reused ${gained} buffers over 40 echoes`);
    });

    it("keeps 64 large calls in flight intact", async () => {
      const values = Array.from({ length: 64 }, (_, i) => pattern(65_536, 100 + i));
      for (let round = 0; round < 3; round++) {
        const sums = await Promise.all(values.map((v) => pair.binding.sum(v) as Promise<number>));
        const echoes = await Promise.all(values.map((v) => pair.binding.echo(v) as Promise<Uint8Array>));
        for (let i = 0; i < values.length; i++) {
          assert.equal(sums[i], sumOf(values[i]!));
          assert.deepEqual(echoes[i], values[i]);
        }
      }
      await expectQuiet(pair);
    });
  });
}

describe("recycled bytes: large calls written through Node's stream handles", () => {
  let pair: WorkerPair | null = null;
  before(async () => {
    // Node only: the handle writer (adapters/node/handle-writes.ts) is what a Node host and
    // client write with; other runtimes have no such handles (handleWriter() is null there).
    const { handleWriter } = await import("../adapters/node/handle-writes.ts").catch(() => ({ handleWriter: () => null }));
    const writer = handleWriter();
    if (writer === null) return;
    useSocketWriter(writer);
    pair = await bindWorker({ default: Echo }, { wire: "unix" });
  });
  after(async () => {
    useSocketWriter(null);
    await pair?.close();
  });

  it("echoes and sums large values, sequential and 64 in flight, each intact", async (t) => {
    if (pair === null) return t.skip("no stream handles on this runtime");
    const reused = recycledBytesStats.reused;
    for (let i = 0; i < 20; i++) {
      const sent = pattern(65_536, 200 + i);
      assert.deepEqual(await pair.binding.echo(sent), sent);
    }
    assert.ok(recycledBytesStats.reused - reused >= 20);
    const values = Array.from({ length: 64 }, (_, i) => pattern(65_536, 300 + i));
    const echoes = await Promise.all(values.map((v) => pair!.binding.echo(v) as Promise<Uint8Array>));
    for (let i = 0; i < values.length; i++) assert.deepEqual(echoes[i], values[i]);
    await expectQuiet(pair);
  });
});
