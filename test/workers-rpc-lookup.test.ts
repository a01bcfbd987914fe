// Workers RPC behaviour, part 3: what a callee exposes (reference workers-rpc-semantics.md A3):
// prototype-only lookup for classes, own properties for plain objects and functions, reserved
// names, path traversal, "is not a function", and what happens to returned RpcPromises.
//
// Names on Object.prototype (toString, hasOwnProperty, constructor) resolve locally on every stub
// kind, so no stub can send them; workerd's tests reach them with getRpcMethodForTestOnly(). We
// send them the same way with the engine's call(), on a session root or a stub's capability.

import { it, before } from "node:test";
import assert from "node:assert/strict";
import { WorkerEntrypoint } from "../core/worker/index.ts";
import { RpcStub, RpcTarget } from "../core/workers-rpc/index.ts";
import { SessionRoot } from "../core/workers-rpc/session.ts";
import { call, stubHookForSend, type CallRoot } from "../core/workers-rpc/stubs.ts";
import { expectQuiet } from "./support/workers-harness.ts";
import { bindControlled, overEachWire } from "./fixtures/rpc-pair.ts";
import { Counter, rejects } from "./fixtures/rpc-targets.ts";

class Base extends RpcTarget {
  inherited() {
    return "from the parent class";
  }
}

class Widget extends Base {
  field = "own field";
  arrow = () => "arrow field";
  #secret = "private";
  static make() {
    return new Widget();
  }
  reveal() {
    return this.#secret;
  }
  get computed() {
    return `computed from ${this.field}`;
  }
  fetch(a: unknown) {
    return `Widget.fetch(${String(a)})`;
  }
  alarm() {
    return "Widget.alarm";
  }
}

class Overrides extends RpcTarget {
  override toString() {
    return "overridden toString";
  }
}

class NotATarget {
  foo() {
    return "unreachable";
  }
}

class Service extends WorkerEntrypoint<{ X: number }> {
  instanceField = 1;
  instanceArrow = () => 2;
  #hidden = 3;
  static staticMethod() {
    return "static";
  }
  method() {
    return `method sees ${this.#hidden}`;
  }
  get someValue() {
    return 7;
  }
  widget() {
    return new Widget();
  }
  overrides() {
    return new Overrides();
  }
  get obj() {
    const fn = Object.assign((x: number) => x * 3, { props: { inner: (y: number) => y + 100 }, label: "fn label" });
    return {
      text: "hi",
      answer: 42,
      plain: { f: (x: number) => x + 1, deeper: { g: () => "g" } },
      widget: new Widget(),
      fn,
      nonRpc: new NotATarget(),
      nullProto: Object.assign(Object.create(null), { a: 1 }),
      viaStub: new RpcStub(new Counter(3)),
    };
  }
  getObj() {
    return { text: "hi", nested: { n: 1 } };
  }
  // Handler names that are not reserved are ordinary methods.
  queue() {
    return "queue";
  }
  scheduled() {
    return "scheduled";
  }
  test() {
    return "test";
  }
  email() {
    return "email";
  }
  tail() {
    return "tail";
  }
  get(a: number) {
    return a + 1;
  }
  put(a: number, b: number) {
    return a + b;
  }
  delete(a: number) {
    return a - 1;
  }
  alarm() {
    return "never callable at top level";
  }
  // Results that are themselves RPC objects.
  returnPromise(cb: () => unknown) {
    return cb();
  }
  nestPromise(cb: () => unknown) {
    return { value: cb() };
  }
  returnProperty(cb: { foo: unknown }) {
    return cb.foo;
  }
  nestProperty(cb: { foo: unknown }) {
    return { value: cb.foo };
  }
  returnThenable() {
    return { then: (resolve: (v: unknown) => void) => resolve("from a thenable") };
  }
  // A result's `then` is read once, as `await` reads it (the getters are not enumerable, so
  // serializing the value does not read them again).
  countedResult(thenable: boolean) {
    const result = { value: "plain" };
    Object.defineProperty(result, "then", {
      get() {
        thenReads++;
        return thenable ? (resolve: (v: unknown) => void) => resolve("adopted") : undefined;
      },
    });
    return result;
  }
  throwingThen() {
    return Object.defineProperty({}, "then", {
      get() {
        throw new RangeError("then is not readable");
      },
    });
  }
  // Serialized one promise step after the method returns: after the microtasks it queued.
  laterChanged() {
    const result = { step: "returned" };
    queueMicrotask(() => {
      result.step = "changed in a microtask";
    });
    return result;
  }
}

let thenReads = 0;

const reserved = (name: string) => ({ name: "TypeError", message: `'${name}' is a reserved method and cannot be called over RPC.` });
const missing = (name: string) => ({ name: "TypeError", message: `The RPC receiver does not implement the method "${name}".` });
const notAFunction = (path: string) => ({ name: "TypeError", message: `"${path}" is not a function.` });

/** A CallRoot over a stub's capability: raw calls the stub cannot express. */
const stubRoot = (stub: object): CallRoot => ({ hookForCall: () => ({ hook: stubHookForSend(stub), lease: null }) });

overEachWire("Workers RPC lookup", (wire) => bindControlled({ default: Service }, { wire, env: { X: 1 } }), (peer, wire) => {
  let top: CallRoot;
  before(() => {
    top = new SessionRoot(peer.pair.service);
  });

  it("looks up entrypoint methods on the prototype only", async () => {
    assert.equal(await peer.svc.method(), "method sees 3");
    assert.equal(await peer.svc.someValue, 7);
    for (const name of ["instanceField", "instanceArrow", "env", "ctx", "staticMethod", "#hidden"]) {
      await rejects(peer.svc[name](), missing(name));
    }
    await rejects(peer.svc.env.X, missing("env"));
    await rejects(peer.svc.ctx.waitUntil(), missing("ctx"));
    await rejects(call(top, ["toString"], []), missing("toString"));
    await rejects(call(top, ["hasOwnProperty"], ["x"]), missing("hasOwnProperty"));
    await rejects(call(top, ["valueOf"], []), missing("valueOf"));
    await expectQuiet(peer.pair);
  });

  it("looks up RpcTarget members on the prototype only, inherited ones included", async () => {
    {
      using widget = await peer.svc.widget();
      assert.equal(await widget.reveal(), "private");
      assert.equal(await widget.inherited(), "from the parent class");
      assert.equal(await widget.computed, "computed from own field");
      await rejects(widget.field, missing("field"));
      await rejects(widget.arrow(), missing("arrow"));
      await rejects(widget["#secret"], missing("#secret"));
      await rejects(widget.make(), missing("make"));
      await rejects(call(stubRoot(widget), ["toString"], []), missing("toString"));
      await rejects(call(stubRoot(widget), ["constructor"], []), reserved("constructor"));
    }
    {
      using overrides = await peer.svc.overrides();
      assert.equal(await call(stubRoot(overrides), ["toString"], []), "overridden toString");
    }
    await expectQuiet(peer.pair);
  });

  it("exposes only own properties of plain objects and functions", async () => {
    assert.equal(await peer.svc.obj.plain.f(4), 5);
    assert.equal(await peer.svc.obj.plain.deeper.g(), "g");
    assert.equal(await peer.svc.obj.fn(2), 6);
    assert.equal(await peer.svc.obj.fn.label, "fn label");
    assert.equal(await peer.svc.obj.fn.props.inner(1), 101);
    await rejects(peer.svc.obj.fn.call(null, 2), missing("call"));
    await rejects(peer.svc.obj.fn.bind, missing("bind"));
    await rejects(peer.svc.obj.fn.apply(null, [2]), missing("apply"));
    assert.equal(await peer.svc.obj.fn.length, 1, "a function's own length is visible");
    await rejects(call(top, ["obj", "plain", "toString"], []), missing("toString"));
    await rejects(call(top, ["obj", "plain", "hasOwnProperty"], ["f"]), missing("hasOwnProperty"));
    await expectQuiet(peer.pair);
  });

  it("refuses top-level reserved names on every path segment, only dup and constructor on other targets", async () => {
    for (const name of ["alarm", "webSocketMessage", "webSocketClose", "webSocketError", "dup"]) {
      await rejects(peer.svc[name](), reserved(name));
    }
    await rejects(call(top, ["fetch"], []), reserved("fetch"));
    await rejects(call(top, ["connect"], []), reserved("connect"));
    await rejects(call(top, ["constructor"], []), reserved("constructor"));
    await rejects(peer.svc.obj.fetch(), reserved("fetch"));
    await rejects(peer.svc.obj.widget.fetch(1), reserved("fetch"));
    await rejects(peer.svc.obj.widget.alarm(), reserved("alarm"));
    await rejects(peer.svc.obj.dup(), reserved("dup"));
    for (const name of ["queue", "scheduled", "test", "email", "tail"]) assert.equal(await peer.svc[name](), name);
    assert.deepEqual([await peer.svc.get(1), await peer.svc.put(2, 3), await peer.svc.delete(4)], [2, 5, 3]);
    {
      // Reached through a returned stub, the same target is an ordinary RpcTarget.
      using widget = peer.svc.widget();
      assert.equal(await widget.fetch("pipelined"), "Widget.fetch(pipelined)");
      assert.equal(await widget.alarm(), "Widget.alarm");
      await rejects(widget.dup(), reserved("dup"));
      const resolved = await widget;
      assert.equal(await resolved.fetch(2), "Widget.fetch(2)");
    }
    await expectQuiet(peer.pair);
  });

  it("traverses only plain objects, RpcTargets, functions and stubs", async () => {
    assert.equal(await peer.svc.obj.widget.reveal(), "private");
    assert.equal(await peer.svc.obj.viaStub.increment(2), 5, "a path can continue through a stub the callee holds");
    await rejects(peer.svc.obj.nonRpc.foo(), missing("nonRpc"));
    await rejects(peer.svc.obj.nullProto.a, missing("nullProto"));
    await rejects(peer.svc.obj.text.length, missing("text"));
    await rejects(peer.svc.obj.answer.toFixed(), missing("answer"));
    await rejects(peer.svc.obj.nowhere.x(), missing("nowhere"));
    await expectQuiet(peer.pair);
  });

  it("names the whole dotted path when the target is not a function", async () => {
    await rejects(peer.svc.someValue(), notAFunction("someValue"));
    await rejects(peer.svc.obj.text(), notAFunction("obj.text"));
    await rejects(peer.svc.obj.plain.deeper(), notAFunction("obj.plain.deeper"));
    {
      using result = peer.svc.getObj();
      await rejects(result.nested(), notAFunction("nested"));
      await rejects(result(), notAFunction("(this)"));
    }
    await expectQuiet(peer.pair);
  });

  it("awaits a returned RpcPromise, RpcProperty or thenable, but refuses nested ones", async () => {
    const cb = Object.assign(() => ({ x: 123 }), { foo: { x: 456 } });
    // The callee awaits the RPC result it returns; that result object carries a disposer, which
    // travels on like any returned object's (hasDisposer), so we dispose what we get, as in workerd.
    {
      using value = await peer.svc.returnPromise(cb);
      assert.deepEqual(value, { x: 123 });
      using promise = peer.svc.returnPromise(cb);
      assert.equal(await promise.x, 123);
    }
    {
      using value = await peer.svc.returnProperty(cb);
      assert.deepEqual(value, { x: 456 });
      using promise = peer.svc.returnProperty(cb);
      assert.equal(await promise.x, 456);
    }
    assert.equal(await peer.svc.returnThenable(), "from a thenable");
    const cannot = (type: string) => ({ name: "DataCloneError", message: `Could not serialize object of type "${type}". This type does not support serialization.` });
    await rejects(peer.svc.nestPromise(cb), cannot("RpcPromise"));
    await rejects(peer.svc.nestPromise(cb).value, cannot("RpcPromise"));
    await rejects(peer.svc.nestPromise(cb).value.x, cannot("RpcPromise"));
    await rejects(peer.svc.nestProperty(cb), cannot("RpcProperty"));
    await rejects(peer.svc.nestProperty(cb).value, cannot("RpcProperty"));
    await expectQuiet(peer.pair);
  });

  it("reads a result's then once and waits one promise step, as await does", async () => {
    thenReads = 0;
    assert.deepEqual(await peer.svc.countedResult(false), { value: "plain" });
    assert.equal(thenReads, 1);
    thenReads = 0;
    assert.equal(await peer.svc.countedResult(true), "adopted");
    assert.equal(thenReads, 1);
    await rejects(peer.svc.throwingThen(), { name: "RangeError", message: "then is not readable" });
    assert.deepEqual(await peer.svc.laterChanged(), { step: "changed in a microtask" });
    await expectQuiet(peer.pair);
  });
});
