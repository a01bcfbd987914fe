// WorkerEntrypoint's constructor, as workerd's: `(ctx, env)` become own properties by
// assignment (workerd's constructor sets them with a [[Set]]), the same on Node, Deno and Bun
// whatever each does with class fields; the class can be constructed by hand.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { WorkerEntrypoint } from "../core/cloudflare-workers.ts";

const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} };

describe("WorkerEntrypoint's constructor", () => {
  it("stores ctx and env as own, enumerable properties, in that order", () => {
    class Math extends WorkerEntrypoint<{ A: number }> {
      read() {
        return [this.env.A, this.ctx === ctx];
      }
    }
    const w = new Math(ctx, { A: 1 });
    assert.deepEqual(Object.keys(w), ["ctx", "env"]);
    assert.deepEqual(w.read(), [1, true]);
  });

  it("assigns them: an accessor named env on a subclass receives the value", () => {
    const seen: unknown[] = [];
    class Guarded extends WorkerEntrypoint {}
    Object.defineProperty(Guarded.prototype, "env", {
      set(value: unknown) {
        seen.push(value);
      },
      get() {
        return "from the accessor";
      },
    });
    const w = new Guarded(ctx, { A: 1 });
    assert.deepEqual(seen, [{ A: 1 }]);
    assert.equal(Object.hasOwn(w, "env"), false);
    assert.equal((w as unknown as { env: unknown }).env, "from the accessor");
    assert.equal(Object.hasOwn(w, "ctx"), true);
  });
});
