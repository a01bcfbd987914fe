// Probe: what a call costs when it runs cold, in one process and repeatably. Before each timed
// `add(1, 2)` it writes over THRASH_MB of memory (one write per cache line), which evicts the
// call's code and data from the CPU caches the way the other process and the kernel do between
// the turns of a sequential call across two processes on one CPU. Caller and callee share this
// process (over a Unix socket, or the in-memory pair), so code they share is fetched once, not
// twice: a lower bound for the cross-process figure, but with a fraction of its noise. Prints
// the median (and p90) per round, hot (back to back) and cold (after the thrash).
//   node --import tsx --import ./adapters/node/register.mjs bench/tools/cold-call.ts
//   WIRE=memory|unix ROUNDS=5 CALLS=2000 THRASH_MB=8
import { bindWorker } from "../../test/support/workers-harness.ts";
import { RpcTarget, WorkerEntrypoint } from "../../core/cloudflare-workers.ts";
import { benchApi } from "../support/chain.ts";

const wire = (process.env.WIRE ?? "unix") as "unix" | "memory";
const rounds = Number(process.env.ROUNDS ?? 5);
const calls = Number(process.env.CALLS ?? 2000);
const thrashWords = (Number(process.env.THRASH_MB ?? 8) * 1024 * 1024) / 4;
const Bench = benchApi(WorkerEntrypoint as unknown as new (...args: any[]) => object, RpcTarget);
const pair = await bindWorker({ Bench, default: Bench }, { wire, entrypoint: "Bench" });
const env = pair.binding as { add(a: number, b: number): Promise<number> };

const memory = new Int32Array(thrashWords);
/** COLD=thrash: evict the caches by writing memory; COLD=sleep: sleep 1 ms (the CPU idles). */
const coldBy = process.env.COLD ?? "sleep";
async function thrash(): Promise<void> {
  if (coldBy === "sleep") {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return;
  }
  for (let i = 0; i < thrashWords; i += 16) memory[i]!++;
}
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * q)]!;

for (let i = 0; i < 3000; i++) await env.add(1, 2); // warm up (and let V8 optimize)
for (let i = 0; i < 20; i++) await thrash();
const hot: number[] = [];
const cold: number[] = [];
for (let round = 0; round < rounds; round++) {
  const h: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await env.add(1, 2);
    h.push(performance.now() - t0);
  }
  for (let i = 0; i < calls; i++) {
    await thrash();
    const t0 = performance.now();
    await env.add(1, 2);
    c.push(performance.now() - t0);
  }
  hot.push(quantile(h, 0.5) * 1000);
  cold.push(quantile(c, 0.5) * 1000);
  console.log(`round ${round + 1}: hot p50 ${(quantile(h, 0.5) * 1000).toFixed(1)} µs (p90 ${(quantile(h, 0.9) * 1000).toFixed(1)}), cold p50 ${(quantile(c, 0.5) * 1000).toFixed(1)} µs (p90 ${(quantile(c, 0.9) * 1000).toFixed(1)})`);
}
console.log(`${wire}: add hot ${quantile(hot, 0.5).toFixed(1)} µs, cold ${quantile(cold, 0.5).toFixed(1)} µs (medians of ${rounds} rounds)`);
await pair.close();
process.exit(0);
