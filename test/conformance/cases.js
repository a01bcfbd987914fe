// The conformance battery: every case a caller Worker runs against the conformance callee
// (callee.js) through service bindings. Plain JS with no imports, so that the caller Worker can
// run it on workerd and on edgebind, and the test can read the list and the notes.
//
// Each case: { name, row, about, run(t) } — `run` returns a value (reported as `{value}`, tagged
// by tag.js) or throws (reported as `{error}`). Optional `ours`: a behaviour where edgebind
// deliberately differs from workerd (see docs/COMPATIBILITY.md); `ours.side` says which side
// decides it ("callee" or "caller"), `ours.value` is the report edgebind must give then.
//
// `t` (built by caller.js): svc (MyService), def (default object handler), fwd (Forwarder),
// cf (the cloudflare:workers module), key (unique per case and run), attempt(fn) → {value} |
// {error}, until(fn, ms) polls, sleep(ms), use(x) disposes x after the case (no `using`: Node 20).

function callerClasses(cf) {
  if (callerClasses.memo) return callerClasses.memo;
  class Tracked extends cf.RpcTarget {
    constructor(n = 0) {
      super();
      this.n = n;
      this.disposed = 0;
      this.dups = 0;
    }
    increment(by = 1) {
      this.n += by;
      return this.n;
    }
    [Symbol.dispose]() {
      this.disposed++;
    }
  }
  class DupCopy extends cf.RpcTarget {
    constructor(root) {
      super();
      this.root = root;
    }
    increment(by) {
      return this.root.increment(by);
    }
    [Symbol.dispose]() {
      this.root.dupDisposed++;
    }
  }
  class WithDup extends Tracked {
    constructor(n) {
      super(n);
      this.dupDisposed = 0;
    }
    dup() {
      this.dups++;
      return new DupCopy(this);
    }
  }
  class NotRpc {
    constructor() {
      this.i = 0;
    }
    increment(by) {
      this.i += by;
      return this.i;
    }
  }
  return (callerClasses.memo = { Tracked, WithDup, NotRpc });
}

const disposeOf = (v) => v[Symbol.dispose]();

/** A value crossing both ways: the callee returns it and how it saw it. */
const roundTrip = (make) => async (t) => {
  const sent = make(t);
  const [back, seen] = await t.svc.inspect(sent);
  return { back: t.tag(back), seen };
};

const valueCases = {
  "undefined": () => undefined,
  "null": () => null,
  "booleans": () => [true, false],
  "int32 and doubles": () => [0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 1.5, -1e-300, Number.MAX_VALUE, Number.MIN_VALUE],
  "-0, NaN, Infinity": () => [-0, NaN, Infinity, -Infinity],
  "BigInt": () => [0n, 1n, -1n, 2n ** 64n, -(2n ** 200n) + 7n],
  "strings": () => ["", "ascii", "latin1 é ÿ", "two-byte ✓ 😀", "\u0000nul", "\ud800 lone surrogate", "x".repeat(1000)],
  "wrapper objects": () => [new Number(3), new String("s"), new Boolean(false), Object(5n)],
  "array with holes": () => {
    const a = [1, , 3];
    a[10] = "ten";
    return a;
  },
  "array with extra props": () => Object.assign([1, 2], { extra: "prop" }),
  "sparse array": () => {
    const a = [];
    a[1000] = 1;
    return a;
  },
  "plain object": () => ({ a: 1, b: { c: [2, { d: "e" }] }, "key with space": true, 5: "numeric key" }),
  "getters evaluated, symbols and non-enumerables dropped": () => {
    const o = { get computed() { return "got"; }, [Symbol("s")]: 1 };
    Object.defineProperty(o, "hidden", { value: 1, enumerable: false });
    return o;
  },
  "Map": () => new Map([["a", 1], [2, { b: 3 }], [{ k: 1 }, [4]]]),
  "Set": () => new Set([1, "two", { three: 3 }]),
  "Date": () => [new Date(0), new Date(1700000000123), new Date(-1)],
  "invalid Date": () => new Date(NaN),
  "RegExp": () => [/a+b/gi, /x/msuy, new RegExp("\\d", "d")],
  "ArrayBuffer": () => new Uint8Array([1, 2, 3, 255]).buffer,
  "resizable ArrayBuffer": () => {
    const b = new ArrayBuffer(4, { maxByteLength: 16 });
    new Uint8Array(b).set([9, 8, 7, 6]);
    return b;
  },
  "typed arrays": () => [
    new Int8Array([-1, 1]), new Uint8Array([1, 255]), new Uint8ClampedArray([0, 255]),
    new Int16Array([-300, 300]), new Uint16Array([65535]), new Int32Array([-(2 ** 31)]),
    new Uint32Array([2 ** 32 - 1]), new Float32Array([1.5, NaN]), new Float64Array([-0, Math.PI]),
    new BigInt64Array([-1n]), new BigUint64Array([2n ** 64n - 1n]),
  ],
  "views on a shared buffer at offsets": () => {
    const buffer = new ArrayBuffer(16);
    new Uint8Array(buffer).set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    return [new Uint8Array(buffer, 4, 4), new Uint16Array(buffer, 8, 2), new DataView(buffer, 2, 6)];
  },
  "DataView": () => new DataView(new Uint8Array([1, 2, 3]).buffer),
  "cycles": () => {
    const o = { name: "root" };
    o.self = o;
    o.list = [o, { back: o }];
    return o;
  },
  "shared references": () => {
    const shared = { s: 1 };
    const m = new Map([["k", shared]]);
    return { a: shared, b: [shared], m, set: new Set([shared]) };
  },
  "everything nested": () => ({
    m: new Map([[1n, new Set([new Date(5)])]]),
    r: [/re/g, new Uint8Array([7])],
    n: [-0, NaN],
    e: new RangeError("inside", { cause: "c" }),
  }),
};

export const cases = [
  // ---------------------------------------------------------------------------------------------
  // A1. Entrypoints, calls, instances
  { name: "call: no arguments", row: "A1/A2", about: "Zero args arrive as an empty arguments list.", run: (t) => t.svc.args() },
  { name: "call: one argument", row: "A1", run: (t) => t.svc.args("one") },
  { name: "call: two arguments", row: "A1", run: (t) => t.svc.add(19, 23) },
  { name: "call: five arguments", row: "A1", run: (t) => t.svc.args(1, "2", [3], { four: 4 }, 5n) },
  { name: "call: trailing undefined counts", row: "A2", run: (t) => t.svc.args(1, undefined) },
  { name: "call: undefined in the middle", row: "A2", run: (t) => t.svc.args(undefined, 2, undefined, 4) },
  { name: "call: defaults apply to undefined", row: "A2", run: (t) => t.svc.defaults(undefined, "b") },
  { name: "call: async method", row: "A1", run: (t) => t.svc.asyncAdd(2, 3) },
  { name: "call: thenable result is unwrapped", row: "A3", run: (t) => t.svc.thenable("unwrapped") },
  { name: "env: vars reach the callee", row: "A1", run: (t) => t.svc.envInfo() },
  { name: "ctx: the callee's ExecutionContext", row: "A1/A7", run: (t) => t.svc.ctxInfo() },
  {
    name: "instance: a new one per call", row: "A1",
    run: async (t) => {
      const ids = [await t.svc.instanceId(), await t.svc.instanceId(), await t.svc.instanceId()];
      return { distinct: new Set(ids).size, increasing: ids[0] < ids[1] && ids[1] < ids[2] };
    },
  },
  {
    name: "instance: pipelined calls reach the same one", row: "A1",
    run: async (t) => {
      const p = t.svc.holder();
      const [viaPipeline, viaProbe, result] = await Promise.all([p.sameInstance(), p.probe.value, p]);
      return { sameAsFunction: viaPipeline === result.id, sameAsProbe: viaProbe === result.id };
    },
  },
  { name: "object handler: (arg, env, ctx)", row: "A1", run: (t) => t.def.oneArg(3) },
  { name: "object handler: arity 2 is treated as 3", row: "A1", run: (t) => t.def.omitCtx("x") },
  { name: "object handler: arity 1 is treated as 3", row: "A1", run: (t) => t.def.omitEnvCtx("y") },
  { name: "object handler: arity 4 is refused", row: "A1", run: (t) => t.def.twoArgs(1) },
  { name: "object handler: zero client args are refused", row: "A1", run: (t) => t.def.oneArg() },
  { name: "object handler: two client args are refused", row: "A1", run: (t) => t.def.oneArg(1, 2) },
  { name: "object handler: own data property", row: "A3", run: (t) => t.def.someText },
  { name: "object handler: nested own function", row: "A3", run: (t) => t.def.nested.deep("z") },
  {
    name: "fetch: through a binding to the default export", row: "A1",
    about: "Fetch API semantics, not RPC: one Request over HTTP.",
    run: async (t) => {
      const response = await t.def.fetch("http://example.com/path?q=1", { method: "POST", body: "payload", headers: { "x-test": "hdr" } });
      return { status: response.status, answer: response.headers.get("x-answer"), text: await response.text() };
    },
  },
  {
    name: "fetch: the callee sees the request's headers", row: "A1",
    about: "workerd adds nothing to the headers the caller set.",
    ours: {
      side: "caller",
      why: "connection-header",
      value: { value: [["accept", "text/plain"], ["connection", "keep-alive"], ["host", "example.com"], ["x-test", "hdr"]] },
    },
    run: async (t) => {
      const response = await t.def.fetch("http://example.com/headers", { headers: { "x-test": "hdr", accept: "text/plain" } });
      return await response.json();
    },
  },
  {
    name: "fetch: responses marked with a content coding", row: "A1",
    about: "gzip and br bodies are compressed for the wire (unless encodeBody is manual) and decoded by the caller; other codings pass untouched.",
    run: async (t) => {
      const out = {};
      for (const q of ["coding=gzip", "coding=br", "coding=deflate", "coding=x-custom", "coding=gzip&manual", "coding=deflate&manual"]) {
        const response = await t.def.fetch(`http://example.com/coded?${q}`);
        let text;
        try {
          // Deflate bytes differ between compressors: show what they inflate to.
          text = q === "coding=deflate&manual"
            ? `still deflated, inflates to ${await new Response(response.body.pipeThrough(new DecompressionStream("deflate"))).text()}`
            : await response.text();
        } catch (err) {
          text = `read failed: ${err}`;
        }
        out[q] = `${response.headers.get("content-encoding")}: ${text}`;
      }
      return out;
    },
  },
  {
    name: "fetch: a redirect from the callee", row: "A1",
    about: "Followed by default and with redirect: follow (url and redirected set; a 307 sends the body again), returned with manual.",
    run: async (t) => {
      const out = {};
      for (const mode of [undefined, "follow", "manual"]) {
        const response = await t.def.fetch("http://example.com/moved", mode ? { redirect: mode } : {});
        out[mode ?? "default"] = { status: response.status, url: response.url, redirected: response.redirected, location: response.headers.get("location"), text: await response.text() };
      }
      for (const method of ["POST", "PUT"]) {
        try {
          const response = await t.def.fetch("http://example.com/moved-307", { method, body: "the body" });
          out[`307 ${method}`] = { status: response.status, url: response.url, text: await response.text() };
        } catch (err) {
          out[`307 ${method}`] = `failed: ${err}`;
        }
      }
      return out;
    },
  },
  {
    name: "fetch: the response's status, status text, headers and body", row: "A1",
    about: "Also for HEAD, a 204, and a fetch handler that throws (500). Connection-level headers (Connection, Keep-Alive) are left out: each HTTP server sets its own.",
    run: async (t) => {
      const out = {};
      const hopByHop = new Set(["connection", "keep-alive"]);
      for (const [path, method] of [["shaped", "GET"], ["shaped", "HEAD"], ["throws", "GET"], ["empty", "GET"]]) {
        const r = await t.def.fetch(`http://example.com/${path}`, { method });
        // Sorted here: Bun's Headers iterates Set-Cookie after the rest.
        const headers = [...r.headers].filter(([name]) => !hopByHop.has(name)).sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : 1));
        out[`${method} ${path}`] = { status: r.status, statusText: r.statusText, headers, cookies: r.headers.getSetCookie(), bodyNull: r.body === null, text: await r.text() };
      }
      return out;
    },
  },
  {
    name: "fetch: the request's URL, method and repeated headers as the callee sees them", row: "A1",
    about: "An empty query is kept, the fragment dropped; an incoming request's redirect mode is manual.",
    run: async (t) => {
      const out = [];
      const headers = new Headers();
      headers.append("x-multi", "a");
      headers.append("x-multi", "b");
      for (const [url, init] of [
        ["https://example.com/url/a%20b/%C3%A9?x=1&y=%20#frag", {}],
        ["http://other.host:8080/url?", { method: "PATCH", body: "p", headers }],
        ["http://example.com/url", { method: "OPTIONS", redirect: "manual" }],
        ["http://example.com/url/é space", {}],
      ]) {
        try {
          out.push(await (await t.def.fetch(url, init)).json());
        } catch (err) {
          out.push(`${url} failed: ${err} ${err.cause ?? ""}`);
        }
      }
      return out;
    },
  },
  {
    name: "fetch: through a binding to a named entrypoint", row: "A1",
    about: "workerd serves it with the bound entrypoint's fetch.",
    ours: {
      // An edgebind caller names the entrypoint in its request; workerd's plain HTTP cannot.
      side: "workerd-caller",
      why: "http-entrypoint",
      value: { value: { status: 201, text: "default.fetch GET /named body= x=null twelve=12" } },
    },
    run: async (t) => {
      const response = await t.svc.fetch("http://example.com/named");
      return { status: response.status, text: await response.text() };
    },
  },

  // ---------------------------------------------------------------------------------------------
  // A2. The caller's object model
  {
    name: "binding: shape (then, in, typeof, instanceof)", row: "A2",
    run: (t) => ({
      then: typeof t.svc.then,
      thenIn: "then" in t.svc,
      anyIn: "anything" in t.svc,
      typeofBinding: typeof t.svc,
      typeofProperty: typeof t.svc.anything,
      serviceStub: t.svc instanceof t.cf.ServiceStub,
      property: t.svc.anything instanceof t.cf.RpcProperty,
      keys: Object.keys(t.svc),
    }),
  },
  {
    name: "stub: shape (then, typeof, instanceof, String, keys)", row: "A2",
    run: async (t) => {
      const stub = t.use(await t.svc.makeCounter(1));
      const p = stub.increment(1);
      const out = {
        awaitReturnsItself: (await stub) === stub,
        then: typeof stub.then,
        typeofStub: typeof stub,
        typeofProperty: typeof stub.increment,
        rpcStub: stub instanceof t.cf.RpcStub,
        rpcProperty: stub.increment instanceof t.cf.RpcProperty,
        rpcPromise: p instanceof t.cf.RpcPromise,
        string: String(stub),
        keys: Object.keys(stub),
        hasOwn: Object.prototype.hasOwnProperty.call(stub, "increment"),
        thenIn: "then" in stub,
        anyIn: "increment" in stub,
      };
      await p;
      return out;
    },
  },
  {
    name: "call: torn-off method", row: "A2",
    run: async (t) => {
      const f = t.svc.add;
      return await f(1, 2);
    },
  },
  {
    name: "call: caller-side errors reject, never throw", row: "A2",
    run: async (t) => {
      let p;
      try {
        p = t.svc.roundTrip(Symbol("x"));
      } catch (e) {
        return { threwSynchronously: t.tag(e) };
      }
      return { rejected: await t.attempt(() => p) };
    },
  },
  {
    name: "property: await a data property", row: "A2",
    run: async (t) => ({ whole: await t.svc.nonFunctionProperty, nested: await t.svc.objectProperty.someText }),
  },
  { name: "property: getter runs with the instance as this", row: "A3", run: (t) => t.svc.getterThis },
  { name: "property: call a function-valued property", row: "A2", run: (t) => t.svc.functionProperty(19, 6) },
  { name: "property: call a nested function", row: "A2", run: (t) => t.svc.objectProperty.deeper.deepFunc(6, 3) },
  { name: "property: call a method of a nested RpcTarget", row: "A2", run: (t) => t.svc.objectProperty.counter5.increment(3) },
  { name: "property: promise-valued property is awaited", row: "A3", run: (t) => t.svc.promiseProperty },
  {
    name: "property: then, catch and finally each get the value", row: "A2",
    run: async (t) => {
      let sawFinally = false;
      const viaFinally = await t.svc.promiseProperty.finally(() => { sawFinally = true; });
      const viaThen = await t.svc.rejectingPromiseProperty.then(() => "fulfilled", (e) => `rejected: ${e.message}`);
      const viaCatch = await t.svc.rejectingPromiseProperty.catch((e) => `caught: ${e.message}`);
      return { viaFinally, sawFinally, viaThen, viaCatch };
    },
  },
  { name: "property: a throwing getter", row: "A3", run: (t) => t.svc.throwingProperty },
  { name: "property: a rejected promise property", row: "A3", run: (t) => t.svc.rejectingPromiseProperty },
  {
    name: "property: a stub fetched as a property", row: "A2",
    run: async (t) => {
      const counter = t.use(await t.svc.objectProperty.counter5);
      return [await counter.increment(3), await counter.increment(7)];
    },
  },
  {
    name: "property: a function fetched as a property", row: "A2",
    run: async (t) => {
      const f = t.use(await t.svc.objectProperty.func);
      return await f(3, 7);
    },
  },
  {
    name: "property: a method fetched as a property loses this", row: "A2",
    about: "workerd invokes it with `this` set to the function itself.",
    run: async (t) => {
      const f = t.use(await t.svc.thisInfo);
      return await f();
    },
  },
  {
    name: "property: path depth limit (64)", row: "A2",
    run: (t) => {
      const attempt = (start) => {
        let p = start;
        let depth = 0;
        try {
          for (let i = 0; i < 100; i++) {
            p = p.x;
            depth++;
          }
          return { depth };
        } catch (e) {
          return { depth, error: t.tagError(e), sync: true };
        }
      };
      const local = t.use(new t.cf.RpcStub({}));
      return { binding: attempt(t.svc), localStub: attempt(local), promise: attempt(t.svc.holder()) };
    },
  },
  {
    name: "property: the deepest allowed path is sent", row: "A2",
    run: async (t) => {
      let p = t.svc.objectProperty;
      for (let i = 0; i < 62; i++) p = p.x;
      return await t.attempt(() => p);
    },
  },
  {
    name: "RpcStub: wraps a plain object, a function, an RpcTarget, a Proxy of one", row: "A2",
    run: async (t) => {
      const { Tracked } = callerClasses(t.cf);
      const plain = t.use(new t.cf.RpcStub({ sum: (a, b) => a + b }));
      const f = (a, b) => a * b;
      f.own = "own prop";
      const fn = t.use(new t.cf.RpcStub(f));
      const target = new Tracked(4);
      const stub = t.use(new t.cf.RpcStub(target));
      const proxied = t.use(new t.cf.RpcStub(new Proxy(new Tracked(10), {})));
      return {
        plain: await plain.sum(12, 34),
        fn: await fn(6, 7),
        fnOwn: await fn.own,
        target: await stub.increment(5),
        proxied: await proxied.increment(1),
      };
    },
  },
  {
    name: "RpcStub: refuses other values", row: "A2",
    run: (t) => {
      const { NotRpc } = callerClasses(t.cf);
      const out = {};
      for (const [label, v] of [["number", 1], ["class instance", new NotRpc()], ["null", null], ["Map", new Map()]]) {
        try {
          new t.cf.RpcStub(v);
          out[label] = "accepted";
        } catch (e) {
          out[label] = t.tagError(e);
        }
      }
      return out;
    },
  },
  {
    name: "RpcStub: local dispose, use after dispose, disposer", row: "A6",
    run: async (t) => {
      const { Tracked } = callerClasses(t.cf);
      const target = new Tracked(0);
      const stub = new t.cf.RpcStub(target);
      const before = await stub.increment(1);
      stub[Symbol.dispose]();
      stub[Symbol.dispose]();
      const after = await t.attempt(() => stub.increment(1));
      await t.until(() => target.disposed > 0, 500);
      return { before, after, disposed: target.disposed };
    },
  },

  // ---------------------------------------------------------------------------------------------
  // A3. Method lookup, visibility, reserved names
  { name: "hidden: instance method field", row: "A3", run: (t) => t.svc.instanceMethod() },
  { name: "hidden: instance object field", row: "A3", run: (t) => t.svc.instanceObject.func() },
  { name: "hidden: awaiting an instance field", row: "A3", run: (t) => t.svc.instanceObject },
  { name: "hidden: this.env", row: "A3", run: (t) => t.svc.env },
  { name: "hidden: this.ctx", row: "A3", run: (t) => t.svc.ctx.waitUntil() },
  { name: "hidden: env through a plain object", row: "A3", run: (t) => t.svc.objectProperty.env.NEXT.add(1, 2) },
  { name: "hidden: static method", row: "A3", run: (t) => t.svc.staticMethod() },
  { name: "hidden: missing method", row: "A3", run: (t) => t.svc.noSuchMethod() },
  { name: "hidden: non-RpcTarget class instance in a plain object", row: "A3", run: (t) => t.svc.objectProperty.nonRpc.foo() },
  { name: "hidden: getter on a non-RpcTarget class instance", row: "A3", run: (t) => t.svc.objectProperty.nonRpc.bar.baz() },
  { name: "hidden: null-prototype object", row: "A3", run: (t) => t.svc.objectProperty.nullPrototype.foo },
  { name: "hidden: own field of an RpcTarget", row: "A3", run: (t) => t.svc.objectProperty.target.n },
  { name: "visible: inherited RpcTarget method", row: "A3", run: async (t) => [await t.svc.objectProperty.derived.inherited(), await t.svc.objectProperty.derived.own()] },
  { name: "visible: own props of a function (name, length)", row: "A3", run: async (t) => { const f = t.use(await t.svc.getFunction()); return [await f.someProperty, await f.name, await f.length]; } },
  { name: "not a function: top level", row: "A3", run: (t) => t.svc.nonFunctionProperty() },
  { name: "not a function: dotted path", row: "A3", run: (t) => t.svc.nonFunctionProperty.foo() },
  { name: "reserved: alarm", row: "A3", run: (t) => t.svc.alarm() },
  { name: "reserved: dup on a binding", row: "A3", run: (t) => t.svc.dup() },
  { name: "reserved: webSocketMessage, webSocketClose, webSocketError", row: "A3", run: async (t) => [await t.attempt(() => t.svc.webSocketMessage()), await t.attempt(() => t.svc.webSocketClose()), await t.attempt(() => t.svc.webSocketError())] },
  { name: "reserved: fetch on a path segment", row: "A3", about: "Checked on every segment (quirk kept).", run: (t) => t.svc.objectProperty.fetch() },
  { name: "reserved: alarm under a plain object", row: "A3", run: (t) => t.svc.objectProperty.target.alarm() },
  { name: "reserved: connect on an object handler", row: "A3", run: (t) => t.def.nested.connect() },
  { name: "not reserved: other handler names", row: "A3", run: async (t) => [await t.svc.queue(1), await t.svc.scheduled(2), await t.svc.test(3), await t.svc.email(4), await t.svc.tail(5)] },
  { name: "not reserved: get, put, delete", row: "A1", run: async (t) => [await t.svc.get(1), await t.svc.put(2), await t.svc.delete(3)] },
  {
    name: "not reserved: fetch and alarm on a returned RpcTarget", row: "A3",
    run: async (t) => {
      const c = t.use(await t.svc.makeCounter(1));
      return [await c.fetch("a", "b"), await c.alarm(), await t.svc.makeCounter(2).fetch("p", "q")];
    },
  },
  {
    name: "returned RpcPromise is awaited by the callee", row: "A3",
    run: async (t) => {
      const cb = () => ({ x: 123 });
      cb.foo = { x: 456 };
      return {
        promise: await t.svc.getRpcPromise(cb),
        pipelined: await t.svc.getRpcPromise(cb).x,
        property: await t.svc.getRpcProperty(cb),
        propertyPipelined: await t.svc.getRpcProperty(cb).x,
      };
    },
  },
  {
    name: "nested RpcPromise / RpcProperty cannot be serialized", row: "A3/A4",
    run: async (t) => {
      const cb = () => ({ x: 123 });
      cb.foo = { x: 456 };
      return {
        promise: await t.attempt(() => t.svc.getNestedRpcPromise(cb)),
        promisePipelined: await t.attempt(() => t.svc.getNestedRpcPromise(cb).value.x),
        property: await t.attempt(() => t.svc.getNestedRpcProperty(cb)),
      };
    },
  },

  // ---------------------------------------------------------------------------------------------
  // A4. Values
  ...Object.entries(valueCases).map(([label, make]) => ({ name: `value: ${label}`, row: "A4", run: roundTrip(make) })),
  {
    name: "value: a function goes as a stub", row: "A4",
    run: async (t) => {
      const f = (x) => x * 2;
      f.prop = "p";
      return { seen: await t.svc.isStub(f), called: await t.svc.call(f, 21), prop: await t.svc.getProp(f, "prop") };
    },
  },
  {
    name: "value: an RpcTarget goes as a stub and comes back as one", row: "A4",
    run: async (t) => {
      const { Tracked } = callerClasses(t.cf);
      const target = new Tracked(0);
      const back = t.use(await t.svc.identity(target));
      return { seen: await t.svc.isStub(target), identical: back === target, isStub: back instanceof t.cf.RpcStub, works: await back.increment(2) };
    },
  },
  {
    name: "value: a Proxy of a plain object goes as a stub", row: "A4",
    about: "workerd quirk; edgebind cannot tell a Proxy from its target portably.",
    ours: { side: "caller", why: "proxies", value: { value: { $: "object", proto: "Object", props: { seen: { $: "object", proto: "Object", props: { typeof: "object", isRpcStub: false, tag: { $: "object", proto: "Object", props: { a: 1 } } } } } } } },
    run: async (t) => ({ seen: await t.svc.isStub(new Proxy({ a: 1 }, {})) }),
  },
  {
    name: "value: Proxy of an RpcTarget, of a function, faked prototypes", row: "A4",
    run: async (t) => {
      const { Tracked, NotRpc } = callerClasses(t.cf);
      const counter = new Tracked(0);
      const proxy = new Proxy(counter, { get: (target, prop) => (prop === "increment" ? (i) => target.increment(i + 100) : Reflect.get(target, prop)) });
      const viaProxy = await t.svc.incrementCounter(proxy, 1);
      const fn = new Proxy((i) => i * 3, { apply: (target, _this, args) => target(...args) + 2 });
      const viaFn = await t.svc.call(fn, 2);
      const nonRpc = new NotRpc();
      const faked = new Proxy(nonRpc, { getPrototypeOf: () => t.cf.RpcTarget.prototype });
      const viaFaked = await t.attempt(() => t.svc.incrementCounter(faked, 5));
      return { viaProxy, viaFn, viaFaked };
    },
  },
  {
    name: "value: a Proxy of a non-RpcTarget class instance is refused", row: "A4",
    ours: {
      side: "caller", why: "proxies",
      value: { error: { $: "Error", ctor: "DOMException", name: "DataCloneError", message: 'Could not serialize object of type "NotRpc". This type does not support serialization.', code: 25 } },
    },
    run: (t) => {
      const { NotRpc } = callerClasses(t.cf);
      return t.svc.incrementCounter(new Proxy(new NotRpc(), {}), 1);
    },
  },
  { name: "value: Symbol is refused (caller side)", row: "A4", run: (t) => t.svc.roundTrip(Symbol("x")) },
  { name: "value: class instance is refused (caller side)", row: "A4", run: (t) => { const { NotRpc } = callerClasses(t.cf); return t.svc.roundTrip(new NotRpc()); } },
  { name: "value: null-prototype object is refused (caller side)", row: "A4", run: (t) => t.svc.roundTrip(Object.create(null)) },
  { name: "value: WeakMap is refused (caller side)", row: "A4", run: (t) => t.svc.roundTrip(new WeakMap()) },
  { name: "value: class instance is refused (callee side)", row: "A4", run: (t) => t.svc.make("nonRpcClass") },
  { name: "value: null-prototype object is refused (callee side)", row: "A4", run: (t) => t.svc.make("nullProto") },
  { name: "value: Symbol is refused (callee side)", row: "A4", run: (t) => t.svc.make("symbol") },
  { name: "value: WeakMap is refused (callee side)", row: "A4", run: (t) => t.svc.make("weakMap") },
  { name: "value: Map result", row: "A4", run: (t) => t.svc.make("map") },
  { name: "value: an Error as a value", row: "A4/A8", run: (t) => t.svc.make("errorValue") },
  { name: "value: errors nested in data", row: "A4/A8", run: (t) => t.svc.make("nestedError") },
  { name: "value: a DOMException as a value", row: "A4/A8", run: (t) => t.svc.make("domExceptionValue") },
  { name: "value: errors as arguments", row: "A4/A8", run: roundTrip(() => [new TypeError("arg", { cause: 1 }), Object.assign(new Error("e"), { code: 7 })]) },
  {
    name: "limit: arguments of exactly 32 MiB pass", row: "A4/(d)",
    about: "A one-byte string of 2^25 - 12 chars makes a 2^25-byte args value.",
    run: (t) => t.svc.size("x".repeat(2 ** 25 - 12)),
  },
  { name: "limit: arguments one byte over 32 MiB are refused", row: "A4/(d)", run: (t) => t.svc.size("x".repeat(2 ** 25 - 11)) },
  { name: "limit: a result over 32 MiB is refused", row: "A4/(d)", run: (t) => t.svc.make("bigString") },
  {
    name: "limit: 5000 levels of nesting", row: "A4",
    run: (t) => {
      let v = {};
      for (let i = 0; i < 5000; i++) v = { v };
      return t.svc.depth(v);
    },
  },

  // ---------------------------------------------------------------------------------------------
  // A5. Pipelining
  { name: "pipeline: on a returned stub", row: "A5", run: (t) => t.svc.makeCounter(12).increment(3) },
  { name: "pipeline: a data field of an object result", row: "A5", run: (t) => t.svc.getAnObject(5).foo },
  { name: "pipeline: a stub field of an object result", row: "A5", run: (t) => t.svc.getAnObject(5).counter.increment(7) },
  { name: "pipeline: through a nested RpcTarget getter", row: "A5", run: (t) => t.svc.getADeeperObject(3).box.value.increment(4) },
  { name: "pipeline: on a returned function", row: "A5", run: async (t) => { const f = t.svc.getFunction(); return [await f(3, 6), await f.someProperty]; } },
  { name: "pipeline: on a primitive result", row: "A5", run: (t) => t.svc.add(1, 2).foo() },
  { name: "pipeline: on a Map result", row: "A5", run: (t) => t.svc.make("map").foo() },
  { name: "pipeline: the failure of the call", row: "A5", run: (t) => t.svc.throwing("RangeError").x.y() },
  {
    name: "pipeline: after the result arrived", row: "A5",
    run: async (t) => {
      const p = t.svc.getAnObject(1);
      const whole = await p;
      const later = await p.counter.increment(1);
      const prim = t.svc.add(1, 2);
      await prim;
      return { foo: whole.foo, later, primitive: await t.attempt(() => prim.foo()) };
    },
  },
  { name: "pipeline: proxied, a stub result", row: "A5", run: async (t) => { const c = t.fwd.makeCounter(12); const p1 = c.increment(3); const p2 = c.increment(5); return [await p1, await p2]; } },
  { name: "pipeline: proxied, an object with a stub", row: "A5", run: async (t) => { const c = t.fwd.getAnObject(12).counter; const p1 = c.increment(3); const p2 = c.increment(5); return [await p1, await p2]; } },
  { name: "pipeline: proxied, through a nested getter", row: "A5", run: async (t) => { const c = t.fwd.getADeeperObject(12).box.value; const p1 = c.increment(3); const p2 = c.increment(5); return [await p1, await p2]; } },
  { name: "proxy: a plain result", row: "A4", run: (t) => t.fwd.add(20, 22) },
  { name: "proxy: an error from the far callee", row: "A8", run: (t) => t.fwd.throwing("props") },
  { name: "proxy: an awaited error from the far callee", row: "A8", run: (t) => t.fwd.awaitedThrowing("TypeError") },
  { name: "proxy: a caller target passed through", row: "A4", run: async (t) => { const { Tracked } = callerClasses(t.cf); const c = new Tracked(1); return [await t.fwd.passCounter(c, 2), c.n]; } },
  { name: "proxy: a callback passed through", row: "A4", run: (t) => t.fwd.callback((x) => `called back with ${x}`, "arg") },
  { name: "proxy: a forwarded stub", row: "A4", run: async (t) => { const s = t.use(await t.fwd.forwardStub()); return [await s.increment(1), await s.increment(2)]; } },
  {
    name: "order: concurrent calls on one stub arrive in order", row: "A2 (E-order)",
    run: async (t) => {
      const stub = t.use(await t.svc.makeCounter(17));
      const first = [await stub.increment(2), await stub.increment(-10)];
      return { first, concurrent: await Promise.all([stub.increment(6), stub.increment(4), stub.increment(3)]) };
    },
  },
  {
    name: "order: pipelined calls before the stub resolves", row: "A2 (E-order)",
    run: async (t) => {
      const stub = t.svc.makeCounter(0);
      const all = await Promise.all([1, 2, 3, 4, 5, 6].map(() => stub.increment(1)));
      return all;
    },
  },
  {
    name: "order: returns can complete out of order", row: "A2 (E-order)",
    run: async (t) => {
      const stub = t.use(await t.svc.makeCounter(0));
      const done = [];
      const slow = stub.slowIncrement(10, 40).then((v) => { done.push("slow"); return v; });
      const fast = stub.increment(1).then((v) => { done.push("fast"); return v; });
      return { values: await Promise.all([slow, fast]), done };
    },
  },

  // ---------------------------------------------------------------------------------------------
  // Callbacks: callee calls back into the caller
  { name: "callback: a function", row: "A4", run: (t) => t.svc.call((a, b) => a + b, 2, 3) },
  { name: "callback: an async function", row: "A4", run: (t) => t.svc.call(async (a) => `async ${a}`, "x") },
  { name: "callback: called twice", row: "A4", run: (t) => t.svc.callTwice((n) => n * 10) },
  { name: "callback: a method of a caller RpcTarget", row: "A4", run: async (t) => { const { Tracked } = callerClasses(t.cf); const c = new Tracked(5); return [await t.svc.incrementCounter(c, 2), c.n]; } },
  { name: "callback: a property of a caller object", row: "A4", run: (t) => t.svc.getProp({ answer: 42 }, "answer") },
  { name: "callback: a method of a caller plain object", row: "A4", run: (t) => t.svc.callMethod({ hi: (n) => `hi ${n}` }, "hi", "there") },
  {
    name: "callback: callee → caller → callee", row: "A4",
    run: (t) => t.svc.callbackRoundTrip(async (counter) => [await counter.increment(1), await counter.value]),
  },
  {
    name: "callback: an error thrown by the caller", row: "A8",
    run: (t) => t.svc.callbackThrows(() => { const e = new RangeError("from the caller"); e.code = 9; throw e; }),
  },
  {
    name: "callback: a caller error rethrown by the callee", row: "A8",
    run: (t) => t.svc.callbackRethrows(() => { throw new TypeError("caller error, rethrown"); }),
  },

  // ---------------------------------------------------------------------------------------------
  // A6. Disposal and ownership
  {
    name: "dispose: a returned stub", row: "A6",
    run: async (t) => {
      const counter = await t.svc.makeCounter(12);
      const before = await counter.increment(3);
      counter[Symbol.dispose]();
      counter[Symbol.dispose]();
      return { before, after: await t.attempt(() => counter.increment(2)) };
    },
  },
  {
    name: "dispose: an object result disposes its stubs", row: "A6",
    run: async (t) => {
      const obj = await t.svc.getAnObject(5);
      const before = await obj.counter.increment(7);
      const disposer = { type: typeof obj[Symbol.dispose], enumerable: Object.keys(obj) };
      obj[Symbol.dispose]();
      return { before, disposer, after: await t.attempt(() => obj.counter.increment(2)) };
    },
  },
  {
    name: "dispose: which results get a disposer", row: "A6",
    run: async (t) => {
      const has = (v) => (typeof v === "object" || typeof v === "function") && v !== null && typeof v[Symbol.dispose] === "function";
      const stub = t.use(await t.svc.makeCounter(1));
      return {
        number: has(await t.svc.add(1, 2)),
        plain: has(await t.svc.nonFunctionProperty),
        array: has(await t.svc.roundTrip([1])),
        map: has(await t.svc.make("map")),
        date: has(await t.svc.roundTrip(new Date(0))),
        stub: has(stub),
      };
    },
  },
  {
    name: "dispose: a caller target passed as a param is disposed after the call", row: "A6",
    run: async (t) => {
      const { Tracked } = callerClasses(t.cf);
      const c = new Tracked(3);
      const result = await t.svc.incrementCounter(c, 5);
      await t.until(() => c.disposed > 0, 1000);
      return { result, disposed: c.disposed };
    },
  },
  {
    name: "dispose: the same target sent twice is disposed twice", row: "A4/A6",
    run: async (t) => {
      const { Tracked } = callerClasses(t.cf);
      const c = new Tracked(0);
      const r = await t.svc.args(c, c);
      r[Symbol.dispose]?.();
      await t.until(() => c.disposed >= 1, 1000);
      await t.sleep(50);
      return { count: r.count, disposed: c.disposed };
    },
  },
  {
    name: "dispose: params die with the call, dups live (testDispose)", row: "A6",
    run: async (t) => {
      const { Tracked } = callerClasses(t.cf);
      const counter = new Tracked(3);
      const obj = await t.svc.testDispose(counter);
      const out = { count: obj.count };
      out.original = await t.attempt(() => obj.incrementOriginal(1));
      out.dup = await t.attempt(() => obj.incrementDup(7));
      out.returnedCopy = await t.attempt(() => obj.counter.increment(4));
      out.disposedBefore = counter.disposed;
      obj[Symbol.dispose]();
      out.afterCopy = await t.attempt(() => obj.counter.increment(2));
      out.afterDup = await t.attempt(() => obj.incrementDup(7));
      await t.until(() => counter.disposed > 0, 1000);
      out.disposedAfter = counter.disposed;
      return out;
    },
  },
  {
    name: "dispose: a caller stub passed as a param stays usable (dup mode)", row: "A6",
    run: async (t) => {
      const { Tracked } = callerClasses(t.cf);
      const target = new Tracked(4);
      const stub = new t.cf.RpcStub(target);
      const viaCallee = await t.svc.incrementCounter(stub, 5);
      const after = await t.attempt(() => stub.increment(7));
      await t.sleep(20);
      const disposedWhileHeld = target.disposed;
      stub[Symbol.dispose]();
      await t.until(() => target.disposed > 0, 1000);
      return { viaCallee, after, disposedWhileHeld, disposedAfter: target.disposed };
    },
  },
  {
    name: "dispose: a target with dup() is dup()ed per send", row: "A6",
    run: async (t) => {
      const { WithDup } = callerClasses(t.cf);
      const target = new WithDup(0);
      const a = await t.svc.incrementCounter(target, 1);
      const b = await t.svc.incrementCounter(target, 2);
      await t.until(() => target.dupDisposed >= 2, 1000);
      await t.sleep(20);
      return { a, b, dups: target.dups, dupDisposed: target.dupDisposed, originalDisposed: target.disposed };
    },
  },
  {
    name: "dispose: a kept param (dup) works after the call returns", row: "A6",
    run: async (t) => {
      const { Tracked } = callerClasses(t.cf);
      const c = new Tracked(0);
      const during = await t.svc.keepAndUseLater(c, t.key);
      await t.until(() => c.n >= 2, 1000);
      const report = await t.svc.report(t.key);
      await t.until(() => c.disposed > 0, 1000);
      return { during, n: c.n, report, disposed: c.disposed };
    },
  },
  {
    name: "dispose: a param used after the call returns fails", row: "A6",
    run: async (t) => {
      const { Tracked } = callerClasses(t.cf);
      const c = new Tracked(0);
      const r = await t.svc.useAfterReturn(c, t.key);
      let report = {};
      await t.until(async () => Object.keys((report = await t.svc.report(t.key))).length > 0, 1000);
      return { r, report, n: c.n };
    },
  },
  {
    name: "dispose: a leaked dup is released when a plain result ends the session", row: "A6/A7",
    run: async (t) => {
      const { Tracked } = callerClasses(t.cf);
      const c = new Tracked(0);
      const r = await t.svc.leakButReturnPlainObject(c);
      await t.until(() => c.disposed > 0, 2000);
      return { r, disposed: c.disposed };
    },
  },
  {
    name: "dispose: dup() of a returned stub", row: "A6",
    run: async (t) => {
      const s = await t.svc.makeCounter(0);
      const d = s.dup();
      s[Symbol.dispose]();
      const viaDup = await t.attempt(() => d.increment(1));
      const viaOriginal = await t.attempt(() => s.increment(1));
      d[Symbol.dispose]();
      return { viaDup, viaOriginal, afterBoth: await t.attempt(() => d.increment(1)) };
    },
  },
  {
    name: "dispose: dup() after dispose", row: "A6",
    about: "workerd: an internal error.",
    ours: { side: "caller", why: "dup-after-dispose", value: { error: { $: "Error", ctor: "Error", name: "Error", message: "RPC stub used after being disposed." } } },
    run: async (t) => {
      const s = await t.svc.makeCounter(0);
      s[Symbol.dispose]();
      s.dup();
      return "no error";
    },
  },
  {
    name: "dispose: an RpcPromise disposed before its result arrives", row: "A6",
    run: async (t) => {
      const p = t.svc.makeCounter(0, t.key);
      p[Symbol.dispose]();
      const awaited = await t.attempt(async () => { const v = await p; return await v.increment(1); });
      const pipelined = await t.attempt(() => p.increment(1));
      return { awaited, pipelined };
    },
  },
  {
    name: "dispose: callee disposer of a returned RpcTarget", row: "A6",
    about: "workerd runs it only while the callee context is still alive (quirk 1).",
    ours: { side: "either", why: "callee-disposers", value: { value: { before: 1, report: { disposed: 1 } } } },
    run: async (t) => {
      const s = await t.svc.makeCounter(0, t.key);
      const before = await s.increment(1);
      s[Symbol.dispose]();
      let report = {};
      await t.until(async () => (report = await t.svc.report(t.key)).disposed > 0, 300);
      return { before, report };
    },
  },
  {
    name: "dispose: callee disposer of a returned plain object", row: "A6",
    about: "workerd runs it only while the callee context is still alive (quirk 1).",
    ours: { side: "callee", why: "callee-disposers", value: { value: { value: 1, disposerType: "function", report: { resultDisposed: 1 } } } },
    run: async (t) => {
      const r = await t.svc.withDisposer(t.key);
      const disposerType = typeof r[Symbol.dispose];
      r[Symbol.dispose]();
      let report = {};
      await t.until(async () => (report = await t.svc.report(t.key)).resultDisposed > 0, 300);
      return { value: r.value, disposerType, report };
    },
  },
  {
    name: "dispose: callee disposer after every dup is released", row: "A6",
    about: "workerd runs it only while the callee context is still alive (quirk 1).",
    ours: { side: "either", why: "callee-disposers", value: { value: { afterOne: {}, afterAll: { disposed: 1 } } } },
    run: async (t) => {
      const s = await t.svc.makeCounter(0, t.key);
      const d = s.dup();
      s[Symbol.dispose]();
      await d.increment(1);
      await t.sleep(30);
      const afterOne = await t.svc.report(t.key);
      d[Symbol.dispose]();
      let afterAll = {};
      await t.until(async () => (afterAll = await t.svc.report(t.key)).disposed > 0, 300);
      return { afterOne, afterAll };
    },
  },

  // ---------------------------------------------------------------------------------------------
  // A7. waitUntil
  {
    name: "waitUntil: ctx.waitUntil work runs after the return", row: "A7",
    run: async (t) => {
      const r = await t.svc.later(t.key);
      const right = await t.svc.report(t.key);
      let report = {};
      await t.until(async () => (report = await t.svc.report(t.key)).waitUntil > 0, 2000);
      return { r, rightAfter: right, report };
    },
  },
  {
    name: "waitUntil: the imported waitUntil", row: "A7",
    run: async (t) => {
      const r = await t.svc.laterImported(t.key);
      let report = {};
      await t.until(async () => (report = await t.svc.report(t.key)).importedWaitUntil > 0, 2000);
      return { r, report };
    },
  },

  // ---------------------------------------------------------------------------------------------
  // A8. Errors
  ...[
    "Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "URIError", "EvalError",
    "AggregateError", "custom", "customName", "cause", "props", "retryable", "overloaded",
    "DOMException", "string", "number", "object", "null", "undefined", "unicode", "emptyMessage",
  ].map((kind) => ({ name: `error: thrown ${kind}`, row: "A8", run: (t) => t.svc.throwing(kind) })),
  { name: "error: rejected TypeError (async)", row: "A8", run: (t) => t.svc.rejecting("TypeError") },
  { name: "error: rejected with cause (async)", row: "A8", run: (t) => t.svc.rejecting("cause") },
  { name: "error: thrown by a returned RpcTarget", row: "A8", run: async (t) => { const c = t.use(await t.svc.makeCounter(0)); return await c.fail("from a target"); } },
  { name: "error: the caller's stack is local", row: "A8", run: async (t) => { try { await t.svc.throwing("props"); } catch (e) { return { hasStack: typeof e.stack === "string", mentionsCallee: /callee\.js/.test(e.stack ?? "") }; } } },
];

