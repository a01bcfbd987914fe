// Checks our copy of workerd's worker interface (protocol/schema/worker.capnp and its imports),
// through the capnp-es code generated from it, against the wire facts workerd depends on:
// type ids, method ordinals, struct sizes and union-tag positions (reference notes:
// /work/shared/reference/workers-rpc-semantics.md section (c)). If one of these changes, workerd
// can no longer talk to us, so any failure here means the schema was edited wrongly.
//
// The CallParams round trip also pins the exact bytes capnp-es lays out, by reading the framed
// message back by hand (segment table, root pointer, data word, pointer words).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as $ from "capnp-es";
import {
  _capnpFileId as workerFileId,
  AbortTrigger, AbortTrigger$Client,
  EventDispatcher, EventDispatcher$Client,
  JsRpcSession,
  JsRpcTarget, JsRpcTarget$Client, JsRpcTarget_CallParams, JsRpcTarget_CallResults,
  JsValue, JsValue_External, JsValue_ExternalPusher, JsValue_ExternalPusher$Client,
  JsValue_ExternalPusher_AbortSignal, JsValue_ExternalPusher_AbortSignal$Client,
  JsValue_ExternalPusher_DelayedChannelToken, JsRpcTarget_CallParams_Operation,
  JsValue_ExternalPusher_InputStream,
  SerializationTag, StreamEncoding,
  WorkerdBootstrap, WorkerdBootstrap$Client, WorkerdBootstrap_StartEvent$Params,
  EventDispatcher_JsRpcSession$Results,
} from "../protocol/schema/gen/worker.js";
import {
  _capnpFileId as byteStreamFileId, ByteStream, ByteStream$Client, StreamResult,
} from "../protocol/schema/gen/byte-stream.js";
import { _capnpFileId as metadataFileId, JsExceptionMetadata } from "../protocol/schema/gen/exception-metadata.js";
import { EventOutcome } from "../protocol/schema/gen/outcome.js";

/** The id capnp-es records for a generated type, as a bigint (it stores it as hex). */
const idOf = (t: { _capnp: { id: string } }): bigint => BigInt("0x" + t._capnp.id);
/** A struct's [data bytes, pointers]. */
const sizeOf = (t: { _capnp: { size: $.ObjectSize } }): [number, number] =>
  [t._capnp.size.dataByteLength, t._capnp.size.pointerLength];
const methodNames = (c: { methods: ReadonlyArray<{ methodId: number; methodName?: string }> }) =>
  c.methods.map((m, i) => { assert.equal(m.methodId, i); return m.methodName; });

describe("worker.capnp ids", () => {
  it("keeps the file ids of workerd and capnproto", () => {
    assert.equal(workerFileId, 0xf7958855f6746344n);
    assert.equal(byteStreamFileId, 0x8f5d14e1c273738dn);
    assert.equal(metadataFileId, 0xa9ae63464030fcefn);
  });

  it("has workerd's interface ids", () => {
    const expected: Array<[{ _capnp: { id: string } }, bigint]> = [
      [WorkerdBootstrap, 0x878048cda334ade3n],
      [EventDispatcher, 0xf20697475ec1752dn],
      [JsRpcTarget, 0xa1a96525142a9d98n],
      [JsValue_ExternalPusher, 0xee2eb0d2e1aad430n],
      [JsValue_ExternalPusher_InputStream, 0xe11266f4c9b8cd68n],
      [JsValue_ExternalPusher_AbortSignal, 0x9370dfdfa725139an],
      [JsValue_ExternalPusher_DelayedChannelToken, 0xdfcf118aeceaf20en],
      [AbortTrigger, 0x8dec253e6cb36e31n],
      [JsRpcSession, 0xbbfec607777f1620n],
      [ByteStream, 0xd2e7d8a0dc0a9766n],
    ];
    for (const [type, id] of expected) assert.equal(idOf(type), id, type._capnp.id);
    // The client classes put the same id into every Call they send.
    assert.equal(WorkerdBootstrap$Client.interfaceId, 0x878048cda334ade3n);
    assert.equal(EventDispatcher$Client.interfaceId, 0xf20697475ec1752dn);
    assert.equal(JsRpcTarget$Client.interfaceId, 0xa1a96525142a9d98n);
    assert.equal(JsValue_ExternalPusher$Client.interfaceId, 0xee2eb0d2e1aad430n);
    assert.equal(ByteStream$Client.interfaceId, 0xd2e7d8a0dc0a9766n);
  });

  it("has the struct ids of workerd and capnproto", () => {
    assert.equal(idOf(JsRpcTarget_CallParams), 0xaff95bff9d8bfd33n);
    assert.equal(idOf(JsRpcTarget_CallResults), 0xf8796f556942bdc7n);
    assert.equal(idOf(JsValue), 0x8c99bfdedd57f04an);
    assert.equal(idOf(JsValue_External), 0xc48cf11f317fd674n);
    assert.equal(idOf(StreamResult), 0x995f9a3377c0b16en);
    assert.equal(idOf(JsExceptionMetadata), 0x9aef12baf5fb6eb2n);
  });

  it("numbers the methods like workerd", () => {
    assert.deepEqual(methodNames(WorkerdBootstrap$Client), ["startEvent"]);
    assert.deepEqual(methodNames(EventDispatcher$Client), [
      "getHttpService", "sendTraces", "prewarm", "runScheduled", "runAlarm",
      "obsolete5", "obsolete6", "obsolete7", "queue", "jsRpcSession", "tailStreamSession",
      "abandonAlarm", "restoreService", "restoreRpcStub",
    ]);
    assert.deepEqual(methodNames(JsRpcTarget$Client), ["call"]);
    assert.deepEqual(methodNames(JsValue_ExternalPusher$Client),
      ["pushByteStream", "pushAbortSignal", "pushDelayedChannelToken"]);
    assert.deepEqual(methodNames(AbortTrigger$Client), ["abort", "release"]);
    assert.deepEqual(methodNames(ByteStream$Client), ["write", "end", "getSubstream", "startTls"]);
  });

  it("keeps the enum values", () => {
    assert.equal(SerializationTag.JS_RPC_STUB, 1);
    assert.equal(SerializationTag.ABORT_SIGNAL, 9);
    assert.equal(SerializationTag.NATIVE_ERROR, 10);
    assert.equal(SerializationTag.SERVICE_STUB, 11);
    assert.equal(SerializationTag.WRAPPED_BINDING, 17);
    assert.equal(StreamEncoding.BROTLI, 2);
    assert.equal(EventOutcome.ABORTED, 13);
  });
});

describe("worker.capnp layouts", () => {
  it("has the struct sizes workerd uses", () => {
    assert.deepEqual(sizeOf(JsRpcTarget_CallParams), [8, 3]);
    assert.deepEqual(sizeOf(JsRpcTarget_CallResults), [8, 3]);
    assert.deepEqual(sizeOf(JsValue), [0, 2]);
    assert.deepEqual(sizeOf(JsValue_External), [16, 2]);
    assert.deepEqual(sizeOf(WorkerdBootstrap_StartEvent$Params), [8, 1]);
    assert.deepEqual(sizeOf(EventDispatcher_JsRpcSession$Results), [0, 2]);
    assert.deepEqual(sizeOf(StreamResult), [0, 0]);
  });

  // The argument array [2, 3] (workerd's `add(2, 3)` from the capture), V8-serialized.
  const ARGS = Uint8Array.of(0xff, 0x0f, 0x41, 0x02, 0x49, 0x04, 0x49, 0x06, 0x24, 0x00, 0x02);
  const pusher = () => new JsValue_ExternalPusher$Client(new $.ErrorClient(new Error("test placeholder")));

  /** A struct located in a single-segment message: byte offsets of its data and pointer sections. */
  interface Loc { seg: DataView; data: number; dataBytes: number; ptrs: number; ptrCount: number }

  /** The one segment of a framed single-segment message. */
  function segmentOf(buf: ArrayBuffer): DataView {
    const view = new DataView(buf);
    assert.equal(view.getUint32(0, true), 0, "one segment");
    return new DataView(buf, 8, view.getUint32(4, true) * 8);
  }

  /** Follows the struct pointer at byte offset `at` (no far pointers: one segment). */
  function structAt(seg: DataView, at: number): Loc {
    const lo = seg.getUint32(at, true);
    assert.equal(lo & 3, 0, "struct pointer");
    const data = at + 8 + (lo >> 2) * 8; // signed 30-bit word offset from the next word
    const dataWords = seg.getUint16(at + 4, true);
    return { seg, data, dataBytes: dataWords * 8, ptrs: data + dataWords * 8, ptrCount: seg.getUint16(at + 6, true) };
  }

  /** The elements of the composite (struct) list whose pointer is at byte offset `at`. */
  function structListAt(seg: DataView, at: number): Loc[] {
    const lo = seg.getUint32(at, true);
    assert.equal(lo & 3, 1, "list pointer");
    assert.equal(seg.getUint32(at + 4, true) & 7, 7, "composite list");
    const tag = at + 8 + (lo >> 2) * 8;
    const count = seg.getUint32(tag, true) >> 2;
    const dataBytes = seg.getUint16(tag + 4, true) * 8, ptrCount = seg.getUint16(tag + 6, true);
    return Array.from({ length: count }, (_, i) => {
      const data = tag + 8 + i * (dataBytes + ptrCount * 8);
      return { seg, data, dataBytes, ptrs: data + dataBytes, ptrCount };
    });
  }

  const root = (buf: ArrayBuffer) => structAt(segmentOf(buf), 0);
  const u16 = (l: Loc, byte: number) => l.seg.getUint16(l.data + byte, true);
  const ptrWord = (l: Loc, i: number): [number, number] =>
    [l.seg.getUint32(l.ptrs + i * 8, true), l.seg.getUint32(l.ptrs + i * 8 + 4, true)];

  it("round-trips the captured add(2, 3) CallParams", () => {
    const msg = new $.Message();
    const params = msg.initRoot(JsRpcTarget_CallParams);
    params.methodName = "add";
    params.operation._initCallWithArgs()._initV8Serialized(ARGS.length).copyBuffer(ARGS);
    params.resultsStreamHandler.externalPusher = pusher();
    const buf = msg.toArrayBuffer();

    // By hand: union tags at bits 0-15 (methodName=0), 16-31 (callWithArgs=0), 32-47
    // (externalPusher=1); ptr0 text, ptr1 struct, ptr2 capability #0.
    const r = root(buf);
    assert.equal(r.dataBytes, 8);
    assert.equal(r.ptrCount, 3);
    assert.deepEqual([u16(r, 0), u16(r, 2), u16(r, 4), u16(r, 6)], [0, 0, 1, 0]);
    assert.equal(ptrWord(r, 0)[0] & 3, 1, "ptr0 (methodName) is a list pointer");
    assert.equal(ptrWord(r, 1)[0] & 3, 0, "ptr1 (callWithArgs) is a struct pointer");
    assert.deepEqual(ptrWord(r, 2), [3, 0], "ptr2 is capability #0");
    assert.equal(msg._capnp.capTable?.length, 1);
    const args = structAt(r.seg, r.ptrs + 8);
    assert.deepEqual([args.dataBytes, args.ptrCount], [0, 2], "JsValue is 0 data + 2 pointers");
    assert.equal(ptrWord(args, 1)[0], 0, "no externals");

    // And back through capnp-es.
    const read = new $.Message(buf, false).getRoot(JsRpcTarget_CallParams);
    assert.equal(read.which(), JsRpcTarget_CallParams.METHOD_NAME);
    assert.equal(read.methodName, "add");
    assert.equal(read.operation.which(), JsRpcTarget_CallParams_Operation.CALL_WITH_ARGS);
    assert.deepEqual([...read.operation.callWithArgs.v8Serialized.toUint8Array()], [...ARGS]);
    assert.equal(read.operation.callWithArgs._hasExternals(), false);
    assert.ok(read.resultsStreamHandler._isExternalPusher);
  });

  it("puts methodPath and getProperty in tag value 1", () => {
    const msg = new $.Message();
    const params = msg.initRoot(JsRpcTarget_CallParams);
    const path = params._initMethodPath(2);
    path.set(0, "a");
    path.set(1, "b");
    params.operation.getProperty = true;
    params.resultsStreamHandler.externalPusher = pusher();
    const r = root(msg.toArrayBuffer());
    assert.deepEqual([u16(r, 0), u16(r, 2), u16(r, 4)], [1, 1, 1]);
  });

  it("lays out CallResults and the External union like workerd", () => {
    const msg = new $.Message();
    const results = msg.initRoot(JsRpcTarget_CallResults);
    results.hasDisposer = true;
    results.callPipeline = new JsRpcTarget$Client(new $.ErrorClient(new Error("test placeholder")));
    const value = results._initResult();
    value._initV8Serialized(4).copyBuffer(Uint8Array.of(0xff, 0x0f, 0x5c, 0x01));
    const ext = value._initExternals(4);
    ext.get(0)._initRpcTarget().cap = new JsRpcTarget$Client(new $.ErrorClient(new Error("test placeholder")));
    ext.get(1)._initReadableStream()._initExpectedLength().known = 5n;
    ext.get(2).abortSignal = new JsValue_ExternalPusher_AbortSignal$Client(new $.ErrorClient(new Error("x")));
    ext.get(3)._initSocket().remoteAddress = "example.com:443";
    const buf = msg.toArrayBuffer();

    const r = root(buf);
    assert.deepEqual([r.dataBytes, r.ptrCount], [8, 3]);
    assert.equal(r.seg.getUint8(r.data) & 1, 1, "hasDisposer is bit 0");
    assert.deepEqual(ptrWord(r, 1), [3, 0], "callPipeline is ptr1, capability #0");
    const list = structListAt(r.seg, structAt(r.seg, r.ptrs).ptrs + 8);
    assert.deepEqual(list.map((e) => [e.dataBytes, e.ptrCount]), Array(4).fill([16, 2]));
    // The union tag is bits 0-15 of each External; rpcTarget 1, readableStream 3, abortSignal 7,
    // socket 10.
    assert.deepEqual(list.map((e) => u16(e, 0)), [1, 3, 7, 10]);
    assert.deepEqual(ptrWord(list[0]!, 0), [3, 1], "rpcTarget.cap is ptr0, capability #1");
    assert.deepEqual(ptrWord(list[2]!, 0), [3, 2], "abortSignal is ptr0, capability #2");

    assert.deepEqual(
      [JsValue_External.INVALID, JsValue_External.RPC_TARGET, JsValue_External.WRITABLE_STREAM,
        JsValue_External.READABLE_STREAM, JsValue_External.OBSOLETE7,
        JsValue_External.SUBREQUEST_CHANNEL_TOKEN, JsValue_External.ACTOR_CLASS_CHANNEL_TOKEN,
        JsValue_External.ABORT_SIGNAL, JsValue_External.DELAYED_SUBREQUEST_CHANNEL_TOKEN,
        JsValue_External.DELAYED_ACTOR_CLASS_CHANNEL_TOKEN, JsValue_External.SOCKET],
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    const back = new $.Message(buf, false).getRoot(JsRpcTarget_CallResults);
    assert.equal(back.hasDisposer, true);
    const externals = back.result.externals;
    assert.equal(externals.get(1).readableStream.expectedLength.known, 5n);
    assert.equal(externals.get(3).socket.remoteAddress, "example.com:443");
  });
});
