// workerd's worker interface on the wire (protocol/schema/worker.capnp): interface ids, method
// ordinals, and hand-written codecs for the structs every Workers RPC call carries. These run
// once or more per call, so they go straight to the layout (no generated classes); the tests
// check them byte for byte against capnp-es's generated code.

import type {
  AnyPointerReader,
  ContentWriter,
  MessageReader,
  PointerBuilder,
  StructReader,
} from "../../protocol/capnp/layout.ts";
import { readUtf8 } from "../../protocol/capnp/utf8.ts";
import { ElementSize } from "../../protocol/capnp/layout.ts";
import {
  asciiTextBytes,
  capPointer,
  dataBytes,
  compositeLength,
  FLAT_DATA_MAX,
  isNullPointer,
  listCount,
  nearBytes,
  nearStruct,
  nearStructList,
  structListAt,
  structPointer,
  writeAsciiText,
  writeData,
} from "../../protocol/capnp/flat.ts";

export const WORKERD_BOOTSTRAP = 0x878048cda334ade3n;
export const EVENT_DISPATCHER = 0xf20697475ec1752dn;
export const JS_RPC_TARGET = 0xa1a96525142a9d98n;
export const EXTERNAL_PUSHER = 0xee2eb0d2e1aad430n;

export const START_EVENT = 0; // WorkerdBootstrap.startEvent
export const JS_RPC_SESSION = 9; // EventDispatcher.jsRpcSession
export const CALL = 0; // JsRpcTarget.call

/** External union tags in JsValue.External. */
export const ExternalKind = {
  invalid: 0,
  rpcTarget: 1,
  writableStream: 2,
  readableStream: 3,
  abortSignal: 7,
  socket: 10,
} as const;

// ---------------------------------------------------------------------------------------------
// JsValue { v8Serialized @0 :Data; externals @1 :List(External) }   (0 data words, 2 pointers)
// External: 16 data bytes, 2 pointers; union tag at byte 0; rpcTarget.cap in pointer 0.

export interface JsValueOut {
  v8: Uint8Array;
  /** For each external, in order: the cap-table index of its capability. */
  externalCaps: number[];
}

export interface JsValueIn {
  v8: Uint8Array;
  externals: ExternalIn[];
}

export type ExternalIn = { kind: "rpcTarget"; cap: number | null } | { kind: "other"; tag: number };

function writeJsValue(p: PointerBuilder, value: JsValueOut): void {
  const s = p.initStruct(0, 2);
  const n = value.externalCaps.length;
  if (n > 0) {
    const list = s.initStructList(1, n, 2, 2);
    for (let i = 0; i < n; i++) {
      const e = list.get(i);
      e.setU16(0, ExternalKind.rpcTarget);
      e.setCap(0, value.externalCaps[i]!);
    }
  }
  // The V8 bytes go last so that a large value can leave as its own piece, uncopied.
  s.setData(0, value.v8);
}

function readJsValue(s: StructReader | null): JsValueIn | null {
  if (s === null) return null;
  const v8 = s.data(0) ?? new Uint8Array(0);
  const list = s.list(1);
  const externals: ExternalIn[] = [];
  if (list !== null) {
    for (let i = 0; i < list.length; i++) {
      const e = list.struct(i);
      const tag = e.u16(0);
      externals.push(tag === ExternalKind.rpcTarget ? { kind: "rpcTarget", cap: e.cap(0) } : { kind: "other", tag });
    }
  }
  return { v8, externals };
}

/** Bytes a JsValue takes written flat (struct, externals, V8 bytes), or -1 for the builder. */
function jsValueFlatBytes(value: JsValueOut): number {
  const n = value.externalCaps.length;
  if (value.v8.length > FLAT_DATA_MAX || n > 64) return -1;
  return 16 + (n > 0 ? 8 + n * 32 : 0) + dataBytes(value.v8.length);
}

/** Writes a JsValue at `at` (pointer at p) in writeJsValue's order: struct, externals, V8 bytes. */
function writeJsValueFlat(dv: DataView, bytes: Uint8Array, p: number, at: number, value: JsValueOut): void {
  structPointer(dv, p, at, 0, 2);
  const caps = value.externalCaps;
  let data = at + 16;
  if (caps.length > 0) {
    const first = structListAt(dv, at + 8, data, caps.length, 2, 2);
    for (let i = 0; i < caps.length; i++) {
      dv.setUint16(first + i * 32, ExternalKind.rpcTarget, true);
      capPointer(dv, first + i * 32 + 16, caps[i]!);
    }
    data = first + caps.length * 32;
  }
  writeData(dv, bytes, at, data, value.v8);
}

/**
 * The JsValue at the (non-null) pointer at p read in one pass, or null (nothing charged) for the
 * general reader: externals other than plain rpcTarget caps are left to it. Charges what it
 * read on success, so it must be the last check of its caller.
 */
function readJsValueFlat(msg: MessageReader, p: number, start: number, end: number): JsValueIn | null {
  const dv = msg.dv;
  const value = nearStruct(dv, p, start, end, 0, 2);
  if (value < 0) return null;
  let words = 2;
  const externals: ExternalIn[] = [];
  if (!isNullPointer(dv, value + 8)) {
    const first = nearStructList(dv, value + 8, start, end, 2, 2);
    if (first < 0) return null;
    words += listCount(dv, value + 8) + 1;
    for (let i = 0, n = compositeLength(dv, first); i < n; i++) {
      const e = first + i * 32;
      const tag = dv.getUint16(e, true);
      if (tag !== ExternalKind.rpcTarget) {
        externals.push({ kind: "other", tag });
        continue;
      }
      const lo = dv.getUint32(e + 16, true);
      const hi = dv.getUint32(e + 20, true);
      if (lo === 3) externals.push({ kind: "rpcTarget", cap: hi });
      else if (lo === 0 && hi === 0) externals.push({ kind: "rpcTarget", cap: null });
      else return null;
    }
  }
  let v8: Uint8Array;
  if (isNullPointer(dv, value)) {
    v8 = new Uint8Array(0);
  } else {
    const data = nearBytes(dv, value, start, end);
    if (data < 0) return null;
    v8 = msg.bytes.subarray(data, data + listCount(dv, value));
    words += (v8.length + 7) >>> 3;
  }
  msg.charge(words);
  return { v8, externals };
}

// ---------------------------------------------------------------------------------------------
// CallParams (8 data bytes, 3 pointers):
//   union @0 (u16 at byte 0): methodName Text (ptr 0) | methodPath List(Text) (ptr 0)
//   operation (u16 at byte 2): callWithArgs JsValue (ptr 1) | getProperty Void
//   resultsStreamHandler (u16 at byte 4): obsolete4 (ptr 2) | externalPusher cap (ptr 2)

export interface CallParamsOut {
  /** A one-element path is sent as methodName, as workerd does. */
  path: readonly string[];
  /** Arguments (a V8 Array), null for zero arguments, or "getProperty". */
  args: JsValueOut | null | "getProperty";
  externalPusherCap: number;
}

export interface CallParamsIn {
  path: string[];
  /** null for zero arguments. */
  args: JsValueIn | null;
  getProperty: boolean;
}

/**
 * CallParams as a Payload's content. The usual call (one method name in ASCII, arguments of at
 * most FLAT_DATA_MAX V8 bytes, stubs among them or not) is also written flat by the RPC codec
 * (protocol/capnp/flat.ts); both forms lay out the same bytes (test/capnp-flat.test.ts).
 */
export function writeCallParams(params: CallParamsOut): ContentWriter {
  return new CallParamsWriter(params);
}

class CallParamsWriter implements ContentWriter {
  constructor(private readonly params: CallParamsOut) {}

  write(p: PointerBuilder): void {
    const params = this.params;
    const s = p.initStruct(1, 3);
    const { path, args } = params;
    if (path.length === 1) {
      s.setText(0, path[0]!);
    } else {
      s.setU16(0, 1);
      const list = s.initList(0, ElementSize.POINTER, path.length);
      for (let i = 0; i < path.length; i++) list.ptr(i).setText(path[i]!);
    }
    s.setU16(4, 1);
    s.setCap(2, params.externalPusherCap);
    if (args === "getProperty") s.setU16(2, 1);
    else if (args !== null) writeJsValue(s.ptr(1), args);
  }

  flatBytes(): number {
    const { path, args } = this.params;
    if (path.length !== 1) return -1;
    const text = asciiTextBytes(path[0]!);
    if (text < 0) return -1;
    if (args === null || args === "getProperty") return 32 + text;
    const value = jsValueFlatBytes(args);
    return value < 0 ? -1 : 32 + text + value;
  }

  writeFlat(dv: DataView, bytes: Uint8Array, p: number, at: number): void {
    const { path, args, externalPusherCap } = this.params;
    const name = path[0]!;
    structPointer(dv, p, at, 1, 3);
    dv.setUint16(at + 4, 1, true);
    capPointer(dv, at + 24, externalPusherCap);
    writeAsciiText(dv, bytes, at + 8, at + 32, name);
    if (args === "getProperty") {
      dv.setUint16(at + 2, 1, true);
    } else if (args !== null) {
      writeJsValueFlat(dv, bytes, at + 16, at + 32 + ((name.length + 8) & ~7), args);
    }
  }
}

export function readCallParams(content: AnyPointerReader | null): CallParamsIn {
  return (content === null ? null : readCallParamsFlat(content)) ?? readCallParamsGeneral(content);
}

/** Reads any CallParams through the general reader (readCallParams' fallback; tests compare the two). */
export function readCallParamsGeneral(content: AnyPointerReader | null): CallParamsIn {
  const s = content?.struct() ?? null;
  if (s === null) throw new TypeError("JsRpcTarget.call without parameters.");
  let path: string[];
  if (s.u16(0) === 0) {
    path = [s.text(0) ?? ""];
  } else {
    const list = s.list(0);
    path = [];
    if (list !== null) for (let i = 0; i < list.length; i++) path.push(list.text(i) ?? "");
  }
  const getProperty = s.u16(2) === 1;
  return { path, getProperty, args: getProperty ? null : readJsValue(s.struct(1)) };
}

/**
 * The usual CallParams (a method name, a JsValue whose externals are stubs) read in one pass,
 * or null for the general reader (flat.ts says what "usual" means). Charges what it read.
 */
export function readCallParamsFlat(content: AnyPointerReader): CallParamsIn | null {
  const msg = content.msg;
  const bounds = msg.bounds;
  if (bounds.length !== 2 || content.off < 0 || content.depth < 3) return null;
  const start = bounds[0]!;
  const end = bounds[1]!;
  const dv = msg.dv;
  const s = nearStruct(dv, content.off, start, end, 1, 3);
  if (s < 0 || dv.getUint16(s, true) !== 0) return null;
  const operation = dv.getUint16(s + 2, true);
  const text = nearBytes(dv, s + 8, start, end);
  if (operation > 1 || text < 0) return null;
  const bytes = msg.bytes;
  const n = listCount(dv, s + 8);
  if (n === 0 || bytes[text + n - 1] !== 0) return null;
  let args: JsValueIn | null = null;
  if (operation === 0 && !isNullPointer(dv, s + 16)) {
    args = readJsValueFlat(msg, s + 16, start, end);
    if (args === null) return null;
  }
  msg.charge(4 + ((n + 7) >>> 3));
  return { path: [readUtf8(bytes, text, text + n - 1)], getProperty: operation === 1, args };
}

// ---------------------------------------------------------------------------------------------
// CallResults (8 data bytes, 3 pointers): result JsValue (ptr 0), callPipeline cap (ptr 1),
// hasDisposer (bit 0), obsolete3 (ptr 2).

export interface CallResultsOut {
  result: JsValueOut;
  callPipelineCap: number;
  hasDisposer: boolean;
}

export interface CallResultsIn {
  result: JsValueIn | null;
  callPipelineCap: number | null;
  hasDisposer: boolean;
}

/** Pipelined calls on a call's results go to `callPipeline`: pointer field 1. */
export const CALL_PIPELINE_OPS = [{ type: "getPointerField", index: 1 }] as const;

/** CallResults as a Payload's content; written flat like CallParams when its value is small. */
export function writeCallResults(results: CallResultsOut): ContentWriter {
  return new CallResultsWriter(results);
}

class CallResultsWriter implements ContentWriter {
  constructor(private readonly results: CallResultsOut) {}

  write(p: PointerBuilder): void {
    const results = this.results;
    const s = p.initStruct(1, 3);
    if (results.hasDisposer) s.setBool(0, true);
    s.setCap(1, results.callPipelineCap);
    writeJsValue(s.ptr(0), results.result);
  }

  flatBytes(): number {
    const value = jsValueFlatBytes(this.results.result);
    return value < 0 ? -1 : 32 + value;
  }

  writeFlat(dv: DataView, bytes: Uint8Array, p: number, at: number): void {
    const results = this.results;
    structPointer(dv, p, at, 1, 3);
    if (results.hasDisposer) dv.setUint8(at, 1);
    capPointer(dv, at + 16, results.callPipelineCap);
    writeJsValueFlat(dv, bytes, at + 8, at + 32, results.result);
  }
}

export function readCallResults(content: AnyPointerReader | null): CallResultsIn {
  return (content === null ? null : readCallResultsFlat(content)) ?? readCallResultsGeneral(content);
}

/** Reads any CallResults through the general reader (readCallResults' fallback). */
export function readCallResultsGeneral(content: AnyPointerReader | null): CallResultsIn {
  const s = content?.struct() ?? null;
  if (s === null) return { result: null, callPipelineCap: null, hasDisposer: false };
  return { result: readJsValue(s.struct(0)), callPipelineCap: s.cap(1), hasDisposer: s.bool(0) };
}

/** The usual CallResults (as readCallParamsFlat says of CallParams) read in one pass, or null. */
export function readCallResultsFlat(content: AnyPointerReader): CallResultsIn | null {
  const msg = content.msg;
  const bounds = msg.bounds;
  if (bounds.length !== 2 || content.off < 0 || content.depth < 3) return null;
  const start = bounds[0]!;
  const end = bounds[1]!;
  const dv = msg.dv;
  const s = nearStruct(dv, content.off, start, end, 1, 3);
  if (s < 0 || isNullPointer(dv, s + 8)) return null;
  const capLo = dv.getUint32(s + 16, true);
  const capHi = dv.getUint32(s + 20, true);
  if (capLo !== 3 && (capLo !== 0 || capHi !== 0)) return null;
  const result = readJsValueFlat(msg, s + 8, start, end);
  if (result === null) return null;
  msg.charge(4);
  return { result, callPipelineCap: capLo === 3 ? capHi : null, hasDisposer: (dv.getUint8(s) & 1) !== 0 };
}

// ---------------------------------------------------------------------------------------------
// WorkerdBootstrap.startEvent (cfBlobJson :Text, fromPersistentStub :Bool) -> (dispatcher)
// EventDispatcher.jsRpcSession () -> (topLevel :JsRpcTarget, session :JsRpcSession)

/** A struct of `dataWords` zero words and `ptrCount` pointers, the first `capCount` holding caps 0, 1, … */
class FixedStructWriter implements ContentWriter {
  constructor(
    private readonly dataWords: number,
    private readonly ptrCount: number,
    private readonly capCount: number,
  ) {}

  write(p: PointerBuilder): void {
    const s = p.initStruct(this.dataWords, this.ptrCount);
    for (let i = 0; i < this.capCount; i++) s.setCap(i, i);
  }

  flatBytes(): number {
    return (this.dataWords + this.ptrCount) * 8;
  }

  writeFlat(dv: DataView, _bytes: Uint8Array, p: number, at: number): void {
    structPointer(dv, p, at, this.dataWords, this.ptrCount);
    const pointers = at + this.dataWords * 8;
    for (let i = 0; i < this.capCount; i++) capPointer(dv, pointers + i * 8, i);
  }
}

/** WorkerdBootstrap.startEvent's params: cfBlobJson null and fromPersistentStub false, as workerd sends for JSRPC. */
export const START_EVENT_PARAMS: ContentWriter = new FixedStructWriter(1, 1, 0);
/** An empty struct (EventDispatcher.jsRpcSession's params). */
export const EMPTY_STRUCT: ContentWriter = new FixedStructWriter(0, 0, 0);
/** Results with capabilities in consecutive pointer fields (cap i in pointer i); make once, share. */
export function writeCapStruct(capCount: number): ContentWriter {
  return new FixedStructWriter(0, capCount, capCount);
}
