// Workers RPC behaviour, part 6: disposal and ownership (reference workers-rpc-semantics.md A6):
// disposing stubs, promises and results, dup(), who owns stubs passed as parameters and returned
// as results, and when RpcTarget and result disposers run.

import { it } from "node:test";
import assert from "node:assert/strict";
import { WorkerEntrypoint } from "../core/worker/index.ts";
import { RpcStub, RpcTarget } from "../core/workers-rpc/index.ts";
import { bindWorker, expectQuiet } from "./support/workers-harness.ts";
import { overEachWire } from "./fixtures/rpc-pair.ts";
import { Counter, rejects, sleep, until } from "./fixtures/rpc-targets.ts";

const STUB_DISPOSED = { name: "Error", message: "RPC stub used after being disposed." };
const PROMISE_DISPOSED = { name: "Error", message: "RPC promise used after being disposed." };

/** What the callee keeps between calls (each call is a new instance). */
const kept: { stub?: any; counters: Counter[]; resultDisposed: number } = { counters: [], resultDisposed: 0 };

/** A target that hands out a duplicate of itself whenever it is sent. */
class Duplicable extends RpcTarget {
  dups: Duplicable[] = [];
  disposals = 0;
  constructor(readonly original: Duplicable | null = null) {
    super();
  }
  dup() {
    const copy = new Duplicable(this);
    this.dups.push(copy);
    return copy;
  }
  hello() {
    return this.original ? "a duplicate" : "the original";
  }
  [Symbol.dispose]() {
    this.disposals++;
  }
}

/** Holds a stub it was given; disposing the holder disposes the stub. */
class Holder extends RpcTarget {
  constructor(private stub: Counter) {
    super();
  }
  async use() {
    return await this.stub.increment(1);
  }
  [Symbol.dispose]() {
    (this.stub as unknown as Disposable)[Symbol.dispose]();
  }
}

class Service extends WorkerEntrypoint {
  makeCounter(n: number) {
    const counter = new Counter(n);
    kept.counters.push(counter);
    return counter;
  }
  makeObject(n: number) {
    const counter = this.makeCounter(n);
    return { n, counter, list: [counter] };
  }
  makeWithDisposer() {
    return {
      value: 1,
      counter: this.makeCounter(0),
      [Symbol.dispose]() {
        kept.resultDisposed++;
      },
    };
  }
  primitive() {
    return 42;
  }
  echo(v: unknown) {
    return v;
  }
  async use(stub: Counter, by: number) {
    return await stub.increment(by);
  }
  /** Keeps a parameter (or a dup of it) in a target that outlives the call, within the session. */
  keep(stub: Counter & { dup(): Counter }, dup: boolean) {
    return new Holder(dup ? stub.dup() : stub);
  }
  async hello(target: Duplicable) {
    return await target.hello();
  }
  giveAway(dup: boolean) {
    kept.stub = new RpcStub(this.makeCounter(0));
    return dup ? kept.stub.dup() : kept.stub;
  }
  // workerd's js-rpc-test "testDispose", in our words.
  async mixedOwnership(counter: Counter & { dup(): Counter }) {
    const count = await counter.increment(5);
    const keptDup = counter.dup();
    return {
      count,
      counter: counter.dup(),
      async viaOriginal(n: number) {
        return await counter.increment(n);
      },
      async viaDup(n: number) {
        return await keptDup.increment(n);
      },
      [Symbol.dispose]() {
        keptDup[Symbol.dispose]();
      },
    };
  }
}

overEachWire("Workers RPC disposal", (wire) => bindWorker({ default: Service }, { wire }), (peer, wire) => {
  const reset = () => {
    kept.counters = [];
    kept.resultDisposed = 0;
    kept.stub = undefined;
  };

  it("disposes a stub (idempotently); using it afterwards fails; the callee's target is disposed", async () => {
    reset();
    const counter = await peer.svc.makeCounter(1);
    assert.equal(await counter.increment(), 2);
    counter[Symbol.dispose]();
    counter[Symbol.dispose]();
    await rejects(counter.increment(), STUB_DISPOSED);
    await rejects(counter.value, STUB_DISPOSED);
    assert.throws(() => counter.dup(), STUB_DISPOSED); // workerd: an internal error (reference quirk 6)
    await kept.counters[0]!.disposed(1);
    {
      using scoped = await peer.svc.makeCounter(5);
      assert.equal(await scoped.increment(), 6);
    }
    await kept.counters[1]!.disposed(1);
    await expectQuiet(peer.pair);
  });

  it("disposes a promise's result when it arrives, or at once if it is there; later use fails", async () => {
    reset();
    const early = peer.svc.makeCounter(1);
    early[Symbol.dispose]();
    await rejects(early.increment(), PROMISE_DISPOSED);
    await until(() => kept.counters.length === 1, "the call to arrive");
    await kept.counters[0]!.disposed(1);
    // Awaited only after it was disposed and settled: still the result, already disposed.
    await rejects((await early).increment(), STUB_DISPOSED);
    const late = peer.svc.makeCounter(2);
    const stub = await late;
    late[Symbol.dispose]();
    late[Symbol.dispose]();
    await rejects(late.increment(), PROMISE_DISPOSED);
    await rejects(stub.increment(), STUB_DISPOSED);
    await kept.counters[1]!.disposed(1);
    await expectQuiet(peer.pair);
  });

  it("gives object results a non-enumerable disposer that disposes the stubs inside", async () => {
    reset();
    const obj = await peer.svc.makeObject(3);
    assert.deepEqual(Object.keys(obj), ["n", "counter", "list"]);
    assert.equal(typeof obj[Symbol.dispose], "function");
    assert.equal(Object.getOwnPropertyDescriptor(obj, Symbol.dispose)?.enumerable, false);
    assert.equal(obj.counter, obj.list[0], "one stub, reached twice");
    assert.equal(await obj.counter.increment(), 4);
    obj[Symbol.dispose]();
    obj[Symbol.dispose]();
    await rejects(obj.counter.increment(), STUB_DISPOSED);
    await kept.counters[0]!.disposed(1);
    for (const value of [[1, 2], new Map([[1, 2]]), new Date(0), new Uint8Array(2)]) {
      const back = await peer.svc.echo(value);
      assert.equal(typeof back[Symbol.dispose], "function", Object.prototype.toString.call(value));
      back[Symbol.dispose]();
    }
    {
      // A result that is itself a stub gets nothing extra: its dispose is the stub's own.
      using stub = await peer.svc.makeCounter(0);
      assert.equal(Object.getOwnPropertyDescriptor(stub, Symbol.dispose), undefined);
      assert.equal(stub[Symbol.dispose], RpcStub.prototype[Symbol.dispose]);
    }
    assert.equal(await peer.svc.primitive(), 42);
    await expectQuiet(peer.pair);
  });

  it("keeps a capability until every dup() is disposed", async () => {
    reset();
    const counter = await peer.svc.makeCounter(0);
    const copy = counter.dup();
    const another = copy.dup();
    counter[Symbol.dispose]();
    assert.equal(await copy.increment(), 1);
    copy[Symbol.dispose]();
    await sleep(20);
    assert.equal(kept.counters[0]!.disposals, 0, "one dup is still alive");
    assert.equal(await another.increment(), 2);
    another[Symbol.dispose]();
    await kept.counters[0]!.disposed(1);
    // The same for a local stub.
    const local = new Counter();
    const stub = new RpcStub(local) as any;
    const dup = stub.dup();
    stub[Symbol.dispose]();
    assert.equal(await dup.increment(), 1);
    dup[Symbol.dispose]();
    await local.disposed(1);
    await expectQuiet(peer.pair);
    assert.equal(local.disposals, 1);
  });

  it("lets the caller keep the stubs it passes (params are duplicated)", async () => {
    reset();
    const target = new Counter(0);
    {
      using stub = new RpcStub(target) as any;
      assert.equal(await peer.svc.use(stub, 1), 1);
      assert.equal(await peer.svc.use(stub, 1), 2);
      assert.equal(await stub.increment(1), 3);
      await sleep(20);
      assert.equal(target.disposals, 0, "the callee's copies died, ours is alive");
    }
    await target.disposed(1);
    {
      // A stub from the callee can be handed back to it, and we keep it too.
      using remote = await peer.svc.makeCounter(10);
      assert.equal(await peer.svc.use(remote, 5), 15);
      assert.equal(await remote.increment(), 16);
    }
    await expectQuiet(peer.pair);
  });

  it("dup()s a passed target that has a dup() method and disposes only the duplicate", async () => {
    const original = new Duplicable();
    assert.equal(await peer.svc.hello(original), "a duplicate");
    assert.equal(await peer.svc.hello(original), "a duplicate");
    assert.equal(original.dups.length, 2);
    await until(() => original.dups.every((d) => d.disposals === 1), "the duplicates' disposers");
    assert.equal(original.disposals, 0);
    await expectQuiet(peer.pair);
  });

  it("disposes the callee's parameter stubs when its call settles, unless it dup()s them", async () => {
    reset();
    const dropped = new Counter(0);
    {
      using holder = await peer.svc.keep(dropped, false);
      await rejects(holder.use(), { ...STUB_DISPOSED, remote: true });
      await dropped.disposed(1);
    }
    const held = new Counter(0);
    {
      using holder = await peer.svc.keep(held, true);
      assert.equal(await holder.use(), 1);
      assert.equal(await holder.use(), 2);
      await sleep(20);
      assert.equal(held.disposals, 0, "the dup keeps our target alive");
    }
    await held.disposed(1);
    await expectQuiet(peer.pair);
  });

  it("transfers returned stubs: the callee's own copy is disposed unless it returned a dup", async () => {
    reset();
    {
      using given = await peer.svc.giveAway(false);
      assert.equal(await given.increment(), 1);
      assert.throws(() => kept.stub.dup(), STUB_DISPOSED);
    }
    await kept.counters[0]!.disposed(1);
    {
      using given = await peer.svc.giveAway(true);
      assert.equal(await given.increment(), 1);
      kept.stub.dup()[Symbol.dispose](); // the callee's original is still alive
    }
    await sleep(20);
    assert.equal(kept.counters[1]!.disposals, 0);
    kept.stub[Symbol.dispose]();
    await kept.counters[1]!.disposed(1);
    await expectQuiet(peer.pair);
  });

  it("runs a returned target's disposer once, after the caller released its last reference", async () => {
    reset();
    const first = await peer.svc.makeCounter(0);
    const second = first.dup();
    first[Symbol.dispose]();
    await sleep(20);
    assert.equal(kept.counters[0]!.disposals, 0);
    assert.equal(peer.pair.worker.openEvents, 1, "a stub the caller holds keeps the callee's session open");
    second[Symbol.dispose]();
    await kept.counters[0]!.disposed(1);
    await expectQuiet(peer.pair);
    assert.equal(kept.counters[0]!.disposals, 1);
  });

  it("runs a returned object's own disposer when the caller disposes the result", async () => {
    reset();
    {
      using result = await peer.svc.makeWithDisposer();
      assert.deepEqual(Object.keys(result), ["value", "counter"]);
      assert.equal(await result.counter.increment(), 1);
      await sleep(20);
      assert.equal(kept.resultDisposed, 0, "not before the caller disposes");
      assert.equal(peer.pair.worker.openEvents, 1, "the session stays open meanwhile");
    }
    await until(() => kept.resultDisposed === 1, "the result's disposer");
    await kept.counters[0]!.disposed(1);
    {
      // Disposing the promise (pipelining only) does it too.
      using pending = peer.svc.makeWithDisposer();
      assert.equal(await pending.counter.increment(2), 2);
    }
    await until(() => kept.resultDisposed === 2, "the second result's disposer");
    await expectQuiet(peer.pair);
    assert.equal(kept.resultDisposed, 2);
  });

  it("follows workerd's testDispose: a param dies with the call, its dups live on", async () => {
    const counter = new Counter(3);
    const obj = await peer.svc.mixedOwnership(counter);
    assert.equal(obj.count, 8);
    await rejects(obj.viaOriginal(1), { ...STUB_DISPOSED, remote: true });
    assert.equal(await obj.viaDup(7), 15);
    assert.equal(await obj.counter.increment(4), 19);
    obj[Symbol.dispose]();
    await rejects(obj.counter.increment(2), STUB_DISPOSED);
    await rejects(obj.viaDup(7), STUB_DISPOSED);
    await counter.disposed(1);
    await expectQuiet(peer.pair);
    assert.equal(counter.disposals, 1);
  });
});
