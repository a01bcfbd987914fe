// Call handles' promise-free settle(): the connection answers every incoming call through it, so
// it must report exactly what results() would, at the same point.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DeferredCallHandle, LocalResults, type Results, SettlingCallHandle, settleCall } from "../core/rpc/hooks.ts";

function recorder() {
  const seen: string[] = [];
  return {
    seen,
    onResults: (r: Results) => seen.push(`results:${r instanceof LocalResults}`),
    onError: (e: unknown) => seen.push(`error:${(e as Error).message}`),
  };
}

describe("settle()", () => {
  it("a handle settled already reports at once", () => {
    const ok = recorder();
    SettlingCallHandle.of({ results: new LocalResults({ content: null, caps: [] }) }).settle(ok);
    assert.deepEqual(ok.seen, ["results:true"]);
    const bad = recorder();
    SettlingCallHandle.of({ error: new Error("no") }).settle(bad);
    assert.deepEqual(bad.seen, ["error:no"]);
  });

  it("a pending handle reports in the same reaction that results().then() would run in", async () => {
    let resolve!: (r: Results) => void;
    const promise = new Promise<Results>((r) => (resolve = r));
    const order: string[] = [];
    const viaSettle = new SettlingCallHandle(promise);
    viaSettle.settle({ onResults: () => order.push("settle"), onError: () => order.push("settle failed") });
    const viaPromise = new SettlingCallHandle(promise);
    void viaPromise.results().then(() => order.push("results().then"));
    void promise.then(() => order.push("registered last"));
    resolve(new LocalResults({ content: null, caps: [] }));
    assert.deepEqual(order, [], "nothing before the promise settles");
    await promise;
    await Promise.resolve();
    assert.deepEqual(order, ["settle", "results().then", "registered last"]);
  });

  it("a pending handle reports a failure", async () => {
    let reject!: (e: unknown) => void;
    const promise = new Promise<Results>((_r, j) => (reject = j));
    const rec = recorder();
    new SettlingCallHandle(promise).settle(rec);
    reject(new Error("boom"));
    await promise.catch(() => {});
    assert.deepEqual(rec.seen, ["error:boom"]);
  });

  it("settle() counts as taking the results", () => {
    const handle = SettlingCallHandle.of({ results: new LocalResults({ content: null, caps: [] }) });
    const rec = recorder();
    handle.settle(rec);
    assert.throws(() => handle.results(), /once/);
  });

  it("a deferred handle forwards to the call it is attached to, before or after settle()", () => {
    const early = recorder();
    const before = new DeferredCallHandle();
    settleCall(before, early);
    assert.deepEqual(early.seen, []);
    before.attach(SettlingCallHandle.of({ error: new Error("late") }));
    assert.deepEqual(early.seen, ["error:late"]);

    const late = recorder();
    const after = new DeferredCallHandle();
    after.attach(SettlingCallHandle.of({ results: new LocalResults({ content: null, caps: [] }) }));
    settleCall(after, late);
    assert.deepEqual(late.seen, ["results:true"]);
  });
});
