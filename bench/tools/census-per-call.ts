// Probe: what one call runs, caller and callee together, over a Unix socket in one process:
// JavaScript function invocations (V8's precise coverage with call counts), by file and the
// busiest functions, and async resources (async_hooks inits: promises, ticks, timers,
// immediates). Both counts are exact and the same on every run, so they can judge a change that
// this machine's timing noise hides. "Distinct functions" counts the functions that run on
// (nearly) every call: each costs ~0.3 µs when the call runs cold, as a sequential call between
// two processes on one CPU does (docs/PERFORMANCE.md, "Code footprint"). AsyncLocalStorage is installed, as in a host (on Node 20 it
// runs ~20 functions of async_hooks per async resource).
//   node --import tsx --import ./adapters/node/register.mjs bench/tools/census-per-call.ts [top=30]
import { createHook } from "node:async_hooks";
import { Session } from "node:inspector/promises";
import { bindWorker } from "../../test/support/workers-harness.ts";
import { RpcTarget, WorkerEntrypoint } from "../../core/cloudflare-workers.ts";
import { benchApi } from "../support/chain.ts";

const top = Number(process.argv[2] ?? 30);
const Bench = benchApi(WorkerEntrypoint as unknown as new (...args: any[]) => object, RpcTarget);
const pair = await bindWorker({ Bench, default: Bench }, { wire: "unix", entrypoint: "Bench" });
const env = pair.binding;
const calls = 1000;
const quiet = () => new Promise((resolve) => setTimeout(resolve, 20)); // sessions end, lazy messages go

for (let i = 0; i < 2000; i++) await env.add(1, 2); // warm up
await quiet();

// Async resources by type.
const resources = new Map<string, number>();
const hook = createHook({ init: (_id, type) => void resources.set(type, (resources.get(type) ?? 0) + 1) });
hook.enable();
for (let i = 0; i < calls; i++) await env.add(1, 2);
await quiet();
hook.disable();

// Function invocations.
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.startPreciseCoverage", { callCount: true, detailed: false });
await session.post("Profiler.takePreciseCoverage"); // counts from here on
for (let i = 0; i < calls; i++) await env.add(1, 2);
await quiet();
const { result } = await session.post("Profiler.takePreciseCoverage");
await session.post("Profiler.stopPreciseCoverage");
session.disconnect();

const byFunction: [string, number][] = [];
const byFile = new Map<string, number>();
/** Functions run on (nearly) every call, by layer. */
const distinct = new Map<string, number>();
const layerOf = (file: string) => (file.startsWith("node:") ? "node" : file.split("/")[0]!);
let invocations = 0;
for (const script of result) {
  const file = script.url.replace(/^file:\/\//, "").replace(process.cwd() + "/", "") || "(native)";
  for (const f of script.functions) {
    const count = f.ranges[0]!.count;
    if (count < calls / 2) continue; // not per call: module setup, the timers of the quiet waits…
    invocations += count;
    byFunction.push([`${f.functionName || "(anonymous)"}  ${file}`, count / calls]);
    byFile.set(file, (byFile.get(file) ?? 0) + count / calls);
    if (count >= calls * 0.9) distinct.set(layerOf(file), (distinct.get(layerOf(file)) ?? 0) + 1);
  }
}

const per = (n: number) => (n / calls).toFixed(1);
let total = 0;
for (const n of resources.values()) total += n;
console.log(`add(1, 2) over a Unix socket, both peers, per call (the loop's own await included):`);
console.log(`  async resources: ${per(total)} (${[...resources].map(([t, n]) => `${t} ${per(n)}`).join(", ")})`);
console.log(`  JavaScript function invocations: ${per(invocations)}`);
let distinctTotal = 0;
for (const n of distinct.values()) distinctTotal += n;
const layers = [...distinct].sort((a, b) => b[1] - a[1]).map(([layer, n]) => `${layer} ${n}`).join(", ");
console.log(`  distinct functions run on every call: ${distinctTotal} (${layers})\n\nby file:`);
for (const [file, n] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${n.toFixed(1).padStart(8)}  ${file}`);
console.log(`\nbusiest functions:`);
for (const [name, n] of byFunction.sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${n.toFixed(1).padStart(8)}  ${name}`);
await pair.close();
process.exit(0);
