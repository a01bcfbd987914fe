// The hand-written rpc.capnp codec against capnp-es (generated from protocol/schema/rpc.capnp):
// for every message kind and variant, many seeded instances, our bytes equal capnp-es's bytes, and
// decoding capnp-es's bytes gives back the model (Payload contents read through AnyPointerReader).

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as $ from "capnp-es";
import * as rpc from "../protocol/schema/gen/rpc.js";
import { decodeRpcMessage, encodeRpcMessage } from "../protocol/capnp/rpc-codec.ts";
import { concatPieces } from "../protocol/capnp/framing.ts";
import { CapnpFormatError, MessageBuilder, copyOf } from "../protocol/capnp/layout.ts";
import type { IncomingMessage, OutgoingMessage } from "../protocol/rpc-model.ts";
import {
  MESSAGE_KINDS,
  Rng,
  actualDecode,
  bigReturn,
  contentWriter,
  esEncode,
  expectedDecode,
  randomContent,
  randomException,
  randomMessage,
  readContent,
  specOf,
} from "./support/capnp-oracle.ts";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

function assertSameBytes(ours: Uint8Array, theirs: Uint8Array, what: string): void {
  if (ours.length !== theirs.length || hex(ours) !== hex(theirs)) {
    assert.fail(`${what}: bytes differ\n ours   ${hex(ours)}\n capnp-es ${hex(theirs)}`);
  }
}

function assertFormatError(fn: () => unknown, code?: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof CapnpFormatError, `expected CapnpFormatError, got ${String(e)}`);
    if (code) assert.equal(e.code, code);
    return true;
  });
}

describe("rpc codec vs capnp-es", () => {
  for (const kind of MESSAGE_KINDS) {
    it(`${kind}: identical bytes and equal decode (300 seeded messages)`, () => {
      const rng = new Rng(0xc0dec + kind.length * 7919 + kind.charCodeAt(0));
      for (let i = 0; i < 300; i++) {
        const m = randomMessage(rng, kind);
        const theirs = esEncode(m);
        const ours = concatPieces(encodeRpcMessage(m));
        assertSameBytes(ours, theirs, `${kind} #${i}`);
        assert.deepEqual(actualDecode(decodeRpcMessage(theirs)), expectedDecode(m), `${kind} #${i}`);
      }
    });
  }

  it("a Return with 64 KiB of Data: same bytes, the data is not copied, decode reads it in place", () => {
    const rng = new Rng(64);
    for (let i = 0; i < 10; i++) {
      const m = bigReturn(rng);
      const pieces = encodeRpcMessage(m);
      assert.ok(pieces.length === 2 || pieces.length === 3, `pieces: ${pieces.length}`);
      const body = m.type === "return" && m.body.type === "results" ? m.body.results : null;
      const data = specOf(body!.content!).data!;
      assert.equal(pieces[1], data, "the Data field is handed out as the caller's own array");
      const whole = concatPieces(pieces);
      assertSameBytes(whole, esEncode(m), `big return #${i}`);
      const decoded = decodeRpcMessage(whole);
      assert.deepEqual(actualDecode(decoded), expectedDecode(m));
      // The decoded Data is a view into the frame, not a copy.
      const d = decoded.type === "return" && decoded.body.type === "results" ? decoded.body.results.content! : null;
      const view = d!.struct()!.data(1)!;
      assert.equal(view.buffer, whole.buffer);
    }
  });

  it("encodes each message into a fresh buffer (the shared builder is reused safely)", () => {
    const rng = new Rng(7);
    const msgs = Array.from({ length: 50 }, () => randomMessage(rng, rng.pick(MESSAGE_KINDS)));
    const first = msgs.map((m) => concatPieces(encodeRpcMessage(m)).slice());
    const outs = msgs.map((m) => concatPieces(encodeRpcMessage(m)));
    outs.forEach((o, i) => assertSameBytes(o, first[i]!, `message ${i}`));
    // Earlier outputs are untouched by later encodes.
    const again = msgs.map((m) => concatPieces(encodeRpcMessage(m)));
    outs.forEach((o, i) => assertSameBytes(o, again[i]!, `message ${i} after re-encoding`));
  });

  it("a content writer may itself encode a message (re-entrancy gets a private builder)", () => {
    const inner: OutgoingMessage = { type: "release", id: 1, referenceCount: 2 };
    let innerBytes: Uint8Array | null = null;
    const spec = randomContent(new Rng(3), 0);
    const w = contentWriter(spec);
    const m: OutgoingMessage = {
      type: "return",
      answerId: 9,
      releaseParamCaps: true,
      body: {
        type: "results",
        results: {
          capTable: [],
          content: (p) => {
            innerBytes = concatPieces(encodeRpcMessage(inner));
            w(p);
          },
        },
      },
    };
    const out = concatPieces(encodeRpcMessage(m));
    assertSameBytes(innerBytes!, esEncode(inner), "inner");
    const d = decodeRpcMessage(out);
    assert.ok(d.type === "return" && d.body.type === "results");
    assert.deepEqual(readContent(d.body.results.content!), spec);
  });

  it("the workerd-shaped first call (JsRpcTarget.call on a pipelined promise, one external pusher)", () => {
    const m: OutgoingMessage = {
      type: "call",
      questionId: 3,
      target: { type: "promisedAnswer", promisedAnswer: { questionId: 2, transform: [{ type: "getPointerField", index: 0 }] } },
      interfaceId: 0xa1a96525142a9d98n,
      methodId: 0,
      params: {
        capTable: [{ type: "senderHosted", id: 0 }],
        content: (p) => {
          const params = p.initStruct(1, 3); // CallParams
          params.setText(0, "add"); // methodName (tag 0), callWithArgs (tag 0)
          params.setU16(4, 1); // externalPusher
          const args = params.initStruct(1, 0, 2); // JsValue
          args.setData(0, new Uint8Array([0xff, 0x0f, 0x41, 0x02, 0x49, 0x04, 0x49, 0x06, 0x24, 0x00, 0x02]));
          params.setCap(2, 0);
        },
      },
      sendResultsTo: "caller",
    };
    const d = decodeRpcMessage(concatPieces(encodeRpcMessage(m)));
    assert.ok(d.type === "call");
    assert.equal(d.interfaceId, 0xa1a96525142a9d98n);
    assert.deepEqual(d.target, m.target);
    const params = d.params.content!.struct()!;
    assert.equal(params.text(0), "add");
    assert.equal(params.u16(0), 0);
    assert.equal(params.u16(4), 1);
    assert.equal(params.cap(2), 0);
    assert.deepEqual(params.struct(1)!.data(0), new Uint8Array([0xff, 0x0f, 0x41, 0x02, 0x49, 0x04, 0x49, 0x06, 0x24, 0x00, 0x02]));
    assert.deepEqual(d.params.capTable, [{ type: "senderHosted", id: 0 }]);
  });

  it("exceptions carry details {id: UInt64, data: Data} as workerd sends them", () => {
    const m: OutgoingMessage = {
      type: "return",
      answerId: 3,
      releaseParamCaps: true,
      body: {
        type: "exception",
        exception: {
          reason: "remote.jsg.TypeError: bad thing",
          type: "failed",
          details: [
            { id: 0xe8027292171b1646n, data: new Uint8Array([0xff, 0x0f, 0x5c, 0x0a]) },
            { id: 0xa9ae63464030fcefn, data: new Uint8Array(0) },
          ],
        },
      },
    };
    const theirs = esEncode(m);
    assertSameBytes(concatPieces(encodeRpcMessage(m)), theirs, "exception");
    const es = new $.Message(theirs, false).getRoot(rpc.Message).return.exception;
    assert.equal(es.details.get(0).detailId, 0xe8027292171b1646n);
    assert.deepEqual(actualDecode(decodeRpcMessage(theirs)), expectedDecode(m));
  });
});

describe("rpc codec: forms we decode but do not send", () => {
  function esBytes(fill: (root: rpc.Message) => void): Uint8Array {
    const msg = new $.Message();
    fill(msg.initRoot(rpc.Message));
    return new Uint8Array(msg.toArrayBuffer());
  }

  it("Call.sendResultsTo.thirdParty decodes (for the engine to refuse) and is never encoded", () => {
    const bytes = esBytes((root) => {
      const c = root._initCall();
      c._initTarget().importedCap = 4;
      c._initParams()._initCapTable(0);
      $.utils.setUint16(6, 2, c); // sendResultsTo = thirdParty
    });
    const d = decodeRpcMessage(bytes);
    assert.ok(d.type === "call");
    assert.equal(d.sendResultsTo, "thirdParty");
    const out = { ...d, params: { content: null, capTable: [] } } as OutgoingMessage;
    assertFormatError(() => encodeRpcMessage(out), "UNSUPPORTED");
  });

  it("CapDescriptor.thirdPartyHosted and Return.awaitFromThirdParty decode, and refuse to encode", () => {
    const bytes = esBytes((root) => {
      const r = root._initResolve();
      r.promiseId = 5;
      r._initCap()._initThirdPartyHosted().vineId = 7;
    });
    const d = decodeRpcMessage(bytes);
    assert.deepEqual(d, { type: "resolve", promiseId: 5, resolution: { type: "cap", cap: { type: "thirdPartyHosted" } } });
    assertFormatError(() => encodeRpcMessage(d as OutgoingMessage), "UNSUPPORTED");

    const ret = esBytes((root) => {
      const r = root._initReturn();
      r.answerId = 1;
      $.utils.setUint16(6, 5, r);
    });
    const dr = decodeRpcMessage(ret);
    assert.ok(dr.type === "return");
    assert.deepEqual(dr.body, { type: "acceptFromThirdParty" });
    assertFormatError(() => encodeRpcMessage(dr as OutgoingMessage), "UNSUPPORTED");
  });

  it("Disembargo.context.provide (capnproto <= 0.10's tag 3) round-trips", () => {
    const m: OutgoingMessage = {
      type: "disembargo",
      target: { type: "importedCap", importedCap: 2 },
      context: { type: "provide", questionId: 77 },
    };
    const bytes = esBytes((root) => {
      const d = root._initDisembargo();
      d._initTarget().importedCap = 2;
      $.utils.setUint16(4, 3, d);
      $.utils.setUint32(0, 77, d);
    });
    assertSameBytes(concatPieces(encodeRpcMessage(m)), bytes, "provide");
    assert.deepEqual(decodeRpcMessage(bytes), m);
  });

  const others: [string, number, (root: rpc.Message) => void][] = [
    ["provide", 10, (root) => {
      const p = root._initProvide();
      p.questionId = 3;
      p._initTarget().importedCap = 1;
    }],
    ["accept", 11, (root) => {
      const a = root._initAccept();
      a.questionId = 4;
      a._initEmbargo(3).copyBuffer(new Uint8Array([1, 2, 3]));
    }],
    ["join", 12, (root) => {
      const j = root._initJoin();
      j.questionId = 5;
      esPromised(j._initTarget()._initPromisedAnswer());
    }],
    ["thirdPartyAnswer", 14, (root) => {
      root._initThirdPartyAnswer().answerId = 0x40000001;
    }],
    ["obsoleteSave", 7, (root) => {
      $.utils.setUint16(0, 7, root);
      const s = new rpc.Exception($.utils.getPointer(0, root).segment, $.utils.getPointer(0, root).byteOffset);
      $.utils.initStruct(rpc.Exception._capnp.size, s);
      s.reason = "saved";
    }],
    ["unknown kind 99", 99, (root) => {
      $.utils.setUint16(0, 99, root);
    }],
  ];
  function esPromised(pa: rpc.PromisedAnswer): void {
    pa.questionId = 9;
    const ops = pa._initTransform(2);
    ops.get(0).noop = true;
    ops.get(1).getPointerField = 3;
  }

  for (const [name, which, fill] of others) {
    it(`${name} decodes to {type: "other"} and is echoed byte-exactly inside Unimplemented`, () => {
      const bytes = esBytes(fill);
      const d = decodeRpcMessage(bytes);
      assert.ok(d.type === "other");
      assert.equal(d.which, which);
      const echo = concatPieces(encodeRpcMessage({ type: "unimplemented", message: d }));
      const expected = esBytes((root) => fill(root._initUnimplemented()));
      assertSameBytes(echo, expected, `Unimplemented(${name})`);
      const back = decodeRpcMessage(echo);
      assert.ok(back.type === "unimplemented" && back.message.type === "other" && back.message.which === which);
    });
  }

  it("a received Call is echoed in Unimplemented with its content deep-copied by copyOf", () => {
    const rng = new Rng(11);
    for (let i = 0; i < 50; i++) {
      const m = randomMessage(rng, "call");
      const received = decodeRpcMessage(esEncode(m));
      assert.ok(received.type === "call");
      const echo: OutgoingMessage = {
        type: "unimplemented",
        message: { ...received, params: { ...received.params, content: copyOf(received.params.content) } },
      };
      // The copy lays objects out in pointer order (the writer put Data last), so compare meaning.
      const back = decodeRpcMessage(concatPieces(encodeRpcMessage(echo)));
      assert.deepEqual(actualDecode(back), expectedDecode({ type: "unimplemented", message: m }), `echo #${i}`);
    }
  });
});

describe("rpc codec: defaults and struct versions", () => {
  /** Builds a Message whose variant struct has the given (smaller or larger) size. */
  function raw(which: number, dataWords: number, ptrs: number, fill: (b: MessageBuilder, data: number) => void): Uint8Array {
    const b = new MessageBuilder();
    const root = b.initRoot(1, 1);
    root.setU16(0, which);
    const s = root.initStruct(0, dataWords, ptrs);
    fill(b, s.dataStart);
    return b.finishBytes();
  }

  it("fields missing from an older, smaller struct read as their defaults (including true bools)", () => {
    assert.deepEqual(decodeRpcMessage(raw(4, 0, 0, () => {})), {
      type: "finish",
      questionId: 0,
      releaseResultCaps: true,
      requireEarlyCancellationWorkaround: true,
    });
    const ret = decodeRpcMessage(raw(3, 1, 0, (b, d) => b.dv.setUint32(d, 42, true)));
    assert.deepEqual(ret, {
      type: "return",
      answerId: 42,
      releaseParamCaps: true,
      noFinishNeeded: false,
      body: { type: "results", results: { content: null, capTable: [] } },
    });
    const call = decodeRpcMessage(raw(2, 1, 0, (b, d) => b.dv.setUint32(d, 7, true)));
    assert.ok(call.type === "call");
    assert.equal(call.questionId, 7);
    assert.equal(call.interfaceId, 0n);
    assert.deepEqual(call.target, { type: "importedCap", importedCap: 0 });
  });

  it("a newer, larger struct is read normally", () => {
    const d = decodeRpcMessage(raw(6, 3, 2, (b, s) => {
      b.dv.setUint32(s, 5, true);
      b.dv.setUint32(s + 4, 6, true);
      b.dv.setUint32(s + 8, 0xdead, true);
    }));
    assert.deepEqual(d, { type: "release", id: 5, referenceCount: 6 });
  });

  it("non-default bools are stored XORed with their defaults", () => {
    const bytes = concatPieces(encodeRpcMessage({ type: "finish", questionId: 1, releaseResultCaps: true }));
    // header 8 + root ptr 8 + Message 16 + Finish data word: byte 4 holds the two bools, zero = true/true.
    assert.equal(bytes[8 + 8 + 16 + 4], 0);
    const f = concatPieces(
      encodeRpcMessage({ type: "finish", questionId: 1, releaseResultCaps: false, requireEarlyCancellationWorkaround: false }),
    );
    assert.equal(f[8 + 8 + 16 + 4], 3);
    // CapDescriptor.attachedFd (default 255) is left at 0 on the wire.
    const call = concatPieces(
      encodeRpcMessage({
        type: "call",
        questionId: 0,
        target: { type: "importedCap", importedCap: 0 },
        interfaceId: 1n,
        methodId: 0,
        params: { content: null, capTable: [{ type: "senderHosted", id: 9 }] },
        sendResultsTo: "caller",
      }),
    );
    const es = new $.Message(call, false).getRoot(rpc.Message).call.params.capTable.get(0);
    assert.equal(es.attachedFd, 255);
    assert.equal(es.senderHosted, 9);
  });

  it("capnp-es reads our output", () => {
    const rng = new Rng(99);
    for (let i = 0; i < 100; i++) {
      const m = randomMessage(rng, "call");
      assert.ok(m.type === "call");
      const es = new $.Message(concatPieces(encodeRpcMessage(m)), false).getRoot(rpc.Message);
      assert.equal(es.which(), rpc.Message.CALL);
      assert.equal(es.call.questionId, m.questionId);
      assert.equal(es.call.interfaceId, m.interfaceId);
      assert.equal(es.call.params.capTable.length, m.params.capTable.length);
    }
  });

  it("abort with every exception type", () => {
    const rng = new Rng(5);
    for (const type of ["failed", "overloaded", "disconnected", "unimplemented"] as const) {
      const m: OutgoingMessage = { type: "abort", exception: { ...randomException(rng), type } };
      const d: IncomingMessage = decodeRpcMessage(esEncode(m));
      assert.deepEqual(d, m);
    }
  });
});
