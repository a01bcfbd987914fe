// edgebind's RPC engine (core/rpc) against the reference C++ implementation (test/interop/),
// over real Unix and TCP sockets, both ways round:
//  - our engine SERVES the C++ client: a TypeScript Calculator must make interop-client print
//    every CLIENT_CHECKS line, and release every capability the client hosted;
//  - our engine CALLS the C++ server: calls, pipelining, capabilities both ways, a promise
//    capability (Resolve), exceptions, and the release oracle (every Counter destroyed before
//    we disconnect).
// Both end with our connection's tables back to baseline.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ConnectionStats } from "../core/rpc/connection.ts";
import { RpcError } from "../core/rpc/errors.ts";
import { type Hook, LocalHook } from "../core/rpc/hooks.ts";
import type { CapDescriptor, IncomingMessage } from "../protocol/rpc-model.ts";
import {
  Calc,
  CALCULATOR_ID,
  CalculatorServer,
  CallbackServer,
  callStruct,
  COUNTER_ID,
  CounterServer,
  FIELD0,
  increment,
  incrementValue,
  InteropState,
  readResults,
  readStats,
} from "./support/interop-calculator.ts";
import { closeAllSockets, connectRpc, listenRpc, type TapTransport } from "./support/interop-transport.ts";
import {
  buildInterop,
  CLIENT_CHECKS,
  releaseReport,
  runClient,
  startServer,
  stopAll,
  unixAddress,
} from "./interop/peers.ts";

const ZERO: ConnectionStats = { questions: 0, answers: 0, imports: 0, exports: 0 };

const TRANSPORTS = [
  ["unix socket", () => unixAddress()],
  ["TCP", () => "127.0.0.1:0"],
] as const;

/** Polls `check` until it is true (every 5 ms, up to `ms`). */
async function until(what: string, check: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Lets lazily sent messages (Finish, Release) go out and the peer's answers come in. */
const quiet = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Capability references carried by one message (what the receiver must release later). */
function refsIn(m: IncomingMessage): CapDescriptor[] {
  if (m.type === "call") return m.params.capTable;
  if (m.type === "return" && m.body.type === "results") return m.body.results.capTable;
  if (m.type === "resolve" && m.resolution.type === "cap") return [m.resolution.cap];
  return [];
}

/** Imports the peer gave us (sender-hosted refs) vs the reference counts we released. */
function releaseTally(tap: TapTransport): { received: number; released: number } {
  let received = 0;
  for (const t of tap.log) {
    if (t.dir !== "received") continue;
    received += refsIn(t.message).filter((d) => d.type === "senderHosted" || d.type === "senderPromise").length;
  }
  const released = tap.messages("sent", "release").reduce((n, r) => n + r.referenceCount, 0);
  return { received, released };
}

let binaries: { server: string; client: string };

before(async () => {
  binaries = await buildInterop();
});

after(async () => {
  await stopAll();
  await closeAllSockets();
});

describe("interop: our engine serves the C++ client", () => {
  for (const [name, address] of TRANSPORTS) {
    it(`interop-client passes every check against our Calculator over ${name}`, async () => {
      const state = new InteropState();
      const listener = await listenRpc(address(), () => ({ bootstrap: new LocalHook(new CalculatorServer(state)) }));
      try {
        const running = runClient(binaries.client, listener.address);
        const { conn, tap } = await listener.next();
        let atLastCall: ConnectionStats | null = null;
        state.onGetStats = () => (atLastCall = conn.stats());

        const run = await running;
        assert.deepEqual(run.lines, CLIENT_CHECKS, run.stderr);
        assert.equal(run.code, 0);

        // At the client's last call (getStats) we held nothing of the client's any more: every
        // Callback and Counter it hosted had been released over the wire, and only the
        // Calculator and the getStats answer itself remained on our side.
        assert.deepEqual(atLastCall, { questions: 0, answers: 1, imports: 0, exports: 1 });
        const tally = releaseTally(tap);
        assert.equal(tally.received, 3, "two Callbacks and one Counter");
        assert.equal(tally.released, tally.received, "a Release for every reference the client sent");
        assert.equal(state.countersCreated, 2);
        assert.equal(state.countersAlive, 0);
        assert.equal(state.held, null);

        // The client exited: the connection closes and our tables are empty.
        const closed = await conn.closed();
        assert.equal(closed.type, "disconnected");
        assert.deepEqual(conn.stats(), ZERO);
        // The C++ side answered pipelined calls on our unreturned answers and our promise.
        const calls = tap.messages("received", "call");
        assert.ok(calls.some((c) => c.target.type === "promisedAnswer" && c.interfaceId === COUNTER_ID));
        assert.ok(tap.messages("sent", "resolve").length >= 1, "makeCounterLater's promise was resolved with Resolve");
      } finally {
        state.dispose();
        await listener.close();
      }
    });
  }
});

describe("interop: our engine calls the C++ server", () => {
  for (const [name, address] of TRANSPORTS) {
    it(`calls, pipelines, passes capabilities and releases them over ${name}`, async () => {
      const server = await startServer(binaries.server, address());
      const { conn, tap } = await connectRpc(server.address);
      const calc = conn.bootstrap();
      const calcCall = (method: number, dataWords: number, ptrs: number, fill?: Parameters<typeof callStruct>[5], caps: (Hook | null)[] = []) =>
        callStruct(calc, CALCULATOR_ID, method, dataWords, ptrs, fill, caps);
      const int32 = (s: { i32(o: number): number } | null) => s?.i32(0) ?? NaN;
      const text = (s: { text(i: number): string | null } | null) => s?.text(0) ?? null;

      // Plain calls.
      assert.equal(await readResults(calcCall(Calc.add, 1, 0, (s) => (s.setI32(0, 1), s.setI32(4, 2))), int32), 3);
      assert.equal(await readResults(calcCall(Calc.getName, 0, 0), text), "edgebind-interop-cxx");

      // Pipelining on an unreturned answer: increment(2) leaves before makeCounter's Return.
      const make = calcCall(Calc.makeCounter, 1, 0, (s) => s.setI32(0, 5));
      const piped = make.pipeline(FIELD0);
      assert.equal(await incrementValue(piped, 2), 7);
      const makeAt = tap.log.findIndex((t) => t.dir === "sent" && t.message.type === "call" && t.message.methodId === Calc.makeCounter);
      const makeId = (tap.log[makeAt]!.message as Extract<IncomingMessage, { type: "call" }>).questionId;
      const pipedAt = tap.log.findIndex(
        (t, i) => i > makeAt && t.dir === "sent" && t.message.type === "call" && t.message.target.type === "promisedAnswer" && t.message.target.promisedAnswer.questionId === makeId,
      );
      const returnAt = tap.log.findIndex((t, i) => i > makeAt && t.dir === "received" && t.message.type === "return" && t.message.answerId === makeId);
      assert.ok(pipedAt > makeAt && returnAt > pipedAt, `pipelined call at ${pipedAt}, makeCounter's Return at ${returnAt}`);
      const made = await make.results();
      const counter = made.in.caps[made.in.content!.struct()!.cap(0)!]!.addRef();
      made.release();
      make.release();
      piped.release();
      assert.equal(await incrementValue(counter, 3), 10);

      // The server's own Counter goes back to it (receiverHosted).
      const back = calcCall(Calc.incrementCounter, 1, 1, (s) => (s.setI32(0, 1), s.setCap(0, 0)), [counter.addRef()]);
      assert.equal(await readResults(back, int32), 11);
      const backCall = tap.messages("sent", "call").at(-1)!;
      assert.equal(backCall.params.capTable[0]!.type, "receiverHosted");

      // A promised answer goes back to it (receiverAnswer), before that answer returned.
      const make2 = calcCall(Calc.makeCounter, 1, 0, (s) => s.setI32(0, 100));
      const piped2 = make2.pipeline(FIELD0);
      const viaAnswer = calcCall(Calc.incrementCounter, 1, 1, (s) => (s.setI32(0, 1), s.setCap(0, 0)), [piped2.addRef()]);
      assert.equal(await readResults(viaAnswer, int32), 101);
      assert.equal(tap.messages("sent", "call").at(-1)!.params.capTable[0]!.type, "receiverAnswer");
      piped2.release();
      make2.release();

      // Our Callback, called by the server during callBack; then released by it.
      const cb = new CallbackServer("ts:");
      const viaCb = calcCall(Calc.callBack, 0, 2, (s) => (s.setCap(0, 0), s.setText(1, "hello")), [new LocalHook(cb)]);
      assert.equal(await readResults(viaCb, text), "ts:hello");
      assert.deepEqual(cb.calls, ["hello"]);
      await until("the server released our callback", () => cb.released);

      // Our Counter, incremented by the server.
      const ours = new CounterServer(40);
      assert.equal(await readResults(calcCall(Calc.incrementCounter, 1, 1, (s) => (s.setI32(0, 2), s.setCap(0, 0)), [new LocalHook(ours)]), int32), 42);
      await until("the server released our counter", () => ours.released);

      // An exception, with its exact reason and type.
      await assert.rejects(
        readResults(calcCall(Calc.fail, 0, 1, (s) => s.setText(0, "boom")), () => null),
        (e: unknown) => e instanceof RpcError && e.message === "boom" && e.type === "failed",
      );

      // A promise capability (senderPromise), resolved later with Resolve; calls pipelined on it.
      const later = calcCall(Calc.makeCounterLater, 1, 0, (s) => (s.setI32(0, 20), s.setU32(4, 50)));
      const laterPiped = later.pipeline(FIELD0);
      assert.equal(await incrementValue(laterPiped, 1), 21);
      const laterRes = await later.results();
      const promised = laterRes.in.caps[0]!.addRef();
      laterRes.release();
      later.release();
      laterPiped.release();
      const laterReturn = tap.messages("received", "return").find((r) => r.body.type === "results" && r.body.results.capTable[0]?.type === "senderPromise");
      assert.ok(laterReturn, "makeCounterLater returned a senderPromise");
      await until("the promise resolved", () => !promised.isPromise);
      const resolves = tap.messages("received", "resolve");
      assert.equal(resolves.length, 1);
      const resolution = resolves[0]!.resolution;
      assert.equal(resolution.type === "cap" && resolution.cap.type, "senderHosted", "resolved to a Counter the server hosts");
      assert.equal(await incrementValue(promised, 1), 22, "calls after the Resolve reach the same Counter");

      // holdCallback / callHeld / dropHeld: the server keeps our Callback, calls it, releases it.
      const getStats = () => readResults(calcCall(Calc.getStats, 0, 0), readStats);
      const held = new CallbackServer("ts:");
      await readResults(calcCall(Calc.holdCallback, 0, 1, (s) => s.setCap(0, 0), [new LocalHook(held)]), () => null);
      assert.equal(await readResults(calcCall(Calc.callHeld, 0, 1, (s) => s.setText(0, "later")), text), "ts:later");
      assert.equal((await getStats()).callbackHeld, true);
      assert.equal(held.released, false);
      assert.equal(conn.stats().exports, 1, "the held Callback is our only export");
      await readResults(calcCall(Calc.dropHeld, 0, 0), () => null);
      await until("the server released the held callback", () => held.released);
      assert.equal((await getStats()).callbackHeld, false);

      // The release oracle: drop every Counter; our Release messages travel ahead of getStats.
      counter.release();
      promised.release();
      const stats = await getStats();
      assert.deepEqual(stats, { countersAlive: 0, countersCreated: 3, callbackHeld: false });
      await server.waitFor("COUNTER_DESTROYED 3");
      const report = releaseReport(server.lines);
      assert.deepEqual(report.created, [1, 2, 3]);
      assert.deepEqual([...report.releasedBeforeEof].sort(), [1, 2, 3], "destroyed while we are still connected");
      assert.deepEqual(report.alive, []);

      await quiet();
      assert.deepEqual(conn.stats(), { questions: 0, answers: 0, imports: 1, exports: 0 }, "only the Calculator is left");
      calc.release();
      await quiet();
      assert.deepEqual(conn.stats(), ZERO);
      const tally = releaseTally(tap);
      assert.equal(tally.released, tally.received, "every reference the server sent us was released");

      conn.close();
      await server.waitFor("DISCONNECTED 1");
      assert.deepEqual(releaseReport(server.lines).destroyedAtDisconnect, []);
      await server.stop();
    });
  }
});
