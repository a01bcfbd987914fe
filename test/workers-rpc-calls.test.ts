// Workers RPC behaviour, part 1: entrypoints and calls (reference workers-rpc-semantics.md A1, A7)
// and callbacks. Every test runs over each wire and ends with the leak check.

import { it } from "node:test";
import assert from "node:assert/strict";
import { WorkerEntrypoint, waitUntil } from "../core/worker/index.ts";
import { RpcTarget, RpcStub } from "../core/workers-rpc/index.ts";
import { bindWorker, expectQuiet } from "./support/workers-harness.ts";
import { bindControlled, sentJsRpcCalls, overEachWire } from "./fixtures/rpc-pair.ts";
import { Counter, gate, rejects, until } from "./fixtures/rpc-targets.ts";

type Env = { GREETING: string };

let constructed = 0;
/** Work the test lets a callee's waitUntil() wait for. */
let pending = gate();

/** What an entrypoint instance hands out: pipelined calls on it must reach that same instance. */
class InstanceHandle extends RpcTarget {
  constructor(private owner: Service) {
    super();
  }
  record(item: string) {
    return this.owner.remember(item);
  }
}

class Service extends WorkerEntrypoint<Env> {
  readonly serial = ++constructed;
  private seen: string[] = [];

  count(..._args: unknown[]) {
    return arguments.length;
  }
  echoArgs(...args: unknown[]) {
    return args;
  }
  zero() {
    return "zero";
  }
  one(a: number) {
    return a * 2;
  }
  two(a: number, b: number) {
    return a - b;
  }
  many(a: number, b: number, c: number, d: number, e: number) {
    return [a, b, c, d, e].join(",");
  }
  greet(name: string) {
    return `${this.env.GREETING}, ${name}`;
  }
  context() {
    return { props: this.ctx.props, waitUntil: typeof this.ctx.waitUntil, passThrough: typeof this.ctx.passThroughOnException };
  }
  whoami() {
    return this.serial;
  }
  get serialProperty() {
    return this.serial;
  }
  handle() {
    return new InstanceHandle(this);
  }
  remember(item: string) {
    this.seen.push(item);
    return { serial: this.serial, seen: [...this.seen] };
  }
  deferWithCtx() {
    this.ctx.waitUntil(pending.promise.then(() => void (this.seen = ["late work done"])));
    return "returned";
  }
  async deferWithModuleWaitUntil() {
    await Promise.resolve(); // still inside the event after an await
    waitUntil(pending.promise);
    return "returned";
  }

  // Callbacks: the caller hands us functions and targets, we call back into the caller.
  async applyTo(fn: (...a: unknown[]) => unknown, ...args: unknown[]) {
    return await fn(...args);
  }
  async bump(counter: Counter, by: number) {
    await counter.increment(by);
    return await counter.value;
  }
  async pingPong(caller: (n: number, reply: (n: number) => number) => Promise<number>) {
    // The caller's function receives a function of ours and calls it back before answering.
    return await caller(1, (n) => n * 100);
  }
}

class Named extends WorkerEntrypoint<Env> {
  hello() {
    return `named ${this.env.GREETING}`;
  }
}

const handler = {
  one(arg: number, env: Env, ctx: { waitUntil: unknown; props: unknown }) {
    return { arg, greeting: env.GREETING, waitUntil: typeof ctx.waitUntil, props: ctx.props };
  },
  short(arg: number) {
    return arg + 1;
  },
  four(_a: unknown, _b: unknown, _env: unknown, _ctx: unknown) {
    return "unreachable";
  },
  huge: Object.defineProperty((_a: unknown) => 0, "length", { value: 300 }),
  later(_arg: unknown, _env: unknown, ctx: { waitUntil(p: Promise<unknown>): void }) {
    ctx.waitUntil(pending.promise);
    return "returned";
  },
  tools: {
    describe(arg: string, env: Env) {
      return `${arg} via ${env.GREETING}`;
    },
  },
  answer: 42,
};

const wrongArity = (name: string) =>
  `Cannot call handler function "${name}" over RPC because it has the wrong number of arguments. A simple function handler can only be called over RPC if it has exactly the arguments (arg, env, ctx), where only the first argument comes from the client. To support multi-argument RPC functions, use class-based syntax (extending WorkerEntrypoint) instead.`;
const wrongArgCount = (name: string) =>
  `Attempted to call RPC function "${name}" with the wrong number of arguments. When calling a top-level handler function that is not declared as part of a class, you must always send exactly one argument. In order to support variable numbers of arguments, the server must use class-based syntax (extending WorkerEntrypoint) instead.`;

const module = { default: Service, Named, Handler: handler };
const env: Env = { GREETING: "Hello" };


overEachWire("Workers RPC calls", (wire) => bindWorker(module, { wire, env }), (peer, wire) => {
  it("passes arguments of every arity; a trailing undefined still counts", async () => {
    assert.equal(await peer.svc.zero(), "zero");
    assert.equal(await peer.svc.one(21), 42);
    assert.equal(await peer.svc.two(10, 4), 6);
    assert.equal(await peer.svc.many(1, 2, 3, 4, 5), "1,2,3,4,5");
    assert.equal(await peer.svc.count(), 0);
    assert.equal(await peer.svc.count(undefined), 1);
    assert.equal(await peer.svc.count(1, undefined), 2);
    assert.equal(await peer.svc.count(undefined, undefined, undefined), 3);
    assert.deepEqual(await peer.svc.echoArgs(undefined, null, 0, ""), [undefined, null, 0, ""]);
    // Extra arguments are delivered; missing ones are undefined.
    assert.equal(await peer.svc.one(5, "ignored"), 10);
    assert.ok(Number.isNaN(await peer.svc.two(1)));
    await expectQuiet(peer.pair);
  });

  it("sends zero arguments as a null pointer and one undefined as a one-element array", async () => {
    const wired = await bindControlled(module, { wire, env });
    try {
      assert.equal(await wired.binding.count(), 0);
      assert.equal(await wired.binding.count(undefined), 1);
      assert.equal(await wired.binding.serialProperty > 0, true);
      const calls = sentJsRpcCalls(wired.clientBytes);
      assert.equal(calls.length, 3);
      assert.deepEqual(calls, [
        { path: ["count"], getProperty: false, hasArgs: false },
        { path: ["count"], getProperty: false, hasArgs: true },
        { path: ["serialProperty"], getProperty: true, hasArgs: false },
      ]);
      await expectQuiet(wired);
    } finally {
      await wired.close();
    }
  });

  it("gives the entrypoint its env and ctx (ctx.props defaults to {})", async () => {
    assert.equal(await peer.svc.greet("edgebind"), "Hello, edgebind");
    // Our host passes no binding props yet, so ctx.props is always the empty object.
    assert.deepEqual(await peer.svc.context(), { props: {}, waitUntil: "function", passThrough: "function" });
    await expectQuiet(peer.pair);
  });

  it("constructs a new instance for every call and every property read", async () => {
    const before = constructed;
    const a = await peer.svc.whoami();
    const b = await peer.svc.whoami();
    const c = await peer.svc.serialProperty;
    assert.equal(new Set([a, b, c]).size, 3);
    assert.equal(constructed - before, 3);
    await expectQuiet(peer.pair);
  });

  it("sends calls pipelined on a call's result to the same instance", async () => {
    const first = constructed;
    {
      using handle = peer.svc.handle();
      const r1 = await handle.record("x");
      const r2 = await handle.record("y");
      assert.equal(r1.serial, r2.serial);
      assert.deepEqual(r2.seen, ["x", "y"]);
    }
    {
      using handle = await peer.svc.handle();
      const r3 = await handle.record("z");
      assert.deepEqual(r3.seen, ["z"], "a second handle() call is a new instance with fresh state");
    }
    assert.equal(constructed - first, 2, "pipelined calls construct nothing");
    await expectQuiet(peer.pair);
  });

  it("reaches a named entrypoint through a binding that names it", async () => {
    const named = await bindWorker(module, { wire, env, entrypoint: "Named" });
    try {
      assert.equal(await named.binding.hello(), "named Hello");
      await rejects(named.binding.greet("x"), { name: "TypeError", message: 'The RPC receiver does not implement the method "greet".' });
      await expectQuiet(named);
    } finally {
      await named.close();
    }
  });

  it("calls object handlers with (arg, env, ctx) and workerd's arity rules", async () => {
    const obj = await bindWorker(module, { wire, env, entrypoint: "Handler" });
    try {
      const h = obj.binding;
      assert.deepEqual(await h.one(7), { arg: 7, greeting: "Hello", waitUntil: "function", props: {} });
      assert.equal(await h.short(1), 2, "fewer than three parameters count as three");
      assert.equal(await h.tools.describe("nested"), "nested via Hello", "env and ctx are inserted on nested paths too");
      assert.equal(await h.answer, 42, "own properties are visible");
      await rejects(h.four(1), { name: "TypeError", message: wrongArity("four") });
      await rejects(h.one(), { name: "TypeError", message: wrongArgCount("one") });
      await rejects(h.one(1, 2), { name: "TypeError", message: wrongArgCount("one") });
      await rejects(h.huge(1), { name: "TypeError", message: "RPC function has unreasonable length attribute: 300" });
      await rejects(h.tools.describe(), { name: "TypeError", message: wrongArgCount("tools.describe") });
      await rejects(h.alarm(1), { name: "TypeError", message: "'alarm' is a reserved method and cannot be called over RPC." });
      await rejects(h.missing(1), { name: "TypeError", message: 'The RPC receiver does not implement the method "missing".' });
      await expectQuiet(obj);
    } finally {
      await obj.close();
    }
  });

  it("keeps the event open for ctx.waitUntil work after the call returned", async () => {
    pending = gate();
    assert.equal(await peer.svc.deferWithCtx(), "returned");
    await until(() => peer.pair.worker.openEvents === 1, "the session to end, leaving the waitUntil");
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(peer.pair.worker.openEvents, 1, "the event stays open while waitUntil is pending");
    pending.open();
    await expectQuiet(peer.pair);
  });

  it("attaches the module-level waitUntil to the current event, also after an await", async () => {
    pending = gate();
    assert.equal(await peer.svc.deferWithModuleWaitUntil(), "returned");
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(peer.pair.worker.openEvents, 1);
    pending.open();
    await expectQuiet(peer.pair);
    assert.throws(() => waitUntil(Promise.resolve()), { message: "Disallowed operation called within global scope." });
  });

  it("keeps an object handler's event open for its ctx.waitUntil", async () => {
    const obj = await bindWorker(module, { wire, env, entrypoint: "Handler" });
    try {
      pending = gate();
      assert.equal(await obj.binding.later(0), "returned");
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(obj.worker.openEvents, 1);
      pending.open();
      await expectQuiet(obj);
    } finally {
      await obj.close();
    }
  });

  it("calls back into functions and targets the caller passed", async () => {
    assert.equal(await peer.svc.applyTo((a: number, b: number) => a * b, 6, 7), 42);
    {
      // The callee returns the object its callback call produced. That RPC result carries a
      // disposer, and a returned plain object's disposer travels on (hasDisposer), so the
      // session stays open until we dispose our copy, exactly as in workerd.
      using forwarded = await peer.svc.applyTo(async (...args: unknown[]) => ({ got: args }), "x", [1]);
      assert.deepEqual(forwarded, { got: ["x", [1]] });
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(peer.pair.worker.openEvents, 1);
    }
    const counter = new Counter(10);
    assert.equal(await peer.svc.bump(counter, 5), 15);
    assert.equal(counter.n, 15);
    await counter.disposed(1);
    {
      // A stub the caller made itself works the same, and the caller keeps it.
      using stub: any = new RpcStub(new Counter(1));
      assert.equal(await peer.svc.bump(stub, 2), 3);
      assert.equal(await stub.increment(1), 4);
    }
    await expectQuiet(peer.pair);
  });

  it("lets a callback call back into the callee (both directions in one call)", async () => {
    const result = await peer.svc.pingPong(async (n: number, reply: (n: number) => Promise<number>) => (await reply(n + 1)) + 1);
    assert.equal(result, 201);
    await expectQuiet(peer.pair);
  });

  it("reports a callback's failure to the callee, which can pass it on", async () => {
    const boom = () => {
      throw new RangeError("from the caller");
    };
    await rejects(peer.svc.applyTo(boom), { name: "RangeError", message: "from the caller", remote: true });
    await expectQuiet(peer.pair);
  });
});
