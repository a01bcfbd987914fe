// Test support for the Cap'n Proto codec: a seeded generator of rpc-model messages (every kind and
// variant), a builder that produces the same message with capnp-es (the generated classes from
// protocol/schema/gen/rpc.js) in our canonical object order, and a sample Payload content (a
// struct with scalars, text, data, a list of structs and capability pointers) writable by both
// and readable through our AnyPointerReader.

import * as $ from "capnp-es";
import * as rpc from "../../protocol/schema/gen/rpc.js";
import type { AnyPointerReader, AnyPointerWriter, PointerBuilder } from "../../protocol/capnp/layout.ts";
import { ElementSize } from "../../protocol/capnp/layout.ts";
import type {
  CapDescriptor,
  DisembargoContext,
  IncomingMessage,
  MessageTarget,
  OutgoingMessage,
  Payload,
  PromisedAnswer,
  ReturnBody,
  RpcException,
  RpcMessage,
} from "../../protocol/rpc-model.ts";

// ------------------------------------------------------------------ PRNG

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  next(): number {
    // mulberry32
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  u32(): number {
    const r = this.int(4);
    return r === 0 ? 0 : r === 1 ? this.int(16) : r === 2 ? 0xffffffff - this.int(3) : (this.next() * 2 ** 32) >>> 0;
  }
  u16(): number {
    return this.int(3) === 0 ? this.int(4) : this.int(65536);
  }
  u64(): bigint {
    return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
  }
  bool(): boolean {
    return this.next() < 0.5;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
  text(): string {
    const pool = ["", "a", "add", "remote.jsg.TypeError: bad thing", "héllo wörld", "日本語テキスト", "emoji 🎉 ok", "x".repeat(70)];
    const s = this.pick(pool);
    return this.bool() ? s : s + String(this.int(1000));
  }
}

// ------------------------------------------------------------------ sample content

/**
 * Sample Payload content, shaped like workerd's CallParams/External: struct (2 data words, 4
 * pointers) { u32@0, bool bit 32, u16@6, u64@8; ptr0 text; ptr1 data; ptr2 List(Item); ptr3 cap },
 * Item (2 data words, 2 pointers) { u16@0, u64@8; ptr0 cap; ptr1 text }.
 */
export interface ContentSpec {
  a: number;
  flag: boolean;
  b: number;
  c: bigint;
  text: string | null;
  data: Uint8Array | null;
  items: { tag: number; n: bigint; cap: number | null; name: string | null }[] | null;
  cap: number | null;
}

export function randomContent(rng: Rng, capCount: number, bigData = false): ContentSpec {
  const cap = () => (capCount > 0 && rng.bool() ? rng.int(capCount) : null);
  return {
    a: rng.u32(),
    flag: rng.bool(),
    b: rng.u16(),
    c: rng.u64(),
    text: rng.int(4) === 0 ? null : rng.text(),
    data: bigData ? rng.bytes(65536 + rng.int(9)) : rng.int(4) === 0 ? null : rng.bytes(rng.int(40)),
    items:
      rng.int(3) === 0
        ? null
        : Array.from({ length: rng.int(4) }, () => ({
            tag: rng.u16(),
            n: rng.u64(),
            cap: cap(),
            name: rng.bool() ? rng.text() : null,
          })),
    cap: cap(),
  };
}

/** Our writer for a ContentSpec (the objects in the order capnp-es is driven below). */
export function contentWriter(spec: ContentSpec): (p: PointerBuilder) => void {
  const w = (p: PointerBuilder) => {
    const s = p.initStruct(2, 4);
    s.setU32(0, spec.a);
    s.setBool(32, spec.flag);
    s.setU16(6, spec.b);
    s.setU64(8, spec.c);
    if (spec.text !== null) s.setText(0, spec.text);
    if (spec.items !== null) {
      const list = s.initStructList(2, spec.items.length, 2, 2);
      spec.items.forEach((it, i) => {
        const e = list.get(i);
        e.setU16(0, it.tag);
        e.setU64(8, it.n);
        if (it.cap !== null) e.setCap(0, it.cap);
        if (it.name !== null) e.setText(1, it.name);
      });
    }
    if (spec.cap !== null) s.setCap(3, spec.cap);
    // Data last, so that a big one is emitted without a copy.
    if (spec.data !== null) s.setData(1, spec.data);
  };
  specs.set(w, spec);
  return w;
}

const specs = new WeakMap<AnyPointerWriter, ContentSpec>();
export function specOf(w: AnyPointerWriter): ContentSpec {
  const s = specs.get(w);
  if (!s) throw new Error("writer without spec");
  return s;
}

/** Reads a ContentSpec back through our reader. */
export function readContent(r: AnyPointerReader): ContentSpec {
  const s = r.struct();
  if (!s) throw new Error("content is not a struct");
  const list = s.list(2);
  return {
    a: s.u32(0),
    flag: s.bool(32),
    b: s.u16(6),
    c: s.u64(8),
    text: s.text(0),
    data: s.data(1) === null ? null : new Uint8Array(s.data(1)!),
    items:
      list === null
        ? null
        : Array.from({ length: list.length }, (_, i) => {
            const e = list.struct(i);
            return { tag: e.u16(0), n: e.u64(8), cap: e.cap(0), name: e.text(1) };
          }),
    cap: s.cap(3),
  };
}

class TestContent extends $.Struct {
  static override readonly _capnp = { displayName: "TestContent", id: "1", size: new $.ObjectSize(16, 4) };
}
class TestItem extends $.Struct {
  static override readonly _capnp = { displayName: "TestItem", id: "2", size: new $.ObjectSize(16, 2) };
}
const TestItemList = $.CompositeList(TestItem);

/** Writes a ContentSpec at a capnp-es pointer, in the same order as contentWriter. */
function writeContentEs(ptr: $.Pointer, spec: ContentSpec): void {
  const s = new TestContent(ptr.segment, ptr.byteOffset);
  $.utils.initStruct(TestContent._capnp.size, s);
  $.utils.setUint32(0, spec.a, s);
  $.utils.setBit(32, spec.flag, s);
  $.utils.setUint16(6, spec.b, s);
  $.utils.setUint64(8, spec.c, s);
  if (spec.text !== null) $.utils.setText(0, spec.text, s);
  if (spec.items !== null) {
    const list = $.utils.initList(2, TestItemList, spec.items.length, s) as $.List<TestItem>;
    spec.items.forEach((it, i) => {
      const e = list.get(i);
      $.utils.setUint16(0, it.tag, e);
      $.utils.setUint64(8, it.n, e);
      if (it.cap !== null) $.utils.setInterfacePointer(it.cap, $.utils.getPointer(0, e));
      if (it.name !== null) $.utils.setText(1, it.name, e);
    });
  }
  if (spec.cap !== null) $.utils.setInterfacePointer(spec.cap, $.utils.getPointer(3, s));
  if (spec.data !== null) $.utils.initData(1, spec.data.length, s).copyBuffer(spec.data);
}

// ------------------------------------------------------------------ model generator

function randomPromisedAnswer(rng: Rng): PromisedAnswer {
  return {
    questionId: rng.u32(),
    transform: Array.from({ length: rng.int(4) }, () =>
      rng.int(4) === 0 ? { type: "noop" as const } : { type: "getPointerField" as const, index: rng.u16() },
    ),
  };
}

function randomTarget(rng: Rng): MessageTarget {
  return rng.bool()
    ? { type: "importedCap", importedCap: rng.u32() }
    : { type: "promisedAnswer", promisedAnswer: randomPromisedAnswer(rng) };
}

function randomCapDescriptor(rng: Rng): CapDescriptor {
  switch (rng.int(5)) {
    case 0:
      return { type: "none" };
    case 1:
      return { type: "senderHosted", id: rng.u32() };
    case 2:
      return { type: "senderPromise", id: rng.u32() };
    case 3:
      return { type: "receiverHosted", id: rng.u32() };
    default:
      return { type: "receiverAnswer", promisedAnswer: randomPromisedAnswer(rng) };
  }
}

function randomPayload(rng: Rng, bigData = false): Payload<AnyPointerWriter | null> {
  const capTable = Array.from({ length: rng.int(4) }, () => randomCapDescriptor(rng));
  const content = bigData || rng.int(5) !== 0 ? contentWriter(randomContent(rng, capTable.length, bigData)) : null;
  return { content, capTable };
}

export function randomException(rng: Rng): RpcException {
  const e: RpcException = { reason: rng.text(), type: rng.pick(["failed", "overloaded", "disconnected", "unimplemented"] as const) };
  if (rng.bool()) e.trace = rng.text();
  if (rng.bool()) {
    e.details = Array.from({ length: rng.int(3) }, () => ({ id: rng.u64(), data: rng.bytes(rng.int(30)) }));
  }
  return e;
}

function randomReturnBody(rng: Rng, bigData: boolean): ReturnBody<AnyPointerWriter | null> {
  if (bigData) return { type: "results", results: randomPayload(rng, true) };
  switch (rng.int(5)) {
    case 0:
      return { type: "results", results: randomPayload(rng) };
    case 1:
      return { type: "exception", exception: randomException(rng) };
    case 2:
      return { type: "canceled" };
    case 3:
      return { type: "resultsSentElsewhere" };
    default:
      return { type: "takeFromOtherQuestion", questionId: rng.u32() };
  }
}

function randomDisembargoContext(rng: Rng): DisembargoContext {
  switch (rng.int(3)) {
    case 0:
      return { type: "senderLoopback", embargoId: rng.u32() };
    case 1:
      return { type: "receiverLoopback", embargoId: rng.u32() };
    default:
      return { type: "accept" };
  }
}

export const MESSAGE_KINDS = [
  "call",
  "return",
  "finish",
  "resolve",
  "release",
  "bootstrap",
  "disembargo",
  "abort",
  "unimplemented",
] as const;

/** A random message of the given kind (nested Unimplemented up to depth 2). */
export function randomMessage(rng: Rng, kind: (typeof MESSAGE_KINDS)[number], depth = 0): OutgoingMessage {
  switch (kind) {
    case "call": {
      const m: OutgoingMessage = {
        type: "call",
        questionId: rng.u32(),
        target: randomTarget(rng),
        interfaceId: rng.u64(),
        methodId: rng.u16(),
        params: randomPayload(rng),
        sendResultsTo: rng.bool() ? "caller" : "yourself",
      };
      if (rng.bool()) m.allowThirdPartyTailCall = rng.bool();
      if (rng.bool()) m.noPromisePipelining = rng.bool();
      if (rng.bool()) m.onlyPromisePipeline = rng.bool();
      return m;
    }
    case "return": {
      const m: OutgoingMessage = {
        type: "return",
        answerId: rng.u32(),
        releaseParamCaps: rng.bool(),
        body: randomReturnBody(rng, false),
      };
      if (rng.bool()) m.noFinishNeeded = rng.bool();
      return m;
    }
    case "finish": {
      const m: OutgoingMessage = { type: "finish", questionId: rng.u32(), releaseResultCaps: rng.bool() };
      if (rng.bool()) m.requireEarlyCancellationWorkaround = rng.bool();
      return m;
    }
    case "resolve":
      return {
        type: "resolve",
        promiseId: rng.u32(),
        resolution: rng.bool()
          ? { type: "cap", cap: randomCapDescriptor(rng) }
          : { type: "exception", exception: randomException(rng) },
      };
    case "release":
      return { type: "release", id: rng.u32(), referenceCount: rng.u32() };
    case "bootstrap":
      return { type: "bootstrap", questionId: rng.u32() };
    case "disembargo":
      return { type: "disembargo", target: randomTarget(rng), context: randomDisembargoContext(rng) };
    case "abort":
      return { type: "abort", exception: randomException(rng) };
    case "unimplemented": {
      const inner = depth < 2 ? rng.pick(MESSAGE_KINDS) : rng.pick(MESSAGE_KINDS.slice(0, -1));
      return { type: "unimplemented", message: randomMessage(rng, inner, depth + 1) };
    }
  }
}

/** A Return carrying a 64 KiB Data (emitted as pieces by our encoder). */
export function bigReturn(rng: Rng): OutgoingMessage {
  return { type: "return", answerId: rng.u32(), releaseParamCaps: true, body: randomReturnBody(rng, true) };
}

// ------------------------------------------------------------------ capnp-es oracle

function esPromisedAnswer(pa: rpc.PromisedAnswer, m: PromisedAnswer): void {
  pa.questionId = m.questionId;
  const ops = pa._initTransform(m.transform.length);
  m.transform.forEach((op, i) => {
    if (op.type === "getPointerField") ops.get(i).getPointerField = op.index;
    else ops.get(i).noop = true;
  });
}

function esTarget(t: rpc.MessageTarget, m: MessageTarget): void {
  if (m.type === "importedCap") t.importedCap = m.importedCap;
  else esPromisedAnswer(t._initPromisedAnswer(), m.promisedAnswer);
}

function esCapDescriptor(d: rpc.CapDescriptor, m: CapDescriptor): void {
  switch (m.type) {
    case "none":
      d.none = true;
      break;
    case "senderHosted":
      d.senderHosted = m.id;
      break;
    case "senderPromise":
      d.senderPromise = m.id;
      break;
    case "receiverHosted":
      d.receiverHosted = m.id;
      break;
    case "receiverAnswer":
      esPromisedAnswer(d._initReceiverAnswer(), m.promisedAnswer);
      break;
    default:
      throw new Error("not generated");
  }
}

function esPayload(p: rpc.Payload, m: Payload<AnyPointerWriter | null>): void {
  const caps = p._initCapTable(m.capTable.length);
  m.capTable.forEach((c, i) => esCapDescriptor(caps.get(i), c));
  if (m.content !== null) writeContentEs(p.content, specOf(m.content));
}

function esException(e: rpc.Exception, m: RpcException): void {
  e.type = { failed: 0, overloaded: 1, disconnected: 2, unimplemented: 3 }[m.type] as rpc.Exception_Type;
  e.reason = m.reason;
  if (m.trace !== undefined) e.trace = m.trace;
  if (m.details !== undefined) {
    const list = e._initDetails(m.details.length);
    m.details.forEach((d, i) => {
      const x = list.get(i);
      x.detailId = d.id;
      x._initData(d.data.length).copyBuffer(d.data);
    });
  }
}

/** Fills a capnp-es Message from the model, in our canonical order. */
export function esMessage(root: rpc.Message, m: OutgoingMessage): void {
  switch (m.type) {
    case "call": {
      const c = root._initCall();
      c.questionId = m.questionId;
      esTarget(c._initTarget(), m.target);
      c.interfaceId = m.interfaceId;
      c.methodId = m.methodId;
      if (m.allowThirdPartyTailCall) c.allowThirdPartyTailCall = true;
      if (m.noPromisePipelining) c.noPromisePipelining = true;
      if (m.onlyPromisePipeline) c.onlyPromisePipeline = true;
      esPayload(c._initParams(), m.params);
      if (m.sendResultsTo === "yourself") c.sendResultsTo.yourself = true;
      else c.sendResultsTo.caller = true;
      return;
    }
    case "return": {
      const r = root._initReturn();
      r.answerId = m.answerId;
      r.releaseParamCaps = m.releaseParamCaps;
      if (m.noFinishNeeded) r.noFinishNeeded = true;
      const b = m.body;
      if (b.type === "results") esPayload(r._initResults(), b.results);
      else if (b.type === "exception") esException(r._initException(), b.exception);
      else if (b.type === "canceled") r.canceled = true;
      else if (b.type === "resultsSentElsewhere") r.resultsSentElsewhere = true;
      else if (b.type === "takeFromOtherQuestion") r.takeFromOtherQuestion = b.questionId;
      else throw new Error("not generated");
      return;
    }
    case "finish": {
      const f = root._initFinish();
      f.questionId = m.questionId;
      f.releaseResultCaps = m.releaseResultCaps;
      if (m.requireEarlyCancellationWorkaround !== undefined) {
        f.requireEarlyCancellationWorkaround = m.requireEarlyCancellationWorkaround;
      }
      return;
    }
    case "resolve": {
      const r = root._initResolve();
      r.promiseId = m.promiseId;
      if (m.resolution.type === "cap") esCapDescriptor(r._initCap(), m.resolution.cap);
      else esException(r._initException(), m.resolution.exception);
      return;
    }
    case "release": {
      const r = root._initRelease();
      r.id = m.id;
      r.referenceCount = m.referenceCount;
      return;
    }
    case "bootstrap":
      root._initBootstrap().questionId = m.questionId;
      return;
    case "disembargo": {
      const d = root._initDisembargo();
      esTarget(d._initTarget(), m.target);
      const c = m.context;
      if (c.type === "senderLoopback") d.context.senderLoopback = c.embargoId;
      else if (c.type === "receiverLoopback") d.context.receiverLoopback = c.embargoId;
      else if (c.type === "accept") $.utils.setUint16(4, 2, d);
      else throw new Error("not generated");
      return;
    }
    case "abort":
      esException(root._initAbort(), m.exception);
      return;
    case "unimplemented":
      esMessage(root._initUnimplemented(), m.message);
      return;
    default:
      throw new Error(`not generated: ${m.type}`);
  }
}

/** The capnp-es bytes (framed) for a model message. */
export function esEncode(m: OutgoingMessage): Uint8Array {
  const msg = new $.Message();
  esMessage(msg.initRoot(rpc.Message), m);
  return new Uint8Array(msg.toArrayBuffer());
}

// ------------------------------------------------------------------ comparing models

type AnyMsg = RpcMessage<unknown>;

/** Replaces each Payload content (writer or reader) by a plain ContentSpec (or null). */
export function withSpecs(m: AnyMsg, content: (c: unknown) => ContentSpec | null): unknown {
  const payload = (p: Payload<unknown>) => ({ content: p.content === null ? null : content(p.content), capTable: p.capTable });
  switch (m.type) {
    case "call":
      return { ...m, params: payload(m.params) };
    case "return":
      return m.body.type === "results" ? { ...m, body: { type: "results", results: payload(m.body.results) } } : m;
    case "unimplemented":
      return { ...m, message: withSpecs(m.message, content) };
    default:
      return m;
  }
}

/** The model as our decoder returns it: optional flags made explicit, contents as specs. */
export function expectedDecode(m: OutgoingMessage): unknown {
  const norm = (x: OutgoingMessage): OutgoingMessage => {
    switch (x.type) {
      case "call":
        return {
          ...x,
          allowThirdPartyTailCall: x.allowThirdPartyTailCall ?? false,
          noPromisePipelining: x.noPromisePipelining ?? false,
          onlyPromisePipeline: x.onlyPromisePipeline ?? false,
        };
      case "return":
        return { ...x, noFinishNeeded: x.noFinishNeeded ?? false };
      case "finish":
        return { ...x, requireEarlyCancellationWorkaround: x.requireEarlyCancellationWorkaround ?? true };
      case "unimplemented":
        return { ...x, message: norm(x.message) };
      default:
        return x;
    }
  };
  return withSpecs(norm(m), (c) => specOf(c as AnyPointerWriter));
}

export function actualDecode(m: IncomingMessage): unknown {
  return withSpecs(m, (c) => readContent(c as AnyPointerReader));
}

export { ElementSize };
