// Hostile bytes: every malformed input must end in a CapnpFormatError (never another exception
// type, a hang, or an unbounded allocation): truncated frames, wrong segment counts, absurd sizes,
// out-of-range far pointers, pointer cycles, deep nesting, amplification, random bit flips.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { decodeRpcMessage, encodeRpcMessage } from "../protocol/capnp/rpc-codec.ts";
import { FrameReader, concatPieces, encodeFrame, parseFrame } from "../protocol/capnp/framing.ts";
import { CapnpFormatError, MessageBuilder, MessageReader, type ReaderOptions } from "../protocol/capnp/layout.ts";
import type { AnyPointerReader } from "../protocol/capnp/layout.ts";
import type { IncomingMessage } from "../protocol/rpc-model.ts";
import { MESSAGE_KINDS, Rng, bigReturn, randomMessage } from "./support/capnp-oracle.ts";

/** Follows every pointer under `p` (a deep copy does exactly that, under the reader's limits). */
function walk(p: AnyPointerReader | null): void {
  if (p !== null) new MessageBuilder().root().copyFrom(p);
}

function walkMessage(m: IncomingMessage): void {
  switch (m.type) {
    case "call":
      walk(m.params.content);
      return;
    case "return":
      if (m.body.type === "results") walk(m.body.results.content);
      return;
    case "unimplemented":
      walkMessage(m.message);
      return;
    case "other":
      walk(m.raw);
      return;
  }
}

/** Decodes and walks `bytes`; returns "ok" or the CapnpFormatError code; fails on anything else. */
function attempt(bytes: Uint8Array, options?: ReaderOptions): string {
  try {
    walkMessage(decodeRpcMessage(bytes, options));
    return "ok";
  } catch (e) {
    if (e instanceof CapnpFormatError) return e.code;
    throw new Error(`non-format error for ${bytes.length} bytes: ${String((e as Error)?.stack ?? e)}`);
  }
}

// ---- hand-made segments

function words(...ws: [number, number][]): Uint8Array {
  const out = new Uint8Array(ws.length * 8);
  const dv = new DataView(out.buffer);
  ws.forEach(([lo, hi], i) => {
    dv.setUint32(i * 8, lo >>> 0, true);
    dv.setUint32(i * 8 + 4, hi >>> 0, true);
  });
  return out;
}
const sp = (off: number, dw: number, pc: number): [number, number] => [(off << 2) | 0, dw | (pc << 16)];
const lp = (off: number, size: number, n: number): [number, number] => [(off << 2) | 1, size | (n << 3)];
const frame = (...segs: Uint8Array[]) => encodeFrame(segs);

describe("hostile frames", () => {
  it("every truncation of valid frames is TRUNCATED", () => {
    const rng = new Rng(1);
    for (let k = 0; k < 30; k++) {
      const f = concatPieces(encodeRpcMessage(randomMessage(rng, rng.pick(MESSAGE_KINDS))));
      for (let i = 0; i < f.length; i++) assert.equal(attempt(f.subarray(0, i)), "TRUNCATED");
    }
  });

  it("wrong segment counts and absurd sizes", () => {
    const f = concatPieces(encodeRpcMessage({ type: "bootstrap", questionId: 1 }));
    const dv = new DataView(f.buffer);
    const more = f.slice();
    new DataView(more.buffer).setUint32(0, 2, true); // claims 3 segments
    assert.equal(attempt(more), "TRUNCATED");
    const huge = f.slice();
    new DataView(huge.buffer).setUint32(4, 0xffffffff, true);
    assert.equal(attempt(huge), "FRAME_TOO_LARGE");
    const many = f.slice();
    new DataView(many.buffer).setUint32(0, 100000, true);
    assert.equal(attempt(many), "TOO_MANY_SEGMENTS");
    assert.equal(attempt(frame(new Uint8Array(0))), "TRUNCATED", "no root pointer");
    assert.equal(attempt(frame(words([0, 0]))), "BAD_POINTER", "null root");
    void dv;
  });

  it("pointers outside their segment, huge structs and lists", () => {
    assert.equal(attempt(frame(words(sp(5, 1, 0)))), "POINTER_OUT_OF_BOUNDS");
    assert.equal(attempt(frame(words(sp(-3, 1, 0)))), "POINTER_OUT_OF_BOUNDS");
    assert.equal(attempt(frame(words(sp(0, 0xffff, 0xffff)))), "POINTER_OUT_OF_BOUNDS");
    // Message -> Call whose params point at a capTable list claiming 2^29-1 words.
    const call = frame(words(sp(0, 1, 1), [2, 0], sp(0, 3, 3), [0, 0], [0, 0], [0, 0], [0, 0], sp(1, 0, 2), [0, 0], [0, 0], lp(0, 7, 0x1fffffff)));
    assert.equal(attempt(call), "POINTER_OUT_OF_BOUNDS");
    // A composite list whose tag claims more elements than its words hold.
    const comp = frame(words(sp(0, 0, 1), lp(0, 7, 2), [5 << 2, 1 | (1 << 16)], [0, 0], [0, 0]));
    const r = MessageReader.from(comp).rootStruct()!;
    assert.throws(() => r.list(0), (e: unknown) => e instanceof CapnpFormatError && e.code === "BAD_POINTER");
  });

  it("far pointers to missing segments or beyond them", () => {
    const farTo = (seg: number, pad: number, dbl = false): [number, number] => [(pad << 3) | (dbl ? 4 : 0) | 2, seg];
    assert.equal(attempt(frame(words(farTo(1, 0)))), "POINTER_OUT_OF_BOUNDS");
    assert.equal(attempt(frame(words(farTo(1, 9)), words(sp(0, 0, 0)))), "POINTER_OUT_OF_BOUNDS");
    assert.equal(attempt(frame(words(farTo(0xffffffff, 0, true)))), "POINTER_OUT_OF_BOUNDS");
    assert.equal(attempt(frame(words(farTo(1, 0, true)), words(farTo(7, 0), sp(0, 1, 0)))), "POINTER_OUT_OF_BOUNDS");
    // A far pointer landing on itself.
    assert.equal(attempt(frame(words(farTo(0, 0)))), "BAD_POINTER");
  });
});

describe("hostile pointer graphs", () => {
  it("a struct that points at itself: DEPTH_LIMIT, when decoding and when walking content", () => {
    // Message { unimplemented = <itself> }
    assert.equal(attempt(frame(words(sp(0, 1, 1), [0, 0], sp(-2, 1, 1)))), "DEPTH_LIMIT");
    // Return.results.content -> struct whose pointer 0 points at itself.
    const self = frame(words(sp(0, 1, 1), [3, 0], sp(0, 2, 1), [0, 0], [0, 0], sp(0, 0, 2), sp(1, 0, 1), [0, 0], sp(-1, 0, 1)));
    assert.equal(attempt(self), "DEPTH_LIMIT");
  });

  it("a list that contains itself: DEPTH_LIMIT", () => {
    // Return.results.content -> pointer list of 1 whose element points back at the list.
    const loop = frame(words(sp(0, 1, 1), [3, 0], sp(0, 2, 1), [0, 0], [0, 0], sp(0, 0, 2), lp(1, 6, 1), [0, 0], lp(-1, 6, 1)));
    assert.equal(attempt(loop), "DEPTH_LIMIT");
  });

  it("deep nesting stops at the limit (64 by default, configurable)", () => {
    const b = new MessageBuilder();
    const root = b.initRoot(1, 1);
    root.setU16(0, 3); // return
    let s = root.initStruct(0, 2, 1).initStruct(0, 0, 2); // Return.results payload
    for (let i = 0; i < 100; i++) s = s.initStruct(0, 0, 1);
    const bytes = b.finishBytes();
    assert.equal(attempt(bytes), "DEPTH_LIMIT");
    assert.equal(attempt(bytes, { nestingLimit: 200 }), "ok");
  });

  it("amplification: many pointers to one big object hit the traversal limit", () => {
    // Content struct with 2000 pointers, all to the same 64 KiB Data: 16M words to traverse.
    const b = new MessageBuilder();
    const root = b.initRoot(1, 1);
    root.setU16(0, 3);
    const payload = root.initStruct(0, 2, 1).initStruct(0, 0, 2);
    const content = payload.initStruct(0, 0, 2000);
    content.setData(0, new Uint8Array(65536));
    const dataPtr = content.ptrs;
    const dataAt = dataPtr + 2000 * 8;
    for (let i = 1; i < 2000; i++) {
      const p = dataPtr + i * 8;
      b.dv.setUint32(p, (((dataAt - p - 8) / 8) << 2) | 1, true);
      b.dv.setUint32(p + 4, 2 | (65536 << 3), true);
    }
    const bytes = b.finishBytes();
    const d = decodeRpcMessage(bytes);
    assert.ok(d.type === "return" && d.body.type === "results");
    const s = d.body.results.content!.struct()!;
    const t0 = Date.now();
    assert.throws(
      () => {
        for (let i = 0; i < 2000; i++) s.data(i);
      },
      (e: unknown) => e instanceof CapnpFormatError && e.code === "TRAVERSAL_LIMIT",
    );
    assert.ok(Date.now() - t0 < 1000);
    assert.equal(attempt(bytes, { traversalLimitWords: 100_000 }), "TRAVERSAL_LIMIT");
  });

  it("amplification: huge lists of void or of empty structs", () => {
    // Return.results.content -> List(Void) of 2^29-1 elements.
    const voids = frame(words(sp(0, 1, 1), [3, 0], sp(0, 2, 1), [0, 0], [0, 0], sp(0, 0, 2), lp(1, 0, 0x1fffffff), [0, 0]));
    assert.equal(attempt(voids), "TRAVERSAL_LIMIT");
    // Composite list of 2^30-1 zero-sized structs in 0 words.
    const empties = frame(words(sp(0, 1, 1), [3, 0], sp(0, 2, 1), [0, 0], [0, 0], sp(0, 0, 2), lp(1, 7, 0), [0, 0], [0x3fffffff << 2, 0]));
    assert.equal(attempt(empties), "TRAVERSAL_LIMIT");
    // A capTable of 1000 empty elements would become 1000 objects from 8 bytes: refused.
    const caps = frame(words(sp(0, 1, 1), [3, 0], sp(0, 2, 1), [0, 0], [0, 0], sp(0, 0, 2), [0, 0], lp(0, 7, 0), [1000 << 2, 0]));
    assert.equal(attempt(caps), "BAD_POINTER");
  });

  it("a FrameReader fed garbage stops at the first bad header and stays failed", () => {
    const rng = new Rng(8);
    for (let k = 0; k < 200; k++) {
      const reader = new FrameReader({ maxFrameBytes: 1 << 20 });
      try {
        for (let i = 0; i < 50; i++) {
          for (const f of reader.push(rng.bytes(1 + rng.int(64)))) {
            try {
              walkMessage(decodeRpcMessage(f));
            } catch (e) {
              if (!(e instanceof CapnpFormatError)) throw e;
            }
          }
        }
      } catch (e) {
        if (!(e instanceof CapnpFormatError)) throw e;
        assert.throws(() => reader.push(new Uint8Array(8)), CapnpFormatError);
      }
      assert.ok(reader.bufferedBytes <= 50 * 64);
    }
  });
});

describe("random corruption of valid messages", () => {
  it("bit flips, byte overwrites and word swaps: only CapnpFormatError, in bounded time", () => {
    const rng = new Rng(0xf11b);
    const codes = new Map<string, number>();
    const t0 = Date.now();
    let n = 0;
    for (let k = 0; k < 4000; k++) {
      const m = k % 200 === 0 ? bigReturn(rng) : randomMessage(rng, rng.pick(MESSAGE_KINDS));
      const bytes = concatPieces(encodeRpcMessage(m)).slice();
      const kind = rng.int(3);
      const edits = 1 + rng.int(4);
      for (let e = 0; e < edits; e++) {
        // Mostly hit the message body, sometimes the header.
        const i = rng.int(10) === 0 ? rng.int(8) : 8 + rng.int(Math.min(bytes.length - 8, 512));
        if (kind === 0) bytes[i]! ^= 1 << rng.int(8);
        else if (kind === 1) bytes[i] = rng.int(256);
        else {
          const j = 8 + rng.int((bytes.length - 8) >> 3) * 8;
          const w = 8 + rng.int((bytes.length - 8) >> 3) * 8;
          const tmp = bytes.slice(j, j + 8);
          bytes.copyWithin(j, w, w + 8);
          bytes.set(tmp, w);
        }
      }
      const code = attempt(bytes);
      codes.set(code, (codes.get(code) ?? 0) + 1);
      n++;
    }
    const ms = Date.now() - t0;
    assert.ok(ms < 30_000, `took ${ms} ms`);
    assert.ok((codes.get("ok") ?? 0) > 0 && codes.size > 3, JSON.stringify([...codes]));
    assert.equal(n, 4000);
  });

  it("random bytes behind a valid header", () => {
    const rng = new Rng(0xbad);
    for (let k = 0; k < 3000; k++) {
      const segs = Array.from({ length: 1 + rng.int(3) }, () => rng.bytes(8 * (1 + rng.int(16))));
      attempt(frame(...segs));
      // The same through parseFrame with a tight limit.
      try {
        parseFrame(frame(...segs), { maxFrameBytes: 64 });
      } catch (e) {
        assert.ok(e instanceof CapnpFormatError);
      }
    }
  });
});
