// The RPC codec's one-pass path for Calls and Returns (protocol/capnp/flat.ts) against the
// builder path, which test/capnp-codec.test.ts holds to capnp-es: for every shape a Workers call
// sends, with seeded random fields, the bytes are the same. The flat path is taken only when a
// message is queued (encodeRpcMessageInto); encodeRpcMessage always uses the builder. Each case
// also says which path the queued encode must take, so a flat path that silently stopped being
// used fails here too.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { decodeFlatRpcMessage, decodeRpcMessage, encodeRpcMessage, encodeRpcMessageInto } from "../protocol/capnp/rpc-codec.ts";
import { concatPieces, parseFrame } from "../protocol/capnp/framing.ts";
import { OutputQueue } from "../protocol/capnp/output.ts";
import { FLAT_DATA_MAX } from "../protocol/capnp/flat.ts";
import type { AnyPointerReader, ContentWriter, PointerBuilder } from "../protocol/capnp/layout.ts";
import type { CapDescriptor, OutgoingMessage, PromisedAnswerOp } from "../protocol/rpc-model.ts";
import {
  EMPTY_STRUCT,
  START_EVENT_PARAMS,
  readCallParams,
  readCallParamsFlat,
  readCallParamsGeneral,
  readCallResults,
  readCallResultsFlat,
  readCallResultsGeneral,
  writeCallParams,
  writeCallResults,
  writeCapStruct,
  type JsValueOut,
} from "../core/workers-rpc/schema.ts";
import { Rng } from "./support/capnp-oracle.ts";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/** The writer, with a record of whether the builder (write) was used. */
function watched(w: ContentWriter): { writer: ContentWriter; usedBuilder: () => boolean } {
  let used = false;
  const writer: ContentWriter = {
    write(p: PointerBuilder) {
      used = true;
      w.write(p);
    },
    flatBytes: () => w.flatBytes(),
    writeFlat: (dv, bytes, p, at) => w.writeFlat(dv, bytes, p, at),
  };
  return { writer, usedBuilder: () => used };
}

const ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$";

function asciiName(rng: Rng): string {
  const n = rng.pick([0, 1, 3, 6, 7, 8, 15, 16, 40]);
  let s = "";
  for (let i = 0; i < n; i++) s += ASCII[rng.int(ASCII.length)];
  return s;
}

function bytes(rng: Rng, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = rng.int(256);
  return b;
}

function jsValue(rng: Rng, flat: boolean): JsValueOut {
  const n = rng.pick([0, 1, 5, 8, 9, 100, FLAT_DATA_MAX - 1, FLAT_DATA_MAX]);
  const externalCaps = Array.from({ length: rng.pick([0, 0, 1, 2, 5]) }, () => rng.int(6));
  if (flat) return { v8: bytes(rng, n), externalCaps };
  // What keeps a value off the flat path: more data than FLAT_DATA_MAX.
  return { v8: bytes(rng, FLAT_DATA_MAX + 1 + rng.int(3000)), externalCaps };
}

interface Content {
  writer: ContentWriter | null;
  flat: boolean;
  kind: "params" | "results" | "other";
  /** Checks what the Workers codecs read back from the decoded content. */
  check?: (content: AnyPointerReader | null) => void;
}

function content(rng: Rng): Content {
  const kind = rng.int(7);
  const flat = rng.int(4) !== 0;
  if (kind === 0) {
    // CallParams
    const shape = rng.int(3);
    const args: JsValueOut | "getProperty" | null = shape === 0 ? null : shape === 1 ? "getProperty" : jsValue(rng, flat);
    let path = [asciiName(rng)];
    if (!flat && args !== null && args !== "getProperty" && rng.bool()) path = [asciiName(rng), asciiName(rng)];
    else if (!flat && (args === null || args === "getProperty" || rng.bool())) {
      path = rng.bool() ? ["ünï" + asciiName(rng)] : [asciiName(rng), asciiName(rng), "x"];
    }
    const params = { path, args, externalPusherCap: rng.int(3) };
    const isFlat = path.length === 1 && /^[\x00-\x7f]*$/.test(path[0]!) && (args === null || args === "getProperty" || flat);
    return {
      writer: writeCallParams(params),
      flat: isFlat,
      kind: "params",
      check: (received) => {
        const read = readCallParams(received);
        assert.deepEqual(read.path, path);
        assert.equal(read.getProperty, args === "getProperty");
        if (args === null || args === "getProperty") assert.equal(read.args, null);
        else {
          assert.equal(hex(read.args!.v8), hex(args.v8));
          assert.deepEqual(read.args!.externals, args.externalCaps.map((cap) => ({ kind: "rpcTarget", cap })));
        }
      },
    };
  }
  if (kind === 1) {
    const result = jsValue(rng, flat);
    const out = { result, callPipelineCap: rng.int(4), hasDisposer: rng.bool() };
    return {
      writer: writeCallResults(out),
      flat,
      kind: "results",
      check: (received) => {
        const read = readCallResults(received);
        assert.equal(hex(read.result!.v8), hex(result.v8));
        assert.deepEqual(read.result!.externals, result.externalCaps.map((cap) => ({ kind: "rpcTarget", cap })));
        assert.equal(read.callPipelineCap, out.callPipelineCap);
        assert.equal(read.hasDisposer, out.hasDisposer);
      },
    };
  }
  if (kind === 2) return { writer: START_EVENT_PARAMS, flat: true, kind: "other" };
  if (kind === 3) return { writer: EMPTY_STRUCT, flat: true, kind: "other" };
  if (kind === 4) return { writer: writeCapStruct(rng.int(5)), flat: true, kind: "other" };
  return { writer: null, flat: true, kind: "other" };
}

const FLAT_CAPS: CapDescriptor["type"][] = ["none", "senderHosted", "senderPromise", "receiverHosted"];

function capTable(rng: Rng): { caps: CapDescriptor[]; flat: boolean } {
  const n = rng.pick([0, 0, 1, 2, 3, 5]);
  const caps: CapDescriptor[] = [];
  let flat = true;
  for (let i = 0; i < n; i++) {
    if (rng.int(10) === 0) {
      caps.push({ type: "receiverAnswer", promisedAnswer: { questionId: rng.u32(), transform: [] } });
      flat = false;
      continue;
    }
    const type = rng.pick(FLAT_CAPS);
    caps.push(type === "none" ? { type } : ({ type, id: rng.u32() } as CapDescriptor));
  }
  return { caps, flat };
}

function transform(rng: Rng): PromisedAnswerOp[] {
  return Array.from({ length: rng.pick([0, 1, 1, 2, 3]) }, () =>
    rng.int(4) === 0 ? { type: "noop" as const } : { type: "getPointerField" as const, index: rng.u16() },
  );
}

interface Case {
  message: OutgoingMessage;
  flat: boolean;
  kind: Content["kind"];
  usedBuilder: () => boolean;
  check?: Content["check"];
}

function randomCase(rng: Rng): Case {
  const c = content(rng);
  const w = c.writer === null ? null : watched(c.writer);
  const table = capTable(rng);
  const payload = { content: w?.writer ?? null, capTable: table.caps };
  const usedBuilder = w?.usedBuilder ?? (() => false);
  const flat = c.flat && table.flat;
  if (rng.bool()) {
    const message: OutgoingMessage = {
      type: "call",
      questionId: rng.u32(),
      target: rng.bool()
        ? { type: "importedCap", importedCap: rng.u32() }
        : { type: "promisedAnswer", promisedAnswer: { questionId: rng.u32(), transform: transform(rng) } },
      interfaceId: rng.u64(),
      methodId: rng.u16(),
      params: payload,
      sendResultsTo: rng.bool() ? "caller" : "yourself",
      allowThirdPartyTailCall: rng.bool(),
      noPromisePipelining: rng.bool(),
      onlyPromisePipeline: rng.bool(),
    };
    return { message, flat, kind: c.kind, usedBuilder, check: c.check };
  }
  const message: OutgoingMessage = {
    type: "return",
    answerId: rng.u32(),
    releaseParamCaps: rng.bool(),
    noFinishNeeded: rng.bool(),
    body: { type: "results", results: payload },
  };
  return { message, flat, kind: c.kind, usedBuilder, check: c.check };
}

function queued(message: OutgoingMessage): Uint8Array {
  const out = new OutputQueue();
  encodeRpcMessageInto(message, out);
  return concatPieces(out.take());
}

function receivedContent(bytes: Uint8Array): AnyPointerReader | null {
  const m = decodeRpcMessage(bytes);
  if (m.type === "call") return m.params.content;
  assert.ok(m.type === "return" && m.body.type === "results");
  return m.body.results.content;
}

describe("flat Calls and Returns", () => {
  it("lay out the builder's bytes for every shape a call sends, and take the flat path when they can", () => {
    const rng = new Rng(0xf1a7);
    let flatCount = 0;
    let generalCount = 0;
    for (let i = 0; i < 4000; i++) {
      const c = randomCase(rng);
      const ours = queued(c.message);
      const what = `case ${i} (${c.message.type}, flat ${c.flat})`;
      const hasContent = (c.message.type === "call" ? c.message.params : (c.message as { body: { results: { content: unknown } } }).body.results).content !== null;
      if (hasContent) assert.equal(c.usedBuilder(), !c.flat, `${what}: path taken`);
      const general = concatPieces(encodeRpcMessage(c.message));
      assert.equal(hex(ours), hex(general), what);
      c.check?.(receivedContent(ours));
      if (c.flat) flatCount++;
      else generalCount++;
    }
    assert.ok(flatCount > 2000 && generalCount > 400, `${flatCount} flat cases, ${generalCount} general`);
  });

  it("queue after other messages and leave no bytes behind for the next one", () => {
    const rng = new Rng(7);
    const cases = Array.from({ length: 200 }, () => randomCase(rng));
    const out = new OutputQueue();
    for (const c of cases) encodeRpcMessageInto(c.message, out);
    const all = concatPieces(out.take());
    const expected = cases.map((c) => concatPieces(encodeRpcMessage(c.message)));
    assert.equal(hex(all), expected.map(hex).join(""));
  });

  it("fall back to the builder for what they do not lay out", () => {
    const pusher = { path: ["method"], args: null, externalPusherCap: 0 };
    const w = watched(writeCallParams(pusher));
    const call = (params: Extract<OutgoingMessage, { type: "call" }>["params"]): OutgoingMessage => ({
      type: "call",
      questionId: 1,
      target: { type: "importedCap", importedCap: 0 },
      interfaceId: 1n,
      methodId: 0,
      params,
      sendResultsTo: "caller",
    });
    // A content given as a function.
    let called = 0;
    const fnContent = (p: PointerBuilder) => {
      called++;
      p.initStruct(1, 0);
    };
    assert.equal(hex(queued(call({ content: fnContent, capTable: [] }))), hex(concatPieces(encodeRpcMessage(call({ content: fnContent, capTable: [] })))));
    assert.equal(called, 2);
    // A promised answer in the cap table.
    queued(call({ content: w.writer, capTable: [{ type: "receiverAnswer", promisedAnswer: { questionId: 3, transform: [] } }] }));
    assert.equal(w.usedBuilder(), true);
    // An exception Return, and a sendResultsTo the builder refuses, behave as before.
    const exception: OutgoingMessage = { type: "return", answerId: 1, releaseParamCaps: true, body: { type: "exception", exception: { reason: "x", type: "failed" } } };
    assert.equal(hex(queued(exception)), hex(concatPieces(encodeRpcMessage(exception))));
    assert.throws(() => queued({ ...call({ content: null, capTable: [] }), sendResultsTo: "thirdParty" } as OutgoingMessage), /thirdParty/);
  });
});

// ---- reading

/** The model with each content reader replaced by where it points, its depth and the budget left. */
function comparable(m: ReturnType<typeof decodeRpcMessage>): unknown {
  return JSON.parse(
    JSON.stringify(m, (_key, v) => {
      if (typeof v === "bigint") return `${v}n`;
      if (v !== null && typeof v === "object" && "msg" in v && "depth" in v) {
        return { off: v.off, depth: v.depth, budget: v.msg.remainingBudget };
      }
      return v;
    }),
  );
}

function contentOf(m: ReturnType<typeof decodeRpcMessage>): AnyPointerReader | null {
  if (m.type === "call") return m.params.content;
  if (m.type === "return" && m.body.type === "results") return m.body.results.content;
  return null;
}

type Outcome = { ok: unknown } | { error: string };
function outcome(fn: () => unknown): Outcome {
  try {
    return { ok: fn() };
  } catch (e) {
    return { error: (e as { code?: string }).code ?? String(e) };
  }
}

/** Reads `bytes` both ways (flat where it applies, and general only) and compares everything. */
function readBothWays(bytes: Uint8Array, kind: Content["kind"], what: string): { flat: boolean } {
  let frame;
  try {
    frame = parseFrame(bytes);
  } catch {
    return { flat: false };
  }
  const flatModel = outcome(() => decodeFlatRpcMessage(frame));
  if ("error" in flatModel) assert.fail(`${what}: the flat reader threw ${flatModel.error}`);
  const usedFlat = (flatModel as { ok: unknown }).ok !== null;
  const fast = outcome(() => decodeRpcMessage(parseFrame(bytes)));
  const general = outcome(() => decodeRpcMessage(bytes));
  if ("error" in general || "error" in fast) {
    assert.deepEqual(fast, general, what);
    return { flat: usedFlat };
  }
  const a = fast.ok as ReturnType<typeof decodeRpcMessage>;
  const b = general.ok as ReturnType<typeof decodeRpcMessage>;
  assert.deepEqual(comparable(a), comparable(b), `${what}: models`);
  if (usedFlat) assert.deepEqual(comparable((flatModel as { ok: ReturnType<typeof decodeRpcMessage> }).ok), comparable(b), `${what}: flat model`);
  const ca = contentOf(a);
  const cb = contentOf(b);
  if (kind === "other" || ca === null || cb === null) return { flat: usedFlat };
  const readFast = kind === "params" ? readCallParams : readCallResults;
  const readGeneral = kind === "params" ? readCallParamsGeneral : readCallResultsGeneral;
  const x = outcome(() => readFast(ca));
  const y = outcome(() => readGeneral(cb));
  const norm = (o: Outcome) => JSON.parse(JSON.stringify(o, (_k, v) => (v instanceof Uint8Array ? hex(v) : v)));
  assert.deepEqual(norm(x), norm(y), `${what}: content`);
  assert.equal(ca.msg.remainingBudget, cb.msg.remainingBudget, `${what}: budget after the content`);
  return { flat: usedFlat };
}

describe("flat reading of Calls and Returns", () => {
  it("reads what the flat path writes, as the general reader does, and handles every usual shape", () => {
    const rng = new Rng(0xdec0);
    for (let i = 0; i < 3000; i++) {
      const c = randomCase(rng);
      const bytes = queued(c.message);
      const { flat } = readBothWays(bytes, c.kind, `case ${i}`);
      // Everything written flat is read flat, content included (the receiving side's fast path).
      if (c.flat) {
        assert.ok(flat, `case ${i}: not read flat`);
        const content = contentOf(decodeRpcMessage(parseFrame(bytes)));
        if (content !== null && c.kind === "params") assert.notEqual(readCallParamsFlat(content), null, `case ${i}: params`);
        if (content !== null && c.kind === "results") assert.notEqual(readCallResultsFlat(content), null, `case ${i}: results`);
      }
    }
  });

  it("agree with the general reader on corrupted, truncated and padded messages", () => {
    const rng = new Rng(0xbad);
    let flatSeen = 0;
    for (let i = 0; i < 4000; i++) {
      const c = randomCase(rng);
      const clean = queued(c.message);
      let bytes = clean.slice();
      const how = rng.int(5);
      if (how <= 2) {
        // Flip a few bytes after the frame header (pointers, tags, lengths, data).
        for (let k = 0, n = 1 + rng.int(3); k < n; k++) bytes[8 + rng.int(bytes.length - 8)] = rng.int(256);
      } else if (how === 3) {
        // Truncate the segment (and say so in the header, so the frame itself is valid).
        const words = Math.max(0, (bytes.length - 8) / 8 - 1 - rng.int(4));
        bytes = bytes.slice(0, 8 + words * 8);
        new DataView(bytes.buffer).setUint32(4, words, true);
      } else {
        // Set one pointer's offset or size word to an extreme.
        const at = 8 + 8 * rng.int((bytes.length - 8) / 8);
        new DataView(bytes.buffer).setUint32(at + rng.pick([0, 4]), rng.pick([0xffffffff, 0x7ffffffc, 0xfffffff0, 3, 1, 7]), true);
      }
      if (readBothWays(bytes, c.kind, `case ${i} (corruption ${how})`).flat) flatSeen++;
    }
    assert.ok(flatSeen > 500, `only ${flatSeen} corrupted messages went through the flat reader`);
  });
});
