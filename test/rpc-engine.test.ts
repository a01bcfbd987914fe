// Behaviour of the RPC engine (core/rpc) over the in-memory transport pair: bootstrap, calls with
// capabilities both ways, id reuse, pipelining, Release counts, Resolve, embargoes, early Finish,
// aborts on protocol violations, Unimplemented, connection loss and write coalescing. Every test
// ends with both peers' tables back to baseline (assertBaseline).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { RpcConnection } from "../core/rpc/connection.ts";
import { capabilityContent } from "../core/rpc/content.ts";
import { askToPipeline } from "../core/rpc/questions.ts";
import { RpcError } from "../core/rpc/errors.ts";
import { type Hook, LocalHook, LocalResults, NullHook, QueueHook, type Results } from "../core/rpc/hooks.ts";
import { MessageBuilder, MessageReader } from "../protocol/capnp/layout.ts";
import type { CapDescriptor, IncomingMessage, MessageTarget } from "../protocol/rpc-model.ts";
import {
  assertBaseline,
  CAP_FIELD,
  callMsg,
  callValue,
  connectPair,
  decodeSent,
  frameOf,
  msg,
  NEXT_CAP_FIELD,
  plus,
  readMsg,
  reply,
  resultOf,
  scripted,
  sentSince,
  settle,
  TEST_IFACE,
} from "./support/rpc-harness.ts";
import { memoryTransportPair } from "./support/memory-transport.ts";
import type { MemoryEnd } from "./support/rpc-harness.ts";

const ofType = <T extends IncomingMessage["type"]>(msgs: IncomingMessage[], type: T) =>
  msgs.filter((m): m is Extract<IncomingMessage, { type: T }> => m.type === type);

/** A promise and its resolver (a gate a test opens when it wants). */
/** `bytes` followed by zeros up to 8 KiB: a read long enough for the frame reader to scan it. */
function padded(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.max(bytes.length, 8192));
  out.set(bytes);
  return out;
}

function gate<T = void>(): { promise: Promise<T>; open: (v: T) => void } {
  let open!: (v: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

/**
 * A pair whose bootstrap's method 0 returns `made` once the test opens the gate, and the
 * client's bootstrap capability (already returned).
 */
async function gatedBootstrap(made: Hook) {
  const open = gate();
  const boot = scripted("boot", {
    0: async () => {
      await open.promise;
      return reply({ cap: 0 }, [made.addRef()]);
    },
  });
  const pair = connectPair({ serverBootstrap: boot.hook });
  const root = pair.client.bootstrap();
  await settle();
  return { open, pair, root };
}

/**
 * One connection of ours whose peer is written by hand: `end.receive(frameOf(...))` injects what
 * the peer sends, `end.sent` records what we answer (for what edgebind's own engine never sends).
 */
function handDriven(bootstrap: Hook): { end: MemoryEnd; conn: RpcConnection } {
  const [end, peerEnd] = memoryTransportPair({ record: true });
  peerEnd.start({ data() {}, closed() {} });
  return { end, conn: new RpcConnection(end, { bootstrap }) };
}

/** A Call frame for a hand-driven connection: method `methodId` of `target`, params `{ value }`. */
function callFrame(questionId: number, target: MessageTarget, methodId: number, value = 1): Uint8Array {
  return frameOf({ type: "call", questionId, target, interfaceId: TEST_IFACE, methodId, params: { content: msg({ value }), capTable: [] }, sendResultsTo: "caller" });
}

/** A Finish frame for a hand-driven connection. */
function finishFrame(questionId: number, releaseResultCaps = true): Uint8Array {
  return frameOf({ type: "finish", questionId, releaseResultCaps, requireEarlyCancellationWorkaround: false });
}

/** The hand-driven peer finishes `questionIds`; then nothing may be left in the connection's tables. */
async function finishAllAndExpectEmpty(end: MemoryEnd, conn: RpcConnection, questionIds: number[]): Promise<void> {
  for (const questionId of questionIds) end.receive(finishFrame(questionId));
  await settle();
  assert.deepEqual(conn.stats(), { questions: 0, answers: 0, imports: 0, exports: 0 });
}

describe("RPC engine: bootstrap and calls", () => {
  it("bootstraps and calls the peer's bootstrap capability", async () => {
    const { hook, server } = scripted("boot", { 0: plus(1) });
    const pair = connectPair({ serverBootstrap: hook });
    const boot = pair.client.bootstrap();
    assert.deepEqual((await callValue(boot, 0, { value: 41 })).value, 42);
    await settle(); // Finish travels lazily
    assert.deepEqual(pair.client.stats(), { questions: 0, answers: 0, imports: 1, exports: 0 });
    assert.deepEqual(pair.server.stats(), { questions: 0, answers: 0, imports: 0, exports: 1 });
    boot.release();
    await assertBaseline(pair);
    // The server's bootstrap reference is the connection's own until it closes.
    assert.equal(server.shutDown, false);
    pair.client.close();
    await pair.server.closed();
    assert.equal(server.shutDown, true);
  });

  it("fails calls on the bootstrap of a peer that offers none", async () => {
    const pair = connectPair();
    const boot = pair.client.bootstrap();
    await assert.rejects(callValue(boot, 0), (e: unknown) => e instanceof RpcError && /no bootstrap/.test(e.message));
    boot.release();
    await assertBaseline(pair);
  });

  it("passes capabilities both ways and recognises its own coming back", async () => {
    // The client's callback is called by the server during the call.
    const cb = scripted("callback", { 0: plus(100) });
    const made = scripted("made", { 0: plus(5) });
    let seenBack: Hook | null = null;
    const boot = scripted("boot", {
      // callBack(cap): calls cap.0(value) and returns its answer.
      0: async (call) => {
        const cap = call.params.caps[readMsg(call.params.content).cap!]!;
        const r = await callValue(cap, 0, { value: readMsg(call.params.content).value });
        return reply({ value: r.value });
      },
      // make(): returns a server-hosted capability.
      1: () => reply({ cap: 0 }, [made.hook.addRef()]),
      // isMine(cap): true when the capability that came back is the server's own object.
      2: (call) => {
        seenBack = call.params.caps[0]!;
        return reply({ value: seenBack === made.hook ? 1 : 0 });
      },
    });
    const pair = connectPair({ serverBootstrap: boot.hook });
    const calc = pair.client.bootstrap();
    assert.equal((await callValue(calc, 0, { value: 1, cap: 0 }, [cb.hook])).value, 101);
    await settle();
    assert.equal(cb.server.shutDown, true, "the server released the client's callback after the call");

    const handle = callMsg(calc, 1);
    const results = await handle.results();
    const madeCap = results.in.caps[readMsg(results.in.content).cap!]!.addRef();
    results.release();
    handle.release();
    assert.equal((await callValue(madeCap, 0, { value: 1 })).value, 6);
    assert.equal((await callValue(calc, 2, { cap: 0 }, [madeCap.addRef()])).value, 1, "receiverHosted resolves to the local object");
    assert.ok(seenBack);
    const sent = decodeSent(pair.ct.sent);
    const lastCall = ofType(sent, "call").at(-1)!;
    assert.deepEqual(lastCall.params.capTable, [{ type: "receiverHosted", id: 1 }]);

    madeCap.release();
    calc.release();
    made.hook.release();
    await assertBaseline(pair);
    assert.equal(made.server.shutDown, true);
    pair.client.close();
  });

  it("reports a server's RpcError with its reason and type", async () => {
    const boot = scripted("boot", {
      0: () => {
        throw new RpcError("nope, overloaded", "overloaded");
      },
    });
    const pair = connectPair({ serverBootstrap: boot.hook });
    const calc = pair.client.bootstrap();
    await assert.rejects(callValue(calc, 0), (e: unknown) => e instanceof RpcError && e.message === "nope, overloaded" && e.type === "overloaded");
    calc.release();
    await assertBaseline(pair);
    pair.client.close();
  });
});

describe("RPC engine: id allocation", () => {
  it("reuses the smallest free question id", async () => {
    const gates = [gate(), gate(), gate()];
    const boot = scripted("boot", {
      0: async (call) => {
        const v = readMsg(call.params.content).value;
        await gates[v]!.promise;
        return reply({ value: v });
      },
    });
    const pair = connectPair({ serverBootstrap: boot.hook });
    const calc = pair.client.bootstrap();
    await settle(); // bootstrap question 0 returned and finished
    const start = pair.ct.sent.length;
    const calls = [0, 1, 2].map((v) => callMsg(calc, 0, { value: v }));
    await settle();
    gates[0]!.open();
    gates[2]!.open();
    assert.equal((await resultOf(calls[0]!)).value, 0);
    assert.equal((await resultOf(calls[2]!)).value, 2);
    await settle(); // Finish for 0 and 2 sent
    const next = [callMsg(calc, 0, { value: 0 }), callMsg(calc, 0, { value: 2 })];
    await settle();
    const ids = ofType(sentSince(pair.ct, start), "call").map((c) => c.questionId);
    assert.deepEqual(ids, [0, 1, 2, 0, 2], "ids 0 and 2 are reused, 1 is still in use");
    gates[1]!.open();
    for (const h of [calls[1]!, ...next]) await resultOf(h);
    calc.release();
    await assertBaseline(pair);
    pair.client.close();
  });

  it("reuses the smallest free export id", async () => {
    const kept = new Map<number, Hook>();
    const boot = scripted("boot", {
      // keep(value, cap): holds the cap under `value`.
      0: (call) => {
        kept.set(readMsg(call.params.content).value, call.params.caps[0]!.addRef());
        return reply({});
      },
      // drop(value)
      1: (call) => {
        const v = readMsg(call.params.content).value;
        kept.get(v)!.release();
        kept.delete(v);
        return reply({});
      },
    });
    const pair = connectPair({ serverBootstrap: boot.hook });
    const calc = pair.client.bootstrap();
    const start = pair.ct.sent.length;
    const local = [0, 1, 2, 3].map((i) => scripted(`cap${i}`, { 0: plus(i) }));
    for (const i of [0, 1, 2]) await callValue(calc, 0, { value: i, cap: 0 }, [local[i]!.hook]);
    await callValue(calc, 1, { value: 1 });
    await settle(); // the server's Release for export 1 arrives
    assert.equal(local[1]!.server.shutDown, true);
    await callValue(calc, 0, { value: 3, cap: 0 }, [local[3]!.hook]);
    const exported = ofType(sentSince(pair.ct, start), "call").flatMap((c) => c.params.capTable);
    assert.deepEqual(exported, [0, 1, 2, 1].map((id) => ({ type: "senderHosted", id })));
    for (const v of [0, 2, 3]) await callValue(calc, 1, { value: v });
    calc.release();
    await assertBaseline(pair);
    assert.ok(local.every((l) => l.server.shutDown));
    pair.client.close();
  });
});

describe("RPC engine: one capability exported on two connections", () => {
  it("gets an id and a Release count on each; releasing it on one leaves the other working", async () => {
    // keep(cap) holds the cap; use(value) calls it; drop() releases it.
    const peer = () => {
      const kept: Hook[] = [];
      const boot = scripted("boot", {
        0: (call) => {
          kept.push(call.params.caps[0]!.addRef());
          return reply({});
        },
        1: async (call) => reply({ value: (await callValue(kept[0]!, 0, { value: readMsg(call.params.content).value })).value }),
        2: () => {
          kept.pop()!.release();
          return reply({});
        },
      });
      return connectPair({ serverBootstrap: boot.hook });
    };
    const a = peer();
    const b = peer();
    const shared = scripted("shared", { 0: plus(100) });
    const bootA = a.client.bootstrap();
    const bootB = b.client.bootstrap();
    // An unrelated export first on B, so that the shared cap's ids differ between the two.
    const other = scripted("other", { 0: plus(1) });
    await callValue(bootB, 0, { cap: 0 }, [other.hook]);
    await callValue(bootA, 0, { cap: 0 }, [shared.hook.addRef()]);
    await callValue(bootB, 0, { cap: 0 }, [shared.hook.addRef()]);
    assert.equal(a.client.stats().exports, 1);
    assert.equal(b.client.stats().exports, 2);
    assert.equal((await callValue(bootA, 1, { value: 1 })).value, 101);
    assert.equal((await callValue(bootB, 1, { value: 2 })).value, 3, "B's first kept cap is `other`");
    await callValue(bootB, 2); // B drops the shared cap (its last kept)
    await settle();
    assert.equal(b.client.stats().exports, 1);
    assert.equal(a.client.stats().exports, 1);
    assert.equal((await callValue(bootA, 1, { value: 5 })).value, 105, "still exported on A");
    // Exported again on B: a fresh export, and it counts once more on A when A gets it again.
    await callValue(bootB, 0, { cap: 0 }, [shared.hook.addRef()]);
    await callValue(bootA, 0, { cap: 0 }, [shared.hook.addRef()]);
    assert.equal(b.client.stats().exports, 2);
    assert.equal(a.client.stats().exports, 1, "the same export, counted twice");
    for (const pair of [a, b]) for (let i = 0; i < 2; i++) await callValue(pair === a ? bootA : bootB, 2);
    await settle();
    assert.equal(shared.server.shutDown, false, "the test still holds its own reference");
    shared.hook.release();
    assert.equal(shared.server.shutDown, true);
    bootA.release();
    bootB.release();
    await assertBaseline(a);
    await assertBaseline(b);
    a.client.close();
    b.client.close();
  });
});

describe("RPC engine: pipelining", () => {
  it("a().b().c() costs one round trip, and calls wait on the callee until the answer is ready", async () => {
    const open = gate();
    const c = scripted("c", { 0: plus(1000) });
    const b = scripted("b", { 0: () => reply({ cap: 0 }, [c.hook.addRef()]) });
    const a = scripted("a", {
      0: async () => {
        await open.promise;
        return reply({ cap: 0 }, [b.hook.addRef()]);
      },
    });
    const pair = connectPair({ serverBootstrap: a.hook });
    const root = pair.client.bootstrap();
    await settle(); // the bootstrap has returned
    const start = pair.ct.sent.length;
    const sStart = pair.st.sent.length;

    const ha = callMsg(root, 0);
    const pa = ha.pipeline(CAP_FIELD);
    const hb = callMsg(pa, 0);
    const pb = hb.pipeline(CAP_FIELD);
    const hc = callMsg(pb, 0, { value: 1 });
    await settle();
    // All three went out in one write; b and c wait on the server for a's answer.
    assert.equal(pair.ct.sent.length - start, 1);
    assert.deepEqual(ofType(sentSince(pair.ct, start), "call").map((m) => m.target.type), ["importedCap", "promisedAnswer", "promisedAnswer"]);
    assert.equal(b.server.log.length, 0);
    assert.equal(c.server.log.length, 0);
    assert.equal(pair.st.sent.length, sStart, "nothing came back yet");

    open.open();
    const rc = await resultOf(hc);
    assert.equal(rc.value, 1001);
    assert.equal(pair.ct.sent.length - start, 1, "the client wrote once before the final answer came: one round trip");
    assert.deepEqual(b.server.log.length, 1);
    pa.release();
    pb.release();
    ha.release();
    hb.release();
    root.release();
    b.hook.release();
    c.hook.release();
    await assertBaseline(pair);
    assert.ok(b.server.shutDown && c.server.shutDown);
    pair.client.close();
  });

  it("pipelines through a nested struct path and keeps E-order for queued calls", async () => {
    const open = gate();
    const target = scripted("target", { 0: plus(0) });
    const boot = scripted("boot", {
      0: async () => {
        await open.promise;
        return reply({ next: { cap: 0 } }, [target.hook.addRef()]);
      },
    });
    const pair = connectPair({ serverBootstrap: boot.hook });
    const root = pair.client.bootstrap();
    const h = callMsg(root, 0);
    const p = h.pipeline(NEXT_CAP_FIELD);
    const handles = [1, 2, 3, 4, 5].map((v) => callMsg(p, 0, { value: v }));
    await settle();
    open.open();
    const values = [];
    for (const hh of handles) values.push((await resultOf(hh)).value);
    assert.deepEqual(values, [1, 2, 3, 4, 5]);
    assert.deepEqual(target.server.values(0), [1, 2, 3, 4, 5]);
    p.release();
    h.release();
    root.release();
    target.hook.release();
    await assertBaseline(pair);
    assert.equal(target.server.shutDown, true);
    pair.client.close();
  });
});

describe("RPC engine: Release", () => {
  it("releases a capability received N times with one Release of referenceCount N", async () => {
    const kept: Hook[] = [];
    const boot = scripted("boot", {
      0: (call) => {
        kept.push(call.params.caps[0]!.addRef());
        return reply({});
      },
      1: () => {
        for (const k of kept.splice(0)) k.release();
        return reply({});
      },
    });
    const pair = connectPair({ serverBootstrap: boot.hook });
    const calc = pair.client.bootstrap();
    const x = scripted("x", { 0: plus(0) });
    for (let i = 0; i < 3; i++) await callValue(calc, 0, { cap: 0 }, [x.hook.addRef()]);
    assert.deepEqual(pair.client.stats().exports, 1);
    assert.deepEqual(pair.server.stats().imports, 1, "the server imports x once");
    const sStart = pair.st.sent.length;
    await callValue(calc, 1);
    await settle();
    const releases = ofType(sentSince(pair.st, sStart), "release");
    assert.deepEqual(releases, [{ type: "release", id: 0, referenceCount: 3 }]);
    assert.equal(x.server.shutDown, false, "we still hold x ourselves");
    x.hook.release();
    assert.equal(x.server.shutDown, true);
    calc.release();
    await assertBaseline(pair);
    pair.client.close();
  });
});

/** Joins a send()'s pieces into one chunk and decodes its messages. */
function decodePieces(pieces: Uint8Array[]): IncomingMessage[] {
  return decodeSent(pieces.map((p) => p.slice()));
}

/** Calls `onMessage` (once) right after `end` sends a message of `type`, inside that send. */
function afterSend(end: { send(pieces: Uint8Array[]): void }, type: IncomingMessage["type"], onMessage: () => void): void {
  const original = end.send.bind(end);
  let fired = false;
  end.send = (pieces: Uint8Array[]) => {
    original(pieces);
    if (!fired && decodePieces(pieces).some((m) => m.type === type)) {
      fired = true;
      onMessage();
    }
  };
}

describe("RPC engine: Resolve of an exported promise", () => {
  /** The server keeps a capability (0), calls it (1) and drops it (2). */
  function keeper() {
    let kept: Hook | null = null;
    return scripted("keeper", {
      0: (call) => {
        kept = call.params.caps[0]!.addRef();
        return reply({});
      },
      1: async (call) => reply({ value: (await callValue(kept!, 0, { value: readMsg(call.params.content).value })).value }),
      2: () => {
        kept!.release();
        kept = null;
        return reply({});
      },
    });
  }

  const isGone = (e: unknown) => e instanceof RpcError && e.message === "it went away" && e.type === "disconnected";
  const cases = [
    {
      name: "to a capability: calls queued on the promise go to what it became",
      settle: (promise: QueueHook) => promise.resolve(scripted("y", { 0: plus(10) }).hook),
      resolution: { type: "cap", cap: { type: "senderHosted", id: 1 } },
      check: async (pending: Promise<unknown>, again: () => Promise<unknown>) => {
        assert.deepEqual(await pending, { value: 17, cap: null, text: null });
        assert.equal(((await again()) as { value: number }).value, 17, "later calls go to the resolution");
      },
    },
    {
      // Resolve may not carry `none` (capnp C++, and so workerd, abort the connection on it).
      name: "to null: Resolve exports the null capability and calls fail",
      settle: (promise: QueueHook) => promise.resolve(new NullHook()),
      resolution: { type: "cap", cap: { type: "senderHosted", id: 1 } },
      check: async (pending: Promise<unknown>, again: () => Promise<unknown>) => {
        await assert.rejects(pending, /null capability/);
        await assert.rejects(again(), /null capability/);
      },
    },
    {
      name: "to an exception: Resolve carries it and calls fail with it",
      settle: (promise: QueueHook) => promise.reject(new RpcError("it went away", "disconnected")),
      resolution: { type: "exception", exception: { reason: "it went away", type: "disconnected" } },
      check: async (pending: Promise<unknown>, again: () => Promise<unknown>) => {
        await assert.rejects(pending, isGone);
        await assert.rejects(again(), isGone);
      },
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const pair = connectPair({ serverBootstrap: keeper().hook });
      const calc = pair.client.bootstrap();
      const promise = new QueueHook();
      const start = pair.ct.sent.length;
      await callValue(calc, 0, { cap: 0 }, [promise.addRef()]);
      let done = false;
      const pending = callValue(calc, 1, { value: 7 }).finally(() => (done = true));
      await settle();
      assert.equal(done, false, "the call waits on the unresolved promise");
      c.settle(promise);
      await c.check(pending, () => callValue(calc, 1, { value: 7 }));
      const sent = sentSince(pair.ct, start);
      assert.deepEqual(ofType(sent, "call")[0]!.params.capTable, [{ type: "senderPromise", id: 0 }]);
      assert.deepEqual(ofType(sent, "resolve"), [{ type: "resolve", promiseId: 0, resolution: c.resolution }]);
      await callValue(calc, 2);
      promise.release();
      calc.release();
      await assertBaseline(pair);
      pair.client.close();
    });
  }
});

describe("RPC engine: embargo", () => {
  it("a pipelined answer that resolves to the caller's own object: earlier calls arrive first", async () => {
    const open = gate();
    const x = scripted("x", { 0: plus(0) });
    const boot = scripted("boot", {
      // echo(cap): returns the capability it was given, once the gate opens.
      0: async (call) => {
        await open.promise;
        return reply({ cap: 0 }, [call.params.caps[0]!.addRef()]);
      },
    });
    const pair = connectPair({ serverBootstrap: boot.hook });
    const calc = pair.client.bootstrap();
    const start = pair.ct.sent.length;
    const sStart = pair.st.sent.length;
    const h = callMsg(calc, 0, { cap: 0 }, [x.hook.addRef()]);
    const p = h.pipeline(CAP_FIELD);
    const calls = [callMsg(p, 0, { value: 1 })]; // waits in the server for the answer
    await settle();
    // Call 2 leaves the moment the server's Return does: it is in flight when the Return lands.
    afterSend(pair.st, "return", () => calls.push(callMsg(p, 0, { value: 2 })));
    open.open();
    await p.whenResolved();
    // Made after the resolution: these must wait for 1 and 2 to come back around.
    calls.push(callMsg(p, 0, { value: 3 }), callMsg(p, 0, { value: 4 }));
    const values = [];
    for (const c of calls) values.push((await resultOf(c)).value);
    assert.deepEqual(values, [1, 2, 3, 4]);
    assert.deepEqual(x.server.values(0), [1, 2, 3, 4], "delivery order at the caller's own object");
    const dis = ofType(sentSince(pair.ct, start), "disembargo");
    assert.equal(dis.length, 1);
    assert.equal(dis[0]!.context.type, "senderLoopback");
    assert.equal(dis[0]!.target.type, "promisedAnswer");
    const back = ofType(sentSince(pair.st, sStart), "disembargo");
    assert.deepEqual(back.map((d) => d.context), [{ type: "receiverLoopback", embargoId: (dis[0]!.context as { embargoId: number }).embargoId }]);
    p.release();
    h.release();
    calc.release();
    x.hook.release();
    await assertBaseline(pair);
    assert.equal(x.server.shutDown, true);
    pair.client.close();
  });

  it("an imported promise (senderPromise) that resolves to the caller's own object: earlier calls arrive first", async () => {
    const x = scripted("x", { 0: plus(0) });
    let kept: Hook | null = null;
    const promise = new QueueHook();
    const boot = scripted("boot", {
      0: (call) => {
        kept = call.params.caps[0]!.addRef();
        return reply({});
      },
      1: () => reply({ cap: 0 }, [promise.addRef()]),
      2: () => {
        promise.resolve(kept!);
        kept = null;
        return reply({});
      },
    });
    const pair = connectPair({ serverBootstrap: boot.hook });
    const calc = pair.client.bootstrap();
    await callValue(calc, 0, { cap: 0 }, [x.hook.addRef()]);
    const hp = callMsg(calc, 1);
    const res = await hp.results();
    const pr = res.in.caps[0]!.addRef();
    res.release();
    hp.release();
    assert.equal(pr.isPromise, true);
    const start = pair.ct.sent.length;
    const sStart = pair.st.sent.length;
    const calls = [callMsg(pr, 0, { value: 1 })]; // queued on the server's promise
    await settle();
    afterSend(pair.st, "resolve", () => calls.push(callMsg(pr, 0, { value: 2 })));
    const resolving = callValue(calc, 2);
    await pr.whenResolved();
    calls.push(callMsg(pr, 0, { value: 3 }), callMsg(pr, 0, { value: 4 }));
    await resolving;
    const values = [];
    for (const c of calls) values.push((await resultOf(c)).value);
    assert.deepEqual(values, [1, 2, 3, 4]);
    assert.deepEqual(x.server.values(0), [1, 2, 3, 4], "delivery order at the caller's own object");
    const sent = sentSince(pair.st, sStart);
    assert.deepEqual(ofType(sent, "resolve").map((r) => r.resolution), [{ type: "cap", cap: { type: "receiverHosted", id: 0 } }]);
    const dis = ofType(sentSince(pair.ct, start), "disembargo");
    assert.equal(dis.length, 1);
    assert.equal(dis[0]!.context.type, "senderLoopback");
    assert.equal(dis[0]!.target.type, "importedCap");
    assert.equal(ofType(sent, "disembargo")[0]?.context.type, "receiverLoopback");
    pr.release();
    calc.release();
    x.hook.release();
    promise.release();
    await assertBaseline(pair);
    assert.equal(x.server.shutDown, true);
    pair.client.close();
  });
});

describe("RPC engine: Finish", () => {
  it("an answer lets its results' content go once the Return is out; a call pipelined on it after that still reaches their capabilities", async () => {
    const b = scripted("b", { 0: plus(10) });
    const a = scripted("a", { 0: () => reply({ cap: 0, value: 7 }, [b.hook.addRef()]) });
    const { end, conn } = handDriven(a.hook);
    const returned: LocalResults[] = [];
    const original = LocalResults.prototype.returned;
    LocalResults.prototype.returned = function (this: LocalResults) {
      returned.push(this);
      original.call(this);
    };
    try {
      end.receive(frameOf({ type: "bootstrap", questionId: 0 }));
      end.receive(callFrame(1, { type: "importedCap", importedCap: 0 }, 0, 0));
      await settle();
      const first = ofType(decodeSent(end.sent), "return").find((m) => m.answerId === 1)!;
      assert.equal(first.body.type, "results");
      // No Finish for question 1 yet: its answer stays, for what the peer pipelines on it.
      assert.equal(conn.stats().answers, 2);
      assert.equal(returned.length, 2, "the bootstrap's Return and the call's");
      assert.throws(() => returned[1]!.in, /went out in a Return/);
      assert.throws(() => returned[1]!.outgoing(), /sent twice/);
      end.receive(callFrame(2, { type: "promisedAnswer", promisedAnswer: { questionId: 1, transform: CAP_FIELD } }, 0));
      await settle();
      const second = ofType(decodeSent(end.sent), "return").find((m) => m.answerId === 2)!;
      assert.equal(second.body.type, "results");
      assert.equal(second.body.type === "results" ? readMsg(second.body.results.content).value : null, 11);
      assert.deepEqual(b.server.log.length, 1);
    } finally {
      LocalResults.prototype.returned = original;
    }
    await finishAllAndExpectEmpty(end, conn, [0, 1, 2]);
    b.hook.release();
    assert.equal(b.server.shutDown, true);
    conn.close();
  });

  it("releasing a call before its Return cancels it: Finish, Return canceled, tables clean", async () => {
    const made = scripted("made", { 0: plus(0) });
    const { open, pair, root: calc } = await gatedBootstrap(made.hook);
    const start = pair.ct.sent.length;
    const sStart = pair.st.sent.length;
    const h = callMsg(calc, 0);
    await settle();
    assert.equal(pair.server.stats().answers, 1);
    h.release();
    await settle();
    const finish = ofType(sentSince(pair.ct, start), "finish");
    assert.equal(finish.length, 1);
    const ret = ofType(sentSince(pair.st, sStart), "return");
    assert.deepEqual(ret.map((r) => [r.answerId, r.body.type]), [[finish[0]!.questionId, "canceled"]]);
    assert.deepEqual(pair.client.stats(), { questions: 0, answers: 0, imports: 1, exports: 0 });
    assert.deepEqual(pair.server.stats(), { questions: 0, answers: 0, imports: 0, exports: 1 });
    open.open();
    await settle();
    made.hook.release();
    assert.equal(made.server.shutDown, true, "the late results were released");
    calc.release();
    await assertBaseline(pair);
    pair.client.close();
  });
});

describe("RPC engine: calls waiting in an answer still being computed (Answer.queue)", () => {
  it("a waiting call that is cancelled returns canceled at once, and nothing leaks when the answer comes", async () => {
    const made = scripted("made", { 0: plus(1) });
    const { open, pair, root } = await gatedBootstrap(made.hook);
    const ha = callMsg(root, 0);
    const pa = ha.pipeline(CAP_FIELD);
    const hb = callMsg(pa, 0, { value: 1 });
    await settle();
    assert.equal(pair.server.stats().answers, 2, "both wait on the server");
    const sStart = pair.st.sent.length;
    hb.release();
    await settle();
    assert.deepEqual(ofType(sentSince(pair.st, sStart), "return").map((r) => r.body.type), ["canceled"]);
    open.open();
    await settle();
    pa.release();
    ha.release();
    root.release();
    made.hook.release();
    await assertBaseline(pair);
    assert.equal(made.server.shutDown, true);
  });

  it("waiting calls get the error of an answer that fails, in order, and later calls too", async () => {
    const open = gate();
    const boot = scripted("boot", {
      0: async () => {
        await open.promise;
        throw new RpcError("no such thing", "failed");
      },
    });
    const pair = connectPair({ serverBootstrap: boot.hook });
    const root = pair.client.bootstrap();
    await settle();
    const ha = callMsg(root, 0);
    const pa = ha.pipeline(CAP_FIELD);
    const waiting = [callMsg(pa, 0, { value: 1 }), callMsg(pa, 1, { value: 2 })];
    await settle();
    open.open();
    const outcomes = await Promise.allSettled(waiting.map((h) => resultOf(h)));
    assert.deepEqual(outcomes.map((o) => o.status === "rejected" && /no such thing/.test(String(o.reason))), [true, true]);
    await assert.rejects(resultOf(callMsg(pa, 0)), /no such thing/, "a call made after the failure");
    await assert.rejects(resultOf(ha), /no such thing/);
    pa.release();
    root.release();
    await assertBaseline(pair);
  });
});

describe("RPC engine: a call cancelled while it waits in an answer", () => {
  it("is never delivered", async () => {
    const made = scripted("made", { 0: plus(1) });
    const { open, pair, root } = await gatedBootstrap(made.hook);
    const start = pair.ct.sent.length;
    // root.0 waits at the gate; a call on its result waits in the server's answer behind it.
    const first = callMsg(root, 0);
    const second = first.pipeline(CAP_FIELD);
    const waiting = callMsg(second, 0, { value: 5 });
    await settle();
    assert.equal(pair.server.stats().answers, 2);
    // The caller gives up on it (Finish before its Return): the server answers cancelled.
    waiting.release();
    await settle();
    assert.equal(ofType(sentSince(pair.ct, start), "finish").length, 1);
    open.open();
    await settle();
    assert.deepEqual(made.server.log, [], "the cancelled call never reached its target");
    first.release();
    second.release();
    root.release();
    made.hook.release();
    await assertBaseline(pair);
    pair.client.close();
  });

  it("and what a peer pipelined on it fails as cancelled", async () => {
    // A peer may Finish a question that has calls pipelined on it (edgebind never does).
    const made = scripted("made", { 0: plus(1), 1: plus(1) });
    const bootGate = gate();
    const boot = scripted("boot", {
      0: async () => {
        await bootGate.promise;
        return reply({ cap: 0 }, [made.hook.addRef()]);
      },
    });
    const { end, conn } = handDriven(boot.hook);
    const on = (questionId: number) => ({ type: "promisedAnswer" as const, promisedAnswer: { questionId, transform: CAP_FIELD } });
    end.receive(frameOf({ type: "bootstrap", questionId: 0 }));
    end.receive(callFrame(1, { type: "importedCap", importedCap: 0 }, 0)); // waits at the gate
    end.receive(callFrame(2, on(1), 1)); // waits in answer 1
    end.receive(callFrame(3, on(2), 0)); // waits in answer 2
    end.receive(finishFrame(2));
    await settle();
    bootGate.open();
    await settle();
    const returns = ofType(decodeSent(end.sent), "return");
    const outcome = (id: number) => {
      const r = returns.find((m) => m.answerId === id)!;
      return r.body.type === "exception" ? `exception: ${r.body.exception.reason}` : r.body.type;
    };
    assert.equal(outcome(2), "canceled");
    assert.match(outcome(3), /^exception: .*cancel/i);
    assert.equal(outcome(1), "results");
    assert.deepEqual(made.server.log, [], "neither call reached `made`");
    await finishAllAndExpectEmpty(end, conn, [0, 1, 3]);
    made.hook.release();
    assert.equal(made.server.shutDown, true);
    conn.close();
  });
});

describe("RPC engine: Finish and Release, more", () => {
  it("a released call whose pipelined capability is still held is finished only when that goes too", async () => {
    const open = gate();
    const boot = scripted("boot", {
      0: async () => {
        await open.promise;
        return reply({});
      },
    });
    const pair = connectPair({ serverBootstrap: boot.hook });
    const calc = pair.client.bootstrap();
    await settle();
    const start = pair.ct.sent.length;
    const h = callMsg(calc, 0);
    const p = h.pipeline(CAP_FIELD);
    h.release();
    await settle();
    assert.equal(ofType(sentSince(pair.ct, start), "finish").length, 0, "the pipelined cap keeps the question");
    p.release();
    await settle();
    assert.equal(ofType(sentSince(pair.ct, start), "finish").length, 1);
    open.open();
    calc.release();
    await assertBaseline(pair);
    pair.client.close();
  });

  it("bootstrapping twice imports one capability, released with referenceCount 2", async () => {
    const boot = scripted("boot", { 0: plus(1) });
    const pair = connectPair({ serverBootstrap: boot.hook });
    const a = pair.client.bootstrap();
    const b = pair.client.bootstrap();
    assert.equal((await callValue(a, 0, { value: 1 })).value, 2);
    assert.equal((await callValue(b, 0, { value: 2 })).value, 3);
    assert.equal(pair.client.stats().imports, 1);
    const start = pair.ct.sent.length;
    a.release();
    await settle();
    assert.equal(ofType(sentSince(pair.ct, start), "release").length, 0, "b still holds it");
    b.release();
    await settle();
    assert.deepEqual(ofType(sentSince(pair.ct, start), "release"), [{ type: "release", id: 0, referenceCount: 2 }]);
    await assertBaseline(pair);
    pair.client.close();
  });
});

describe("RPC engine: references the peer gives back with a Return or a Finish", () => {
  it("releaseResultCaps and releaseParamCaps release exactly what the Return or the Call exported", async () => {
    // The peer is written by hand: the engine itself never sets either flag.
    const param = scripted("param", {});
    const boot = scripted("boot", {});
    const { end, conn } = handDriven(boot.hook);
    const exportsNow = () => conn.stats().exports;

    // As the callee: the peer bootstraps twice, then finishes one question with
    // releaseResultCaps (its reference comes back with the Finish) and releases the other.
    end.receive(frameOf({ type: "bootstrap", questionId: 0 }));
    end.receive(frameOf({ type: "bootstrap", questionId: 1 }));
    await settle();
    const returns = ofType(decodeSent(end.sent), "return");
    const exported = returns.map((r) => (r.body.type === "results" ? r.body.results.capTable : []));
    assert.deepEqual(exported, [[{ type: "senderHosted", id: 0 }], [{ type: "senderHosted", id: 0 }]]);
    end.receive(finishFrame(0));
    end.receive(finishFrame(1, false));
    await settle();
    assert.equal(exportsNow(), 1, "one reference left: the one the second Finish kept");
    end.receive(frameOf({ type: "release", id: 0, referenceCount: 1 }));
    await settle();
    assert.equal(exportsNow(), 0);

    // As the caller: a call that exports `param` twice and passes a stub of the peer's own
    // (receiverHosted, not ours to give back); the Return gives the two references back.
    const mark = end.sent.length;
    const root = conn.bootstrap();
    await settle();
    const [bootQuestion] = ofType(sentSince(end, mark), "bootstrap");
    end.receive(frameOf({
      type: "return", answerId: bootQuestion!.questionId, releaseParamCaps: false,
      body: { type: "results", results: { content: capabilityContent(0), capTable: [{ type: "senderHosted", id: 9 }] } },
    }));
    await settle();
    const handle = callMsg(root, 0, { cap: 0, next: { cap: 1, next: { cap: 2 } } }, [param.hook.addRef(), param.hook.addRef(), root.addRef()]);
    await settle();
    const [sentCall] = ofType(sentSince(end, mark), "call");
    assert.deepEqual(sentCall!.params.capTable, [
      { type: "senderHosted", id: 0 },
      { type: "senderHosted", id: 0 },
      { type: "receiverHosted", id: 9 },
    ]);
    assert.equal(exportsNow(), 1);
    end.receive(frameOf({
      type: "return", answerId: sentCall!.questionId, releaseParamCaps: true,
      body: { type: "results", results: { content: null, capTable: [] } },
    }));
    await settle();
    assert.equal(exportsNow(), 0, "both references to `param` came back with the Return");
    assert.equal(param.server.shutDown, false, "the test still holds param");
    handle.release();
    root.release();
    await settle();
    assert.deepEqual(conn.stats(), { questions: 0, answers: 0, imports: 0, exports: 0 });
    param.hook.release();
    assert.equal(param.server.shutDown, true);
    conn.close();
  });
});

describe("RPC engine: protocol violations abort the connection", () => {
  /** A pair with a bootstrap that answers method 0 with value+1 and keeps caps in method 1. */
  function livePair(options: Parameters<typeof connectPair>[0] = {}) {
    const kept: Hook[] = [];
    const boot = scripted("boot", {
      0: plus(1),
      1: (call) => {
        kept.push(call.params.caps[0]!.addRef());
        return reply({});
      },
    });
    return { pair: connectPair({ serverBootstrap: boot.hook, ...options }), kept };
  }

  const cases: { name: string; reason: RegExp; options?: Parameters<typeof connectPair>[0]; inject: (p: ReturnType<typeof livePair>) => Promise<Uint8Array> }[] = [
    {
      name: "a Call to an unknown export",
      reason: /Message target 99 is not a current export ID/,
      inject: async () =>
        frameOf({ type: "call", questionId: 5, target: { type: "importedCap", importedCap: 99 }, interfaceId: TEST_IFACE, methodId: 0, params: { content: null, capTable: [] }, sendResultsTo: "caller" }),
    },
    {
      name: "a Return for an unknown question",
      reason: /Return for unknown question 42/,
      inject: async () => frameOf({ type: "return", answerId: 42, releaseParamCaps: false, body: { type: "canceled" } }),
    },
    {
      name: "a Release over the reference count",
      reason: /Release count 5 exceeds the reference count of export 0/,
      inject: async ({ pair }) => {
        // The server sends the client's bootstrap... the client has none: export one by a call.
        const calc = pair.client.bootstrap();
        await callValue(calc, 1, { cap: 0 }, [scripted("x", {}).hook]);
        calc.release();
        return frameOf({ type: "release", id: 0, referenceCount: 5 });
      },
    },
    {
      name: "a Disembargo (senderLoopback) to a target that does not point back",
      reason: /does not point back to the sender/,
      inject: async ({ pair }) => {
        const calc = pair.client.bootstrap();
        await callValue(calc, 1, { cap: 0 }, [scripted("x", {}).hook]);
        calc.release();
        return frameOf({ type: "disembargo", target: { type: "importedCap", importedCap: 0 }, context: { type: "senderLoopback", embargoId: 3 } });
      },
    },
    {
      name: "garbage bytes",
      reason: /segments/,
      inject: async () => new Uint8Array([0xff, 0xff, 0xff, 0x7f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
    },
    {
      name: "a frame over the size limit",
      reason: /limit is 4096/,
      options: { clientOptions: { limits: { maxFrameBytes: 4096 } } },
      inject: async () => {
        const header = new Uint8Array(8);
        new DataView(header.buffer).setUint32(4, 1024, true); // 1 segment of 1024 words = 8 KiB
        return header;
      },
    },
  ];

  for (const c of cases) for (const transient of [false, true]) {
    const how = transient ? " (in a transient read)" : "";
    it(`${c.name}${how}: the offending connection closes with a clear reason, others keep working`, async () => {
      const bystander = livePair();
      const victim = livePair(c.options);
      const bytes = await c.inject(victim);
      const calc = victim.pair.client.bootstrap();
      await settle();
      const pending = callValue(calc, 0, { value: 1 });
      const start = victim.pair.ct.sent.length;
      // As if the server had sent it; a transient read is as long as a socket's large ones, so
      // the frame reader scans its headers for a frame to assemble.
      victim.pair.ct.receive(transient ? padded(bytes) : bytes, transient);
      const error = await victim.pair.client.closed();
      assert.ok(error instanceof RpcError);
      assert.match(error.message, /^RPC protocol error: /);
      assert.match(error.message, c.reason);
      assert.match(victim.pair.clientErrors.map((e) => e.message).join("\n"), c.reason);
      const aborts = ofType(sentSince(victim.pair.ct, start), "abort");
      assert.equal(aborts.length, 1);
      assert.match(aborts[0]!.exception.reason, c.reason);
      await assert.rejects(pending, (e: unknown) => e instanceof RpcError);
      // The peer learns why.
      const peerError = await victim.pair.server.closed();
      assert.match(peerError.message, c.reason);
      calc.release();
      for (const k of victim.kept) k.release();
      await assertBaseline(victim.pair);

      // Another connection in the same process is unaffected.
      const other = bystander.pair.client.bootstrap();
      assert.equal((await callValue(other, 0, { value: 9 })).value, 10);
      other.release();
      await assertBaseline(bystander.pair);
      bystander.pair.client.close();
    });
  }

  it("answers a message kind it does not implement with Unimplemented, and stays up", async () => {
    const { pair } = livePair();
    const mb = new MessageBuilder();
    mb.initRoot(1, 0).setU32(0, 77);
    const raw = MessageReader.from(mb.finishBytes()).root();
    const start = pair.ct.sent.length;
    pair.ct.receive(frameOf({ type: "other", which: 7, raw })); // obsoleteSave
    await settle();
    const un = ofType(sentSince(pair.ct, start), "unimplemented");
    assert.equal(un.length, 1);
    assert.equal(un[0]!.message.type, "other");
    assert.equal((un[0]!.message as { which: number }).which, 7);
    assert.equal(pair.client.isClosed, false);
    const calc = pair.client.bootstrap();
    assert.equal((await callValue(calc, 0, { value: 1 })).value, 2);
    calc.release();
    await assertBaseline(pair);
    pair.client.close();
  });
});

describe("RPC engine: connection loss", () => {
  for (const who of ["peer", "self"] as const) {
    it(`rejects every pending call with "Network connection lost." (${who} closes)`, async () => {
      const never = gate();
      const boot = scripted("boot", {
        0: async () => {
          await never.promise;
          return reply({});
        },
      });
      const pair = connectPair({ serverBootstrap: boot.hook });
      const calc = pair.client.bootstrap();
      await settle();
      const h = callMsg(calc, 0);
      const piped = callMsg(h.pipeline(CAP_FIELD), 0);
      const direct = callMsg(calc, 0);
      const pendings = [h, piped, direct].map((x) => resultOf(x));
      await settle();
      if (who === "peer") pair.server.close();
      else pair.client.close();
      for (const p of pendings) {
        await assert.rejects(p, (e: unknown) => e instanceof RpcError && e.message === "Network connection lost." && e.type === "disconnected");
      }
      const closed = await pair.client.closed();
      assert.equal(closed.type, "disconnected");
      // Calls made after the loss fail the same way.
      await assert.rejects(callValue(calc, 0), /Network connection lost/);
      calc.release();
      await assertBaseline(pair);
    });
  }
});

describe("RPC engine: writes", () => {
  it("coalesces the messages of one turn into one write and sends a lone call without a timer", async () => {
    const boot = scripted("boot", { 0: plus(1) });
    const pair = connectPair({ serverBootstrap: boot.hook });
    const calc = pair.client.bootstrap();
    await settle();
    const microtask = () => new Promise<void>((resolve) => queueMicrotask(resolve));

    const start = pair.ct.sent.length;
    const hs = [1, 2, 3].map((v) => callMsg(calc, 0, { value: v }));
    assert.equal(pair.ct.sent.length, start, "nothing is written synchronously");
    await microtask();
    assert.equal(pair.ct.sent.length, start + 1, "one write for the whole turn");
    assert.equal(ofType(decodeSent([pair.ct.sent[start]!]), "call").length, 3);
    for (const h of hs) await resultOf(h);
    await settle();

    const lone = pair.ct.sent.length;
    const h = callMsg(calc, 0, { value: 5 });
    await microtask();
    assert.equal(pair.ct.sent.length, lone + 1, "a lone call goes out at the end of the turn");
    assert.equal((await resultOf(h)).value, 6);
    calc.release();
    await assertBaseline(pair);
    pair.client.close();
  });
});

describe("RPC engine: writing before the turn ends", () => {
  it("tells the transport it is settled only once every call it was asked has returned", async () => {
    const open = gate();
    const boot = scripted("boot", {
      0: plus(1),
      1: async (call) => {
        await open.promise;
        return reply({ value: readMsg(call.params.content).value + 2 });
      },
    });
    const pair = connectPair({ serverBootstrap: boot.hook });
    const calc = pair.client.bootstrap();
    await settle();
    const clientStart = pair.ct.sent.length;
    const serverStart = pair.st.sent.length;
    const quick = callMsg(calc, 0, { value: 1 });
    const slow = callMsg(calc, 1, { value: 1 });
    assert.equal((await resultOf(quick)).value, 2);
    assert.deepEqual(pair.ct.settled.slice(clientStart), [true], "the caller answers nothing: its calls may go at once");
    assert.deepEqual(pair.st.settled.slice(serverStart), [false], "one call still running: the Return waits for the turn's end");
    open.open();
    assert.equal((await resultOf(slow)).value, 3);
    assert.deepEqual(pair.st.settled.slice(serverStart), [false, true], "the last Return: nothing more is coming");
    calc.release();
    await assertBaseline(pair);
    pair.client.close();
  });
});

describe("RPC engine: writing while the peer is part-way through a message", () => {
  it("holds small messages until the rest arrives, then writes them with the call's Return", async () => {
    const boot = scripted("boot", { 0: plus(1) });
    const pair = connectPair({ serverBootstrap: boot.hook });
    // The client's next write (Bootstrap and a call pipelined on it) reaches the server in two
    // reads, the second one later, as a large message spanning reads does on a socket.
    const deliver = pair.st.receive.bind(pair.st);
    let rest: Uint8Array | null = null;
    let split = true;
    pair.st.receive = (chunk: Uint8Array, transient?: boolean) => {
      if (!split) return deliver(chunk, transient);
      split = false;
      deliver(chunk.subarray(0, chunk.length - 8), transient);
      rest = chunk.subarray(chunk.length - 8);
    };
    const serverStart = pair.st.settled.length;
    const calc = pair.client.bootstrap();
    const h = callMsg(calc, 0, { value: 1 });
    await settle(1);
    assert.ok(rest !== null, "the client wrote");
    assert.deepEqual(pair.st.settled.slice(serverStart), [false], "the Bootstrap's Return waits: the call is still arriving");
    deliver(rest);
    assert.equal((await resultOf(h)).value, 2);
    assert.deepEqual(pair.st.settled.slice(serverStart), [false, true], "the call's Return goes at once, with it");
    calc.release();
    await assertBaseline(pair);
    pair.client.close();
  });

  it("writes a large message at once all the same", async () => {
    const open = gate<string>();
    const boot = scripted("boot", { 0: plus(1), 1: async () => reply({ text: await open.promise }) });
    const pair = connectPair({ serverBootstrap: boot.hook });
    const calc = pair.client.bootstrap();
    await settle();
    const slow = callMsg(calc, 1);
    await settle();
    const deliver = pair.st.receive.bind(pair.st);
    let rest: Uint8Array | null = null;
    pair.st.receive = (chunk: Uint8Array, transient?: boolean) => {
      pair.st.receive = deliver;
      deliver(chunk.subarray(0, chunk.length - 8), transient);
      rest = chunk.subarray(chunk.length - 8);
    };
    const quick = callMsg(calc, 0, { value: 1 });
    await settle(1);
    assert.ok(rest !== null, "the second call is part-way");
    const serverStart = pair.st.settled.length;
    open.open("x".repeat(5000));
    assert.equal((await resultOf(slow)).text?.length, 5000);
    assert.deepEqual(pair.st.settled.slice(serverStart), [true], "a large Return does not wait for the call still arriving");
    deliver(rest);
    assert.equal((await resultOf(quick)).value, 2);
    calc.release();
    await assertBaseline(pair);
    pair.client.close();
  });
});

describe("RPC engine: a question's promise-free settle()", () => {
  it("reports the results while the Return is handled, or at once when it came already; errors alike", async () => {
    const boot = scripted("boot", { 0: plus(1), 1: () => { throw new RpcError("no", "failed"); } });
    const pair = connectPair({ serverBootstrap: boot.hook });
    const calc = pair.client.bootstrap();
    await settle();
    const seen: string[] = [];
    const listener = (tag: string) => ({
      onResults: (r: Results) => {
        seen.push(`${tag}:${readMsg(r.in.content).value}`);
        r.release();
      },
      onError: (e: unknown) => seen.push(`${tag}:error ${(e as Error).message}`),
    });
    const early = callMsg(calc, 0, { value: 1 });
    early.settle!(listener("early"));
    const failing = callMsg(calc, 1, { value: 1 });
    failing.settle!(listener("failing"));
    const late = callMsg(calc, 0, { value: 5 });
    assert.deepEqual(seen, [], "nothing before the Returns");
    await settle();
    assert.deepEqual(seen, ["early:2", "failing:error no"]);
    late.settle!(listener("late"));
    assert.deepEqual(seen, ["early:2", "failing:error no", "late:6"], "returned already: reported at once");
    assert.throws(() => late.settle!(listener("again")), /once/);
    for (const h of [early, failing, late]) h.release();
    calc.release();
    await assertBaseline(pair);
    pair.client.close();
  });
});

describe("RPC engine: regressions", () => {
  it("a promise exported twice under a reused id is resolved with ONE Resolve", async () => {
    let kept: Hook | null = null;
    const boot = scripted("boot", {
      0: () => reply({}), // ignore(cap): the server drops it, so the export id is freed
      1: (call) => {
        kept = call.params.caps[0]!.addRef();
        return reply({});
      },
      2: async (call) => reply({ value: (await callValue(kept!, 0, { value: readMsg(call.params.content).value })).value }),
    });
    const pair = connectPair({ serverBootstrap: boot.hook });
    const calc = pair.client.bootstrap();
    const promise = new QueueHook();
    const start = pair.ct.sent.length;
    await callValue(calc, 0, { cap: 0 }, [promise.addRef()]);
    await settle();
    assert.equal(pair.client.stats().exports, 0, "the first export was released");
    await callValue(calc, 1, { cap: 0 }, [promise.addRef()]);
    const y = scripted("y", { 0: plus(1) });
    promise.resolve(y.hook);
    assert.equal((await callValue(calc, 2, { value: 1 })).value, 2);
    await settle();
    const sent = sentSince(pair.ct, start);
    assert.deepEqual(ofType(sent, "call").slice(0, 2).map((c) => c.params.capTable), [
      [{ type: "senderPromise", id: 0 }],
      [{ type: "senderPromise", id: 0 }],
    ]);
    assert.equal(ofType(sent, "resolve").length, 1, "one Resolve per exported promise");
    kept!.release();
    promise.release();
    calc.release();
    await assertBaseline(pair);
    assert.equal(y.server.shutDown, true);
    pair.client.close();
  });

  it("an aborted Call does not leak the capabilities its cap table named", async () => {
    const kept: Hook[] = [];
    const boot = scripted("boot", {
      0: (call) => {
        kept.push(call.params.caps[0]!.addRef());
        return reply({});
      },
    });
    const pair = connectPair({ serverBootstrap: boot.hook });
    const calc = pair.client.bootstrap();
    const x = scripted("x", { 0: plus(0) });
    await callValue(calc, 0, { cap: 0 }, [x.hook]); // the client exports x as id 0
    // The server (as injected bytes) calls an unknown export, passing x back (receiverHosted).
    pair.ct.receive(
      frameOf({
        type: "call", questionId: 9, target: { type: "importedCap", importedCap: 42 }, interfaceId: TEST_IFACE, methodId: 0,
        params: { content: null, capTable: [{ type: "receiverHosted", id: 0 }] }, sendResultsTo: "caller",
      }),
    );
    const error = await pair.client.closed();
    assert.match(error.message, /not a current export ID/);
    calc.release();
    for (const k of kept) k.release();
    await assertBaseline(pair);
    assert.equal(x.server.shutDown, true, "x was released: nothing holds it any more");
  });
});

describe("RPC engine: questions asked only to pipeline on (PipelineOnlyQuestion)", () => {
  const call = (methodId: number, value = 0) => ({ interfaceId: TEST_IFACE, methodId, params: { content: msg({ value }), caps: [] } });

  it("pipelines two levels deep, then gives back each result capability once and finishes", async () => {
    const leaf = scripted("leaf", { 0: plus(7) });
    const middle = scripted("middle", { 0: () => reply({ cap: 0 }, [leaf.hook.addRef()]) });
    const boot = scripted("boot", { 0: () => reply({ cap: 0 }, [middle.hook.addRef()]) });
    const pair = connectPair({ serverBootstrap: boot.hook });
    const root = pair.client.bootstrap();
    await settle();
    const start = pair.ct.sent.length;
    const first = askToPipeline(root, call(0));
    assert.ok(first, "a live import of the peer can be asked");
    const second = first.ask(CAP_FIELD, call(0));
    first.release();
    const handle = second.pipelineCall(CAP_FIELD, call(0, 35));
    assert.equal((await resultOf(handle)).value, 42);
    await settle();
    assert.equal(pair.client.stats().questions, 1, "held: the second question stays until released");
    assert.equal(pair.server.stats().exports, 2, "bootstrap and leaf: middle was given back with the first question");
    assert.equal(middle.server.shutDown, false, "the test still holds middle itself");
    second.release();
    await settle();
    const sent = sentSince(pair.ct, start);
    assert.deepEqual(ofType(sent, "release").map((m) => m.referenceCount), [1, 1], "one Release per result capability");
    assert.equal(ofType(sent, "finish").length, 3);
    assert.equal(pair.client.stats().imports, 1, "result capabilities never became imports");
    root.release();
    middle.hook.release();
    leaf.hook.release();
    await assertBaseline(pair);
    assert.equal(middle.server.shutDown, true);
    assert.equal(leaf.server.shutDown, true);
  });

  it("is cancelled when released before anything was pipelined on it, and releases what it returns late", async () => {
    const open = gate();
    const made = scripted("made", {});
    const boot = scripted("boot", {
      0: async () => {
        await open.promise;
        return reply({ cap: 0 }, [made.hook.addRef()]);
      },
    });
    const pair = connectPair({ serverBootstrap: boot.hook });
    const root = pair.client.bootstrap();
    await settle();
    const start = pair.ct.sent.length;
    const question = askToPipeline(root, call(0))!;
    question.release();
    await settle();
    assert.equal(ofType(sentSince(pair.ct, start), "finish").length, 1, "Finish before the Return: the call is cancelled");
    open.open();
    await settle();
    root.release();
    made.hook.release();
    await assertBaseline(pair);
    assert.equal(made.server.shutDown, true, "what the late Return exported was given back");
  });

  it("finishes after an exception without Releases, and pipelined calls get the exception", async () => {
    const boot = scripted("boot", { 0: () => { throw new RpcError("no such event"); } });
    const pair = connectPair({ serverBootstrap: boot.hook });
    const root = pair.client.bootstrap();
    await settle();
    const start = pair.ct.sent.length;
    const question = askToPipeline(root, call(0))!;
    await assert.rejects(resultOf(question.pipelineCall(CAP_FIELD, call(0))), /no such event/);
    question.release();
    await settle();
    assert.equal(ofType(sentSince(pair.ct, start), "release").length, 0);
    root.release();
    await assertBaseline(pair);
  });

  it("counts its own reference apart from an import the connection already holds for the same id", async () => {
    const shared = scripted("shared", { 0: plus(1) });
    const boot = scripted("boot", {
      0: () => reply({ cap: 0 }, [shared.hook.addRef()]),
      1: () => reply({ cap: 0 }, [shared.hook.addRef()]),
    });
    const pair = connectPair({ serverBootstrap: boot.hook });
    const root = pair.client.bootstrap();
    // A general call imports `shared`; the pipeline-only question gets the same export id.
    const general = callMsg(root, 1);
    const results = await general.results();
    const held = results.in.caps[0]!.addRef();
    results.release();
    general.release();
    const question = askToPipeline(root, call(0))!;
    assert.equal((await resultOf(question.pipelineCall(CAP_FIELD, call(0, 1)))).value, 2);
    question.release();
    await settle();
    assert.equal(pair.server.stats().exports, 2, "the import the client holds keeps it exported");
    assert.equal((await callValue(held, 0, { value: 10 })).value, 11);
    held.release();
    root.release();
    shared.hook.release();
    await assertBaseline(pair);
    assert.equal(shared.server.shutDown, true);
  });

  it("a Return that names an export or answer we do not have aborts the connection, for either kind of question", async () => {
    const cases: [CapDescriptor, RegExp][] = [
      [{ type: "receiverHosted", id: 77 }, /CapDescriptor\.receiverHosted names unknown export 77/],
      [{ type: "receiverAnswer", promisedAnswer: { questionId: 55, transform: [] } }, /CapDescriptor\.receiverAnswer names unknown question 55/],
    ];
    for (const [descriptor, reason] of cases) {
      for (const kind of ["pipeline-only", "general"] as const) {
        const made = scripted("made", {});
        const { open, pair, root } = await gatedBootstrap(made.hook);
        const asked = kind === "pipeline-only" ? askToPipeline(root, call(0))! : null;
        const general = kind === "general" ? callMsg(root, 0) : null;
        await settle();
        const questionId = asked?.id ?? 0;
        pair.ct.receive(frameOf({ type: "return", answerId: questionId, releaseParamCaps: false, body: { type: "results", results: { content: null, capTable: [descriptor] } } }));
        const error = await pair.client.closed();
        assert.match(error.message, reason, `${kind}: ${error.message}`);
        open.open();
        asked?.release();
        general?.release();
        root.release();
        made.hook.release();
        await assertBaseline(pair);
      }
    }
  });

  it("is not offered for a capability that is not a live import", async () => {
    const local = scripted("local", {});
    assert.equal(askToPipeline(local.hook, call(0)), null);
    const pair = connectPair({ serverBootstrap: scripted("boot", {}).hook });
    const root = pair.client.bootstrap();
    assert.equal(askToPipeline(root, call(0)), null, "the bootstrap has not returned yet: still a promise");
    await settle();
    pair.client.close();
    assert.equal(askToPipeline(root, call(0)), null, "the connection is closed");
    root.release();
    local.hook.release();
  });
});

describe("RPC engine: result capabilities the peer hosts are imported only when read", () => {
  /** A pair whose bootstrap's method 0 returns `made` twice (one export id, two references). */
  async function twiceMade() {
    const made = scripted("made", { 0: plus(1) });
    const boot = scripted("boot", { 0: () => reply({ cap: 0, next: { cap: 1 } }, [made.hook.addRef(), made.hook.addRef()]) });
    const pair = connectPair({ serverBootstrap: boot.hook });
    const root = pair.client.bootstrap();
    await settle();
    return { made, pair, root };
  }

  it("gives back each reference with a Release of count 1 when the results are released unread", async () => {
    const { made, pair, root } = await twiceMade();
    const start = pair.ct.sent.length;
    const handle = callMsg(root, 0);
    const results = await handle.results();
    assert.equal(readMsg(results.in.content).cap, 0, "the content is readable without importing");
    assert.equal(pair.client.stats().imports, 1, "only the bootstrap: nothing imported yet");
    results.release();
    handle.release();
    await settle();
    const sent = sentSince(pair.ct, start);
    assert.deepEqual(ofType(sent, "release").map((m) => m.referenceCount), [1, 1]);
    const finish = sent.findIndex((m) => m.type === "finish");
    assert.ok(finish > sent.findLastIndex((m) => m.type === "release"), "the Releases go out before the Finish, as released hooks' would");
    assert.equal(made.server.shutDown, false, "the test still holds made");
    root.release();
    made.hook.release();
    await assertBaseline(pair);
    assert.equal(made.server.shutDown, true, "both references were given back");
  });

  it("imports them when read, as one import holding both references", async () => {
    const { made, pair, root } = await twiceMade();
    const start = pair.ct.sent.length;
    const handle = callMsg(root, 0);
    const results = await handle.results();
    const [first, second] = results.in.caps;
    assert.equal(first, second, "one hook for the one export id");
    assert.equal(pair.client.stats().imports, 2);
    const kept = first!.addRef();
    results.release();
    handle.release();
    assert.equal((await callValue(kept, 0, { value: 41 })).value, 42);
    kept.release();
    await settle();
    assert.deepEqual(ofType(sentSince(pair.ct, start), "release").map((m) => m.referenceCount), [2], "one Release with the import's count");
    root.release();
    made.hook.release();
    await assertBaseline(pair);
    assert.equal(made.server.shutDown, true);
  });

  it("imports them when a call is pipelined on the returned results", async () => {
    const { made, pair, root } = await twiceMade();
    const handle = callMsg(root, 0);
    await handle.results().then((r) => r.release());
    // Returned and released: a call on the pipelined path still reaches the capability.
    const handle2 = callMsg(root, 0);
    const results = await handle2.results();
    const cap = results.pipelineCap(NEXT_CAP_FIELD);
    assert.equal(pair.client.stats().imports, 2);
    assert.equal((await callValue(cap, 0, { value: 1 })).value, 2);
    cap.release();
    results.release();
    handle.release();
    handle2.release();
    root.release();
    made.hook.release();
    await assertBaseline(pair);
    assert.equal(made.server.shutDown, true);
  });

  it("imports a table with anything but peer-hosted capabilities at once", async () => {
    const promise = new QueueHook();
    const made = scripted("made", { 0: plus(1) });
    const boot = scripted("boot", { 0: () => reply({ cap: 0, next: { cap: 1 } }, [made.hook.addRef(), promise.addRef()]) });
    const pair = connectPair({ serverBootstrap: boot.hook });
    const root = pair.client.bootstrap();
    await settle();
    const handle = callMsg(root, 0);
    const results = await handle.results();
    assert.equal(pair.client.stats().imports, 3, "bootstrap, made and the promise (a Resolve may come for it)");
    promise.resolve(made.hook.addRef());
    promise.release();
    await settle();
    results.release();
    handle.release();
    root.release();
    made.hook.release();
    await assertBaseline(pair);
    assert.equal(made.server.shutDown, true);
  });

  it("gives broken capabilities if read after the connection closed", async () => {
    const { made, pair, root } = await twiceMade();
    const handle = callMsg(root, 0);
    const results = await handle.results();
    pair.client.close();
    const [cap] = results.in.caps;
    await assert.rejects(callValue(cap!, 0), /connection/i);
    results.release();
    handle.release();
    root.release();
    made.hook.release();
    await assertBaseline(pair);
  });
});
