// workerd's worker interface on the wire (protocol/schema/worker.capnp): interface ids, method
// ordinals, and hand-written codecs for the structs every Workers RPC call carries. These run
// once or more per call, so they go straight to the layout (no generated classes); the tests
// check them byte for byte against capnp-es's generated code.

import type { AnyPointerReader, AnyPointerWriter, PointerBuilder, StructReader } from "../../protocol/capnp/layout.ts";
import { ElementSize } from "../../protocol/capnp/layout.ts";

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

export function writeCallParams(params: CallParamsOut): AnyPointerWriter {
  return (p) => {
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
  };
}

export function readCallParams(content: AnyPointerReader | null): CallParamsIn {
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

export function writeCallResults(results: CallResultsOut): AnyPointerWriter {
  return (p) => {
    const s = p.initStruct(1, 3);
    if (results.hasDisposer) s.setBool(0, true);
    s.setCap(1, results.callPipelineCap);
    writeJsValue(s.ptr(0), results.result);
  };
}

export function readCallResults(content: AnyPointerReader | null): CallResultsIn {
  const s = content?.struct() ?? null;
  if (s === null) return { result: null, callPipelineCap: null, hasDisposer: false };
  return { result: readJsValue(s.struct(0)), callPipelineCap: s.cap(1), hasDisposer: s.bool(0) };
}

// ---------------------------------------------------------------------------------------------
// WorkerdBootstrap.startEvent (cfBlobJson :Text, fromPersistentStub :Bool) -> (dispatcher)
// EventDispatcher.jsRpcSession () -> (topLevel :JsRpcTarget, session :JsRpcSession)

export function writeStartEventParams(): AnyPointerWriter {
  // cfBlobJson null and fromPersistentStub false, as workerd sends for JSRPC.
  return (p) => void p.initStruct(1, 1);
}

export function writeEmptyStruct(): AnyPointerWriter {
  return (p) => void p.initStruct(0, 0);
}

/** Results with capabilities in consecutive pointer fields (cap i in pointer i). */
export function writeCapStruct(capCount: number): AnyPointerWriter {
  return (p) => {
    const s = p.initStruct(0, capCount);
    for (let i = 0; i < capCount; i++) s.setCap(i, i);
  };
}
