// interop.capnp (test/interop/) for edgebind's own RPC engine: hand-written content codecs on the
// layout API, the Calculator / Counter / Callback servers in TypeScript (behaving like
// test/interop/server.c++ and client.c++), and small helpers to call the C++ peers.
//
// Layouts (data words / pointers; byte offsets), as capnp compiles interop.capnp (the capnp-es
// code in test/interop/gen/ agrees):
//   add          params 1/0 a i32@0, b i32@4            results 1/0 sum i32@0
//   makeCounter  params 1/0 start i32@0                 results 0/1 counter
//   callBack     params 0/2 cb, value                   results 0/1 result
//   getName      params 0/0                             results 0/1 name
//   fail         params 0/1 message                     results 0/0
//   makeCounterLater params 1/0 start i32@0, delayMs u32@4   results 0/1 counter
//   incrementCounter params 1/1 by i32@0; counter       results 1/0 value i32@0
//   holdCallback params 0/1 cb;  callHeld params 0/1 value -> 0/1 result;  dropHeld 0/0 -> 0/0
//   getStats     params 0/0      results 2/0 countersAlive u32@0, countersCreated u32@4, callbackHeld bit 64
//   Counter.increment  params 1/0 by i32@0              results 1/0 value i32@0
//   Callback.call      params 0/1 value                 results 0/1 result
import { RpcError } from "../../core/rpc/errors.ts";
import {
  type CallHandle,
  type CapServer,
  type Hook,
  LocalHook,
  type OutPayload,
  QueueHook,
  type ServerCall,
} from "../../core/rpc/hooks.ts";
import type { StructBuilder } from "../../protocol/capnp/builder.ts";
import type { StructReader } from "../../protocol/capnp/reader.ts";
import type { PromisedAnswerOp } from "../../protocol/rpc-model.ts";

export const CALCULATOR_ID = 0xb0f3a3b0baddc66dn;
export const COUNTER_ID = 0xb182e180d8d5e7d4n;
export const CALLBACK_ID = 0xa6ddf7075bb2ef23n;

export const Calc = {
  add: 0,
  makeCounter: 1,
  callBack: 2,
  getName: 3,
  fail: 4,
  makeCounterLater: 5,
  incrementCounter: 6,
  holdCallback: 7,
  callHeld: 8,
  dropHeld: 9,
  getStats: 10,
} as const;

/** The pipelining path to a result's first pointer field (`counter`). */
export const FIELD0: PromisedAnswerOp[] = [{ type: "getPointerField", index: 0 }];

/** pipelineCap for results whose pointer 0 is the capability at caps[0]. */
function field0Cap(ops: readonly PromisedAnswerOp[]): number | null {
  const fields = ops.filter((op) => op.type === "getPointerField");
  return fields.length === 1 && fields[0]!.index === 0 ? 0 : null;
}

type Fill = (s: StructBuilder) => void;

/** A payload that is one struct of the given size. */
function struct(dataWords: number, ptrs: number, fill?: Fill, caps: (Hook | null)[] = []): OutPayload {
  return { content: (p) => fill?.(p.initStruct(dataWords, ptrs)), caps };
}

function paramsOf(call: ServerCall): StructReader {
  const s = call.params.content?.struct();
  if (!s) throw new RpcError("params are missing");
  return s;
}

/** The capability at pointer `i` of `s`, from the call's cap table (no new reference). */
function capAt(call: ServerCall, s: StructReader, i: number): Hook {
  const index = s.cap(i);
  const cap = index === null ? null : call.params.caps[index];
  if (!cap) throw new RpcError(`pointer ${i} is not a capability`);
  return cap;
}

// ---------------------------------------------------------------------------------------------
// Calls (both sides use these)

/** Sends a call whose params are one struct. Takes ownership of `caps`. */
export function callStruct(hook: Hook, interfaceId: bigint, methodId: number, dataWords: number, ptrs: number, fill?: Fill, caps: (Hook | null)[] = []): CallHandle {
  return hook.call({ interfaceId, methodId, params: struct(dataWords, ptrs, fill, caps) });
}

/** Awaits a call's results, reads the root struct with `read`, releases results and handle. */
export async function readResults<T>(handle: CallHandle, read: (s: StructReader | null) => T): Promise<T> {
  try {
    const results = await handle.results();
    try {
      return read(results.in.content?.struct() ?? null);
    } finally {
      results.release();
    }
  } finally {
    handle.release();
  }
}

export function increment(counter: Hook, by: number): CallHandle {
  return callStruct(counter, COUNTER_ID, 0, 1, 0, (s) => s.setI32(0, by));
}

export function incrementValue(counter: Hook, by: number): Promise<number> {
  return readResults(increment(counter, by), (s) => s?.i32(0) ?? 0);
}

export function callbackValue(cb: Hook, value: string): Promise<string> {
  return readResults(callStruct(cb, CALLBACK_ID, 0, 0, 1, (s) => s.setText(0, value)), (s) => s?.text(0) ?? "");
}

// ---------------------------------------------------------------------------------------------
// Servers

/** Process-wide bookkeeping, like server.c++'s `stats`, plus what the tests want to see. */
export class InteropState {
  countersCreated = 0;
  countersAlive = 0;
  held: Hook | null = null;
  /** Called at the start of every getStats (the C++ client's last call). */
  onGetStats: (() => void) | null = null;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  /** Cancels pending timers (makeCounterLater) and drops the held callback. */
  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.held?.release();
    this.held = null;
  }
}

export class CounterServer implements CapServer {
  released = false;

  constructor(
    private value: number,
    private readonly state: InteropState | null = null,
  ) {
    if (state) {
      state.countersCreated++;
      state.countersAlive++;
    }
  }

  dispatch(call: ServerCall): OutPayload {
    if (call.interfaceId !== COUNTER_ID || call.methodId !== 0) throw new RpcError("Counter: unknown method", "unimplemented");
    this.value += paramsOf(call).i32(0);
    const value = this.value;
    return struct(1, 0, (s) => s.setI32(0, value));
  }

  shutdown(): void {
    this.released = true;
    if (this.state) this.state.countersAlive--;
  }
}

/** A Callback answering `prefix + value`; counts its calls and notices its release. */
export class CallbackServer implements CapServer {
  calls: string[] = [];
  released = false;

  constructor(private readonly prefix: string) {}

  dispatch(call: ServerCall): OutPayload {
    if (call.interfaceId !== CALLBACK_ID || call.methodId !== 0) throw new RpcError("Callback: unknown method", "unimplemented");
    const value = paramsOf(call).text(0) ?? "";
    this.calls.push(value);
    const result = this.prefix + value;
    return struct(0, 1, (s) => s.setText(0, result));
  }

  shutdown(): void {
    this.released = true;
  }
}

/** Calculator as server.c++ implements it, on our engine. */
export class CalculatorServer implements CapServer {
  constructor(private readonly state: InteropState) {}

  async dispatch(call: ServerCall): Promise<OutPayload> {
    if (call.interfaceId !== CALCULATOR_ID) throw new RpcError("Calculator: unknown interface", "unimplemented");
    const state = this.state;
    switch (call.methodId) {
      case Calc.add: {
        const p = paramsOf(call);
        const sum = (p.i32(0) + p.i32(4)) | 0;
        return struct(1, 0, (s) => s.setI32(0, sum));
      }
      case Calc.makeCounter: {
        const counter = new LocalHook(new CounterServer(paramsOf(call).i32(0), state));
        return { ...struct(0, 1, (s) => s.setCap(0, 0), [counter]), pipelineCap: field0Cap };
      }
      case Calc.callBack: {
        const p = paramsOf(call);
        const result = await callbackValue(capAt(call, p, 0), p.text(1) ?? "");
        return struct(0, 1, (s) => s.setText(0, result));
      }
      case Calc.getName:
        // The C++ client checks for exactly the C++ server's name.
        return struct(0, 1, (s) => s.setText(0, "edgebind-interop-cxx"));
      case Calc.fail:
        throw new RpcError(paramsOf(call).text(0) ?? "", "failed");
      case Calc.makeCounterLater: {
        const p = paramsOf(call);
        const start = p.i32(0);
        const promise = new QueueHook();
        const mine = promise.addRef();
        state.later(p.u32(4), () => {
          mine.resolve(new LocalHook(new CounterServer(start, state)));
          mine.release();
        });
        return { ...struct(0, 1, (s) => s.setCap(0, 0), [promise]), pipelineCap: field0Cap };
      }
      case Calc.incrementCounter: {
        const p = paramsOf(call);
        const value = await incrementValue(capAt(call, p, 0), p.i32(0));
        return struct(1, 0, (s) => s.setI32(0, value));
      }
      case Calc.holdCallback: {
        const cb = capAt(call, paramsOf(call), 0).addRef();
        state.held?.release();
        state.held = cb;
        return struct(0, 0);
      }
      case Calc.callHeld: {
        if (!state.held) throw new RpcError("no callback is held");
        const result = await callbackValue(state.held, paramsOf(call).text(0) ?? "");
        return struct(0, 1, (s) => s.setText(0, result));
      }
      case Calc.dropHeld:
        state.held?.release();
        state.held = null;
        return struct(0, 0);
      case Calc.getStats: {
        state.onGetStats?.();
        const { countersAlive, countersCreated } = state;
        const held = state.held !== null;
        return struct(2, 0, (s) => {
          s.setU32(0, countersAlive);
          s.setU32(4, countersCreated);
          s.setBool(64, held);
        });
      }
      default:
        throw new RpcError(`Calculator: no method ${call.methodId}`, "unimplemented");
    }
  }
}

export interface Stats {
  countersAlive: number;
  countersCreated: number;
  callbackHeld: boolean;
}

export function readStats(s: StructReader | null): Stats {
  return { countersAlive: s?.u32(0) ?? 0, countersCreated: s?.u32(4) ?? 0, callbackHeld: s?.bool(64) ?? false };
}
