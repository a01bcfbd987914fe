// Large messages read in place from a transport's reused read buffer (core/rpc/wire.ts): a call's
// arguments and a result are read before the buffer is reused, and only what is kept beyond that
// is copied. Over the "lent" wire every read is scribbled over once handled, so a message read
// after that without having been kept would fail or read garbage (the suites that run over
// WIRES do the same with every frame lent).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { WorkerEntrypoint } from "../core/worker/index.ts";
import { RpcTarget } from "../core/workers-rpc/index.ts";
import { MessageReader } from "../protocol/capnp/reader.ts";
import { bindWorker, expectQuiet, type WorkerPair } from "./support/workers-harness.ts";

class Holder extends RpcTarget {
  private kept: Uint8Array | null = null;
  store(bytes: Uint8Array) {
    this.kept = bytes;
    return bytes.length;
  }
  get total() {
    let sum = 0;
    for (const b of this.kept ?? []) sum += b;
    return sum;
  }
}

class Big extends WorkerEntrypoint {
  echo(value: unknown) {
    return value;
  }
  async callBack(bytes: Uint8Array, fn: (n: number) => Promise<number>) {
    return (await fn(bytes.length)) + bytes[bytes.length - 1]!;
  }
  makeHolder() {
    return new Holder();
  }
}

/** Runs `fn`, counting the lent messages that had to be copied (MessageReader.keep). */
async function countingKeeps(fn: () => Promise<void>): Promise<number> {
  const keep = MessageReader.prototype.keep;
  let kept = 0;
  MessageReader.prototype.keep = function (this: MessageReader) {
    if (this.lent) kept++;
    keep.call(this);
  };
  try {
    await fn();
  } finally {
    MessageReader.prototype.keep = keep;
  }
  return kept;
}

function pattern(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

describe("Workers RPC with large messages read in place (default lendFrom, transient reads)", () => {
  let pair: WorkerPair;
  let svc: any;
  before(async () => {
    pair = await bindWorker({ default: Big }, { wire: "lent", lendFrom: 4096 });
    svc = pair.binding;
  });
  after(() => pair.close());

  it("echoes large values with no copy of either message (the call's arguments are read before its session starts)", async () => {
    const big = pattern(65536, 1);
    const value = { bytes: big, text: "x".repeat(20_000), list: [big.subarray(0, 5000), 7] };
    assert.deepEqual(await svc.echo(big), big); // the session is open: later calls only
    const kept = await countingKeeps(async () => {
      for (let i = 0; i < 3; i++) {
        assert.deepEqual(await svc.echo(big), big);
        assert.deepEqual(await svc.echo(value), value);
      }
    });
    assert.equal(kept, 0, "no lent message was copied");
    await expectQuiet(pair);
  });

  it("reads a call whose large arguments hold a capability early too, decoding them at dispatch (its stubs die with the call)", async () => {
    const big = pattern(65536, 2);
    let called = 0;
    const kept = await countingKeeps(async () => {
      assert.equal(await svc.callBack(big, async (n: number) => { called = n; return 1; }), 1 + big[65535]!);
    });
    assert.equal(called, 65536);
    assert.equal(kept, 0, "the arguments' bytes are copied, not the message");
    await expectQuiet(pair);
  });

  it("copies a large call pipelined on a result still being computed, and runs it right", async () => {
    const big = pattern(100_000, 3);
    let expected = 0;
    for (const b of big) expected += b;
    const kept = await countingKeeps(async () => {
      using holder = svc.makeHolder();
      assert.equal(await holder.store(big), big.length);
      assert.equal(await holder.total, expected);
    });
    assert.ok(kept >= 1, `${kept} lent messages copied`);
    await expectQuiet(pair);
  });

  it("reports lookup failures of a call read early as it would otherwise (the path, then the arguments)", async () => {
    const big = pattern(65536, 4);
    const lentError = await svc.nope(big).then(() => null, (e: Error) => e);
    await expectQuiet(pair);
    const plain = await bindWorker({ default: Big }, { wire: "memory" });
    try {
      const plainError = await plain.binding.nope(big).then(() => null, (e: Error) => e);
      assert.ok(lentError instanceof Error && plainError instanceof Error);
      assert.equal(lentError.name, plainError.name);
      assert.equal(lentError.message, plainError.message);
      await expectQuiet(plain);
    } finally {
      await plain.close();
    }
  });
});
