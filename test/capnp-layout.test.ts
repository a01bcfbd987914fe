// The layout builder and reader: every pointer and element kind, byte-identical to capnp-es when
// driven in the same order, struct/list upgrade rules, far and double-far pointers (hand-made and
// capnp-es multi-segment messages), defaults, builder reuse and growth, deep copy.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as $ from "capnp-es";
import * as rpc from "../protocol/schema/gen/rpc.js";
import {
  CapnpFormatError,
  ElementSize,
  MessageBuilder,
  MessageReader,
  type StructBuilder,
} from "../protocol/capnp/layout.ts";
import type { AnyPointerReader, AnyPointerWriter } from "../protocol/capnp/layout.ts";
import { concatPieces, encodeFrame, parseFrame } from "../protocol/capnp/framing.ts";
import { decodeRpcMessage, encodeRpcMessage } from "../protocol/capnp/rpc-codec.ts";
import { Rng } from "./support/capnp-oracle.ts";
import { readUtf8 } from "../protocol/capnp/utf8.ts";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

class Root extends $.Struct {
  static override readonly _capnp = { displayName: "Root", id: "10", size: new $.ObjectSize(24, 10) };
}
class Item extends $.Struct {
  static override readonly _capnp = { displayName: "Item", id: "11", size: new $.ObjectSize(8, 1) };
}

/** capnp-es's own VoidList is a pointer list; this is a real List(Void). */
class RealVoidList extends $.List<void> {
  static override readonly _capnp = { displayName: "List<Void>", size: $.ListElementSize.VOID };
}

const texts = ["", "a", "hello", "héllo wörld", "日本語", "🎉", "lone \ud800 surrogate", "z".repeat(33), "é".repeat(40)];

describe("layout builder vs capnp-es", () => {
  it("scalars, every list element size, text, data, composite lists and caps give identical bytes", () => {
    const rng = new Rng(42);
    for (let round = 0; round < 40; round++) {
      const n = rng.int(20);
      const vals = Array.from({ length: n }, () => rng.u32());
      const bits = Array.from({ length: n }, () => rng.bool());
      const big = Array.from({ length: n }, () => rng.u64());
      const text = rng.pick(texts);
      const data = rng.bytes(rng.int(30));
      const strs = Array.from({ length: rng.int(4) }, () => rng.pick(texts));

      // ours
      const b = new MessageBuilder({ initialBytes: 64 });
      const s = b.initRoot(3, 10);
      s.setU32(0, vals[0] ?? 7);
      s.setBool(33, true);
      s.setU16(6, 0xbeef);
      s.setU64(8, 0x0123456789abcdefn);
      s.setF64(16, -1.5);
      s.initList(0, ElementSize.VOID, n);
      const bl = s.initList(1, ElementSize.BIT, n);
      bits.forEach((v, i) => bl.setBool(i, v));
      const u8 = s.initList(2, ElementSize.BYTE, n);
      vals.forEach((v, i) => u8.setU8(i, v & 0xff));
      const u16 = s.initList(3, ElementSize.TWO_BYTES, n);
      vals.forEach((v, i) => u16.setU16(i, v & 0xffff));
      const u32 = s.initList(4, ElementSize.FOUR_BYTES, n);
      vals.forEach((v, i) => u32.setU32(i, v));
      const u64 = s.initList(5, ElementSize.EIGHT_BYTES, n);
      big.forEach((v, i) => u64.setU64(i, v));
      const tl = s.initList(6, ElementSize.POINTER, strs.length);
      strs.forEach((t, i) => tl.ptr(i).setText(t));
      const items = s.initStructList(7, strs.length, 1, 1);
      strs.forEach((t, i) => {
        const e = items.get(i);
        e.setI32(0, -i);
        e.setText(0, t);
      });
      s.setText(8, text);
      s.setCap(9, 3);
      s.ptr(9); // handles are free
      const ours = b.finishBytes();

      // capnp-es, same order
      const m = new $.Message();
      const r = m.initRoot(Root);
      $.utils.setUint32(0, vals[0] ?? 7, r);
      $.utils.setBit(33, true, r);
      $.utils.setUint16(6, 0xbeef, r);
      $.utils.setUint64(8, 0x0123456789abcdefn, r);
      $.utils.setFloat64(16, -1.5, r);
      $.utils.initList(0, RealVoidList, n, r);
      const ebl = $.utils.initList(1, $.BoolList, n, r);
      bits.forEach((v, i) => ebl.set(i, v));
      const eu8 = $.utils.initList(2, $.Uint8List, n, r);
      vals.forEach((v, i) => eu8.set(i, v & 0xff));
      const eu16 = $.utils.initList(3, $.Uint16List, n, r);
      vals.forEach((v, i) => eu16.set(i, v & 0xffff));
      const eu32 = $.utils.initList(4, $.Uint32List, n, r);
      vals.forEach((v, i) => eu32.set(i, v));
      const eu64 = $.utils.initList(5, $.Uint64List, n, r);
      big.forEach((v, i) => eu64.set(i, v));
      const etl = $.utils.initList(6, $.TextList, strs.length, r);
      strs.forEach((t, i) => etl.set(i, t));
      const eitems = $.utils.initList(7, $.CompositeList(Item), strs.length, r);
      strs.forEach((t, i) => {
        const e = eitems.get(i);
        $.utils.setInt32(0, -i, e);
        $.utils.setText(0, t, e);
      });
      $.utils.setText(8, text, r);
      $.utils.setInterfacePointer(3, $.utils.getPointer(9, r));
      const theirs = new Uint8Array(m.toArrayBuffer());
      assert.equal(hex(ours), hex(theirs), `round ${round}`);

      // and read back
      const rs = MessageReader.from(ours).rootStruct()!;
      assert.equal(rs.u32(0), vals[0] ?? 7);
      assert.equal(rs.bool(33), true);
      assert.equal(rs.bool(32), false);
      assert.equal(rs.u16(6), 0xbeef);
      assert.equal(rs.u64(8), 0x0123456789abcdefn);
      assert.equal(rs.f64(16), -1.5);
      assert.equal(rs.list(0)!.length, n);
      assert.deepEqual(Array.from({ length: n }, (_, i) => rs.list(1)!.bool(i)), bits);
      assert.deepEqual(Array.from(rs.list(2)!.bytes()), vals.map((v) => v & 0xff));
      assert.deepEqual(Array.from({ length: n }, (_, i) => rs.list(3)!.u16(i)), vals.map((v) => v & 0xffff));
      assert.deepEqual(Array.from({ length: n }, (_, i) => rs.list(4)!.u32(i)), vals);
      assert.deepEqual(Array.from({ length: n }, (_, i) => rs.list(5)!.u64(i)), big);
      const expectText = (t: string) => new TextDecoder().decode(new TextEncoder().encode(t));
      assert.deepEqual(Array.from({ length: strs.length }, (_, i) => rs.list(6)!.text(i)), strs.map(expectText));
      const ri = rs.list(7)!;
      assert.deepEqual(Array.from({ length: ri.length }, (_, i) => [ri.struct(i).i32(0), ri.struct(i).text(0)]),
        strs.map((t, i) => [i === 0 ? 0 : -i, expectText(t)]));
      assert.equal(rs.text(8), expectText(text));
      assert.equal(rs.cap(9), 3);
      assert.equal(rs.ptr(9).kind(), "capability");
      void data;
    }
  });
});

describe("layout reader rules", () => {
  function build(fill: (s: StructBuilder, b: MessageBuilder) => void, dw = 1, pc = 4): MessageReader {
    const b = new MessageBuilder();
    fill(b.initRoot(dw, pc), b);
    return MessageReader.from(b.finishBytes());
  }

  it("primitive and pointer lists read as struct lists, struct lists read as primitive lists", () => {
    const r = build((s) => {
      const l = s.initList(0, ElementSize.FOUR_BYTES, 3);
      [10, 20, 30].forEach((v, i) => l.setU32(i, v));
      const c = s.initStructList(1, 2, 1, 1);
      c.get(0).setU32(0, 5);
      c.get(1).setU32(0, 6);
      c.get(1).setText(0, "t");
      const p = s.initList(2, ElementSize.POINTER, 2);
      p.ptr(1).setText("second");
    }).rootStruct()!;
    const asStructs = r.list(0)!;
    assert.deepEqual([0, 1, 2].map((i) => asStructs.struct(i).u32(0)), [10, 20, 30]);
    assert.equal(asStructs.struct(0).u64(0), 0n, "fields beyond the element's 4 bytes read as default");
    const asU32 = r.list(1)!;
    assert.deepEqual([asU32.u32(0), asU32.u32(1)], [5, 6]);
    assert.equal(asU32.text(1), "t");
    const ptrStructs = r.list(2)!;
    assert.equal(ptrStructs.struct(1).text(0), "second");
    assert.equal(ptrStructs.struct(0).text(0), null);
  });

  it("bit lists cannot be read as struct lists", () => {
    const r = build((s) => void s.initList(0, ElementSize.BIT, 3)).rootStruct()!;
    assert.throws(() => r.list(0)!.struct(0), CapnpFormatError);
  });

  it("a zero-sized struct is not a null pointer", () => {
    const r = build((s) => void s.initStruct(0, 0, 0)).rootStruct()!;
    assert.equal(r.hasPtr(0), true);
    const e = r.struct(0)!;
    assert.equal(e.dataBytes, 0);
    assert.equal(e.u32(0, 77), 77);
  });

  it("defaults are XORed on read and write", () => {
    const r = build((s) => {
      s.setU32(0, 0xff, 0xff);
      s.setBool(32, true, true);
      s.setU8(5, 3, 255);
    }).rootStruct()!;
    assert.equal(r.u32(0), 0);
    assert.equal(r.u32(0, 0xff), 0xff);
    assert.equal(r.bool(32, true), true);
    assert.equal(r.bool(32), false);
    assert.equal(r.u8(5, 255), 3);
  });

  it("wrong pointer kinds are BAD_POINTER", () => {
    const r = build((s) => {
      s.setText(0, "x");
      s.initStruct(1, 1, 0);
      s.setCap(2, 1);
    }).rootStruct()!;
    for (const f of [() => r.struct(0), () => r.list(1), () => r.text(1), () => r.data(2), () => r.cap(0)]) {
      assert.throws(f, (e: unknown) => e instanceof CapnpFormatError && e.code === "BAD_POINTER");
    }
  });

  it("text must be NUL-terminated", () => {
    const b = new MessageBuilder();
    const s = b.initRoot(0, 1);
    s.setData(0, new Uint8Array([0x61, 0x62]));
    const r = MessageReader.from(b.finishBytes()).rootStruct()!;
    assert.throws(() => r.text(0), (e: unknown) => e instanceof CapnpFormatError && e.code === "BAD_TEXT");
  });
});

describe("text decoding", () => {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  it("short ASCII seen before comes back as the same string; every text decodes exactly", () => {
    const a = readUtf8(utf8("xadd"), 1, 4);
    assert.equal(a, "add");
    assert.equal(readUtf8(utf8("add"), 0, 3), a);
    // Many distinct names (bound to collide in the small cache) and lengths around its limits.
    const rng = new Rng(7);
    const names: string[] = [];
    for (let i = 0; i < 500; i++) {
      const len = 1 + rng.int(30);
      let s = "";
      for (let k = 0; k < len; k++) s += String.fromCharCode(32 + rng.int(95));
      names.push(s);
    }
    for (let round = 0; round < 2; round++) {
      for (const s of names) {
        const b = utf8(`#${s}#`);
        assert.equal(readUtf8(b, 1, b.length - 1), s);
      }
    }
    for (const s of ["héllo", "日本", "a\u{1F600}b", ""]) assert.equal(readUtf8(utf8(s), 0, utf8(s).length), s);
    assert.equal(readUtf8(new Uint8Array([0x61, 0xff, 0x62]), 0, 3), "a\uFFFDb", "invalid UTF-8 as TextDecoder does");
  });
});

describe("far pointers", () => {
  function u64(lo: number, hi: number): Uint8Array {
    const b = new Uint8Array(8);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, lo >>> 0, true);
    dv.setUint32(4, hi >>> 0, true);
    return b;
  }
  function seg(...words: Uint8Array[]): Uint8Array {
    const out = new Uint8Array(words.length * 8);
    words.forEach((w, i) => out.set(w, i * 8));
    return out;
  }
  const structPtr = (off: number, dw: number, pc: number) => u64((off << 2) | 0, dw | (pc << 16));
  const far = (double: boolean, padWord: number, segId: number) => u64((padWord << 3) | (double ? 4 : 0) | 2, segId);
  const data = u64(0xcafe, 0x1234);

  it("single far: root -> landing pad in segment 1 -> struct", () => {
    const s0 = seg(far(false, 1, 1));
    const s1 = seg(u64(0, 0), structPtr(0, 1, 0), data);
    const r = MessageReader.ofSegments([s0, s1]).rootStruct()!;
    assert.equal(r.u32(0), 0xcafe);
    assert.equal(r.u32(4), 0x1234);
  });

  it("double far: root -> pad in segment 1 -> content in segment 2, described by the tag", () => {
    const s0 = seg(far(true, 0, 1));
    const s1 = seg(far(false, 1, 2), structPtr(0, 1, 0));
    const s2 = seg(u64(0, 0), data);
    const r = MessageReader.ofSegments([s0, s1, s2]).rootStruct()!;
    assert.equal(r.u32(0), 0xcafe);
  });

  it("far pointers to missing segments or outside them are POINTER_OUT_OF_BOUNDS", () => {
    const code = (f: () => unknown) =>
      assert.throws(f, (e: unknown) => e instanceof CapnpFormatError && e.code === "POINTER_OUT_OF_BOUNDS");
    code(() => MessageReader.ofSegments([seg(far(false, 0, 5))]).rootStruct());
    code(() => MessageReader.ofSegments([seg(far(false, 3, 1)), seg(structPtr(0, 0, 0))]).rootStruct());
    code(() => MessageReader.ofSegments([seg(far(true, 0, 1)), seg(far(false, 0, 2))]).rootStruct()); // pad needs 2 words
    code(() => MessageReader.ofSegments([seg(far(true, 0, 1)), seg(far(false, 0, 9), structPtr(0, 1, 0))]).rootStruct());
    code(() => MessageReader.ofSegments([seg(far(true, 0, 1)), seg(far(false, 5, 1), structPtr(0, 1, 0))]).rootStruct());
  });

  it("malformed landing pads are BAD_POINTER", () => {
    const bad = (f: () => unknown) =>
      assert.throws(f, (e: unknown) => e instanceof CapnpFormatError && e.code === "BAD_POINTER");
    bad(() => MessageReader.ofSegments([seg(far(false, 0, 1)), seg(far(false, 0, 1))]).rootStruct());
    bad(() => MessageReader.ofSegments([seg(far(true, 0, 1)), seg(structPtr(0, 1, 0), structPtr(0, 1, 0))]).rootStruct());
    bad(() => MessageReader.ofSegments([seg(far(true, 0, 1)), seg(far(false, 0, 0), far(false, 0, 0))]).rootStruct());
  });

  it("capnp-es multi-segment messages (far pointers everywhere) decode", () => {
    const msg = new $.Message(encodeFrame([new Uint8Array(8)]), false);
    const r = msg.initRoot(rpc.Message)._initReturn();
    r.answerId = 5;
    const e = r._initException();
    e.reason = "x".repeat(3000);
    e.trace = "y".repeat(5000);
    const d = e._initDetails(3);
    for (let i = 0; i < 3; i++) {
      d.get(i).detailId = BigInt(i);
      d.get(i)._initData(3000).copyBuffer(new Uint8Array(3000).fill(i + 1));
    }
    const buf = new Uint8Array(msg.toArrayBuffer());
    assert.ok(parseFrame(buf).segments.length > 3);
    const dec = decodeRpcMessage(buf);
    assert.ok(dec.type === "return" && dec.body.type === "exception");
    const ex = dec.body.exception;
    assert.equal(ex.reason, "x".repeat(3000));
    assert.equal(ex.trace, "y".repeat(5000));
    assert.deepEqual(ex.details!.map((x) => [x.id, x.data.length, x.data[0]]), [[0n, 3000, 1], [1n, 3000, 2], [2n, 3000, 3]]);
  });
});

describe("builder", () => {
  it("is reusable: output is exact-size, independent of later messages, and the buffer is zeroed", () => {
    const b = new MessageBuilder({ initialBytes: 64 });
    const outs: Uint8Array[] = [];
    for (let i = 0; i < 20; i++) {
      const s = b.initRoot(1, 2);
      s.setU32(0, i);
      s.setText(0, "x".repeat(i * 13));
      if (i % 2) s.setData(1, new Uint8Array(i * 100).fill(i));
      outs.push(b.finishBytes());
    }
    outs.forEach((o, i) => {
      const r = MessageReader.from(o).rootStruct()!;
      assert.equal(r.u32(0), i);
      assert.equal(r.text(0), "x".repeat(i * 13));
      assert.equal(r.data(1)?.length ?? 0, i % 2 ? i * 100 : 0);
      assert.equal(o.length, 8 + 8 * new DataView(o.buffer, o.byteOffset).getUint32(4, true), "exact size");
    });
    // Something small after something big: no stale bytes.
    const s = b.initRoot(1, 2);
    s.setU32(0, 1);
    const small = b.finishBytes();
    assert.equal(hex(small), "0000000004000000" + "0000000001000200" + "0100000000000000" + "0".repeat(32));
  });

  it("long Data emitted as a piece while last, copied in place when something follows it", () => {
    const data = new Uint8Array(10_001).fill(9);
    const b = new MessageBuilder();
    let s = b.initRoot(0, 2);
    s.setData(0, data);
    const pieces = b.finish();
    assert.equal(pieces.length, 3);
    assert.equal(pieces[1], data);
    assert.equal(pieces[2]!.length, 7);
    s = b.initRoot(0, 2);
    s.setData(0, data);
    s.setText(1, "after");
    const one = b.finish();
    assert.equal(one.length, 1);
    const r = MessageReader.from(one[0]!).rootStruct()!;
    assert.deepEqual(r.data(0), data);
    assert.equal(r.text(1), "after");
  });

  it("deep copy from a reader preserves content (structs, lists of every kind, caps remapped)", () => {
    const b = new MessageBuilder();
    const s = b.initRoot(1, 5);
    s.setU32(0, 123);
    s.initList(0, ElementSize.BIT, 10).setBool(9, true);
    const c = s.initStructList(1, 2, 1, 2);
    c.get(1).setText(1, "deep");
    c.get(0).setCap(0, 2);
    s.initList(2, ElementSize.POINTER, 1).ptr(0).initStruct(0, 1).setText(0, "nested");
    s.setCap(3, 0);
    s.initList(4, ElementSize.VOID, 1000);
    const src = MessageReader.from(b.finishBytes());
    const b2 = new MessageBuilder();
    b2.root().copyFrom(src.root(), (i) => i + 10);
    const r = MessageReader.from(b2.finishBytes()).rootStruct()!;
    assert.equal(r.u32(0), 123);
    assert.equal(r.list(0)!.bool(9), true);
    assert.equal(r.list(1)!.text(1), null);
    assert.equal(r.list(1)!.struct(1).text(1), "deep");
    assert.equal(r.list(1)!.struct(0).cap(0), 12);
    assert.equal(r.list(2)!.ptr(0).struct()!.text(0), "nested");
    assert.equal(r.cap(3), 10);
    assert.equal(r.list(4)!.length, 1000);
  });

  it("refuses out-of-range fields (programming errors are RangeError, not format errors)", () => {
    const b = new MessageBuilder();
    const s = b.initRoot(1, 1);
    assert.throws(() => s.setU64(4, 1n), RangeError);
    assert.throws(() => s.setText(1, "x"), RangeError);
    b.reset();
  });
});

describe("docs/WIRE.md example (JsValue hand codec)", () => {
  function writeJsValue(v8: Uint8Array, stubCaps: number[]): AnyPointerWriter {
    return (p) => {
      const v = p.initStruct(0, 2);
      const ext = v.initStructList(1, stubCaps.length, 2, 2);
      stubCaps.forEach((cap, i) => {
        const e = ext.get(i);
        e.setU16(0, 1);
        e.setCap(0, cap);
      });
      v.setData(0, v8);
    };
  }
  function readJsValue(r: AnyPointerReader) {
    const v = r.struct();
    const ext = v?.list(1);
    return {
      v8: v?.data(0) ?? new Uint8Array(0),
      caps: ext ? Array.from({ length: ext.length }, (_, i) => ext.struct(i).cap(0)) : [],
    };
  }

  it("round-trips through a Return, with a 100 KiB value sent without a copy", () => {
    const v8 = new Uint8Array(100 * 1024).fill(0x5c);
    const pieces = encodeRpcMessage({
      type: "return",
      answerId: 1,
      releaseParamCaps: true,
      body: { type: "results", results: { capTable: [{ type: "senderHosted", id: 4 }], content: writeJsValue(v8, [0, 0]) } },
    });
    assert.equal(pieces[1], v8);
    const m = decodeRpcMessage(concatPieces(pieces));
    assert.ok(m.type === "return" && m.body.type === "results");
    const js = readJsValue(m.body.results.content!);
    assert.deepEqual(js.caps, [0, 0]);
    assert.deepEqual(js.v8, v8);
  });
});
