// Workers RPC behaviour, part 5: promise pipelining (reference workers-rpc-semantics.md A5):
// calls on a call's result before it arrives (against callPipeline), on fields of a returned
// object, through a function's own properties, on results that cannot be pipelined, after the
// result arrived, and what a failed call does to everything pipelined on it.

import { it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { WorkerEntrypoint } from "../core/worker/index.ts";
import { RpcStub, RpcTarget } from "../core/workers-rpc/index.ts";
import { JS_RPC_TARGET } from "../core/workers-rpc/schema.ts";
import { FrameReader } from "../protocol/capnp/framing.ts";
import { decodeRpcMessage } from "../protocol/capnp/rpc-codec.ts";
import { bindWorker, expectQuiet } from "./support/workers-harness.ts";
import { bindControlled, overEachWire } from "./fixtures/rpc-pair.ts";
import { Counter, gate, rejects } from "./fixtures/rpc-targets.ts";

class Box extends RpcTarget {
  constructor(private start: number) {
    super();
  }
  counter() {
    return new Counter(this.start);
  }
}

let release = gate();

class Service extends WorkerEntrypoint {
  makeCounter(n: number) {
    return new Counter(n);
  }
  makeBox(n: number) {
    return new Box(n);
  }
  getObj(i: number) {
    return { foo: 123 + i, counter: new Counter(i), inner: { deeper: new Counter(i * 10) }, text: "plain" };
  }
  getData() {
    return { text: "plain", nested: { n: 1 } };
  }
  getFunction() {
    return Object.assign((a: number, b: number) => a ^ b, { someProperty: 123, helpers: { twice: (x: number) => x * 2 } });
  }
  prim() {
    return 5;
  }
  getMap() {
    return new Map([["foo", 123]]);
  }
  async fail(message: string) {
    await release.promise;
    throw new RangeError(message);
  }
  async slowCounter(n: number) {
    await release.promise;
    return new Counter(n);
  }
  echo(v: unknown) {
    return v;
  }
}

const missing = (name: string) => ({ name: "TypeError", message: `The RPC receiver does not implement the method "${name}".` });

overEachWire("Workers RPC pipelining", (wire) => bindWorker({ default: Service }, { wire }), (peer, wire) => {
  it("pipelines calls on a returned stub, also two levels deep", async () => {
    {
      using counter = peer.svc.makeCounter(12);
      const first = counter.increment(3);
      const second = counter.increment(5);
      assert.deepEqual([await first, await second], [15, 20]);
      assert.equal(await counter.value, 20);
    }
    {
      using box = peer.svc.makeBox(7);
      using counter = box.counter();
      assert.equal(await counter.increment(1), 8);
    }
    await expectQuiet(peer.pair);
  });

  it("sends a pipelined call to the promised answer's callPipeline before the result arrives", async () => {
    const wired = await bindControlled({ default: Service }, { wire });
    try {
      release = gate();
      {
        using counter = wired.binding.slowCounter(1);
        const result = counter.increment(1);
        // Nothing has come back yet, but the pipelined call is already on the wire.
        await new Promise((r) => setTimeout(r, 20));
        const reader = new FrameReader();
        const calls = wired.clientBytes.flatMap((chunk) => reader.push(chunk)).map((f) => decodeRpcMessage(f))
          .flatMap((m) => (m.type === "call" && m.interfaceId === JS_RPC_TARGET ? [m] : []));
        assert.equal(calls.length, 2);
        assert.deepEqual(calls[1]!.target, {
          type: "promisedAnswer",
          promisedAnswer: { questionId: calls[0]!.questionId, transform: [{ type: "getPointerField", index: 1 }] },
        });
        release.open();
        assert.equal(await result, 2);
      }
      await expectQuiet(wired);
    } finally {
      await wired.close();
    }
  });

  it("pipelines into the fields of a returned object", async () => {
    {
      using obj = peer.svc.getObj(5);
      assert.equal(await obj.foo, 128);
      assert.equal(await obj.counter.increment(7), 12);
      assert.equal(await obj.inner.deeper.increment(1), 51);
      assert.equal(await obj.counter.value, 12, "the pipeline reaches the same live object");
    }
    await expectQuiet(peer.pair);
  });

  it("pipelines through a returned function and its own properties", async () => {
    {
      using fn = peer.svc.getFunction();
      assert.equal(await fn(3, 6), 5);
      assert.equal(await fn.someProperty, 123);
      assert.equal(await fn.helpers.twice(21), 42);
      await rejects(fn.call(null, 1, 2), missing("call"));
    }
    await expectQuiet(peer.pair);
  });

  it("cannot pipeline on a primitive or non-plain result: does not implement", async () => {
    await rejects(peer.svc.prim().foo(), missing("foo"));
    await rejects(peer.svc.prim().foo, missing("foo"));
    await rejects(peer.svc.getMap().foo(), missing("foo"));
    await rejects(peer.svc.getMap().size, missing("size"));
    await expectQuiet(peer.pair);
  });

  it("pipelines after the result arrived by wrapping the value locally", async () => {
    {
      using obj = peer.svc.getObj(1);
      const value = await obj;
      assert.equal(await obj.counter.increment(1), 2, "a real call through the stub in the value");
      assert.equal(await obj.foo, 124);
      assert.equal(await value.counter.increment(1), 3, "pipelining did not dispose the value's stubs");
      await rejects(obj.text(), { name: "TypeError", message: '"text" is not a function.' });
    }
    {
      using counter = peer.svc.makeCounter(10);
      const stub = await counter;
      assert.equal(await counter.increment(1), 11, "a stub result is reused");
      assert.equal(await stub.value, 11);
    }
    {
      using data = peer.svc.getData();
      await data;
      assert.equal(await data.nested.n, 1);
    }
    {
      const map = peer.svc.getMap();
      await map;
      await rejects(map.foo(), missing("foo"));
    }
    const prim = peer.svc.prim();
    assert.equal(await prim, 5);
    await rejects(prim.foo(), { name: "TypeError", message: "Can't pipeline on RPC that did not return an object." });
    await expectQuiet(peer.pair);
  });

  it("rejects everything pipelined on a failed call with the call's error", async () => {
    release = gate();
    const failed = peer.svc.fail("original failure");
    const pipelined = [failed.method(), failed.field, failed.a.b.c(1), failed()];
    release.open();
    const original: any = await rejects(failed, { name: "RangeError", message: "original failure", remote: true });
    for (const p of pipelined) await rejects(p, { name: "RangeError", message: original.message, remote: true });
    // And after the failure is known.
    await rejects(failed.later(), { name: "RangeError", message: "original failure" });
    await expectQuiet(peer.pair);
  });

  it("leaves no unhandled rejection behind for failed calls nobody awaited", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      release = gate();
      const failed = peer.svc.fail("ignored");
      failed.x();
      failed.y.z;
      void failed.w.then(() => {}, () => {});
      peer.svc.missing();
      release.open();
      await rejects(failed, { message: "ignored" });
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    await expectQuiet(peer.pair);
  });

  it("refuses an RpcPromise or RpcProperty as an argument", async () => {
    const cannot = (type: string) => ({ name: "DataCloneError", message: `Could not serialize object of type "${type}". This type does not support serialization.` });
    {
      using pending = peer.svc.makeCounter(1);
      await rejects(peer.svc.echo(pending), cannot("RpcPromise"));
      await rejects(peer.svc.echo({ nested: pending.value }), cannot("RpcProperty"));
      assert.equal(await pending.increment(), 2, "the refused promise is still usable");
    }
    {
      using local = new RpcStub(new Counter(1)) as any;
      await rejects(peer.svc.echo(local.increment), cannot("RpcProperty"));
    }
    await expectQuiet(peer.pair);
  });
});
