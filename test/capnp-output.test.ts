// OutputQueue: a connection's encoded messages on their way to one write. The bytes must be the
// messages in order, handed-out pieces must never change afterwards, and two connections
// appending in turn must not mix their bytes. Messages laid out in place in the slab find zeros
// there, and what a failed writer left behind is never sent nor seen by the next message.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { FrameReader, concatPieces } from "../protocol/capnp/framing.ts";
import { OutputQueue, copyOut, slabInPlace } from "../protocol/capnp/output.ts";
import { useByteAllocator } from "../protocol/bytes.ts";
import type { ContentWriter } from "../protocol/capnp/flat.ts";
import { decodeRpcMessage, encodeRpcMessage, encodeRpcMessageInto } from "../protocol/capnp/rpc-codec.ts";
import type { OutgoingMessage } from "../protocol/rpc-model.ts";

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 255);

describe("OutputQueue", () => {
  it("joins consecutive small messages into one piece, in order", () => {
    const q = new OutputQueue();
    assert.equal(q.isEmpty, true);
    q.append(bytes(40, 1), 40);
    q.append(bytes(300, 2), 24); // only the first n bytes count
    q.append(bytes(500, 3), 500); // above the loop-copy size
    assert.equal(q.isEmpty, false);
    const pieces = q.take();
    assert.equal(pieces.length, 1);
    assert.deepEqual(pieces[0], concatPieces([bytes(40, 1), bytes(24, 2), bytes(500, 3)]));
    assert.equal(q.isEmpty, true);
    assert.deepEqual(q.take(), []);
  });

  it("keeps a large piece by reference between copied runs; large copies get their own buffer", () => {
    const q = new OutputQueue();
    const big = bytes(70_000, 4);
    const head = bytes(5000, 5);
    q.append(bytes(16, 6), 16);
    q.appendPiece(big);
    q.append(bytes(8, 7), 8);
    q.append(head, 5000);
    const pieces = q.take();
    assert.equal(pieces[1], big, "appended pieces are not copied");
    assert.deepEqual(concatPieces(pieces), concatPieces([bytes(16, 6), big, bytes(8, 7), head]));
    head.fill(0);
    assert.deepEqual(pieces.at(-1), bytes(5000, 5), "appended bytes are copied");
  });

  it("a large copy (a long read, a large message) is every byte of the source in a buffer of its own, whatever the allocator left there", () => {
    // An allocator that hands out dirty memory, as the Node and Bun adapters' may.
    useByteAllocator((n) => new Uint8Array(n).fill(0xa5));
    try {
      const src = bytes(70_000, 8);
      for (const n of [4097, 65_536, 70_000]) {
        const copy = copyOut(src, n);
        assert.equal(copy.byteOffset, 0);
        assert.equal(copy.buffer.byteLength, n);
        assert.deepEqual(copy, src.subarray(0, n), `${n} bytes`);
      }
      const q = new OutputQueue();
      q.append(src, 9000);
      const [piece] = q.take();
      src.fill(0);
      assert.deepEqual(piece, bytes(9000, 8));
    } finally {
      useByteAllocator(null);
    }
  });

  it("never changes bytes it handed out, across slab turnovers", () => {
    const q = new OutputQueue();
    const taken: { piece: Uint8Array; expect: Uint8Array }[] = [];
    for (let i = 0; i < 400; i++) {
      const src = bytes(8 + (i % 50) * 8, i);
      q.append(src, src.length);
      if (i % 3 === 0) for (const piece of q.take()) taken.push({ piece, expect: piece.slice() });
    }
    for (const { piece, expect } of taken) assert.deepEqual(piece, expect);
  });

  it("two queues appending in turn keep their own bytes", () => {
    const a = new OutputQueue();
    const b = new OutputQueue();
    const sentA: Uint8Array[] = [];
    const sentB: Uint8Array[] = [];
    for (let i = 0; i < 50; i++) {
      const x = bytes(24 + (i % 5) * 8, i);
      const y = bytes(32, 100 + i);
      a.append(x, x.length);
      sentA.push(x);
      b.append(y, y.length);
      sentB.push(y);
    }
    assert.deepEqual(concatPieces(a.take()), concatPieces(sentA));
    assert.deepEqual(concatPieces(b.take()), concatPieces(sentB));
  });

  it("a message written in place (reserve, commit) finds zeros there and joins the run; a discarded one is never handed out", () => {
    const q = new OutputQueue();
    const all: Uint8Array[] = [];
    for (let i = 0; i < 2000; i++) { // several slab turnovers
      const n = 8 + (i % 40) * 8;
      const src = bytes(n, i);
      if (i % 3 === 0) {
        q.append(src, n);
        all.push(src);
        continue;
      }
      const at = q.reserve(n);
      const room = slabInPlace.bytes.subarray(at, at + n);
      assert.ok(room.every((b) => b === 0), `reserved bytes are zero (message ${i})`);
      room.set(src);
      if (i % 7 === 0) {
        q.discard(at, n); // a writer that failed midway: its bytes stay behind, unqueued
      } else {
        q.commit(at, n);
        all.push(src);
      }
    }
    assert.deepEqual(concatPieces(q.take()), concatPieces(all));
    assert.throws(() => q.reserve(64 * 1024), RangeError); // would not fit in any slab
  });

  it("a one-pass Call whose content fails midway leaves nothing queued, and the next messages are exact", () => {
    const failing: ContentWriter = {
      write() {
        throw new Error("not this path");
      },
      flatBytes: () => 64,
      writeFlat(dv, bytes, p, at) {
        bytes.fill(0xee, at, at + 64); // half-written garbage
        throw new Error("content failed");
      },
    };
    const call = (content: ContentWriter | null): OutgoingMessage => ({
      type: "call",
      questionId: 5,
      target: { type: "importedCap", importedCap: 1 },
      interfaceId: 0x1234n,
      methodId: 2,
      params: { content, capTable: [] },
      sendResultsTo: "caller",
      allowThirdPartyTailCall: false,
      noPromisePipelining: false,
      onlyPromisePipeline: false,
    });
    const next: OutgoingMessage[] = [
      call(null),
      { type: "finish", questionId: 3, releaseResultCaps: true, requireEarlyCancellationWorkaround: true },
      { type: "return", answerId: 4, releaseParamCaps: false, noFinishNeeded: false, body: { type: "results", results: { content: null, capTable: [] } } },
    ];
    const q = new OutputQueue();
    for (let round = 0; round < 3; round++) {
      assert.throws(() => encodeRpcMessageInto(call(failing), q), /content failed/);
      for (const m of next) encodeRpcMessageInto(m, q);
    }
    const joined = concatPieces(q.take());
    const one = concatPieces(next.flatMap((m) => encodeRpcMessage(m)));
    assert.deepEqual(joined, concatPieces([one, one, one]));
  });

  it("encodeRpcMessageInto queues exactly the frames encodeRpcMessage returns", () => {
    const messages: OutgoingMessage[] = [
      { type: "finish", questionId: 3, releaseResultCaps: true, requireEarlyCancellationWorkaround: true },
      { type: "release", id: 7, referenceCount: 2 },
      { type: "bootstrap", questionId: 9 },
    ];
    const q = new OutputQueue();
    for (const m of messages) encodeRpcMessageInto(m, q);
    const joined = concatPieces(q.take());
    assert.deepEqual(joined, concatPieces(messages.flatMap((m) => encodeRpcMessage(m))));
    const frames = new FrameReader().push(joined);
    assert.deepEqual(frames.map((f) => decodeRpcMessage(f).type), ["finish", "release", "bootstrap"]);
  });

  it("Finish and Release from templates: the general encoder's bytes, and the general decoder's result", () => {
    const messages: OutgoingMessage[] = [];
    for (const id of [0, 1, 255, 65536, 2 ** 31, 2 ** 32 - 1]) {
      for (const releaseResultCaps of [true, false]) {
        for (const requireEarlyCancellationWorkaround of [true, false]) {
          messages.push({ type: "finish", questionId: id, releaseResultCaps, requireEarlyCancellationWorkaround });
        }
      }
      messages.push({ type: "release", id, referenceCount: (id * 7 + 1) % 2 ** 32 });
    }
    const q = new OutputQueue();
    for (const m of messages) encodeRpcMessageInto(m, q);
    const joined = concatPieces(q.take());
    assert.deepEqual(joined, concatPieces(messages.flatMap((m) => encodeRpcMessage(m))));
    const frames = new FrameReader().push(joined);
    assert.equal(frames.length, messages.length);
    frames.forEach((f, i) => {
      const fast = decodeRpcMessage(f);
      const general = decodeRpcMessage(joined.slice(i * 40, i * 40 + 40)); // a whole buffer: general path
      assert.deepEqual(fast, general);
      assert.deepEqual(fast, messages[i]);
    });
  });

  it("a 40-byte frame that is not a canonical Finish or Release takes the general decoder", () => {
    const release = concatPieces(encodeRpcMessage({ type: "release", id: 3, referenceCount: 4 })).slice();
    assert.equal(release.length, 40);
    // The variant pointer (bytes 24..31) says 0 data words instead of 1: still a Release, whose
    // fields read as their defaults; the bytes after it are not part of it.
    const odd = release.slice();
    odd[28] = 0;
    assert.deepEqual(decodeRpcMessage(new FrameReader().push(odd)[0]!), { type: "release", id: 0, referenceCount: 0 });
    assert.deepEqual(decodeRpcMessage(new FrameReader().push(release)[0]!), { type: "release", id: 3, referenceCount: 4 });
  });
});

