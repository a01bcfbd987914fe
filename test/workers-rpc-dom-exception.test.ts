// A DOMException travels BY VALUE (returned or passed, not thrown) in workerd's host form (tag 8:
// name, message, stack), keeping its name, message, code and stack.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { WorkerEntrypoint } from "../core/worker/index.ts";
import { WIRES, bindWorker, expectQuiet } from "./support/workers-harness.ts";
import { deserializeValue } from "../core/workers-rpc/values.ts";

class Callee extends WorkerEntrypoint {
  make() {
    const e = new DOMException("too slow", "TimeoutError");
    return { e, list: [e] };
  }
  describe(e: DOMException) {
    return { isDom: e instanceof DOMException, name: e.name, message: e.message, code: e.code };
  }
}

for (const wire of WIRES) {
  describe(`DOMException as a value over ${wire}`, () => {
    it("round-trips both ways with name, message, code and stack", async () => {
      const pair = await bindWorker({ default: Callee }, { wire });
      try {
        {
          using result = await pair.binding.make();
          assert.equal(result.e instanceof DOMException, true);
          assert.equal(result.e.name, "TimeoutError");
          assert.equal(result.e.message, "too slow");
          assert.equal(result.e.code, 23);
          assert.equal(typeof result.e.stack, "string");
          assert.equal(result.list[0], result.e, "a shared reference stays shared");
        }
        const sent = new DOMException("stop", "AbortError");
        assert.deepEqual(await pair.binding.describe(sent), { isDom: true, name: "AbortError", message: "stop", code: 20 });
        await expectQuiet(pair);
      } finally {
        await pair.close();
      }
    });
  });
}

describe("DOMException in workerd's legacy form (tag 7)", () => {
  it("is read: name, then an object with message and stack", () => {
    const text = (t: string) => [t.length, ...new TextEncoder().encode(t)];
    const str = (t: string) => [0x22, ...text(t)];
    const bytes = Uint8Array.of(
      0xff, 0x0f, 0x5c, 0x07, ...text("TimeoutError"),
      0x6f, ...str("message"), ...str("late"), ...str("stack"), ...str("TimeoutError: late"), 0x7b, 0x02,
    );
    const e = deserializeValue({ v8: bytes, externals: [] }, { caps: [], lease: null, stubs: [] }) as DOMException;
    assert.equal(e instanceof DOMException, true);
    assert.deepEqual([e.name, e.message, e.code, e.stack], ["TimeoutError", "late", 23, "TimeoutError: late"]);
  });
});
