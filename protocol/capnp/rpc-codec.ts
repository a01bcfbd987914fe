// rpc.capnp messages <-> bytes, by hand. encodeRpcMessage turns an OutgoingMessage (protocol/
// rpc-model.ts) into framed pieces ready for Transport.send; decodeRpcMessage turns one received
// frame into an IncomingMessage whose Payload contents are AnyPointerReaders into that frame.
//
// Written directly against the layout (offsets from capnproto v2's rpc.capnp, verified against
// capnp-es generated from protocol/schema/rpc.capnp in test/capnp-codec.test.ts): no schema
// objects, no Proxies, one shared reusable builder whose output is copied once
// (into a connection's OutputQueue, or an exact-size buffer per message). The messages every
// call sends skip even that: Finish and Release by template, the usual Calls and Returns in one
// pass each way (below, and flat.ts), each falling back to the builder and the reader.
//
// Canonical object order (so that our bytes equal capnp-es's when it is driven in the same order):
// depth-first, pointers in field order, except that a Payload's capTable is written before its
// content. The content comes last so that a big Data field at its end is emitted as its own piece
// (no copy). Empty capTable and transform lists are still written (as capnp's C++ does), and an
// Exception's trace/details only when the model has them.

import type {
  CapDescriptor,
  DisembargoContext,
  ExceptionType,
  IncomingMessage,
  MessageTarget,
  OutgoingMessage,
  Payload,
  PromisedAnswer,
  PromisedAnswerOp,
  ReturnBody,
  RpcException,
  SendResultsTo,
} from "../rpc-model.ts";
import { MessageBuilder, PointerBuilder } from "./builder.ts";
import { CapnpFormatError } from "./errors.ts";
import {
  compositeLength,
  type ContentWriter,
  isNullPointer,
  listCount,
  nearStruct,
  nearStructList,
  structListAt,
  structPointer,
} from "./flat.ts";
import type { Frame } from "./framing.ts";
import { type OutputQueue, slabInPlace } from "./output.ts";
import type { AnyPointerReader, AnyPointerWriter } from "./layout.ts";
import { writeContent } from "./layout.ts";
import type { ReaderOptions } from "./reader.ts";
import type { ListReader } from "./reader.ts";
import { DEFAULT_NESTING_LIMIT, MessageReader, PointerReader, StructReader } from "./reader.ts";

// ---- rpc.capnp layout (data words / pointers; byte offsets; union tags) ----
// Message        1/1  which u16@0; ptr0 the variant
// Bootstrap      1/1  questionId u32@0
// Call           3/3  questionId u32@0, methodId u16@4, sendResultsTo.which u16@6,
//                     interfaceId u64@8, bits 128/129/130 allowThirdPartyTailCall/noPromisePipelining/
//                     onlyPromisePipeline; ptr0 target, ptr1 params, ptr2 sendResultsTo.thirdParty
// Return         2/1  answerId u32@0, bit 32 releaseParamCaps (=true), bit 33 noFinishNeeded,
//                     which u16@6, takeFromOtherQuestion u32@8; ptr0 results/exception/awaitFromThirdParty
// Finish         1/0  questionId u32@0, bit 32 releaseResultCaps (=true), bit 33 requireEarlyCancellation… (=true)
// Resolve        1/1  promiseId u32@0, which u16@4; ptr0 cap/exception
// Release        1/0  id u32@0, referenceCount u32@4
// Disembargo     1/2  ptr0 target, context.which u16@4, embargo id u32@0, ptr1 accept (Data)
// MessageTarget  1/1  importedCap u32@0, which u16@4; ptr0 promisedAnswer
// Payload        0/2  ptr0 content, ptr1 capTable List(CapDescriptor)
// CapDescriptor  1/1  which u16@0, attachedFd u8@2 (=255), id u32@4; ptr0 receiverAnswer/thirdPartyHosted
// PromisedAnswer 1/1  questionId u32@0; ptr0 transform List(Op)
// Op             1/0  which u16@0, getPointerField u16@2
// Exception      1/3  type u16@4; ptr0 reason, ptr1 trace, ptr2 details List(Detail)
// Detail         1/1  detailId u64@0; ptr0 data

/** Message union tags. */
export const MessageWhich = {
  unimplemented: 0,
  abort: 1,
  call: 2,
  return: 3,
  finish: 4,
  resolve: 5,
  release: 6,
  obsoleteSave: 7,
  bootstrap: 8,
  obsoleteDelete: 9,
  provide: 10,
  accept: 11,
  join: 12,
  disembargo: 13,
  thirdPartyAnswer: 14,
} as const;

const EXCEPTION_TYPES: readonly ExceptionType[] = ["failed", "overloaded", "disconnected", "unimplemented"];
const EXCEPTION_TYPE_CODES: Record<ExceptionType, number> = {
  failed: 0,
  overloaded: 1,
  disconnected: 2,
  unimplemented: 3,
};
const SEND_RESULTS_TO: readonly SendResultsTo[] = ["caller", "yourself", "thirdParty"];

function unsupported(what: string): CapnpFormatError {
  return new CapnpFormatError("UNSUPPORTED", `cannot encode ${what} (level 3 or unknown)`);
}
function unknownUnion(what: string, tag: number): CapnpFormatError {
  return new CapnpFormatError("UNKNOWN_UNION", `unknown ${what} (union tag ${tag})`);
}

// =============================================== encode

const shared = new MessageBuilder();
let sharedBusy = false;

/**
 * Encodes one message into framed pieces for Transport.send: usually one exact-size buffer, or
 * [head, data, padding?] when the payload ends with a long Data field (that data is not copied and
 * must not change until the pieces are written). Throws CapnpFormatError("UNSUPPORTED") for forms
 * a level-1 peer must not send (thirdParty, thirdPartyHosted, acceptFromThirdParty).
 */
export function encodeRpcMessage(msg: OutgoingMessage): Uint8Array[] {
  return build(msg, null)!;
}

/**
 * Like encodeRpcMessage, appending the pieces to `out` (a connection's next write). Finish and
 * Release go by template, the usual Calls and Returns in one pass; the rest through the builder.
 */
export function encodeRpcMessageInto(msg: OutgoingMessage, out: OutputQueue): void {
  if (msg.type === "finish") {
    const flags = (msg.releaseResultCaps === false ? 1 : 0) | (msg.requireEarlyCancellationWorkaround === false ? 2 : 0);
    appendSmall(SMALL.finish, msg.questionId, flags, out);
  } else if (msg.type === "release") {
    appendSmall(SMALL.release, msg.id, msg.referenceCount, out);
  } else if (msg.type === "call" ? !appendFlatCall(msg, out) : msg.type !== "return" || !appendFlatReturn(msg, out)) {
    build(msg, out);
  }
}

/** Encodes `msg` with the builder: into `out`, or (out null) as the returned pieces. */
function build(msg: OutgoingMessage, out: OutputQueue | null): Uint8Array[] | null {
  // A content writer that itself encodes a message gets a private builder.
  const b = sharedBusy ? new MessageBuilder() : shared;
  const own = b === shared;
  if (own) sharedBusy = true;
  try {
    writeMessage(b, 8, msg);
    if (out === null) return b.finish();
    b.finishInto(out);
    return null;
  } catch (e) {
    b.reset();
    throw e;
  } finally {
    if (own) sharedBusy = false;
  }
}

// ---- Finish and Release by template
// They are 8 of the 15 messages of a Workers call and always the same 40-byte frame: header, root
// pointer, Message {which; ptr → variant}, then one data word holding their two u32 fields
// (Finish: questionId, flag bits; Release: id, referenceCount). The first 32 bytes are made once
// by the builder; a message copies them and sets the last word. decodeRpcMessage recognises the
// same 32 bytes and reads the two fields directly (anything else takes the general path).

const SMALL_BYTES = 40;
const SMALL_FIELDS = 32;

/** Made by the builder when the module loads (templateOf checks their size). */
const SMALL = {
  finish: templateOf({ type: "finish", questionId: 0, releaseResultCaps: true, requireEarlyCancellationWorkaround: true }),
  release: templateOf({ type: "release", id: 0, referenceCount: 0 }),
};

function templateOf(msg: OutgoingMessage): Int32Array {
  const bytes = encodeRpcMessage(msg)[0]!;
  if (bytes.length !== SMALL_BYTES) throw new Error(`internal: ${msg.type} template is ${bytes.length} bytes`);
  return new Int32Array(bytes.slice().buffer);
}

/** The template's words and the two fields, written straight into the output slab. */
function appendSmall(template: Int32Array, first: number, second: number, out: OutputQueue): void {
  const at = out.reserve(SMALL_BYTES);
  const words = slabInPlace.words;
  const w = at >> 2;
  for (let i = 0; i < SMALL_FIELDS / 4; i++) words[w + i] = template[i]!;
  const dv = slabInPlace.view;
  dv.setUint32(at + SMALL_FIELDS, first, true);
  dv.setUint32(at + SMALL_FIELDS + 4, second, true);
  out.commit(at, SMALL_BYTES);
}

/** Finish or Release read straight from a frame made like the templates, else null. */
function readSmall(frame: Frame): IncomingMessage | null {
  const b = frame.bounds;
  if (frame.byteLength !== SMALL_BYTES || b.length !== 2) return null;
  const dv = frame.dv;
  const at = b[0]! - 8; // the frame header
  const template = sameWords(dv, at, SMALL.finish) ? SMALL.finish : sameWords(dv, at, SMALL.release) ? SMALL.release : null;
  if (template === null) return null;
  const first = dv.getUint32(at + SMALL_FIELDS, true);
  const second = dv.getUint32(at + SMALL_FIELDS + 4, true);
  if (template === SMALL.release) return { type: "release", id: first, referenceCount: second };
  return {
    type: "finish",
    questionId: first,
    releaseResultCaps: (second & 1) === 0,
    requireEarlyCancellationWorkaround: (second & 2) === 0,
  };
}

// ---- Calls and Returns in one pass
// A call's Calls and Returns carry small contents of fixed shape (CallParams, CallResults, the
// session's cap structs). When the content is a ContentWriter that can lay itself out
// (flat.ts), the whole message is written here, in one function, in the builder's allocation
// order, so the bytes are the builder's (test/capnp-flat.test.ts). Anything else (exceptions,
// promised answers in the cap table, large data, content given as a function) takes the
// builder. The message is laid out straight in the output slab (OutputQueue.reserve), whose
// bytes there are zero, so it is neither copied nor cleared afterwards.

const FLAT_MAX = 2048;

/** Bytes of a Payload (struct, cap table, content) written flat, or -1. */
function flatPayloadBytes(payload: Payload<AnyPointerWriter | null>): number {
  const caps = payload.capTable;
  for (let i = 0; i < caps.length; i++) {
    const t = caps[i]!.type;
    if (t !== "none" && t !== "senderHosted" && t !== "senderPromise" && t !== "receiverHosted") return -1;
  }
  const content = payload.content;
  let contentBytes = 0;
  if (content !== null) {
    if (typeof content === "function") return -1;
    contentBytes = content.flatBytes();
    if (contentBytes < 0) return -1;
  }
  return 16 + 8 + caps.length * 16 + contentBytes;
}

/** Writes the Payload at `at` (pointer at p), flatPayloadBytes(payload) bytes. */
function writeFlatPayload(dv: DataView, p: number, at: number, payload: Payload<AnyPointerWriter | null>): void {
  structPointer(dv, p, at, 0, 2);
  const caps = payload.capTable;
  const n = caps.length;
  const first = structListAt(dv, at + 8, at + 16, n, 1, 1);
  for (let i = 0; i < n; i++) {
    const d = caps[i]!;
    if (d.type === "none") continue;
    const s = first + i * 16;
    dv.setUint16(s, d.type === "senderHosted" ? 1 : d.type === "senderPromise" ? 2 : 3, true);
    dv.setUint32(s + 4, (d as { id: number }).id, true);
  }
  const content = payload.content as ContentWriter | null;
  if (content !== null) content.writeFlat(dv, slabInPlace.bytes, at, first + n * 16);
}

// Offsets from the message's start `b`: frame header b, root pointer b + 8, Message b + 16 (which;
// pointer b + 24), its variant at b + 32. The frame header's word count is written with the rest.

function appendFlatCall(msg: Extract<OutgoingMessage, { type: "call" }>, out: OutputQueue): boolean {
  const srt = msg.sendResultsTo === "caller" ? 0 : msg.sendResultsTo === "yourself" ? 1 : -1;
  if (srt < 0) return false;
  const target = msg.target;
  let targetBytes = 16;
  if (target.type === "promisedAnswer") {
    const ops = target.promisedAnswer.transform;
    for (let i = 0; i < ops.length; i++) if (ops[i]!.type !== "noop" && ops[i]!.type !== "getPointerField") return false;
    targetBytes = 16 + 16 + 8 + ops.length * 8;
  } else if (target.type !== "importedCap") {
    return false;
  }
  const payloadBytes = flatPayloadBytes(msg.params);
  const total = 80 + targetBytes + payloadBytes;
  if (payloadBytes < 0 || total > FLAT_MAX) return false;
  const b = out.reserve(total);
  const dv = slabInPlace.view;
  let written = false;
  try {
    dv.setUint32(b + 4, (total - 8) / 8, true);
    structPointer(dv, b + 8, b + 16, 1, 1);
    dv.setUint16(b + 16, 2, true);
    structPointer(dv, b + 24, b + 32, 3, 3);
    dv.setUint32(b + 32, msg.questionId, true);
    dv.setUint16(b + 36, msg.methodId, true);
    dv.setUint16(b + 38, srt, true);
    dv.setBigUint64(b + 40, msg.interfaceId, true);
    dv.setUint8(b + 48, (msg.allowThirdPartyTailCall ? 1 : 0) | (msg.noPromisePipelining ? 2 : 0) | (msg.onlyPromisePipeline ? 4 : 0));
    structPointer(dv, b + 56, b + 80, 1, 1);
    if (target.type === "importedCap") {
      dv.setUint32(b + 80, target.importedCap, true);
    } else {
      const pa = target.promisedAnswer;
      dv.setUint16(b + 84, 1, true);
      structPointer(dv, b + 88, b + 96, 1, 1);
      dv.setUint32(b + 96, pa.questionId, true);
      const ops = pa.transform;
      const first = structListAt(dv, b + 104, b + 112, ops.length, 1, 0);
      for (let i = 0; i < ops.length; i++) {
        const op = ops[i]!;
        if (op.type === "getPointerField") {
          dv.setUint16(first + i * 8, 1, true);
          dv.setUint16(first + i * 8 + 2, op.index, true);
        }
      }
    }
    writeFlatPayload(dv, b + 64, b + 80 + targetBytes, msg.params);
    written = true;
  } finally {
    if (written) out.commit(b, total);
    else out.discard(b, total);
  }
  return true;
}

function appendFlatReturn(msg: Extract<OutgoingMessage, { type: "return" }>, out: OutputQueue): boolean {
  const body = msg.body;
  if (body.type !== "results") return false;
  const payloadBytes = flatPayloadBytes(body.results);
  const total = 56 + payloadBytes;
  if (payloadBytes < 0 || total > FLAT_MAX) return false;
  const b = out.reserve(total);
  const dv = slabInPlace.view;
  let written = false;
  try {
    dv.setUint32(b + 4, (total - 8) / 8, true);
    structPointer(dv, b + 8, b + 16, 1, 1);
    dv.setUint16(b + 16, 3, true);
    structPointer(dv, b + 24, b + 32, 2, 1);
    dv.setUint32(b + 32, msg.answerId, true);
    dv.setUint8(b + 36, (msg.releaseParamCaps === false ? 1 : 0) | (msg.noFinishNeeded ? 2 : 0));
    writeFlatPayload(dv, b + 48, b + 56, body.results);
    written = true;
  } finally {
    if (written) out.commit(b, total);
    else out.discard(b, total);
  }
  return true;
}

/** Typed arrays use the platform's byte order; the template words are compared in it. */
const PLATFORM_LE = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

function sameWords(dv: DataView, at: number, template: Int32Array): boolean {
  for (let i = 0; i < SMALL_FIELDS / 4; i++) if (dv.getInt32(at + i * 4, PLATFORM_LE) !== template[i]) return false;
  return true;
}

/** Writes `msg` as a Message struct at pointer p (used for the root and for Unimplemented). */
function writeMessage(b: MessageBuilder, p: number, msg: OutgoingMessage): void {
  const m = b.allocStructAt(p, 1, 1);
  const q = m + 8;
  switch (msg.type) {
    case "call": {
      b.dv.setUint16(m, 2, true);
      const c = b.allocStructAt(q, 3, 3);
      const dv = b.dv;
      dv.setUint32(c, msg.questionId, true);
      dv.setUint16(c + 4, msg.methodId, true);
      let srt: number;
      if (msg.sendResultsTo === "caller") srt = 0;
      else if (msg.sendResultsTo === "yourself") srt = 1;
      else throw unsupported(`Call.sendResultsTo = ${msg.sendResultsTo}`);
      dv.setUint16(c + 6, srt, true);
      dv.setBigUint64(c + 8, msg.interfaceId, true);
      dv.setUint8(
        c + 16,
        (msg.allowThirdPartyTailCall ? 1 : 0) | (msg.noPromisePipelining ? 2 : 0) | (msg.onlyPromisePipeline ? 4 : 0),
      );
      writeTarget(b, c + 24, msg.target);
      writePayload(b, c + 32, msg.params);
      return;
    }
    case "return": {
      b.dv.setUint16(m, 3, true);
      const r = b.allocStructAt(q, 2, 1);
      const dv = b.dv;
      dv.setUint32(r, msg.answerId, true);
      dv.setUint8(r + 4, (msg.releaseParamCaps === false ? 1 : 0) | (msg.noFinishNeeded ? 2 : 0));
      writeReturnBody(b, r, msg.body);
      return;
    }
    case "finish": {
      b.dv.setUint16(m, 4, true);
      const f = b.allocStructAt(q, 1, 0);
      const dv = b.dv;
      dv.setUint32(f, msg.questionId, true);
      dv.setUint8(
        f + 4,
        (msg.releaseResultCaps === false ? 1 : 0) | (msg.requireEarlyCancellationWorkaround === false ? 2 : 0),
      );
      return;
    }
    case "release": {
      b.dv.setUint16(m, 6, true);
      const r = b.allocStructAt(q, 1, 0);
      b.dv.setUint32(r, msg.id, true);
      b.dv.setUint32(r + 4, msg.referenceCount, true);
      return;
    }
    case "resolve": {
      b.dv.setUint16(m, 5, true);
      const r = b.allocStructAt(q, 1, 1);
      b.dv.setUint32(r, msg.promiseId, true);
      if (msg.resolution.type === "cap") {
        writeCapDescriptor(b, b.allocStructAt(r + 8, 1, 1), msg.resolution.cap);
      } else {
        b.dv.setUint16(r + 4, 1, true);
        writeException(b, r + 8, msg.resolution.exception);
      }
      return;
    }
    case "bootstrap": {
      b.dv.setUint16(m, 8, true);
      const s = b.allocStructAt(q, 1, 1);
      b.dv.setUint32(s, msg.questionId, true);
      return;
    }
    case "disembargo": {
      b.dv.setUint16(m, 13, true);
      const d = b.allocStructAt(q, 1, 2);
      writeTarget(b, d + 8, msg.target);
      writeDisembargoContext(b, d, msg.context);
      return;
    }
    case "abort":
      b.dv.setUint16(m, 1, true);
      writeException(b, q, msg.exception);
      return;
    case "unimplemented":
      // Tag 0 is the zero default.
      writeMessage(b, q, msg.message);
      return;
    case "other":
      b.dv.setUint16(m, msg.which, true);
      b.copyAt(q, msg.raw);
      return;
    default:
      throw unsupported(`message type ${(msg as { type: string }).type}`);
  }
}

function writeReturnBody(b: MessageBuilder, r: number, body: ReturnBody<AnyPointerWriter | null>): void {
  const p = r + 16;
  switch (body.type) {
    case "results":
      writePayload(b, p, body.results);
      return; // tag 0
    case "exception":
      b.dv.setUint16(r + 6, 1, true);
      writeException(b, p, body.exception);
      return;
    case "canceled":
      b.dv.setUint16(r + 6, 2, true);
      return;
    case "resultsSentElsewhere":
      b.dv.setUint16(r + 6, 3, true);
      return;
    case "takeFromOtherQuestion":
      b.dv.setUint16(r + 6, 4, true);
      b.dv.setUint32(r + 8, body.questionId, true);
      return;
    default:
      throw unsupported(`Return.${body.type}`);
  }
}

function writeDisembargoContext(b: MessageBuilder, d: number, ctx: DisembargoContext): void {
  const dv = b.dv;
  switch (ctx.type) {
    case "senderLoopback":
      dv.setUint32(d, ctx.embargoId, true);
      return; // tag 0
    case "receiverLoopback":
      dv.setUint16(d + 4, 1, true);
      dv.setUint32(d, ctx.embargoId, true);
      return;
    case "accept":
      dv.setUint16(d + 4, 2, true);
      return;
    case "provide":
      // capnproto <= 0.10 layout (tag 3, question id in the embargo slot); v2 dropped it.
      dv.setUint16(d + 4, 3, true);
      dv.setUint32(d, ctx.questionId, true);
      return;
    default:
      throw unsupported(`Disembargo.context.${(ctx as { type: string }).type}`);
  }
}

function writeTarget(b: MessageBuilder, p: number, t: MessageTarget): void {
  const s = b.allocStructAt(p, 1, 1);
  if (t.type === "importedCap") {
    b.dv.setUint32(s, t.importedCap, true);
  } else if (t.type === "promisedAnswer") {
    b.dv.setUint16(s + 4, 1, true);
    writePromisedAnswer(b, s + 8, t.promisedAnswer);
  } else {
    throw unsupported(`MessageTarget.${(t as { type: string }).type}`);
  }
}

function writePromisedAnswer(b: MessageBuilder, p: number, pa: PromisedAnswer): void {
  const s = b.allocStructAt(p, 1, 1);
  b.dv.setUint32(s, pa.questionId, true);
  const ops = pa.transform;
  const n = ops.length;
  const l = b.allocStructListAt(s + 8, n, 1, 0);
  const dv = b.dv;
  for (let i = 0; i < n; i++) {
    const op = ops[i]!;
    if (op.type === "getPointerField") {
      dv.setUint16(l + i * 8, 1, true);
      dv.setUint16(l + i * 8 + 2, op.index, true);
    } else if (op.type !== "noop") {
      throw unsupported(`PromisedAnswer.Op.${(op as { type: string }).type}`);
    }
  }
}

function writePayload(b: MessageBuilder, p: number, payload: Payload<AnyPointerWriter | null>): void {
  const s = b.allocStructAt(p, 0, 2);
  const caps = payload.capTable;
  const n = caps.length;
  const l = b.allocStructListAt(s + 8, n, 1, 1);
  for (let i = 0; i < n; i++) writeCapDescriptor(b, l + i * 16, caps[i]!);
  const content = payload.content;
  if (content !== null) writeContent(content, new PointerBuilder(b, s));
}

/** Fills the CapDescriptor whose data section starts at `s` (a list element or a struct). */
function writeCapDescriptor(b: MessageBuilder, s: number, d: CapDescriptor): void {
  const dv = b.dv;
  switch (d.type) {
    case "none":
      return;
    case "senderHosted":
      dv.setUint16(s, 1, true);
      dv.setUint32(s + 4, d.id, true);
      return;
    case "senderPromise":
      dv.setUint16(s, 2, true);
      dv.setUint32(s + 4, d.id, true);
      return;
    case "receiverHosted":
      dv.setUint16(s, 3, true);
      dv.setUint32(s + 4, d.id, true);
      return;
    case "receiverAnswer":
      dv.setUint16(s, 4, true);
      writePromisedAnswer(b, s + 8, d.promisedAnswer);
      return;
    default:
      throw unsupported(`CapDescriptor.${d.type}`);
  }
}

function writeException(b: MessageBuilder, p: number, e: RpcException): void {
  const s = b.allocStructAt(p, 1, 3);
  const code = EXCEPTION_TYPE_CODES[e.type];
  if (code === undefined) throw unsupported(`Exception.type ${e.type}`);
  b.dv.setUint16(s + 4, code, true);
  b.setTextAt(s + 8, e.reason);
  if (e.trace !== undefined) b.setTextAt(s + 16, e.trace);
  const details = e.details;
  if (details !== undefined) {
    const n = details.length;
    const l = b.allocStructListAt(s + 24, n, 1, 1);
    for (let i = 0; i < n; i++) {
      const d = details[i]!;
      b.dv.setBigUint64(l + i * 16, d.id, true);
      b.setDataAt(l + i * 16 + 8, d.data);
    }
  }
}

// =============================================== decode

/**
 * A list of structs the model turns into objects. capnp charges a list of zero-sized elements one
 * word per element, so a few bytes could still claim millions of elements (each an object here):
 * no peer sends all-default elements in these lists, so such a list is refused.
 */
function modelList(s: StructReader, i: number, what: string): ListReader | null {
  const list = s.list(i);
  if (list !== null && list.step === 0 && list.length > 0) {
    throw new CapnpFormatError("BAD_POINTER", `${what} is a list of ${list.length} empty elements`);
  }
  return list;
}

/** A struct with no data and no pointers: every field reads as its default (a null struct). */
const EMPTY_MESSAGE = MessageReader.ofSegments([new Uint8Array(8)]);
const EMPTY = new StructReader(EMPTY_MESSAGE, 0, EMPTY_MESSAGE.dv, 0, 0, 0, 0, 0);

/**
 * Decodes one frame (from FrameReader, or a buffer holding exactly one frame). Payload contents
 * are readers into the frame, subject to `options` limits. Message kinds this codec does not
 * model decode to {type: "other"} (answer them with Unimplemented); malformed input throws
 * CapnpFormatError.
 */
export function decodeRpcMessage(frame: Frame | Uint8Array, options?: ReaderOptions): IncomingMessage {
  if (!(frame instanceof Uint8Array)) {
    const m = readSmall(frame) ?? (options === undefined ? decodeFlatRpcMessage(frame) : null);
    if (m !== null) return m;
  }
  const root = MessageReader.from(frame, options).rootStruct();
  if (root === null) throw new CapnpFormatError("BAD_POINTER", "message root pointer is null");
  return readMessage(root);
}

// ---- Calls and Returns in one pass
// The shapes appendFlatCall and appendFlatReturn write (and workerd sends), read without
// StructReaders: one segment, near pointers, every struct exactly its schema size, a Return
// carrying results, a cap table without promised answers. Anything else returns null before
// charging anything, and the general path below reads it (or refuses it) instead. The model,
// the Payload content's reader (its depth and the budget left) are the general path's
// (test/capnp-flat.test.ts compares them).

/** Nesting left for a Payload's content: Message, Call/Return and Payload are above it. */
const CONTENT_DEPTH = DEFAULT_NESTING_LIMIT - 3;

/** A Call or Return of the usual shape read in one pass, or null (decodeRpcMessage's fast path). */
export function decodeFlatRpcMessage(frame: Frame): IncomingMessage | null {
  const bounds = frame.bounds;
  if (bounds.length !== 2) return null;
  const start = bounds[0]!;
  const end = bounds[1]!;
  const dv = frame.dv;
  if (end - start < 8) return null;
  const m = nearStruct(dv, start, start, end, 1, 1);
  if (m < 0) return null;
  const which = dv.getUint16(m, true);
  if (which === 2) {
    const c = nearStruct(dv, m + 8, start, end, 3, 3);
    if (c < 0) return null;
    const sendResultsTo = SEND_RESULTS_TO[dv.getUint16(c + 6, true)];
    const t = nearStruct(dv, c + 24, start, end, 1, 1);
    if (sendResultsTo === undefined || t < 0) return null;
    let words = 2 + 6 + 2;
    let target: MessageTarget;
    const tag = dv.getUint16(t + 4, true);
    if (tag === 0) {
      target = { type: "importedCap", importedCap: dv.getUint32(t, true) };
    } else if (tag === 1) {
      const pa = nearStruct(dv, t + 8, start, end, 1, 1);
      if (pa < 0) return null;
      words += 2;
      const transform: PromisedAnswerOp[] = [];
      if (!isNullPointer(dv, pa + 8)) {
        const first = nearStructList(dv, pa + 8, start, end, 1, 0);
        if (first < 0) return null;
        words += listCount(dv, pa + 8) + 1;
        for (let i = 0, n = compositeLength(dv, first); i < n; i++) {
          const op = dv.getUint16(first + i * 8, true);
          if (op === 0) transform.push({ type: "noop" });
          else if (op === 1) transform.push({ type: "getPointerField", index: dv.getUint16(first + i * 8 + 2, true) });
          else return null;
        }
      }
      target = { type: "promisedAnswer", promisedAnswer: { questionId: dv.getUint32(pa, true), transform } };
    } else {
      return null;
    }
    const params = readFlatPayload(frame, c + 32, words);
    if (params === null) return null;
    const flags = dv.getUint8(c + 16);
    return {
      type: "call",
      questionId: dv.getUint32(c, true),
      target,
      interfaceId: dv.getBigUint64(c + 8, true),
      methodId: dv.getUint16(c + 4, true),
      params,
      sendResultsTo,
      allowThirdPartyTailCall: (flags & 1) !== 0,
      noPromisePipelining: (flags & 2) !== 0,
      onlyPromisePipeline: (flags & 4) !== 0,
    };
  }
  if (which === 3) {
    const r = nearStruct(dv, m + 8, start, end, 2, 1);
    if (r < 0 || dv.getUint16(r + 6, true) !== 0) return null;
    const results = readFlatPayload(frame, r + 16, 2 + 3);
    if (results === null) return null;
    const flags = dv.getUint8(r + 4);
    return {
      type: "return",
      answerId: dv.getUint32(r, true),
      releaseParamCaps: (flags & 1) === 0,
      noFinishNeeded: (flags & 2) !== 0,
      body: { type: "results", results },
    };
  }
  return null;
}

/**
 * The Payload at the pointer at p of a single-segment frame, or null. On success the content's
 * reader gets the frame's MessageReader, charged with `words` (what the caller read) and the
 * Payload's own words, as the general path would have charged them.
 */
function readFlatPayload(frame: Frame, p: number, words: number): Payload<AnyPointerReader | null> | null {
  const dv = frame.dv;
  const start = frame.bounds[0]!;
  const end = frame.bounds[1]!;
  const s = nearStruct(dv, p, start, end, 0, 2);
  if (s < 0) return null;
  words += 2;
  const capTable: CapDescriptor[] = [];
  if (!isNullPointer(dv, s + 8)) {
    const first = nearStructList(dv, s + 8, start, end, 1, 1);
    if (first < 0) return null;
    words += listCount(dv, s + 8) + 1;
    for (let i = 0, n = compositeLength(dv, first); i < n; i++) {
      const d = first + i * 16;
      const tag = dv.getUint16(d, true);
      if (tag === 0) capTable.push({ type: "none" });
      else if (tag === 1) capTable.push({ type: "senderHosted", id: dv.getUint32(d + 4, true) });
      else if (tag === 2) capTable.push({ type: "senderPromise", id: dv.getUint32(d + 4, true) });
      else if (tag === 3) capTable.push({ type: "receiverHosted", id: dv.getUint32(d + 4, true) });
      else if (tag === 5) capTable.push({ type: "thirdPartyHosted" });
      else return null;
    }
  }
  const reader = new MessageReader(frame.bytes, frame.bounds, undefined, dv);
  reader.lent = frame.lent;
  reader.charge(words);
  return { content: isNullPointer(dv, s) ? null : new PointerReader(reader, 0, s, CONTENT_DEPTH), capTable };
}

function readMessage(m: StructReader): IncomingMessage {
  const which = m.u16(0);
  switch (which) {
    case 2:
      return readCall(m.struct(0) ?? EMPTY);
    case 3:
      return readReturn(m.struct(0) ?? EMPTY);
    case 4: {
      const f = m.struct(0) ?? EMPTY;
      return {
        type: "finish",
        questionId: f.u32(0),
        releaseResultCaps: f.bool(32, true),
        requireEarlyCancellationWorkaround: f.bool(33, true),
      };
    }
    case 6: {
      const r = m.struct(0) ?? EMPTY;
      return { type: "release", id: r.u32(0), referenceCount: r.u32(4) };
    }
    case 5: {
      const r = m.struct(0) ?? EMPTY;
      const tag = r.u16(4);
      if (tag === 0) {
        return { type: "resolve", promiseId: r.u32(0), resolution: { type: "cap", cap: readCapDescriptor(r.struct(0) ?? EMPTY) } };
      }
      if (tag === 1) {
        return { type: "resolve", promiseId: r.u32(0), resolution: { type: "exception", exception: readException(r.struct(0)) } };
      }
      throw unknownUnion("Resolve variant", tag);
    }
    case 8:
      return { type: "bootstrap", questionId: (m.struct(0) ?? EMPTY).u32(0) };
    case 13: {
      const d = m.struct(0) ?? EMPTY;
      return { type: "disembargo", target: readTarget(d.struct(0)), context: readDisembargoContext(d) };
    }
    case 1:
      return { type: "abort", exception: readException(m.struct(0)) };
    case 0: {
      const inner = m.struct(0);
      if (inner === null) throw new CapnpFormatError("BAD_POINTER", "Unimplemented carries no message");
      return { type: "unimplemented", message: readMessage(inner) };
    }
    default:
      return { type: "other", which, raw: m.ptr(0) };
  }
}

function readCall(c: StructReader): IncomingMessage {
  const srt = c.u16(6);
  const sendResultsTo = SEND_RESULTS_TO[srt];
  if (sendResultsTo === undefined) throw unknownUnion("Call.sendResultsTo", srt);
  const flags = c.u8(16);
  return {
    type: "call",
    questionId: c.u32(0),
    target: readTarget(c.struct(0)),
    interfaceId: c.u64(8),
    methodId: c.u16(4),
    params: readPayload(c.struct(1)),
    sendResultsTo,
    allowThirdPartyTailCall: (flags & 1) !== 0,
    noPromisePipelining: (flags & 2) !== 0,
    onlyPromisePipeline: (flags & 4) !== 0,
  };
}

function readReturn(r: StructReader): IncomingMessage {
  const tag = r.u16(6);
  let body: ReturnBody<AnyPointerReader | null>;
  switch (tag) {
    case 0:
      body = { type: "results", results: readPayload(r.struct(0)) };
      break;
    case 1:
      body = { type: "exception", exception: readException(r.struct(0)) };
      break;
    case 2:
      body = { type: "canceled" };
      break;
    case 3:
      body = { type: "resultsSentElsewhere" };
      break;
    case 4:
      body = { type: "takeFromOtherQuestion", questionId: r.u32(8) };
      break;
    case 5:
      body = { type: "acceptFromThirdParty" };
      break;
    default:
      throw unknownUnion("Return variant", tag);
  }
  return {
    type: "return",
    answerId: r.u32(0),
    releaseParamCaps: r.bool(32, true),
    noFinishNeeded: r.bool(33),
    body,
  };
}

function readDisembargoContext(d: StructReader): DisembargoContext {
  const tag = d.u16(4);
  switch (tag) {
    case 0:
      return { type: "senderLoopback", embargoId: d.u32(0) };
    case 1:
      return { type: "receiverLoopback", embargoId: d.u32(0) };
    case 2:
      return { type: "accept" };
    case 3:
      return { type: "provide", questionId: d.u32(0) };
    default:
      throw unknownUnion("Disembargo.context", tag);
  }
}

function readTarget(s: StructReader | null): MessageTarget {
  if (s === null) return { type: "importedCap", importedCap: 0 };
  const tag = s.u16(4);
  if (tag === 0) return { type: "importedCap", importedCap: s.u32(0) };
  if (tag === 1) return { type: "promisedAnswer", promisedAnswer: readPromisedAnswer(s.struct(0) ?? EMPTY) };
  throw unknownUnion("MessageTarget", tag);
}

function readPromisedAnswer(s: StructReader): PromisedAnswer {
  const list = modelList(s, 0, "PromisedAnswer.transform");
  const transform: PromisedAnswerOp[] = [];
  if (list !== null) {
    for (let i = 0; i < list.length; i++) {
      const op = list.struct(i);
      const tag = op.u16(0);
      if (tag === 0) transform.push({ type: "noop" });
      else if (tag === 1) transform.push({ type: "getPointerField", index: op.u16(2) });
      else throw unknownUnion("PromisedAnswer.Op", tag);
    }
  }
  return { questionId: s.u32(0), transform };
}

function readPayload(s: StructReader | null): Payload<AnyPointerReader | null> {
  if (s === null) return { content: null, capTable: [] };
  const list = modelList(s, 1, "Payload.capTable");
  const capTable: CapDescriptor[] = [];
  if (list !== null) {
    for (let i = 0; i < list.length; i++) capTable.push(readCapDescriptor(list.struct(i)));
  }
  return { content: s.hasPtr(0) ? s.ptr(0) : null, capTable };
}

function readCapDescriptor(s: StructReader): CapDescriptor {
  const tag = s.u16(0);
  switch (tag) {
    case 0:
      return { type: "none" };
    case 1:
      return { type: "senderHosted", id: s.u32(4) };
    case 2:
      return { type: "senderPromise", id: s.u32(4) };
    case 3:
      return { type: "receiverHosted", id: s.u32(4) };
    case 4:
      return { type: "receiverAnswer", promisedAnswer: readPromisedAnswer(s.struct(0) ?? EMPTY) };
    case 5:
      return { type: "thirdPartyHosted" };
    default:
      throw unknownUnion("CapDescriptor", tag);
  }
}

function readException(s: StructReader | null): RpcException {
  if (s === null) return { reason: "", type: "failed" };
  const e: RpcException = { reason: s.text(0) ?? "", type: EXCEPTION_TYPES[s.u16(4)] ?? "failed" };
  const trace = s.text(1);
  if (trace !== null) e.trace = trace;
  const list = modelList(s, 2, "Exception.details");
  if (list !== null) {
    const details = new Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const d = list.struct(i);
      details[i] = { id: d.u64(0), data: d.data(0) ?? new Uint8Array(0) };
    }
    e.details = details;
  }
  return e;
}
