// Stream framing: FrameReader against arbitrary chunkings, zero-copy for whole frames, and limits
// that refuse a frame from its header, before its bytes are buffered.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  FrameReader,
  concatPieces,
  encodeFrame,
  parseFrame,
  type Frame,
} from "../protocol/capnp/framing.ts";
import { CapnpFormatError } from "../protocol/capnp/errors.ts";
import { MessageReader } from "../protocol/capnp/reader.ts";
import { encodeRpcMessage } from "../protocol/capnp/rpc-codec.ts";
import { MESSAGE_KINDS, Rng, bigReturn, randomMessage } from "./support/capnp-oracle.ts";
import { firstDifference } from "./support/bytes.ts";

function frames(rng: Rng, n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng.int(10);
    if (r === 0) {
      // A multi-segment frame (segment count odd and even, empty segments too).
      const segs = Array.from({ length: 1 + rng.int(5) }, () => rng.bytes(8 * rng.int(4)));
      out.push(encodeFrame(segs));
    } else if (r === 1 && i % 7 === 0) {
      out.push(concatPieces(encodeRpcMessage(bigReturn(rng))));
    } else {
      out.push(concatPieces(encodeRpcMessage(randomMessage(rng, rng.pick(MESSAGE_KINDS)))));
    }
  }
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  return concatPieces(parts.length === 1 ? [parts[0]!, new Uint8Array(0)] : parts);
}

/** The frame as bytes again (header + segments), to compare with what was sent. */
function reframe(f: Frame): Uint8Array {
  return encodeFrame(f.segments);
}

function feed(stream: Uint8Array, cuts: number[]): Uint8Array[] {
  const reader = new FrameReader();
  const got: Uint8Array[] = [];
  let prev = 0;
  for (const c of [...cuts, stream.length]) {
    for (const f of reader.push(stream.subarray(prev, c))) {
      assert.equal(f.byteLength, reframe(f).length);
      got.push(reframe(f));
    }
    prev = c;
  }
  reader.end();
  assert.equal(reader.bufferedBytes, 0);
  return got;
}

function assertFormatError(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => e instanceof CapnpFormatError && e.code === code);
}

/** Asserts two lists of byte arrays equal, naming the first array and byte that differ. */
function assertSameBytes(got: Uint8Array[], expected: Uint8Array[], label = "frames"): void {
  assert.equal(got.length, expected.length, `${label}: count`);
  for (let i = 0; i < got.length; i++) {
    const at = firstDifference(got[i]!, expected[i]!);
    if (at >= 0) assert.fail(`${label}: #${i} differs at byte ${at} (${got[i]!.length} bytes, expected ${expected[i]!.length})`);
  }
}

describe("FrameReader", () => {
  const rng = new Rng(2024);
  const sent = frames(rng, 60);
  const stream = concat(sent);
  const expected = sent;

  it("whole stream in one chunk", () => {
    assertSameBytes(feed(stream, []), expected);
  });

  it("one byte at a time", () => {
    const cuts = Array.from({ length: stream.length - 1 }, (_, i) => i + 1);
    assertSameBytes(feed(stream, cuts), expected);
  });

  it("random splits (200 seeded chunkings)", () => {
    const r = new Rng(77);
    for (let k = 0; k < 200; k++) {
      const n = r.int(40);
      const cuts = Array.from({ length: n }, () => r.int(stream.length)).sort((a, b) => a - b);
      assertSameBytes(feed(stream, cuts), expected, `chunking ${k}`);
    }
  });

  it("splits at every offset inside the headers and at frame boundaries", () => {
    let pos = 0;
    for (const f of sent.slice(0, 10)) {
      for (const d of [1, 4, 5, 8, 9, 12, f.length - 1, f.length]) {
        if (pos + d < stream.length) assertSameBytes(feed(stream, [pos + d]), expected);
      }
      pos += f.length;
    }
  });

  it("a frame that arrives inside one chunk is handed out as views of that chunk (no copy)", () => {
    const reader = new FrameReader();
    const got = reader.push(stream);
    assert.equal(got.length, sent.length);
    for (const f of got) for (const s of f.segments) assert.equal(s.buffer, stream.buffer);
  });

  it("a split frame is copied once, when complete, and nothing is buffered ahead of the data", () => {
    const big = concatPieces(encodeRpcMessage(bigReturn(new Rng(1))));
    const reader = new FrameReader();
    let frames = 0;
    for (let i = 0; i < big.length; i += 1000) {
      frames += reader.push(big.subarray(i, Math.min(big.length, i + 1000))).length;
      if (i + 1000 < big.length) assert.equal(reader.bufferedBytes, i + 1000);
    }
    assert.equal(frames, 1);
  });

  it("lets each chunk go once its last byte is consumed, though every chunk ends inside a frame", () => {
    // As a Bun host reads 64 KiB calls: each read holds a few whole frames and the start of the
    // next, so the reader is never empty; it once kept up to 64 consumed chunks reachable.
    const one = encodeFrame([new Uint8Array(64)]); // 72 bytes
    const many = concat(Array.from({ length: 400 }, () => one));
    const chunkBytes = 3 * one.length + 25; // a read ends on a frame's end once in 72 reads
    const reader = new FrameReader();
    let frames = 0;
    for (let at = 0; at < many.length; at += chunkBytes) {
      frames += reader.push(many.slice(at, Math.min(many.length, at + chunkBytes))).length;
      assert.ok(reader.retainedBytes <= 2 * chunkBytes, `holds ${reader.retainedBytes} bytes after ${at + chunkBytes}`);
    }
    assert.equal(frames, 400);
    assert.equal(reader.retainedBytes, 0);
  });
});

describe("FrameReader.pushTransient (chunks valid only during the call)", () => {
  const rng = new Rng(4096);
  // Small frames, RPC messages with 64 KiB payloads, and large single- and multi-segment frames.
  const sent: Uint8Array[] = [...frames(rng, 40)];
  for (let i = 0; i < 12; i++) {
    const at = rng.int(sent.length);
    const big = i % 3 === 0
      ? encodeFrame(Array.from({ length: 2 + rng.int(4) }, () => rng.bytes(8 * (400 + rng.int(4000)))))
      : encodeFrame([rng.bytes(8 * (500 + rng.int(30_000)))]);
    sent.splice(at, 0, big);
  }
  const stream = concat(sent);
  const expected = sent;

  /** Feeds `stream` cut at `cuts` through one reused buffer, scribbled over after each call. */
  function feedTransient(cuts: number[], reader = new FrameReader()): { frames: Frame[]; reader: FrameReader } {
    const scratch = new Uint8Array(stream.length);
    const got: Frame[] = [];
    let prev = 0;
    for (const c of [...cuts, stream.length]) {
      const chunk = scratch.subarray(0, c - prev);
      chunk.set(stream.subarray(prev, c));
      for (const f of reader.pushTransient(chunk)) got.push(f);
      chunk.fill(0xa5);
      prev = c;
    }
    reader.end();
    assert.equal(reader.bufferedBytes, 0);
    return { frames: got, reader };
  }

  it("random splits, with 64 KiB-sized reads among them (200 seeded chunkings)", () => {
    const r = new Rng(78);
    for (let k = 0; k < 200; k++) {
      const cuts: number[] = [];
      if (k % 2 === 0) {
        for (let at = r.int(65536); at < stream.length; at += 1 + r.int(65536)) cuts.push(at);
      } else {
        for (let i = r.int(60); i > 0; i--) cuts.push(r.int(stream.length));
        cuts.sort((a, b) => a - b);
      }
      const got = feedTransient(cuts).frames;
      assertSameBytes(got.map(reframe), expected, `chunking ${k}`);
    }
  });

  it("one byte at a time, and the whole stream at once", () => {
    const cuts = Array.from({ length: Math.min(stream.length, 300_000) - 1 }, (_, i) => i + 1);
    assertSameBytes(feedTransient(cuts).frames.map(reframe), expected);
    assertSameBytes(feedTransient([]).frames.map(reframe), expected);
  });

  it("a large frame split across reads is filled into one buffer of exactly its size, however its start was cut", () => {
    for (const first of [0, 3, 8, 20, 5000]) {
      const body = new Rng(5).bytes(8 * 25_000);
      const big = encodeFrame([body]);
      const reader = new FrameReader();
      const read = new Uint8Array(65536);
      const got: Frame[] = [];
      const reads = first === 0 ? [] : [first];
      for (let at = first; at < big.length; at += read.length) reads.push(Math.min(read.length, big.length - at));
      let at = 0;
      for (const n of reads) {
        read.set(big.subarray(at, at + n));
        got.push(...reader.pushTransient(read.subarray(0, n)));
        read.fill(0);
        at += n;
        if (at < big.length) assert.equal(reader.bufferedBytes, at);
      }
      assert.equal(got.length, 1);
      assert.equal(got[0]!.bytes.byteLength, big.length);
      assert.equal(got[0]!.bytes.buffer.byteLength, big.length, `a buffer of its own (first read ${first})`);
      assert.deepEqual(got[0]!.segments[0], body);
    }
  });

  it("whole frames and the start of a large one in the same read, with a small frame cut before it", () => {
    const rng = new Rng(6);
    const small = [encodeFrame([rng.bytes(40)]), encodeFrame([rng.bytes(8)]), encodeFrame([rng.bytes(96)])];
    const body = rng.bytes(8 * 25_000);
    const big = encodeFrame([body]);
    const stream = concat([...small, big, small[0]!]);
    const reader = new FrameReader();
    const read = new Uint8Array(65536);
    const got: Frame[] = [];
    // The first read ends inside the third small frame; the next ones are 64 KiB each.
    const cut = small[0]!.length + small[1]!.length + 10;
    for (let at = 0, n = cut; at < stream.length; at += n, n = Math.min(read.length, stream.length - at)) {
      read.set(stream.subarray(at, at + n));
      got.push(...reader.pushTransient(read.subarray(0, n)));
      read.fill(0);
    }
    reader.end();
    assertSameBytes(got.map(reframe), [...small, big, small[0]!]);
    assert.equal(got[3]!.bytes.buffer.byteLength, big.length, "the large frame has a buffer of its own");
  });

  /**
   * feedTransient() with lending: each frame is read as bytes before its read is scribbled over
   * (a lent frame is valid only until then); every lent frame is checked to be a view of its
   * read, of at least `lendFrom` bytes.
   */
  function feedLending(cuts: number[], lendFrom?: number): { frames: Uint8Array[]; lent: number } {
    const reader = new FrameReader({ lendFrom });
    const scratch = new Uint8Array(stream.length);
    const frames: Uint8Array[] = [];
    let lent = 0;
    let prev = 0;
    for (const c of [...cuts, stream.length]) {
      const chunk = scratch.subarray(0, c - prev);
      chunk.set(stream.subarray(prev, c));
      for (const f of reader.pushTransient(chunk, true)) {
        if (f.lent) {
          lent++;
          assert.equal(f.bytes.buffer, chunk.buffer, "a lent frame is a view of the read");
          assert.ok(f.bytes.byteOffset >= chunk.byteOffset && f.bytes.byteOffset + f.bytes.length <= chunk.byteOffset + chunk.length);
          assert.ok(f.byteLength >= (lendFrom ?? 4096), `lent a frame of ${f.byteLength} bytes`);
        } else {
          assert.notEqual(f.bytes.buffer, chunk.buffer, "a frame not lent owns its bytes");
        }
        frames.push(reframe(f));
      }
      chunk.fill(0xa5);
      prev = c;
    }
    reader.end();
    assert.equal(reader.bufferedBytes, 0);
    return { frames, lent };
  }

  it("lending: the large frames that lie wholly in a read are views of it, the rest as before (100 seeded chunkings)", () => {
    const r = new Rng(80);
    let lent = 0;
    for (let k = 0; k < 100; k++) {
      const cuts: number[] = [];
      if (k % 2 === 0) {
        for (let at = r.int(262_144); at < stream.length; at += 1 + r.int(262_144)) cuts.push(at);
      } else {
        for (let i = r.int(20); i > 0; i--) cuts.push(r.int(stream.length));
        cuts.sort((a, b) => a - b);
      }
      const got = feedLending(cuts);
      assertSameBytes(got.frames, expected, `chunking ${k}`);
      lent += got.lent;
    }
    assert.ok(lent > 100, `${lent} frames lent`);
  });

  it("lending every whole frame (lendFrom: 0), one byte at a time and all at once", () => {
    const all = feedLending([], 0);
    assertSameBytes(all.frames, expected);
    assert.equal(all.lent, expected.length, "every frame of one read that holds them all");
    const cuts = Array.from({ length: 100_000 }, (_, i) => i + 1);
    assertSameBytes(feedLending(cuts, 0).frames, expected);
  });

  it("a lent frame's reader: keep() copies it (same offsets), retire() makes any later read throw", () => {
    const body = new Rng(7).bytes(8 * 1000);
    const frame = encodeFrame([body]);
    for (const keep of [true, false]) {
      const read = new Uint8Array(65536);
      read.set(frame);
      const [lent] = new FrameReader().pushTransient(read.subarray(0, frame.length), true);
      assert.equal(lent!.lent, true);
      const reader = MessageReader.from(lent!);
      assert.equal(reader.lent, true);
      const root = reader.root();
      const word = (p: typeof root) => [p.msg.dv.getUint32(p.off, true), p.msg.dv.getUint32(p.off + 4, true)];
      const before = word(root);
      if (keep) reader.keep();
      else reader.retire();
      assert.equal(reader.lent, false);
      read.fill(0xee);
      if (keep) {
        assert.deepEqual(word(root), before);
        assert.deepEqual(reader.segments[0], body);
      } else {
        assert.throws(() => root.isNull(), RangeError);
        assert.throws(() => reader.rootStruct(), RangeError);
      }
    }
    // A reader that owns its bytes: both are no-ops.
    const owned = MessageReader.from(frame);
    owned.retire();
    owned.keep();
    assert.deepEqual(owned.segments[0], body);
  });

  it("push() and pushTransient() may alternate on one reader", () => {
    const r = new Rng(79);
    for (let k = 0; k < 50; k++) {
      const reader = new FrameReader();
      const got: Uint8Array[] = [];
      let prev = 0;
      for (let at = r.int(70_000); prev < stream.length; at += 1 + r.int(70_000)) {
        const c = Math.min(at, stream.length);
        const chunk = stream.slice(prev, c);
        const transient = r.int(2) === 0;
        for (const f of transient ? reader.pushTransient(chunk) : reader.push(chunk)) got.push(reframe(f));
        if (transient) chunk.fill(0x5a); // push() may keep its chunk; pushTransient() may not
        prev = c;
      }
      reader.end();
      assertSameBytes(got, expected, `run ${k}`);
    }
  });

  it("announcing a huge frame makes the reader hold little more than what arrived (32×, at least 256 KiB)", () => {
    const length = 32 * 1024 * 1024;
    const frame = new Uint8Array(length);
    new DataView(frame.buffer).setUint32(4, (length - 8) / 8, true);
    for (let i = 8; i < length; i += 4093) frame[i] = i & 0xff;
    const reader = new FrameReader();
    const read = new Uint8Array(65536);
    read.set(frame.subarray(0, 8192));
    assert.deepEqual(reader.pushTransient(read.subarray(0, 8192)), []);
    assert.equal(reader.bufferedBytes, 8192);
    assert.ok(reader.retainedBytes <= 256 * 1024, `holds ${reader.retainedBytes} bytes for 8 KiB received`);
    let at = 8192;
    const got: Frame[] = [];
    while (at < length) {
      const n = Math.min(read.length, length - at);
      read.set(frame.subarray(at, at + n));
      got.push(...reader.pushTransient(read.subarray(0, n)));
      at += n;
      if (at < length) assert.ok(reader.retainedBytes <= Math.max(32 * 65536, 2 * at), `holds ${reader.retainedBytes} at ${at}`);
    }
    assert.equal(got.length, 1);
    assert.equal(got[0]!.bytes.buffer.byteLength, length);
    const bytes = got[0]!.bytes;
    let same = bytes.length === frame.length;
    for (let i = 0; same && i < frame.length; i++) same = bytes[i] === frame[i];
    assert.ok(same, "frame intact");
    assert.equal(reader.retainedBytes, 0);
  });

  it("refuses a too large or too segmented frame from its header, and a stream cut inside an assembled frame", () => {
    const header = (counts: number[]) => {
      const h = new Uint8Array(Math.max(8192, (4 + 4 * counts.length + 7) & ~7));
      const dv = new DataView(h.buffer);
      dv.setUint32(0, counts.length - 1, true);
      counts.forEach((c, i) => dv.setUint32(4 + 4 * i, c, true));
      return h;
    };
    const small = new FrameReader({ maxFrameBytes: 1 << 20 });
    assertFormatError(() => small.pushTransient(header([(1 << 17) + 1])), "FRAME_TOO_LARGE");
    assertFormatError(() => small.pushTransient(new Uint8Array(8)), "FRAME_TOO_LARGE");
    assertFormatError(() => new FrameReader({ maxSegments: 4 }).pushTransient(header([1, 1, 1, 1, 1])), "TOO_MANY_SEGMENTS");
    const cut = new FrameReader();
    assert.deepEqual(cut.pushTransient(header([100_000])), []);
    assert.equal(cut.bufferedBytes, 8192);
    assertFormatError(() => cut.end(), "TRUNCATED");
  });
});

describe("FrameReader limits", () => {
  function header(counts: number[]): Uint8Array {
    const h = new Uint8Array((4 + 4 * counts.length + 7) & ~7);
    const dv = new DataView(h.buffer);
    dv.setUint32(0, counts.length - 1, true);
    counts.forEach((c, i) => dv.setUint32(4 + 4 * i, c, true));
    return h;
  }

  it("refuses a frame announcing more than 64 MiB from its first 8 bytes", () => {
    const reader = new FrameReader();
    assertFormatError(() => reader.push(header([(64 * 1024 * 1024) / 8 + 1])), "FRAME_TOO_LARGE");
    // Failed readers stay failed.
    assertFormatError(() => reader.push(new Uint8Array(8)), "FRAME_TOO_LARGE");
    assertFormatError(() => reader.end(), "FRAME_TOO_LARGE");
  });

  it("accepts exactly the limit, refuses one word more; the sum over segments counts", () => {
    const r1 = new FrameReader({ maxFrameBytes: 1024 });
    assert.deepEqual(r1.push(header([128])), []);
    assertFormatError(() => new FrameReader({ maxFrameBytes: 1024 }).push(header([64, 64, 1])), "FRAME_TOO_LARGE");
    assertFormatError(() => new FrameReader({ maxFrameBytes: 1024 }).push(header([129])), "FRAME_TOO_LARGE");
  });

  it("a whole frame over the limit inside one chunk is refused too, also after good frames", () => {
    const frame = (words: number) => {
      const f = new Uint8Array(8 + words * 8);
      new DataView(f.buffer).setUint32(4, words, true);
      return f;
    };
    assertFormatError(() => new FrameReader({ maxFrameBytes: 1024 }).push(frame(129)), "FRAME_TOO_LARGE");
    const reader = new FrameReader({ maxFrameBytes: 1024 });
    const two = new Uint8Array(8 + 16 + 8 + 129 * 8);
    two.set(frame(2), 0);
    two.set(frame(129), 24);
    assertFormatError(() => reader.push(two), "FRAME_TOO_LARGE");
    assertFormatError(() => reader.push(frame(1)), "FRAME_TOO_LARGE"); // and it stays failed
    assert.equal(new FrameReader({ maxFrameBytes: 1024 }).push(frame(128)).length, 1);
  });

  it("refuses absurd segment counts from the first word (including u32 overflow)", () => {
    const h = new Uint8Array(8);
    new DataView(h.buffer).setUint32(0, 0xffffffff, true);
    assertFormatError(() => new FrameReader().push(h), "TOO_MANY_SEGMENTS");
    assertFormatError(() => new FrameReader().push(header(new Array(513).fill(0))), "TOO_MANY_SEGMENTS");
    assert.equal(new FrameReader().push(header(new Array(512).fill(0))).length, 1);
    assertFormatError(() => new FrameReader({ maxSegments: 2 }).push(header([1, 1, 1])), "TOO_MANY_SEGMENTS");
  });

  it("refuses as soon as the header is complete, even when it arrives byte by byte", () => {
    const reader = new FrameReader({ maxFrameBytes: 4096 });
    const h = header([1, 1, 1000]);
    for (let i = 0; i < h.length - 1; i++) reader.push(h.subarray(i, i + 1));
    assertFormatError(() => reader.push(h.subarray(h.length - 1)), "FRAME_TOO_LARGE");
  });

  it("end() inside a frame is TRUNCATED", () => {
    const reader = new FrameReader();
    reader.push(header([2]));
    assertFormatError(() => reader.end(), "TRUNCATED");
  });
});

describe("parseFrame / encodeFrame", () => {
  it("round-trips multi-segment frames with correct padding", () => {
    for (let n = 1; n <= 6; n++) {
      const segs = Array.from({ length: n }, (_, i) => new Uint8Array(8 * i).fill(i + 1));
      const f = encodeFrame(segs);
      assert.equal(f.length % 8, 0);
      const p = parseFrame(f);
      assertSameBytes(p.segments, segs, "segments");
    }
  });

  it("refuses truncated input and trailing bytes", () => {
    const f = encodeFrame([new Uint8Array(16), new Uint8Array(8)]);
    for (let i = 0; i < f.length; i++) {
      assertFormatError(() => parseFrame(f.subarray(0, i)), "TRUNCATED");
    }
    assertFormatError(() => parseFrame(concatPieces([f, new Uint8Array(8)])), "TRAILING_BYTES");
  });
});
