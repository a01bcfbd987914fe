// Benchmark of the hand-written rpc.capnp codec (protocol/capnp/rpc-codec.ts) against
// JSON.stringify+parse of the same message as a plain object (binary as base64, the way a JSON
// protocol would carry it) and against capnp-es (generated classes from protocol/schema/gen).
//
// Two messages, each encoded and decoded (and the payload read) per operation:
//  - a small JsRpcTarget.call-shaped Call: pipelined target, CallParams { methodName "add",
//    callWithArgs JsValue { v8Serialized: 11 bytes }, externalPusher cap }, one senderHosted cap;
//  - a Return carrying CallResults { result JsValue { v8Serialized: 64 KiB } , callPipeline cap }.
//
//   node --import tsx bench/codec-capnp.ts     (also: bun bench/codec-capnp.ts, deno run -A …)
// `npm run bench` imports runCapnpCodecBench() and prints its rows.

import { Bench } from "tinybench";
import { codecColumns, isMain, medianMicros, runtimeName, textTable, type CodecRow } from "./support/tinybench.ts";
import * as $ from "capnp-es";
import * as rpc from "../protocol/schema/gen/rpc.js";
import { decodeRpcMessage, encodeRpcMessage } from "../protocol/capnp/rpc-codec.ts";
import { FrameReader, concatPieces } from "../protocol/capnp/framing.ts";
import type { OutgoingMessage } from "../protocol/rpc-model.ts";

/**
 * One (message, codec) pair: `codec` is ours | json | capnp-es; `usPerOp` the median encode +
 * decode (+ read the payload) time in µs; `xJson` that relative to JSON; `bytes` on the wire.
 */
export type CapnpCodecBenchRow = CodecRow;

const V8_ARGS = new Uint8Array([0xff, 0x0f, 0x41, 0x02, 0x49, 0x04, 0x49, 0x06, 0x24, 0x00, 0x02]);
const BIG = new Uint8Array(65536).map((_, i) => (i * 31) & 0xff);
const INTERFACE_JSRPC = 0xa1a96525142a9d98n;

// ---------------------------------------------------------------- ours

function smallCall(q: number): OutgoingMessage {
  return {
    type: "call",
    questionId: q,
    target: { type: "promisedAnswer", promisedAnswer: { questionId: q - 1, transform: [{ type: "getPointerField", index: 0 }] } },
    interfaceId: INTERFACE_JSRPC,
    methodId: 0,
    params: {
      capTable: [{ type: "senderHosted", id: 0 }],
      content: (p) => {
        const params = p.initStruct(1, 3); // CallParams
        params.setText(0, "add");
        params.setU16(4, 1); // externalPusher
        params.initStruct(1, 0, 2).setData(0, V8_ARGS); // JsValue
        params.setCap(2, 0);
      },
    },
    sendResultsTo: "caller",
  };
}

function bigReturn(q: number): OutgoingMessage {
  return {
    type: "return",
    answerId: q,
    releaseParamCaps: false,
    body: {
      type: "results",
      results: {
        capTable: [{ type: "senderHosted", id: 1 }],
        content: (p) => {
          const results = p.initStruct(1, 3); // CallResults
          results.setCap(1, 0); // callPipeline
          results.initStruct(0, 0, 2).setData(0, BIG); // result JsValue, Data last: not copied
        },
      },
    },
  };
}

let sink = 0;

function oursSmall(): number {
  const bytes = concatPieces(encodeRpcMessage(smallCall(3)));
  const m = decodeRpcMessage(bytes);
  if (m.type !== "call") throw new Error("bad");
  const params = m.params.content!.struct()!;
  sink += params.text(0)!.length + params.struct(1)!.data(0)!.length + params.cap(2)! + m.params.capTable.length;
  return bytes.length;
}

const reader = new FrameReader();
function oursBig(): number {
  // Pieces go to the transport as they are; the receiver gets them as one chunk.
  const bytes = concatPieces(encodeRpcMessage(bigReturn(3)));
  const frame = reader.push(bytes)[0]!;
  const m = decodeRpcMessage(frame);
  if (m.type !== "return" || m.body.type !== "results") throw new Error("bad");
  const results = m.body.results.content!.struct()!;
  sink += results.struct(0)!.data(0)!.length + results.cap(1)!;
  return bytes.length;
}

// ---------------------------------------------------------------- JSON

function toBase64(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode.apply(null, b.subarray(i, i + 8192) as unknown as number[]);
  return btoa(s);
}
function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function jsonSmall(): number {
  const s = JSON.stringify({
    type: "call",
    questionId: 3,
    target: { type: "promisedAnswer", promisedAnswer: { questionId: 2, transform: [{ type: "getPointerField", index: 0 }] } },
    interfaceId: INTERFACE_JSRPC.toString(16),
    methodId: 0,
    params: {
      capTable: [{ type: "senderHosted", id: 0 }],
      content: { methodName: "add", args: toBase64(V8_ARGS), externalPusher: 0 },
    },
    sendResultsTo: "caller",
  });
  const m = JSON.parse(s);
  sink += BigInt("0x" + m.interfaceId) === INTERFACE_JSRPC ? 1 : 0;
  sink += m.params.content.methodName.length + fromBase64(m.params.content.args).length + m.params.capTable.length;
  return s.length;
}

function jsonBig(): number {
  const s = JSON.stringify({
    type: "return",
    answerId: 3,
    releaseParamCaps: false,
    body: { type: "results", results: { capTable: [{ type: "senderHosted", id: 1 }], content: { result: toBase64(BIG), callPipeline: 0 } } },
  });
  const m = JSON.parse(s);
  sink += fromBase64(m.body.results.content.result).length + m.body.results.content.callPipeline;
  return s.length;
}

// ---------------------------------------------------------------- capnp-es

class CallParams extends $.Struct {
  static override readonly _capnp = { displayName: "CallParams", id: "f0", size: new $.ObjectSize(8, 3) };
}
class JsValue extends $.Struct {
  static override readonly _capnp = { displayName: "JsValue", id: "f1", size: new $.ObjectSize(0, 2) };
}

function esSmall(): number {
  const msg = new $.Message();
  const call = msg.initRoot(rpc.Message)._initCall();
  call.questionId = 3;
  const pa = call._initTarget()._initPromisedAnswer();
  pa.questionId = 2;
  pa._initTransform(1).get(0).getPointerField = 0;
  call.interfaceId = INTERFACE_JSRPC;
  call.methodId = 0;
  const payload = call._initParams();
  payload._initCapTable(1).get(0).senderHosted = 0;
  const params = new CallParams(payload.content.segment, payload.content.byteOffset);
  $.utils.initStruct(CallParams._capnp.size, params);
  $.utils.setText(0, "add", params);
  $.utils.setUint16(4, 1, params);
  const args = $.utils.getPointerAs(1, JsValue, params);
  $.utils.initStruct(JsValue._capnp.size, args);
  $.utils.initData(0, V8_ARGS.length, args).copyBuffer(V8_ARGS);
  $.utils.setInterfacePointer(0, $.utils.getPointer(2, params));
  call.sendResultsTo.caller = true;
  const buf = msg.toArrayBuffer();

  const rd = new $.Message(buf, false).getRoot(rpc.Message);
  const c = rd.call;
  const p = c.params;
  const rp = $.utils.getPointerAs(0, CallParams, p);
  const a = $.utils.getPointerAs(1, JsValue, rp);
  sink += c.questionId + c.target.promisedAnswer.transform.get(0).getPointerField + Number(c.interfaceId & 1n);
  sink += $.utils.getText(0, rp).length + $.utils.getData(0, a).toUint8Array().length + p.capTable.get(0).senderHosted;
  sink += $.utils.getInterfacePointer($.utils.getPointer(2, rp));
  return buf.byteLength;
}

function esBig(): number {
  const msg = new $.Message();
  const ret = msg.initRoot(rpc.Message)._initReturn();
  ret.answerId = 3;
  ret.releaseParamCaps = false;
  const payload = ret._initResults();
  payload._initCapTable(1).get(0).senderHosted = 1;
  const results = new CallParams(payload.content.segment, payload.content.byteOffset);
  $.utils.initStruct(CallParams._capnp.size, results);
  $.utils.setInterfacePointer(0, $.utils.getPointer(1, results));
  const v = $.utils.getPointerAs(0, JsValue, results);
  $.utils.initStruct(JsValue._capnp.size, v);
  $.utils.initData(0, BIG.length, v).copyBuffer(BIG);
  const buf = msg.toArrayBuffer();

  const rd = new $.Message(buf, false).getRoot(rpc.Message).return.results;
  const r = $.utils.getPointerAs(0, CallParams, rd);
  sink += $.utils.getData(0, $.utils.getPointerAs(0, JsValue, r)).toUint8Array().length;
  sink += $.utils.getInterfacePointer($.utils.getPointer(1, r));
  return buf.byteLength;
}

// ---------------------------------------------------------------- runner

const INNER = { small: 200, big: 5 };

export async function runCapnpCodecBench(options: { time?: number } = {}): Promise<CapnpCodecBenchRow[]> {
  const time = options.time ?? 600;
  const cases = [
    { name: "small Call (JsRpcTarget.call)", inner: INNER.small, fns: { ours: oursSmall, json: jsonSmall, "capnp-es": esSmall } },
    { name: "Return with 64 KiB Data", inner: INNER.big, fns: { ours: oursBig, json: jsonBig, "capnp-es": esBig } },
  ];
  const rows: CapnpCodecBenchRow[] = [];
  for (const c of cases) {
    const bench = new Bench({ time, warmup: true });
    const sizes: Record<string, number> = {};
    for (const [codec, fn] of Object.entries(c.fns)) {
      sizes[codec] = fn();
      bench.add(codec, () => {
        for (let i = 0; i < c.inner; i++) fn();
      });
    }
    await bench.run();
    const us = medianMicros(bench, () => c.inner);
    for (const codec of Object.keys(c.fns)) {
      rows.push({ case: c.name, codec, usPerOp: us.get(codec)!, xJson: us.get(codec)! / us.get("json")!, bytes: sizes[codec]! });
    }
  }
  if (sink === 0.5) console.log(sink);
  return rows;
}

export function formatCapnpCodecRows(rows: CapnpCodecBenchRow[]): string {
  return textTable(`rpc.capnp codec, encode+decode per message (${runtimeName()})`, codecColumns(30), rows);
}

if (isMain(import.meta)) console.log(formatCapnpCodecRows(await runCapnpCodecBench()));
