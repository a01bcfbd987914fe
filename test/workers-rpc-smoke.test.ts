import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { WorkerEntrypoint } from "../core/worker/index.ts";
import { RpcTarget } from "../core/workers-rpc/index.ts";
import { WIRES, bindWorker, expectQuiet } from "./support/workers-harness.ts";

class Counter extends RpcTarget {
  constructor(private n: number) { super(); }
  increment(by = 1) { return (this.n += by); }
  get value() { return this.n; }
}

let instances = 0;
class MyWorker extends WorkerEntrypoint<{ GREETING: string }> {
  id = ++instances;
  add(a: number, b: number) { return a + b; }
  greet(name: string) { return `${this.env.GREETING}, ${name}!`; }
  whoami() { return this.id; }
  makeCounter(start: number) { return new Counter(start); }
  async fail() { throw new RangeError("nope"); }
}

for (const wire of WIRES) {
  describe(`Workers RPC smoke over ${wire}`, () => {
    it("calls, env, new instance per call, pipelining, RpcTarget, errors, no leaks", async () => {
      const pair = await bindWorker({ default: MyWorker }, { wire, env: { GREETING: "Hello" } });
      try {
        const svc = pair.binding;
        assert.equal(await svc.add(1, 2), 3);
        assert.equal(await svc.greet("edgebind"), "Hello, edgebind!");
        const a = await svc.whoami();
        const b = await svc.whoami();
        assert.notEqual(a, b);
        {
          // An RpcPromise used only for pipelining still owns its result: dispose it.
          using counter = svc.makeCounter(5);
          assert.equal(await counter.increment(2), 7);
        }
        {
          using counter = await svc.makeCounter(10);
          assert.equal(await counter.increment(), 11);
          assert.equal(await counter.value, 11);
        }
        await assert.rejects(async () => await svc.fail(), (e: any) => e instanceof RangeError && e.message === "nope" && (e as any).remote === true);
        await assert.rejects(async () => await svc.nothing(), (e: any) => e instanceof TypeError && e.message === 'The RPC receiver does not implement the method "nothing".');
        await expectQuiet(pair);
      } finally {
        await pair.close();
      }
    });
  });
}
