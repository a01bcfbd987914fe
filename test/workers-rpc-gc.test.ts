// A stub that nothing references any more releases its capability (FinalizationRegistry), so a
// long-running script that forgets to dispose does not keep callee objects alive forever.
// Explicit disposal stays the rule; this is the safety net. Needs a way to force GC: on Deno
// (no such API without a flag) the test checks only that the stub works.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { WorkerEntrypoint } from "../core/worker/index.ts";
import { RpcTarget } from "../core/workers-rpc/index.ts";
import { bindWorker, expectQuiet } from "./support/workers-harness.ts";
import { collector } from "./support/gc.ts";

let disposed = 0;
class Thing extends RpcTarget {
  ping() {
    return "pong";
  }
  [Symbol.dispose]() {
    disposed++;
  }
}

class Callee extends WorkerEntrypoint {
  thing() {
    return new Thing();
  }
}

describe("forgotten stubs", () => {
  it("are released once garbage-collected", async () => {
    const pair = await bindWorker({ default: Callee });
    try {
      await (async () => {
        const thing = await pair.binding.thing(); // never disposed
        assert.equal(await thing.ping(), "pong");
      })();
      const gc = collector();
      if (gc) {
        for (let i = 0; i < 50 && disposed === 0; i++) {
          gc();
          await new Promise((r) => setTimeout(r, 10));
        }
        assert.equal(disposed, 1, "the callee's disposer ran after the caller's stub was collected");
        await expectQuiet(pair);
      }
    } finally {
      await pair.close();
    }
  });
});
