// The conformance callee: one Worker module, unmodified on workerd and on edgebind (Node, Deno,
// Bun). Entrypoints:
//   MyService  (WorkerEntrypoint) — the methods the battery calls;
//   Forwarder  (WorkerEntrypoint) — a proxying Worker: forwards to `env.NEXT` (MyService, reached
//              over the wire again), returning the callee's RpcPromises as its own results;
//   default    (object handler)  — `m(arg, env, ctx)` methods and the fetch handler.
// A side channel (`report(tag)`) tells the caller what happened here: disposers run, waitUntil
// work done. Counters are keyed by a tag the caller makes unique per case and run.
import * as cf from "cloudflare:workers";
import { RpcStub, RpcTarget, WorkerEntrypoint, waitUntil } from "cloudflare:workers";
import { tag } from "./tag.js";

const counters = new Map();
function bump(key, what) {
  if (!key) return;
  const c = counters.get(key) ?? {};
  c[what] = (c[what] ?? 0) + 1;
  counters.set(key, c);
}

let instances = 0;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class Counter extends RpcTarget {
  constructor(n, key) {
    super();
    this.n = n; // an own field: not reachable over RPC
    this.key = key;
  }
  increment(by = 1) {
    this.n += by;
    return this.n;
  }
  async slowIncrement(by, ms) {
    await sleep(ms);
    this.n += by;
    return this.n;
  }
  get value() {
    return this.n;
  }
  fetch(a, b) {
    return `fetch on a target: ${a} ${b}`;
  }
  alarm() {
    return "alarm on a target";
  }
  fail(message) {
    const e = new SyntaxError(message);
    e.where = "target";
    throw e;
  }
  [Symbol.dispose]() {
    bump(this.key, "disposed");
  }
}

class Box extends RpcTarget {
  #value;
  constructor(value) {
    super();
    this.#value = value;
  }
  get value() {
    return this.#value;
  }
}

class Base extends RpcTarget {
  inherited() {
    return "from the base class";
  }
}
class Derived extends Base {
  own() {
    return "from the derived class";
  }
  static staticMethod() {
    return "static";
  }
}

class NotRpc {
  foo() {
    return 1;
  }
  get bar() {
    return { baz: () => 2 };
  }
}

class ThrowingCause extends Error {
  constructor(message) {
    super(message);
    this.name = "ThrowingCause";
  }
}

/** Builds the value the battery asks the callee to throw. */
function makeThrown(kind) {
  switch (kind) {
    case "Error": return new Error("plain error");
    case "TypeError": return new TypeError("type error");
    case "RangeError": return new RangeError("range error");
    case "SyntaxError": return new SyntaxError("syntax error");
    case "ReferenceError": return new ReferenceError("reference error");
    case "URIError": return new URIError("uri error");
    case "EvalError": return new EvalError("eval error");
    case "AggregateError": return new AggregateError([new Error("first"), new TypeError("second")], "aggregate error");
    case "custom": return new ThrowingCause("custom class");
    case "customName": {
      const e = new Error("renamed");
      e.name = "MyName";
      return e;
    }
    case "cause": return new Error("outer", { cause: new RangeError("inner", { cause: "root" }) });
    case "props": {
      const e = new TypeError("with props");
      e.code = "E_CODE";
      e.abc = 123;
      e.nested = { list: [1, 2n], when: new Date(0) };
      e.stack2 = "copied stack";
      return e;
    }
    case "retryable": {
      const e = new Error("try again");
      e.retryable = true;
      return e;
    }
    case "overloaded": {
      const e = new Error("too busy");
      e.overloaded = true;
      return e;
    }
    case "DOMException": return new DOMException("dom message", "NotFoundError");
    case "string": return "a thrown string";
    case "number": return 42;
    case "object": return { some: "object", n: 1 };
    case "null": return null;
    case "undefined": return undefined;
    case "unicode": return new Error("ünïcödé ✓ 😀\nsecond line");
    case "emptyMessage": return new Error();
  }
  return new Error(`unknown kind ${kind}`);
}

export class MyService extends WorkerEntrypoint {
  constructor(ctx, env) {
    super(ctx, env);
    this.id = ++instances;
    this.instanceMethod = () => "must not be reachable";
    this.instanceObject = { func: () => "must not be reachable" };
  }

  // --- calls and arity
  args(...list) {
    return { count: arguments.length, list };
  }
  add(a, b) {
    return a + b;
  }
  defaults(a = "da", b = "db") {
    return [a, b];
  }
  async asyncAdd(a, b) {
    await sleep(1);
    return a + b;
  }
  thenable(v) {
    return { then: (resolve) => resolve(v) };
  }

  // --- env and ctx
  envInfo() {
    return { greeting: this.env.GREETING, twelve: this.env.TWELVE, json: this.env.JSON_VAR };
  }
  ctxInfo() {
    return {
      waitUntil: typeof this.ctx.waitUntil,
      passThroughOnException: typeof this.ctx.passThroughOnException,
      props: this.ctx.props,
    };
  }
  instanceId() {
    return this.id;
  }
  holder() {
    const self = this;
    return { id: this.id, probe: new Box(this.id), sameInstance: () => self.id };
  }

  // --- properties
  get nonFunctionProperty() {
    return { foo: 123 };
  }
  get functionProperty() {
    return (a, b) => a - b;
  }
  get getterThis() {
    return this instanceof MyService && this.id === this.id ? "this is the instance" : "wrong this";
  }
  get objectProperty() {
    const nullPrototype = Object.create(null);
    nullPrototype.foo = 123;
    return {
      func: (a, b) => a * b,
      deeper: { deepFunc: (a, b) => a / b },
      counter5: new Counter(5),
      nonRpc: new NotRpc(),
      nullPrototype,
      someText: "hello",
      derived: new Derived(),
      target: new Counter(1),
    };
  }
  get promiseProperty() {
    return sleep(5).then(() => 123);
  }
  get rejectingPromiseProperty() {
    return Promise.reject(new Error("REJECTED"));
  }
  get throwingProperty() {
    throw new Error("PROPERTY THREW");
  }
  thisInfo() {
    return { typeofThis: typeof this, isInstance: this instanceof MyService, env: typeof this?.env };
  }
  static staticMethod() {
    return "static";
  }

  // --- handler names that are not reserved
  queue(x) { return `queue ${x}`; }
  scheduled(x) { return `scheduled ${x}`; }
  test(x) { return `test ${x}`; }
  email(x) { return `email ${x}`; }
  tail(x) { return `tail ${x}`; }
  get(x) { return `get ${x}`; }
  put(x) { return `put ${x}`; }
  delete(x) { return `delete ${x}`; }
  alarm() { return "alarm must be reserved"; }
  webSocketMessage() { return "reserved"; }
  webSocketClose() { return "reserved"; }
  webSocketError() { return "reserved"; }
  dup() { return "dup must be reserved"; }

  fetch(request) {
    return new Response(`MyService.fetch ${request.method} ${new URL(request.url).pathname}`);
  }

  // --- values
  roundTrip(value) {
    return value;
  }
  inspect(value) {
    return [value, tag(value, cf)];
  }
  make(kind) {
    switch (kind) {
      case "nonRpcClass": return { obj: new NotRpc() };
      case "nullProto": { const o = Object.create(null); o.foo = 1; return o; }
      case "symbol": return Symbol("x");
      case "weakMap": return new WeakMap();
      case "map": return new Map([["foo", 123], ["bar", 456]]);
      case "errorValue": return new TypeError("as a value", { cause: new Error("its cause") });
      case "nestedError": {
        const e = new RangeError("nested");
        e.extra = "prop";
        return { list: [e, new Error("second")], agg: new AggregateError([new Error("a")], "agg") };
      }
      case "domExceptionValue": return new DOMException("dom value", "AbortError");
      case "function": {
        const f = (a, b) => a ^ b;
        f.someProperty = 123;
        return f;
      }
      case "bigString": return "x".repeat(2 ** 25);
      case "deep": {
        let v = {};
        for (let i = 0; i < 5000; i++) v = { v };
        return v;
      }
    }
    return `unknown ${kind}`;
  }
  size(value) {
    return typeof value === "string" ? value.length : value?.byteLength;
  }
  depth(value) {
    let n = 0;
    while (value && typeof value === "object" && "v" in value) { value = value.v; n++; }
    return n;
  }

  // --- errors
  throwing(kind) {
    throw makeThrown(kind);
  }
  async rejecting(kind) {
    await sleep(1);
    throw makeThrown(kind);
  }

  // --- stubs, targets, functions
  makeCounter(n, key) {
    return new Counter(n, key);
  }
  getAnObject(n, key) {
    return { foo: 123 + n, counter: new Counter(n, key) };
  }
  getADeeperObject(n) {
    return { foo: 123 + n, box: new Box(new RpcStub(new Counter(n))) };
  }
  getFunction() {
    const f = (a, b) => a ^ b;
    f.someProperty = 123;
    return f;
  }
  getDerived() {
    return new Derived();
  }
  withDisposer(key) {
    return { value: 1, [Symbol.dispose]: () => bump(key, "resultDisposed") };
  }
  twoTargets(key) {
    const c = new Counter(0, key);
    return [c, c];
  }
  async incrementCounter(counter, by) {
    return await counter.increment(by);
  }
  async call(fn, ...args) {
    return await fn(...args);
  }
  async getProp(obj, name) {
    return await obj[name];
  }
  async callMethod(obj, name, ...args) {
    return await obj[name](...args);
  }
  identity(x) {
    return x;
  }
  async callTwice(fn) {
    const a = await fn(1);
    const b = await fn(2);
    return [a, b];
  }
  async callbackRoundTrip(fn) {
    // The caller's callback gets a callee-hosted target and calls it: callee → caller → callee.
    return await fn(new Counter(100));
  }
  async callbackThrows(fn) {
    try {
      await fn();
      return "no error";
    } catch (e) {
      return { caught: tag(e, cf) };
    }
  }
  async callbackRethrows(fn) {
    await fn();
  }
  isStub(x) {
    return { typeof: typeof x, isRpcStub: x instanceof RpcStub, tag: tag(x, cf) };
  }
  async keepAndUseLater(stub, key) {
    // The param stub is disposed when the call returns unless it is dup()ed.
    const kept = stub.dup();
    this.ctx.waitUntil((async () => {
      await sleep(20);
      try {
        bump(key, `later:${await kept.increment(1)}`);
      } catch (e) {
        bump(key, `later-failed:${e.message}`);
      } finally {
        kept[Symbol.dispose]();
      }
    })());
    return await stub.increment(1);
  }
  async useAfterReturn(stub, key) {
    // Without dup(): using the stub after the call has returned fails.
    this.ctx.waitUntil((async () => {
      await sleep(20);
      try {
        await stub.increment(1);
        bump(key, "used");
      } catch (e) {
        bump(key, `failed:${e.message}`);
      }
    })());
    return "returned";
  }
  async testDispose(counter) {
    const count = await counter.increment(5);
    const counterDup = counter.dup();
    return {
      count,
      counter: counter.dup(),
      async incrementOriginal(n) {
        return await counter.increment(n);
      },
      async incrementDup(n) {
        return await counterDup.increment(n);
      },
      [Symbol.dispose]() {
        counterDup[Symbol.dispose]();
      },
    };
  }
  leakButReturnPlainObject(stub) {
    stub.dup();
    return { foo: 123 };
  }
  getRpcPromise(callback) {
    return callback();
  }
  getNestedRpcPromise(callback) {
    return { value: callback() };
  }
  getRpcProperty(callback) {
    return callback.foo;
  }
  getNestedRpcProperty(callback) {
    return { value: callback.foo };
  }
  async order(stub, n) {
    return await stub.increment(n);
  }

  // --- waitUntil
  later(key) {
    this.ctx.waitUntil(sleep(30).then(() => bump(key, "waitUntil")));
    return "returned";
  }
  laterImported(key) {
    waitUntil(sleep(30).then(() => bump(key, "importedWaitUntil")));
    return "returned";
  }

  // --- side channel
  report(key) {
    return counters.get(key) ?? {};
  }
}

/** A proxying Worker: each method forwards to MyService through `env.NEXT`. */
export class Forwarder extends WorkerEntrypoint {
  makeCounter(n, key) {
    return this.env.NEXT.makeCounter(n, key);
  }
  getAnObject(n, key) {
    return this.env.NEXT.getAnObject(n, key);
  }
  getADeeperObject(n) {
    return this.env.NEXT.getADeeperObject(n);
  }
  add(a, b) {
    return this.env.NEXT.add(a, b);
  }
  throwing(kind) {
    return this.env.NEXT.throwing(kind);
  }
  async awaitedThrowing(kind) {
    return await this.env.NEXT.throwing(kind);
  }
  passCounter(counter, by) {
    return this.env.NEXT.incrementCounter(counter, by);
  }
  callback(fn, arg) {
    return this.env.NEXT.call(fn, arg);
  }
  forwardStub() {
    // Returns a stub received from another Worker: calls on it are proxied through here.
    return this.env.NEXT.makeCounter(7);
  }
}

export default {
  oneArg(x, env, ctx) {
    return { x, twelve: env.TWELVE, waitUntil: typeof ctx.waitUntil };
  },
  omitCtx(x, env) {
    return { x, twelve: env.TWELVE };
  },
  omitEnvCtx(x) {
    return { x };
  },
  twoArgs(a, b, env, ctx) {
    return "must not be callable";
  },
  someText: "own property of the handler",
  nested: { deep: (x) => `nested ${x}` },
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/headers") return Response.json([...request.headers]);
    if (url.pathname.startsWith("/url")) return Response.json({ url: request.url, method: request.method, redirect: request.redirect, multi: request.headers.get("x-multi") });
    if (url.pathname === "/shaped") {
      const headers = new Headers({ "x-one": "1", "content-type": "text/plain;charset=UTF-8" });
      headers.append("set-cookie", "a=1; Path=/");
      headers.append("set-cookie", "b=2");
      return new Response(request.method === "HEAD" ? null : "shaped body", { status: 299, statusText: "Custom Text", headers });
    }
    if (url.pathname === "/throws") throw new Error("callee fetch threw");
    if (url.pathname === "/empty") return new Response(null, { status: 204 });
    if (url.pathname === "/moved") return new Response("moved", { status: 302, headers: { location: "/arrived?from=moved" } });
    if (url.pathname === "/arrived") return new Response(`arrived ${url.search} ${request.method} ${request.method === "GET" || request.method === "HEAD" ? "" : await request.text()}`);
    if (url.pathname === "/moved-307") return new Response(null, { status: 307, headers: { location: "/arrived?from=307" } });
    if (url.pathname === "/coded") {
      const coding = url.searchParams.get("coding");
      if (url.searchParams.get("manual") === null) return new Response(`said to be ${coding}`, { headers: { "content-encoding": coding } });
      const packed = await new Response(new Response(`packed as ${coding}`).body.pipeThrough(new CompressionStream(coding))).arrayBuffer();
      return new Response(packed, { headers: { "content-encoding": coding }, encodeBody: "manual" });
    }
    const body = request.method === "GET" || request.method === "HEAD" ? "" : await request.text();
    return new Response(`default.fetch ${request.method} ${url.pathname}${url.search} body=${body} x=${request.headers.get("x-test")} twelve=${env.TWELVE}`, {
      status: 201,
      headers: { "x-answer": "yes" },
    });
  },
};
