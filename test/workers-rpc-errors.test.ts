// Workers RPC behaviour, part 7: errors (reference workers-rpc-semantics.md A8): thrown errors
// of every type keep type, message, cause and own properties, are marked remote and carry no
// callee stack; thrown non-errors; retryable/overloaded; errors as plain values; and a lost
// connection.

import { it } from "node:test";
import assert from "node:assert/strict";
import { WorkerEntrypoint } from "../core/worker/index.ts";
import { RpcTarget } from "../core/workers-rpc/index.ts";
import { bindWorker, expectQuiet } from "./support/workers-harness.ts";
import { bindControlled, overEachWire } from "./fixtures/rpc-pair.ts";
import { Counter, gate, rejects, until } from "./fixtures/rpc-targets.ts";

class CustomError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CustomError";
  }
}
class QuietTypeError extends TypeError {}

function makeError(kind: string): unknown {
  switch (kind) {
    case "Error":
      return Object.assign(new Error("plain", { cause: new TypeError("the cause") }), { code: 42, detail: { list: [1, 2] } });
    case "TypeError":
      return new TypeError("type");
    case "RangeError":
      return new RangeError("range");
    case "SyntaxError":
      return new SyntaxError("syntax");
    case "ReferenceError":
      return new ReferenceError("reference");
    case "URIError":
      return new URIError("uri");
    case "EvalError":
      return new EvalError("eval");
    case "AggregateError":
      return new AggregateError([new Error("first"), new RangeError("second")], "aggregate");
    case "CustomError":
      return new CustomError("custom class");
    case "QuietTypeError":
      return new QuietTypeError("subclass without a name");
    case "renamed":
      return Object.assign(new Error("renamed"), { name: "MyOwnName" });
    case "DOMException":
      return new DOMException("aborted here", "AbortError");
    case "string":
      return "just a string";
    case "number":
      return 404;
    case "object":
      return { code: 7, reason: "a plain object" };
    case "undefined":
      return undefined;
    case "retryable":
      return Object.assign(new Error("try again"), { retryable: true });
    case "overloaded":
      return Object.assign(new Error("too busy"), { overloaded: true });
    case "unserializableProp":
      return Object.assign(new TypeError("has a function"), { callback: () => 1 });
    default:
      return new Error(`unknown kind ${kind}`);
  }
}

class Thrower extends RpcTarget {
  fail(kind: string) {
    throw makeError(kind);
  }
}

let hold = gate();

class Service extends WorkerEntrypoint {
  calleeThrowsHere(kind: string) {
    throw makeError(kind);
  }
  async rejectsLater(kind: string) {
    await Promise.resolve();
    throw makeError(kind);
  }
  get throwingGetter(): never {
    throw makeError("RangeError");
  }
  thrower() {
    return new Thrower();
  }
  errorsAsValues() {
    return {
      range: Object.assign(new RangeError("as a value", { cause: "why" }), { extra: true }),
      aggregate: new AggregateError([new URIError("inner")], "many"),
      custom: new CustomError("custom value"),
    };
  }
  async waitForever() {
    await hold.promise;
    return "finished";
  }
  ping() {
    return "pong";
  }
  makeCounter() {
    const counter = new Counter(0);
    made.push(counter);
    return counter;
  }
  /** Keeps a dup of the caller's target alive on this side, inside a returned holder. */
  hold(target: Counter & { dup(): Counter & Disposable }) {
    const kept = target.dup();
    return Object.assign(() => kept.increment(1), { [Symbol.dispose]: () => kept[Symbol.dispose]() });
  }
}

/** Targets the callee made (to watch their disposers). */
const made: Counter[] = [];

overEachWire("Workers RPC errors", (wire) => bindWorker({ default: Service }, { wire }), (peer, wire) => {
  it("keeps the type and message of every error type, marks it remote, and hides the callee's stack", async () => {
    const types: [string, ErrorConstructor | typeof AggregateError][] = [
      ["Error", Error], ["TypeError", TypeError], ["RangeError", RangeError], ["SyntaxError", SyntaxError],
      ["ReferenceError", ReferenceError], ["URIError", URIError], ["EvalError", EvalError], ["AggregateError", AggregateError],
    ];
    for (const [kind, ctor] of types) {
      const expected = makeError(kind) as Error;
      for (const call of [() => peer.svc.calleeThrowsHere(kind), () => peer.svc.rejectsLater(kind)]) {
        const e: any = await rejects(call(), { name: expected.name, message: expected.message, remote: true });
        assert.equal(e instanceof ctor, true, kind);
        assert.equal(e.retryable, undefined);
        assert.doesNotMatch(String(e.stack), /calleeThrowsHere|rejectsLater/, "no callee frames");
      }
    }
    await expectQuiet(peer.pair);
  });

  it("keeps cause, AggregateError.errors and custom own properties", async () => {
    const e: any = await rejects(peer.svc.calleeThrowsHere("Error"), { message: "plain", code: 42, detail: { list: [1, 2] } });
    assert.equal(e.cause instanceof TypeError, true);
    assert.equal(e.cause.message, "the cause");
    const agg: any = await rejects(peer.svc.calleeThrowsHere("AggregateError"), { name: "AggregateError" });
    assert.equal(agg.errors.length, 2);
    assert.equal(agg.errors[0] instanceof Error, true);
    assert.equal(agg.errors[1] instanceof RangeError, true);
    assert.deepEqual(agg.errors.map((x: Error) => x.message), ["first", "second"]);
    await expectQuiet(peer.pair);
  });

  it("keeps a custom name, and the nearest built-in type of a subclass", async () => {
    const custom: any = await rejects(peer.svc.calleeThrowsHere("CustomError"), { name: "CustomError", message: "custom class", remote: true });
    assert.equal(Object.getPrototypeOf(custom), Error.prototype, "a custom class arrives as Error with its name");
    const sub: any = await rejects(peer.svc.calleeThrowsHere("QuietTypeError"), { name: "TypeError", message: "subclass without a name" });
    assert.equal(Object.getPrototypeOf(sub), TypeError.prototype);
    await rejects(peer.svc.calleeThrowsHere("renamed"), { name: "MyOwnName", message: "renamed" });
    const dom: any = await rejects(peer.svc.calleeThrowsHere("DOMException"), { name: "AbortError", message: "aborted here", remote: true });
    assert.equal(dom instanceof DOMException, true);
    await expectQuiet(peer.pair);
  });

  it("delivers thrown non-Error values", async () => {
    await rejects(peer.svc.calleeThrowsHere("string"), { name: "Error", message: "just a string", remote: true });
    await rejects(peer.svc.calleeThrowsHere("number"), { name: "Error", message: "404", remote: true });
    await rejects(peer.svc.calleeThrowsHere("undefined"), { name: "Error", message: "undefined", remote: true });
    const thrown: any = await rejects(peer.svc.calleeThrowsHere("object"), { code: 7, reason: "a plain object", remote: true });
    assert.equal(thrown instanceof Error, false, "a thrown object arrives as that object");
    await expectQuiet(peer.pair);
  });

  it("sets retryable and overloaded from the thrown error", async () => {
    await rejects(peer.svc.calleeThrowsHere("retryable"), { message: "try again", retryable: true, remote: true });
    await rejects(peer.svc.calleeThrowsHere("overloaded"), { message: "too busy", overloaded: true, remote: true });
    await expectQuiet(peer.pair);
  });

  it("falls back to type and message when the error's properties cannot be serialized", async () => {
    const e: any = await rejects(peer.svc.calleeThrowsHere("unserializableProp"), { name: "TypeError", message: "has a function", remote: true });
    assert.equal(e.callback, undefined);
    await expectQuiet(peer.pair);
  });

  it("reports errors from getters and from methods of returned targets", async () => {
    await rejects(peer.svc.throwingGetter, { name: "RangeError", message: "range", remote: true });
    {
      using thrower = peer.svc.thrower();
      await rejects(thrower.fail("SyntaxError"), { name: "SyntaxError", message: "syntax", remote: true });
      const resolved = await thrower;
      await rejects(resolved.fail("URIError"), { name: "URIError", message: "uri", remote: true });
    }
    await expectQuiet(peer.pair);
  });

  it("passes errors returned as values by copy, without marking them remote", async () => {
    {
      using values = await peer.svc.errorsAsValues();
      assert.equal(values.range instanceof RangeError, true);
      assert.equal(values.range.message, "as a value");
      assert.equal(values.range.cause, "why");
      assert.equal(values.range.extra, true);
      assert.equal(values.range.remote, undefined);
      assert.equal(values.aggregate instanceof AggregateError, true);
      assert.equal(values.aggregate.errors[0] instanceof URIError, true);
      assert.equal(values.custom.name, "CustomError");
      assert.equal(values.custom.message, "custom value");
    }
    await expectQuiet(peer.pair);
  });

  it("rejects pending calls with a retryable 'Network connection lost.' when the callee goes away", async () => {
    const wired = await bindControlled({ default: Service }, { wire });
    try {
      hold = gate();
      made.length = 0;
      assert.equal(await wired.binding.ping(), "pong");
      // Capabilities alive across the connection: one each way.
      const theirs = await wired.binding.makeCounter();
      const ours = new Counter(0);
      const holder = await wired.binding.hold(ours);
      assert.equal(await holder(), 1);
      const pending = wired.binding.waitForever();
      const pipelined = pending.anything();
      await until(() => wired.worker.openEvents === 3, "the call to reach the callee");
      wired.dropServer();
      for (const p of [pending, pipelined, theirs.increment(), holder()]) {
        const e: any = await rejects(p, { name: "Error", message: "Network connection lost.", retryable: true });
        assert.equal(e.remote, undefined);
      }
      // Both sides drop what the other held: the targets' disposers run.
      await made[0]!.disposed(1);
      await ours.disposed(1);
      theirs[Symbol.dispose]();
      holder[Symbol.dispose]();
      hold.open();
      // The binding reconnects for the next call.
      assert.equal(await wired.binding.ping(), "pong");
      await expectQuiet(wired);
    } finally {
      hold.open();
      await wired.close();
    }
  });
});
