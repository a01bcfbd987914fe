// Workers RPC behaviour, part 4: values through RPC (reference workers-rpc-semantics.md A4).
// Everything here crosses a real connection in both directions (as an argument, then as a
// result): what is copied, what goes by reference, what is refused and with which message.

import { it } from "node:test";
import assert from "node:assert/strict";
import { WorkerEntrypoint } from "../core/worker/index.ts";
import { RpcStub } from "../core/workers-rpc/index.ts";
import { bindWorker, expectQuiet } from "./support/workers-harness.ts";
import { overEachWire } from "./fixtures/rpc-pair.ts";
import { Counter, rejects } from "./fixtures/rpc-targets.ts";
import { sameBytes } from "./support/bytes.ts";

class Foo {
  x = 1;
}

const LIMIT = 2 ** 25;
const tooBig = /^Serialized RPC arguments or return values are limited to 32MiB, but the size of this value was: (\d+) bytes\.$/;

/** Counters the callee made, so the test can watch their disposers. */
const made: Counter[] = [];

class Service extends WorkerEntrypoint {
  echo(v: unknown) {
    return v;
  }
  /** What arrived, as seen by the callee. */
  inspect(v: unknown) {
    const tag = Object.prototype.toString.call(v);
    const isStub = (x: unknown) => x instanceof RpcStub;
    if (Array.isArray(v)) return { tag, length: v.length, stubs: v.map(isStub), same: v.length > 1 && v[0] === v[1] };
    if (typeof v === "object" && v !== null) return { tag, keys: Object.keys(v), stubs: Object.values(v).map(isStub) };
    return { tag, stub: isStub(v), type: typeof v };
  }
  same(a: unknown, b: unknown) {
    return a === b;
  }
  byteLength(v: Uint8Array) {
    return v.byteLength;
  }
  make(kind: string): unknown {
    switch (kind) {
      case "symbol":
        return { s: Symbol("x") };
      case "class":
        return [new Foo()];
      case "nullProto":
        return Object.create(null);
      case "weakMap":
        return new WeakMap();
      case "tooBig":
        return new Uint8Array(LIMIT + 10);
      case "targetThenBad": {
        const counter = new Counter(1);
        made.push(counter);
        return { counter, bad: new Foo() };
      }
      default:
        throw new Error(`unknown kind ${kind}`);
    }
  }
  async useTwice(a: Counter, b: Counter) {
    return [await a.increment(1), await b.increment(1)];
  }
}

/** Values that must come back equal (deepStrictEqual compares prototypes, Map/Set contents, -0, NaN, holes). */
function samples(): [string, unknown][] {
  const sparse: unknown[] = [];
  sparse[1] = "one";
  sparse[5] = "five";
  const withProps = Object.assign([1, 2], { extra: "kept" });
  const buffer = new ArrayBuffer(16);
  new Uint8Array(buffer).set([1, 2, 3, 4, 5, 6, 7, 8]);
  return [
    ["primitives", [undefined, null, true, false, 0, -1, 2 ** 31, 1.5, "", "text", "ü€😀", "\ud800 lone surrogate"]],
    ["special numbers", [-0, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE]],
    ["bigints", [0n, -1n, 2n ** 64n, -(10n ** 40n)]],
    ["wrapper objects", [new String("s"), new Number(3), new Boolean(false), Object(5n)]],
    ["nested plain objects", { a: { b: { c: [1, { d: null }] } }, empty: {}, list: [] }],
    ["Map", new Map<unknown, unknown>([["k", 1], [2, { v: [1] }], [{ key: "object" }, new Set([1])]])],
    ["Set", new Set<unknown>([1, "1", { one: 1 }, [1]])],
    ["Date", new Date(Date.UTC(2024, 1, 29, 12, 30, 15, 250))],
    ["RegExp", [/ab+c/gimsuy, /x/, /a\/b/d]],
    ["sparse array", sparse],
    ["array with named props", withProps],
    ["ArrayBuffer", buffer],
    ["typed arrays", [
      new Int8Array([-1, 2]), new Uint8Array([255]), new Uint8ClampedArray([9]), new Int16Array([-300]),
      new Uint16Array([60000]), new Int32Array([-5]), new Uint32Array([2 ** 32 - 1]), new Float32Array([0.5]),
      new Float64Array([Math.PI, -0]), new BigInt64Array([-(2n ** 63n)]), new BigUint64Array([2n ** 64n - 1n]),
    ]],
    ["DataView", new DataView(buffer, 2, 4)],
    ["view on part of a buffer", new Uint16Array(buffer, 4, 2)],
  ];
}

overEachWire("Workers RPC values", (wire) => bindWorker({ default: Service }, { wire }), (peer, wire) => {
  it("copies every serializable type both ways", async () => {
    {
      // (deepStrictEqual calls two invalid Dates different: NaN !== NaN.)
      using invalid = await peer.svc.echo(new Date(Number.NaN));
      assert.equal(invalid instanceof Date, true);
      assert.ok(Number.isNaN(invalid.getTime()));
    }
    for (const [what, value] of samples()) {
      const back = await peer.svc.echo(value);
      assert.deepStrictEqual(back, value, what);
      if (typeof back === "object" && back !== null) {
        (back as any)[Symbol.dispose]?.(); // object results carry a (non-enumerable) disposer
      }
    }
    await expectQuiet(peer.pair);
  });

  it("large byte arrays arrive intact, one at a time and many in flight among small calls", async () => {
    // Over sockets these frames span many reads: each is assembled from transient chunks of
    // the fixed read buffer (protocol/capnp/framing.ts), next to small frames in the same reads.
    const sizes = [5000, 65536, 65536 + 17, 200_001, 1 << 20, 3 << 20];
    const make = (n: number, seed: number) => {
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 7 + (i >> 12)) & 0xff;
      return b;
    };
    for (const [k, n] of sizes.entries()) {
      const sent = make(n, k);
      const back = await peer.svc.echo(sent);
      assert.ok(back instanceof Uint8Array && back.buffer.byteLength === n && sameBytes(back, sent), `${n} bytes, alone`);
    }
    const calls = Array.from({ length: 24 }, (_, k) => {
      if (k % 3 === 2) return peer.svc.echo(k).then((v: unknown) => assert.equal(v, k));
      const sent = make(sizes[k % sizes.length]!, 100 + k);
      return peer.svc.echo(sent).then((back: Uint8Array) => assert.ok(sameBytes(back, sent), `${sent.length} bytes, call ${k} of many`));
    });
    await Promise.all(calls);
    await expectQuiet(peer.pair);
  });

  it("keeps cycles, shared references, view offsets and getters' values", async () => {
    const node: Record<string, unknown> = { name: "node" };
    node.self = node;
    const shared = { shared: true };
    const buffer = new ArrayBuffer(8);
    const back = await peer.svc.echo({ node, pair: [shared, shared], view: new Uint8Array(buffer, 2, 3), get computed() { return "evaluated"; } });
    assert.equal(back.node.self, back.node);
    assert.equal(back.pair[0], back.pair[1]);
    assert.equal(back.view.byteOffset, 2);
    assert.equal(back.view.buffer.byteLength, 8);
    assert.equal(back.computed, "evaluated");
    assert.equal(Object.getOwnPropertyDescriptor(back, "computed")?.get, undefined, "a getter arrives as its value");
    await expectQuiet(peer.pair);
  });

  it("drops symbol keys and non-enumerable properties silently", async () => {
    const value = Object.defineProperty({ kept: 1, [Symbol("dropped")]: 2 }, "hidden", { value: 3, enumerable: false });
    assert.deepEqual(await peer.svc.inspect(value), { tag: "[object Object]", keys: ["kept"], stubs: [false] });
    await expectQuiet(peer.pair);
  });

  it("refuses what cannot be cloned, with workerd's messages, as rejected promises", async () => {
    const refused: [unknown, string][] = [
      [Symbol("x"), "Symbol(x) could not be cloned."],
      [new Foo(), 'Could not serialize object of type "Foo". This type does not support serialization.'],
      [Object.create(null), 'Could not serialize object of type "Object". This type does not support serialization.'],
      [new WeakMap(), "#<WeakMap> could not be cloned."],
      [new WeakSet(), "#<WeakSet> could not be cloned."],
      [Promise.resolve(1), "#<Promise> could not be cloned."],
      // workerd lets a SharedArrayBuffer out and fails on receipt ("Unable to deserialize cloned
      // data."); our encoder refuses it on the way out.
      [new SharedArrayBuffer(4), "#<SharedArrayBuffer> could not be cloned."],
    ];
    for (const [value, message] of refused) {
      const promise = peer.svc.echo({ nested: [value] });
      const error: any = await rejects(promise, { name: "DataCloneError", message });
      assert.equal(error.remote, undefined, "an argument is refused by the caller itself");
    }
    const results: [string, string][] = [
      ["symbol", "Symbol(x) could not be cloned."],
      ["class", 'Could not serialize object of type "Foo". This type does not support serialization.'],
      ["nullProto", 'Could not serialize object of type "Object". This type does not support serialization.'],
      ["weakMap", "#<WeakMap> could not be cloned."],
    ];
    for (const [kind, message] of results) {
      await rejects(peer.svc.make(kind), { name: "DataCloneError", message, remote: true });
    }
    await expectQuiet(peer.pair);
  });

  it("releases what a result made before its serialization failed", async () => {
    made.length = 0;
    await rejects(peer.svc.make("targetThenBad"), { name: "DataCloneError", message: 'Could not serialize object of type "Foo". This type does not support serialization.' });
    assert.equal(made.length, 1);
    await made[0]!.disposed(1);
    await expectQuiet(peer.pair);
  });

  it("limits arguments and results to 32 MiB and says how big the value was", async () => {
    const big = new Uint8Array(LIMIT + 10);
    const argError: any = await rejects(peer.svc.byteLength(big), { name: "Error", message: tooBig });
    const argSize = Number(tooBig.exec(argError.message)![1]);
    assert.ok(argSize > LIMIT && argSize < LIMIT + 64, `reported ${argSize}`);
    const resultError: any = await rejects(peer.svc.make("tooBig"), { message: tooBig, remote: true });
    assert.ok(Number(tooBig.exec(resultError.message)![1]) > LIMIT);
    // Just under the limit is fine.
    assert.equal(await peer.svc.byteLength(new Uint8Array(LIMIT - 64)), LIMIT - 64);
    await expectQuiet(peer.pair);
  });

  it("passes functions and RpcTargets by reference, also inside values", async () => {
    const fn = (x: number) => x + 1;
    assert.deepEqual(await peer.svc.inspect(fn), { tag: "[object JsRpcStub]", stub: true, type: "function" });
    assert.deepEqual(await peer.svc.inspect(new Counter()), { tag: "[object JsRpcStub]", stub: true, type: "function" });
    assert.deepEqual(await peer.svc.inspect({ fn, n: 1, counter: new Counter() }), { tag: "[object Object]", keys: ["fn", "n", "counter"], stubs: [true, false, true] });
    {
      // What comes back is a stub to our own object, not the object itself.
      const counter = new Counter(1);
      using back = await peer.svc.echo(counter);
      assert.notEqual(back, counter);
      assert.equal(back instanceof RpcStub, true);
      assert.equal(await back.increment(2), 3);
      assert.equal(counter.n, 3);
    }
    await expectQuiet(peer.pair);
  });

  it("makes one capability per send of a target: its disposer runs once per send", async () => {
    const counter = new Counter(0);
    assert.deepEqual(await peer.svc.useTwice(counter, counter), [1, 2]);
    assert.equal(await peer.svc.same(counter, counter), true, "twice in one message is one stub (a back-reference)");
    await counter.disposed(2);
    assert.deepEqual(await peer.svc.inspect([counter, counter]), { tag: "[object Array]", length: 2, stubs: [true, true], same: true });
    await counter.disposed(3);
    await expectQuiet(peer.pair);
    assert.equal(counter.disposals, 3);
  });

  it("copies a Proxy of a plain object", async () => {
    // workerd sends any Proxy of a plain object as a stub (reference quirk 4); a portable
    // runtime cannot tell a Proxy apart, so ours is copied like the object it shows.
    const proxied = new Proxy({ a: 1 }, {});
    assert.deepEqual(await peer.svc.inspect(proxied), { tag: "[object Object]", keys: ["a"], stubs: [false] });
    await expectQuiet(peer.pair);
  });
});
