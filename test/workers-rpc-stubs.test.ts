// Workers RPC behaviour, part 2: the caller's object model (reference workers-rpc-semantics.md
// A2): what stubs, properties and promises look like, property reads and paths, torn-off
// methods, the path depth limit, E-order, and failures that always come back asynchronously.

import { it } from "node:test";
import assert from "node:assert/strict";
import { WorkerEntrypoint } from "../core/worker/index.ts";
import { RpcPromise, RpcProperty, RpcStub, RpcTarget, ServiceStub } from "../core/workers-rpc/index.ts";
import { bindWorker, expectQuiet } from "./support/workers-harness.ts";
import { bindControlled, sentJsRpcCalls, overEachWire } from "./fixtures/rpc-pair.ts";
import { Counter, rejects, sleep } from "./fixtures/rpc-targets.ts";

let constructed = 0;

/** Records the order in which calls arrive, and lets them finish in another order. */
class Recorder extends RpcTarget {
  #entered: string[] = [];
  async step(label: string, ms: number) {
    this.#entered.push(label);
    await sleep(ms);
    return label;
  }
  get entered() {
    return this.#entered;
  }
}

class Service extends WorkerEntrypoint<{ NAME: string }> {
  readonly serial = ++constructed;
  two(a: number, b: number) {
    return a - b;
  }
  echo(v: unknown) {
    return v;
  }
  makeCounter(n: number) {
    return new Counter(n);
  }
  recorder() {
    return new Recorder();
  }
  whatIsThis() {
    return { type: typeof this, env: typeof (this as unknown as { env?: unknown }).env };
  }
  get plain() {
    return { answer: 42, nested: { deeper: { leaf: "leaf", twice: (x: number) => x * 2 } } };
  }
  get slowValue() {
    return sleep(5).then(() => "slow");
  }
  get failing(): never {
    throw new RangeError("getter threw");
  }
  get rejecting() {
    return Promise.reject(new TypeError("getter rejected"));
  }
  get whoami() {
    return this.serial;
  }
}

const env = { NAME: "svc" };


overEachWire("Workers RPC stubs", (wire) => bindWorker({ default: Service }, { wire, env }), (peer, wire) => {
  it("shapes stubs, properties and promises like workerd", async () => {
    assert.equal(typeof peer.svc, "object");
    assert.equal(peer.svc instanceof ServiceStub, true);
    assert.equal(String(peer.svc), "[object Fetcher]");
    assert.equal(peer.svc.then, undefined);
    {
      const promise = peer.svc.makeCounter(1);
      assert.equal(typeof promise, "function");
      assert.equal(promise instanceof RpcPromise, true);
      assert.equal(String(promise), "[object JsRpcPromise]");
      assert.equal("then" in promise, true);
      using stub = await promise;
      assert.equal(typeof stub, "function");
      assert.equal(stub instanceof RpcStub, true);
      assert.equal(String(stub), "[object JsRpcStub]");
      assert.equal(await stub, stub, "a stub is not a thenable: awaiting it gives the stub");
      assert.equal(stub.then, undefined);
      assert.equal("then" in stub, false);
      assert.equal("anything" in stub, true);
      assert.equal("increment" in stub, true);
      assert.deepEqual(Object.keys(stub), []);
      assert.equal(Object.prototype.hasOwnProperty.call(stub, "increment"), false);
      const prop = stub.increment;
      assert.equal(typeof prop, "function");
      assert.equal(prop instanceof RpcProperty, true);
      assert.equal(String(prop), "[object JsRpcProperty]");
      assert.notEqual(stub.increment, prop, "every read makes a new RpcProperty");
      assert.ok(prop(1) instanceof RpcPromise);
      assert.equal(await stub.value, 2);
    }
    await expectQuiet(peer.pair);
  });

  it("reads properties, awaiting promises and running getters on the callee", async () => {
    {
      // The value comes by copy, its function by reference (a stub the result's disposer owns).
      using value = await peer.svc.plain;
      assert.equal(value.answer, 42);
      assert.equal(value.nested.deeper.leaf, "leaf");
      assert.equal(value.nested.deeper.twice instanceof RpcStub, true);
      assert.equal(await value.nested.deeper.twice(4), 8);
    }
    assert.equal(await peer.svc.plain.answer, 42);
    assert.equal(await peer.svc.plain.nested.deeper.leaf, "leaf");
    assert.equal(await peer.svc.plain.nested.deeper.twice(21), 42);
    assert.equal(await peer.svc.slowValue, "slow");
    await rejects(peer.svc.failing, { name: "RangeError", message: "getter threw", remote: true });
    await rejects(peer.svc.rejecting, { name: "TypeError", message: "getter rejected" });
    // then/catch/finally on a property each make their own getProperty call.
    assert.equal(await peer.svc.rejecting.catch((e: Error) => `caught ${e.message}`), "caught getter rejected");
    assert.equal(await peer.svc.rejecting.then(() => "no", (e: Error) => `then ${e.message}`), "then getter rejected");
    let ran = false;
    assert.equal(await peer.svc.slowValue.finally(() => (ran = true)), "slow");
    assert.ok(ran);
    await expectQuiet(peer.pair);
  });

  it("sends a property path as one call, and each then() as a new one", async () => {
    const wired = await bindControlled({ default: Service }, { wire, env });
    try {
      const w = wired.binding;
      assert.equal(await w.plain.nested.deeper.leaf, "leaf");
      assert.equal(await w.plain.nested.deeper.twice(2), 4);
      assert.equal(await w.two(3, 1), 2);
      const prop = w.whoami;
      const first = await prop;
      const second = await prop;
      assert.notEqual(first, second, "awaiting the same RpcProperty twice starts two sessions");
      assert.deepEqual(sentJsRpcCalls(wired.clientBytes).map(({ path, getProperty }) => ({ path, getProperty })), [
        { path: ["plain", "nested", "deeper", "leaf"], getProperty: true },
        { path: ["plain", "nested", "deeper", "twice"], getProperty: false },
        { path: ["two"], getProperty: false },
        { path: ["whoami"], getProperty: true },
        { path: ["whoami"], getProperty: true },
      ]);
      await expectQuiet(wired);
    } finally {
      await wired.close();
    }
  });

  it("lets methods be torn off stubs and bindings", async () => {
    const two = peer.svc.two;
    assert.equal(await two(10, 3), 7);
    {
      using counter = await peer.svc.makeCounter(5);
      const increment = counter.increment;
      assert.equal(await increment(2), 7);
      assert.equal(await Reflect.apply(increment, null, [3]), 10);
    }
    await expectQuiet(peer.pair);
  });

  it("calls a method read as a property with the function itself as this", async () => {
    {
      using method = await peer.svc.whatIsThis;
      assert.equal(method instanceof RpcStub, true);
      assert.deepEqual(await method(), { type: "function", env: "undefined" });
    }
    await expectQuiet(peer.pair);
  });

  it("throws synchronously once a property path passes 64 levels below the first", async () => {
    const message = "RPC pipelined property path is too deep (max 64).";
    {
      using local = new RpcStub({}) as any;
      for (const root of [local, peer.svc]) {
        let p = root.first; // depth 0, as in workerd
        for (let i = 0; i < 64; i++) p = p.x;
        assert.throws(() => p.tooFar, { name: "TypeError", message });
      }
    }
    // A path at the limit still goes out as an ordinary call.
    let deep = peer.svc.plain;
    for (let i = 0; i < 64; i++) deep = deep.nested;
    await rejects(deep(), { name: "TypeError", message: 'The RPC receiver does not implement the method "nested".' });
    await expectQuiet(peer.pair);
  });

  it("delivers calls on one stub in order (E-order), while returns may finish out of order", async () => {
    {
      using counter = await peer.svc.makeCounter(17);
      assert.deepEqual(await Promise.all([counter.increment(-2), counter.increment(4), counter.increment(3)]), [15, 19, 22]);
    }
    {
      // Calls made while the stub is still a promise queue behind the call that makes it, and
      // calls made after it resolved follow them.
      using recorder = peer.svc.recorder();
      const finished: string[] = [];
      const note = (p: Promise<string>) => p.then((label) => void finished.push(label));
      const early = [note(recorder.step("a", 60)), note(recorder.step("b", 0))];
      await recorder;
      const late = [note(recorder.step("c", 30)), note(recorder.step("d", 0))];
      await Promise.all([...early, ...late]);
      assert.deepEqual(await recorder.entered, ["a", "b", "c", "d"]);
      assert.notDeepEqual(finished, ["a", "b", "c", "d"], "returns finished out of order");
      assert.equal(finished.at(-1), "a");
    }
    await expectQuiet(peer.pair);
  });

  it("reports caller-side failures as rejected promises, never synchronous throws", async () => {
    const symbol = peer.svc.echo(Symbol("s"));
    assert.equal(symbol instanceof RpcPromise, true);
    await rejects(symbol, { name: "DataCloneError", message: "Symbol(s) could not be cloned." });
    const throwingGetter = peer.svc.echo({
      get boom() {
        throw new URIError("getter ran while serializing");
      },
    });
    await rejects(throwingGetter, { name: "URIError", message: "getter ran while serializing" });
    const counter = await peer.svc.makeCounter(0);
    counter[Symbol.dispose]();
    const afterDispose = counter.increment(1);
    assert.equal(afterDispose instanceof RpcPromise, true);
    await rejects(afterDispose, { name: "Error", message: "RPC stub used after being disposed." });
    await rejects(counter.value, { name: "Error", message: "RPC stub used after being disposed." });
    await expectQuiet(peer.pair);
  });
});
