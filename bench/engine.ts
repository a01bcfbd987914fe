// The engine alone: Workers RPC over the in-memory transport pair (test/support), no sockets, no
// other process. Shows the JavaScript cost of a call on each runtime: the full workerd message
// pattern per call (startEvent, jsRpcSession, call, their Returns, Finishes, Releases, Resolve).
//
//   node --import tsx bench/engine.ts     (also: bun bench/engine.ts, deno run -A bench/engine.ts)
import { Bench } from "tinybench";
import { bindWorker } from "../test/support/workers-harness.ts";
import { RpcTarget, WorkerEntrypoint } from "../core/cloudflare-workers.ts";
import { benchApi } from "./support/chain.ts";
import { isMain, medianMicros, runtimeName, textTable } from "./support/tinybench.ts";

// WorkerEntrypoint is abstract to TypeScript; the mixin only needs a constructor.
const BenchEntrypoint = benchApi(WorkerEntrypoint as unknown as new (...args: any[]) => object, RpcTarget);

export interface EngineBenchRow {
  case: string;
  /** Median µs per call (for the 64-in-flight case: per call, 64 calls per iteration). */
  usPerCall: number;
  /** Calls per second implied by usPerCall. */
  callsPerSec: number;
}

const K64 = new Uint8Array(65536).map((_, i) => i & 0xff);

export async function runEngineBench(options: { time?: number } = {}): Promise<EngineBenchRow[]> {
  const pair = await bindWorker({ Bench: BenchEntrypoint, default: BenchEntrypoint }, { wire: "memory", entrypoint: "Bench" });
  const env = pair.binding;
  if ((await env.add(1, 2)) !== 3) throw new Error("add(1, 2) !== 3");
  const bench = new Bench({ time: options.time ?? 800, warmup: true });
  const inner: Record<string, number> = { "add, sequential": 1, "add, 64 in flight": 64, "echo 64 KiB": 1, "chain3 pipelined": 1 };
  bench.add("add, sequential", async () => {
    await env.add(1, 2);
  });
  bench.add("add, 64 in flight", async () => {
    const all: Promise<unknown>[] = [];
    for (let i = 0; i < 64; i++) all.push(env.add(1, 2));
    await Promise.all(all);
  });
  bench.add("echo 64 KiB", async () => {
    await env.echo(K64);
  });
  bench.add("chain3 pipelined", async () => {
    await env.a().b().c();
  });
  await bench.run();
  await pair.close();
  const us = medianMicros(bench, (name) => inner[name]!);
  return Object.keys(inner).map((name) => ({ case: name, usPerCall: us.get(name)!, callsPerSec: 1e6 / us.get(name)! }));
}

export function formatEngineRows(rows: EngineBenchRow[]): string {
  return textTable(`Engine over the in-memory pair (${runtimeName()})`, [
    { head: "case", width: 20, left: true, value: (r) => r.case },
    { head: "µs/call", width: 9, value: (r) => r.usPerCall.toFixed(1) },
    { head: "calls/s", width: 9, value: (r) => Math.round(r.callsPerSec).toString() },
  ], rows);
}

if (isMain(import.meta)) console.log(formatEngineRows(await runEngineBench()));
