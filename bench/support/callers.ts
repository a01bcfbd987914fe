// The callers the probes compare (bench/tools/ab.ts interleave=client, census-per-process.ts,
// the bench's interleaved floor step): a function making one sequential add(1, 2), in one of
// four ways, and for two of them one echo of 64 KiB (and for the binding, chain3 pipelined).
//   "edgebind": the binding (stubs, sessions, engine) of the checkout at `root`;
//   "engine":   that checkout's engine and sessions without stubs (no proxies, PromiseState or
//               thenable): a session per call, JsRpcTarget.call with the ExternalPusher, the
//               Return read through a SettleListener;
//   "lean":     this checkout's protocol-only caller (lean-caller.ts);
//   "floor":    the raw echo floor's client (raw-echo.ts), against a raw echo server.
// Address parsing and the CONNECT transport are always this checkout's: only the caller differs.
import { join } from "node:path";
import { parseAddress } from "../../core/config/address.ts";
import { connectTransport } from "../../adapters/shared/connect-transport.ts";
import { K64, stubCalls } from "./peer.ts";
import { connectRawEcho } from "./raw-echo.ts";

export type CallerKind = "edgebind" | "engine" | "lean" | "floor";

export interface Callers {
  add: () => Promise<unknown>;
  /** One echo of the bench's 64 KiB array (the edgebind and floor callers). */
  echo64k?: () => Promise<unknown>;
  /** `a().b().c()` pipelined, as the bench's chain3.pipelined makes it (the edgebind caller). */
  chain3?: () => Promise<unknown>;
}

export async function addCaller(kind: CallerKind, addressText: string, root: string): Promise<() => Promise<unknown>> {
  return (await callerSet(kind, addressText, root)).add;
}

export async function callerSet(kind: CallerKind, addressText: string, root: string): Promise<Callers> {
  if (kind === "floor") {
    const peer = await connectRawEcho(addressText);
    return { add: () => peer.add(), echo64k: () => peer.echo(K64) };
  }
  const address = parseAddress(addressText);
  if (kind === "lean") {
    const { LeanCaller } = await import("./lean-caller.ts");
    const lean = new LeanCaller(await connectTransport(address, "Bench"));
    await lean.bootstrap();
    return { add: () => lean.call(["add"], [1, 2]) };
  }
  // That checkout's Node adapter, as a host loads it: it installs the runtime's primitives
  // (from 2026-11-28, the allocator of protocol/bytes.ts).
  await import(join(root, "adapters/node/index.ts"));
  const { ServiceConnection, SessionRoot, makeServiceBinding } = await import(join(root, "core/workers-rpc/index.ts"));
  const transport = await import(join(root, "adapters/shared/connect-transport.ts"));
  const rpc = new ServiceConnection(() => transport.connectTransport(address, "Bench"));
  if (kind === "edgebind") {
    const env = makeServiceBinding({ rpc });
    const stubs = stubCalls(env);
    return { add: () => env.add(1, 2), echo64k: () => env.echo(K64), chain3: () => stubs.chainPipelined!() };
  }
  const schema = await import(join(root, "core/workers-rpc/schema.ts"));
  const values = await import(join(root, "core/workers-rpc/values.ts"));
  const { externalPusherHook } = await import(join(root, "core/workers-rpc/pusher.ts"));
  const sessions = new SessionRoot(rpc);
  const path = ["add"];
  const add = () => {
    const { hook, lease } = sessions.hookForCall();
    const caps = [externalPusherHook()];
    const argsOut = values.serializeValue([1, 2], { caps, ownership: "params", context: null, afterSend: [] });
    const handle = hook.call({
      interfaceId: schema.JS_RPC_TARGET,
      methodId: schema.CALL,
      params: { content: schema.writeCallParams({ path, args: argsOut, externalPusherCap: 0 }), caps },
    });
    hook.release();
    return new Promise((resolve, reject) => handle.settle({
      onResults(results: any) {
        const r = schema.readCallResults(results.in.content);
        const value = values.deserializeValue(r.result, { caps: results.in.caps, lease: null, stubs: [] });
        results.release();
        handle.release();
        lease.release();
        resolve(value);
      },
      onError(error: unknown) {
        handle.release();
        lease.release();
        reject(error);
      },
    }));
  };
  return { add };
}
