// serializeValue and deserializeValue's shortcut for a capability alone (a method that returns an
// RpcTarget, a function or a stub): the same bytes, externals and stubs as the V8 codec's general
// path gives when the capability sits inside a value, and the same errors for malformed input.
// Runs unchanged on Node, Deno and Bun.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { LocalHook, type Hook } from "../core/rpc/hooks.ts";
import { RpcTarget } from "../core/cloudflare-workers.ts";
import { kindOfRpcObject } from "../core/workers-rpc/stubs.ts";
import { deserializeValue, serializeValue, type SerializeContext } from "../core/workers-rpc/values.ts";
import type { ExternalIn } from "../core/workers-rpc/schema.ts";
import { encodeValue } from "../protocol/index.ts";
import { toHex } from "./support/v8-equal.ts";

class Counter extends RpcTarget {
  next() {
    return 1;
  }
}

/** A capability alone: version 15, the host object tag, host tag 1 (a stub). */
const LONE = Uint8Array.of(0xff, 0x0f, 0x5c, 0x01);

function context(): SerializeContext {
  return { caps: [], ownership: "results", context: null, afterSend: [] };
}

function releaseAll(caps: readonly (Hook | null)[]): void {
  for (const cap of caps) cap?.release();
}

/** A capability nobody serves (dispatch refuses), counting its shutdowns. */
function idleHook(shutdowns: { count: number }): Hook {
  return new LocalHook({
    dispatch: () => Promise.reject(new Error("not served")),
    shutdown: () => shutdowns.count++,
  });
}

describe("Workers RPC values: a capability alone", () => {
  it("an RpcTarget, a function and a stub serialize to the lone host object, one external each", () => {
    const ctx = context();
    for (const value of [new Counter(), () => 2]) {
      const out = serializeValue(value, ctx);
      assert.equal(toHex(out.v8), toHex(LONE));
      assert.deepEqual(out.externalCaps, [ctx.caps.length - 1]);
      assert.ok(ctx.caps.at(-1)?.localServer, "a capability served here");
    }
    // Inside an array the general path writes the same host object after the array's tags.
    const inArray = serializeValue([new Counter()], ctx);
    assert.equal(toHex(inArray.v8), "ff0f41015c01240001"); // [ a host object (tag 1) ]
    assert.deepEqual(inArray.externalCaps, [ctx.caps.length - 1]);
    // A stub made from one of those capabilities is sent as one too (and, as a result, disposed).
    const shutdowns = { count: 0 };
    const source = idleHook(shutdowns);
    const stub = deserializeValue({ v8: LONE, externals: [{ kind: "rpcTarget", cap: 0 }] }, { caps: [source], lease: null, stubs: [] });
    assert.equal(kindOfRpcObject(stub), "stub");
    const forwarded = serializeValue(stub, ctx);
    assert.equal(toHex(forwarded.v8), toHex(LONE));
    assert.equal(source.refs, 3, "the source's, the stub's and the message's");
    for (const f of ctx.afterSend) f(); // the result's stub is disposed once sent
    releaseAll(ctx.caps);
    assert.equal(source.refs, 1);
    source.release();
    assert.equal(shutdowns.count, 1, "released exactly once by each holder");
  });

  it("a DOMException and plain data still take the encoder", () => {
    const ctx = context();
    const error = serializeValue(new DOMException("gone", "NotFoundError"), ctx);
    assert.deepEqual(error.externalCaps, []);
    assert.equal(error.v8[2], 0x5c);
    assert.equal(error.v8[3], 8, "workerd's DOMException form");
    assert.deepEqual(serializeValue({ a: 1 }, ctx).externalCaps, []);
    assert.equal(ctx.caps.length, 0);
  });

  it("the lone host object deserializes to a stub kept in ctx.stubs, holding its own reference", () => {
    const shutdowns = { count: 0 };
    const hook = idleHook(shutdowns);
    const stubs: object[] = [];
    const stub = deserializeValue({ v8: LONE, externals: [{ kind: "rpcTarget", cap: 0 }] }, { caps: [hook], lease: null, stubs });
    assert.deepEqual(stubs, [stub]);
    assert.equal(hook.refs, 2);
    (stub as { [Symbol.dispose](): void })[Symbol.dispose]();
    hook.release();
    assert.equal(shutdowns.count, 1);
  });

  it("malformed externals fail alone as inside a value, and the stubs made before are disposed", () => {
    const inArray = encodeValue([() => 0], { host: { write: (_v, w) => (w.writeTag(1), true) } });
    const cases: [string, ExternalIn[], RegExp][] = [
      ["not an rpcTarget", [{ kind: "other", tag: 3 }], /no matching rpcTarget external/],
      ["no capability", [{ kind: "rpcTarget", cap: null }], /no matching rpcTarget external/],
      ["a missing capability", [{ kind: "rpcTarget", cap: 5 }], /names a missing capability/],
      ["two externals for one stub", [{ kind: "rpcTarget", cap: 0 }, { kind: "rpcTarget", cap: 0 }], /not every external was used/],
    ];
    for (const [what, externals, message] of cases) {
      for (const v8 of [LONE, inArray]) {
        const shutdowns = { count: 0 };
        const earlier = idleHook(shutdowns);
        const stubs: object[] = [];
        deserializeValue({ v8: LONE, externals: [{ kind: "rpcTarget", cap: 0 }] }, { caps: [earlier], lease: null, stubs });
        assert.throws(() => deserializeValue({ v8, externals }, { caps: [idleHook({ count: 0 })], lease: null, stubs }), message, what);
        assert.deepEqual(stubs, [], what);
        earlier.release();
        assert.equal(shutdowns.count, 1, `${what}: the earlier stub was disposed`);
      }
    }
  });
});
