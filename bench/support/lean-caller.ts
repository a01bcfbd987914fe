// A caller that does only the protocol (bench/tools/lean-client.ts, ab.ts interleave=client):
// over the same CONNECT handshake and socket reads as edgebind's client, it sends a call's exact
// message pattern (startEvent → jsRpcSession → call, pipelined, with the ExternalPusher export),
// reads the Returns with edgebind's own codecs, and sends the Finishes and Releases with the next
// call, as edgebind's client does. No tables, hooks, stubs, proxies or promises of the engine.
// Sequential calls only (one in flight).
import { FrameReader } from "../../protocol/capnp/framing.ts";
import { OutputQueue } from "../../protocol/capnp/output.ts";
import { decodeRpcMessage, encodeRpcMessageInto } from "../../protocol/capnp/rpc-codec.ts";
import type { CapDescriptor, IncomingMessage, OutgoingMessage } from "../../protocol/rpc-model.ts";
import type { Transport } from "../../core/transport.ts";
import {
  CALL, EMPTY_STRUCT, EVENT_DISPATCHER, JS_RPC_SESSION, JS_RPC_TARGET, START_EVENT, START_EVENT_PARAMS, WORKERD_BOOTSTRAP,
  readCallResults, writeCallParams,
} from "../../core/workers-rpc/schema.ts";
import { deserializeValue, serializeValue } from "../../core/workers-rpc/values.ts";

/** One connection; one call at a time. */
export class LeanCaller {
  private readonly frames = new FrameReader();
  private readonly out = new OutputQueue();
  private bootstrapId = -1;
  private waiting: ((m: IncomingMessage) => void) | null = null;
  private caps: number[] = [];
  private lastQuestions: number[] = [];

  constructor(private readonly transport: Transport) {
    transport.start({
      data: (chunk, transient) => {
        const frames = transient ? this.frames.pushTransient(chunk) : this.frames.push(chunk);
        for (const frame of frames) this.receive(decodeRpcMessage(frame));
      },
      closed: () => {},
    });
  }

  private send(m: OutgoingMessage): void {
    encodeRpcMessageInto(m, this.out);
  }

  private flush(): void {
    this.transport.send(this.out.take(), true);
  }

  private receive(m: IncomingMessage): void {
    if (m.type === "resolve" && m.resolution.type === "cap") this.keep(m.resolution.cap); // given back with the next call
    if (m.type !== "return") return; // the host's Release of our pusher export: nothing to do
    if (m.body.type === "results") for (const d of m.body.results.capTable) this.keep(d);
    this.waiting?.(m);
  }

  private keep(d: CapDescriptor): void {
    if (d.type === "senderHosted" || d.type === "senderPromise") this.caps.push(d.id);
  }

  async bootstrap(): Promise<void> {
    this.send({ type: "bootstrap", questionId: 0 });
    this.flush();
    await new Promise<IncomingMessage>((resolve) => (this.waiting = resolve));
    this.bootstrapId = this.caps.pop()!;
    this.send({ type: "finish", questionId: 0, releaseResultCaps: false, requireEarlyCancellationWorkaround: false });
  }

  /** One call on the entrypoint: `path(...params)`. */
  call(path: string[], params: unknown[]): Promise<unknown> {
    // What the last call left: its Finishes and Releases go with this call, as edgebind's do.
    for (const q of this.lastQuestions) this.send({ type: "finish", questionId: q, releaseResultCaps: false, requireEarlyCancellationWorkaround: false });
    for (const id of this.caps) this.send({ type: "release", id, referenceCount: 1 });
    this.caps = [];
    const [a, b, c] = (this.lastQuestions = [1, 2, 3]);
    const on = (questionId: number) => ({ type: "promisedAnswer" as const, promisedAnswer: { questionId, transform: [{ type: "getPointerField" as const, index: 0 }] } });
    this.send({ type: "call", questionId: a, target: { type: "importedCap", importedCap: this.bootstrapId }, interfaceId: WORKERD_BOOTSTRAP, methodId: START_EVENT, params: { content: START_EVENT_PARAMS, capTable: [] }, sendResultsTo: "caller" });
    this.send({ type: "call", questionId: b, target: on(a), interfaceId: EVENT_DISPATCHER, methodId: JS_RPC_SESSION, params: { content: EMPTY_STRUCT, capTable: [] }, sendResultsTo: "caller" });
    const argsOut = serializeValue(params, { caps: [], ownership: "params", context: null, afterSend: [] });
    this.send({
      type: "call", questionId: c, target: on(b), interfaceId: JS_RPC_TARGET, methodId: CALL,
      params: { content: writeCallParams({ path, args: argsOut, externalPusherCap: 0 }), capTable: [{ type: "senderHosted", id: 0 }] },
      sendResultsTo: "caller",
    });
    this.flush();
    return new Promise((resolve, reject) => {
      this.waiting = (m) => {
        if (m.type !== "return" || m.answerId !== c) return;
        this.waiting = null;
        if (m.body.type !== "results") return reject(new Error(`call returned ${m.body.type}`));
        const r = readCallResults(m.body.results.content);
        resolve(r.result ? deserializeValue(r.result, { caps: [], lease: null, stubs: [] }) : undefined);
      };
    });
  }
}
