// Helpers for RPC engine tests (test/rpc-engine*.test.ts): a connected pair over the in-memory
// transport, a tiny test interface with hand-written content, waiting for the wire to go quiet,
// decoding what went over the wire, and the baseline check every test ends with.
import assert from "node:assert/strict";
import { RpcConnection, type ConnectionOptions, type ConnectionStats } from "../../core/rpc/connection.ts";
import {
  type CallHandle,
  type CapServer,
  type Hook,
  LocalHook,
  type OutPayload,
  type Results,
  type ServerCall,
} from "../../core/rpc/hooks.ts";
import { concatPieces, FrameReader } from "../../protocol/capnp/framing.ts";
import type { PointerBuilder } from "../../protocol/capnp/layout.ts";
import type { PointerReader } from "../../protocol/capnp/reader.ts";
import { decodeRpcMessage, encodeRpcMessage } from "../../protocol/capnp/rpc-codec.ts";
import type { IncomingMessage, OutgoingMessage, PromisedAnswerOp } from "../../protocol/rpc-model.ts";
import { memoryTransportPair } from "./memory-transport.ts";

export type MemoryEnd = ReturnType<typeof memoryTransportPair>[0];

export interface Pair {
  client: RpcConnection;
  server: RpcConnection;
  /** The client's transport end (`sent` = what the client wrote). */
  ct: MemoryEnd;
  /** The server's transport end. */
  st: MemoryEnd;
  /** Errors each side reported through onError. */
  clientErrors: Error[];
  serverErrors: Error[];
}

/** Two connections over an in-memory transport pair. */
export function connectPair(
  options: { clientBootstrap?: Hook | null; serverBootstrap?: Hook | null; clientOptions?: ConnectionOptions; serverOptions?: ConnectionOptions } = {},
): Pair {
  const [ct, st] = memoryTransportPair({ record: true });
  const clientErrors: Error[] = [];
  const serverErrors: Error[] = [];
  const client = new RpcConnection(ct, {
    bootstrap: options.clientBootstrap ?? null,
    onError: (e) => clientErrors.push(e),
    ...options.clientOptions,
  });
  const server = new RpcConnection(st, {
    bootstrap: options.serverBootstrap ?? null,
    onError: (e) => serverErrors.push(e),
    ...options.serverOptions,
  });
  return { client, server, ct, st, clientErrors, serverErrors };
}

/** Lets every queued message (including the lazy Finish/Release timer) travel and be handled. */
export async function settle(turns = 4): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

const ZERO: ConnectionStats = { questions: 0, answers: 0, imports: 0, exports: 0 };

/**
 * Waits for the wire to go quiet, then asserts each connection's tables are back to `baseline`
 * (empty by default). Every engine test ends with this.
 */
export async function assertBaseline(conns: RpcConnection[] | Pair, baseline: ConnectionStats = ZERO): Promise<void> {
  const list = Array.isArray(conns) ? conns : [conns.client, conns.server];
  await settle();
  list.forEach((c, i) => assert.deepEqual(c.stats(), baseline, `connection #${i} tables not back to baseline`));
}

// ---------------------------------------------------------------------------------------------
// Wire inspection

/** Decodes every frame in a list of sent chunks (MemoryEnd.sent), in order. */
export function decodeSent(chunks: readonly Uint8Array[]): IncomingMessage[] {
  const frames = new FrameReader();
  const out: IncomingMessage[] = [];
  for (const chunk of chunks) for (const frame of frames.push(chunk)) out.push(decodeRpcMessage(frame));
  return out;
}

/** The messages an end sent from index `from` of its `sent` list on. */
export function sentSince(end: MemoryEnd, from: number): IncomingMessage[] {
  return decodeSent(end.sent.slice(from));
}

/** One message as bytes, for injecting with `end.receive(...)`. */
export function frameOf(message: OutgoingMessage): Uint8Array {
  return concatPieces(encodeRpcMessage(message));
}

// ---------------------------------------------------------------------------------------------
// A tiny test interface. Params and results share one layout:
//   struct Msg { value @0 :Int32; cap @1 :Capability (ptr 0); text @2 :Text (ptr 1); next @3 :Msg (ptr 2) }

export const TEST_IFACE = 0x8a1b2c3d4e5f6071n;

export interface MsgFields {
  value?: number;
  /** Index into the payload's caps for pointer 0. */
  cap?: number;
  text?: string;
  /** A nested Msg in pointer 2 (for pipelining paths like [2, 0]). */
  next?: MsgFields;
}

function writeMsgInto(s: ReturnType<PointerBuilder["initStruct"]>, f: MsgFields): void {
  if (f.value !== undefined) s.setI32(0, f.value);
  if (f.cap !== undefined) s.setCap(0, f.cap);
  if (f.text !== undefined) s.setText(1, f.text);
  if (f.next !== undefined) writeMsgInto(s.initStruct(2, 1, 3), f.next);
}

export function msg(f: MsgFields): (p: PointerBuilder) => void {
  return (p) => writeMsgInto(p.initStruct(1, 3), f);
}

export interface ReadMsg {
  value: number;
  cap: number | null;
  text: string | null;
}

export function readMsg(content: PointerReader | null): ReadMsg {
  const s = content?.struct() ?? null;
  if (!s) return { value: 0, cap: null, text: null };
  return { value: s.i32(0), cap: s.ptr(0).kind() === "capability" ? s.cap(0) : null, text: s.text(1) };
}

/** The pipelining path to Msg.cap, and to next.cap. */
export const CAP_FIELD: PromisedAnswerOp[] = [{ type: "getPointerField", index: 0 }];
export const NEXT_CAP_FIELD: PromisedAnswerOp[] = [
  { type: "getPointerField", index: 2 },
  { type: "getPointerField", index: 0 },
];

/** Which cap index a pipelined path reaches in a result written with `msg(f)`. */
export function msgPipelineCap(f: MsgFields): (ops: readonly PromisedAnswerOp[]) => number | null {
  return (ops) => {
    let cur: MsgFields | undefined = f;
    const fields = ops.filter((o) => o.type === "getPointerField").map((o) => (o as { index: number }).index);
    for (let i = 0; i < fields.length; i++) {
      if (!cur) return null;
      const last = i === fields.length - 1;
      if (last) return fields[i] === 0 ? (cur.cap ?? null) : null;
      if (fields[i] !== 2) return null;
      cur = cur.next;
    }
    return null;
  };
}

/** A result payload: `msg(f)` with its caps and pipelining. */
export function reply(f: MsgFields, caps: (Hook | null)[] = []): OutPayload {
  return { content: msg(f), caps, pipelineCap: msgPipelineCap(f) };
}

/** Starts a call on the test interface. Takes ownership of `caps`. */
export function callMsg(hook: Hook, methodId: number, f: MsgFields = {}, caps: (Hook | null)[] = []): CallHandle {
  return hook.call({ interfaceId: TEST_IFACE, methodId, params: { content: msg(f), caps } });
}

/** Calls, waits, reads the results, releases everything. Rejects like results() does. */
export function callValue(hook: Hook, methodId: number, f: MsgFields = {}, caps: (Hook | null)[] = []): Promise<ReadMsg> {
  return resultOf(callMsg(hook, methodId, f, caps));
}

/** Awaits a handle's results, reads them, releases results and handle. */
export async function resultOf(handle: CallHandle): Promise<ReadMsg> {
  try {
    const results: Results = await handle.results();
    try {
      return readMsg(results.in.content);
    } finally {
      results.release();
    }
  } finally {
    handle.release();
  }
}

export type Dispatch = (call: ServerCall, self: ScriptServer) => OutPayload | Promise<OutPayload>;

/** A CapServer whose methods are given as functions; records every call it receives. */
export class ScriptServer implements CapServer {
  readonly log: { method: number; value: number; text: string | null }[] = [];
  shutDown = false;

  constructor(
    readonly name: string,
    private readonly methods: Record<number, Dispatch>,
  ) {}

  dispatch(call: ServerCall): OutPayload | Promise<OutPayload> {
    const m = readMsg(call.params.content);
    this.log.push({ method: call.methodId, value: m.value, text: m.text });
    const fn = this.methods[call.methodId];
    if (!fn) throw new Error(`${this.name}: no method ${call.methodId}`);
    return fn(call, this);
  }

  shutdown(): void {
    this.shutDown = true;
  }

  /** The values received by `method`, in delivery order. */
  values(method: number): number[] {
    return this.log.filter((l) => l.method === method).map((l) => l.value);
  }
}

/** A LocalHook over a ScriptServer, returning both. */
export function scripted(name: string, methods: Record<number, Dispatch>): { hook: LocalHook; server: ScriptServer } {
  const server = new ScriptServer(name, methods);
  return { hook: new LocalHook(server), server };
}

/** A method that answers `value + add` (an echo with a twist, to tell results apart). */
export const plus =
  (add: number): Dispatch =>
  (call) =>
    reply({ value: readMsg(call.params.content).value + add });
