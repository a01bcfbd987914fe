// Call handles' promise-free settle(): the connection answers every incoming call through it, so
// it must report exactly what results() would, at the same point.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DeferredCallHandle, LocalHook, LocalResults, NullHook, QueueHook, type Results, SettlingCallHandle, settleCall } from "../core/rpc/hooks.ts";

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

  it("a pending handle reports when it is resolved, to settle() at once and to results() a step later", async () => {
    const order: string[] = [];
    const viaSettle = SettlingCallHandle.pending();
    viaSettle.settle({ onResults: () => order.push("settle"), onError: () => order.push("settle failed") });
    const viaPromise = SettlingCallHandle.pending();
    void viaPromise.results().then(() => order.push("results().then"));
    assert.deepEqual(order, [], "nothing before it is resolved");
    viaSettle.resolve(new LocalResults({ content: null, caps: [] }));
    viaPromise.resolve(new LocalResults({ content: null, caps: [] }));
    assert.deepEqual(order, ["settle"]);
    await Promise.resolve();
    assert.deepEqual(order, ["settle", "results().then"]);
  });

  it("a pending handle reports a failure", () => {
    const rec = recorder();
    const handle = SettlingCallHandle.pending();
    handle.settle(rec);
    handle.reject(new Error("boom"));
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

describe("QueueHook.onResolved / offResolved", () => {
  it("a withdrawn callback never runs, and a promise released with nothing else waiting is just dropped", async () => {
    const ran: string[] = [];
    const kept = () => ran.push("kept");
    const withdrawn = () => ran.push("withdrawn");
    const a = new QueueHook();
    a.onResolved(kept);
    a.onResolved(withdrawn);
    a.offResolved(withdrawn);
    a.resolve(new NullHook());
    await Promise.resolve();
    assert.deepEqual(ran, ["kept"]);
    a.release();

    const b = new QueueHook();
    b.onResolved(withdrawn);
    b.offResolved(withdrawn);
    b.release();
    await Promise.resolve();
    assert.deepEqual(ran, ["kept"], "released: nothing runs");
    assert.equal(b.isPromise, false, "settled as dropped");
    assert.ok(b.resolution instanceof NullHook, "the shared released placeholder, not a broken hook made for waiters");
    const target = new NullHook();
    b.resolve(target); // a late resolve drops its target
    assert.equal(target.refs, 0);
  });
});

describe("SettlingCallHandle.pending()", () => {
  it("results() asked before the outcome resolves with it; settle() alike; an error rejects", async () => {
    const a = SettlingCallHandle.pending();
    const asked = a.results();
    const results = new LocalResults({ content: null, caps: [] });
    a.resolve(results);
    assert.equal(await asked, results);

    const b = SettlingCallHandle.pending();
    const rec = recorder();
    b.settle(rec);
    assert.deepEqual(rec.seen, []);
    b.reject(new Error("nope"));
    assert.deepEqual(rec.seen, ["error:nope"]);

    const c = SettlingCallHandle.pending();
    c.reject(new Error("early"));
    await assert.rejects(c.results(), /early/);
  });

  it("a LocalHook call whose server answers with a promise settles when that promise does", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const hook = new LocalHook({
      async dispatch() {
        await gate;
        return { content: null, caps: [] };
      },
    });
    const handle = hook.call({ interfaceId: 1n, methodId: 0, params: { content: null, caps: [] } });
    let settled = false;
    const asked = handle.results().then((r) => {
      settled = true;
      r.release();
    });
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(settled, false, "waits for the server");
    release();
    await asked;
    assert.equal(settled, true);
    handle.release();
    hook.release();
  });
});
