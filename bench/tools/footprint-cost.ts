// Probe: what code a call runs costs when the call runs cold. A Node host serves
// bench/fixtures/footprint-worker.js, whose `add` first runs N extra distinct small functions;
// the edgebind client measures sequential add p50 from another process, both pinned to CPU 0 as
// in the bench's 1-core mode. Rounds alternate between the values of N (this machine drifts);
// the medians per N and the slope (µs per extra function) are printed, next to what the same
// functions cost in a hot loop and right after a 1 ms sleep in this process.
//   node --import tsx bench/tools/footprint-cost.ts [counts=0,100,200,400] [rounds=3]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hostCommand } from "../../adapters/cli/launch.ts";
import { ROOT, pinned, runClient, scriptCommand, start } from "../orchestrate.ts";
import { parseKv } from "../support/peer.ts";
import { median } from "../support/measure.ts";

const args = parseKv(process.argv.slice(2));
const counts = (args.counts ?? "0,100,200,400").split(",").map(Number);
const rounds = Number(args.rounds ?? 3);
const dir = mkdtempSync(join(tmpdir(), "edgebind-footprint-"));
const config = join(dir, "host.json");
const socket = join(dir, "host.sock");
writeFileSync(config, JSON.stringify({ name: "footprint", main: join(ROOT, "bench/fixtures/footprint-worker.js"), edgebind: { listen: `unix:${socket}` } }));

async function p50(functions: number): Promise<number> {
  const host = start(pinned("0", await hostCommand("node", config)), { FOOTPRINT_FUNCTIONS: String(functions) });
  try {
    await host.waitFor(/listening on /, 30_000);
    const client = scriptCommand("node", "bench/peers/edgebind-client.ts", [`address=unix:${socket}`, "scenarios=add", "warmup=500", "time=2500"]);
    const result = (await runClient(pinned("0", client), 120_000)) as { results: { add: { p50: number } } };
    return result.results.add.p50;
  } finally {
    await host.stop();
  }
}

const samples = new Map<number, number[]>(counts.map((n) => [n, []]));
for (let round = 0; round < rounds; round++) {
  for (const n of round % 2 === 0 ? counts : [...counts].reverse()) {
    const value = await p50(n);
    samples.get(n)!.push(value);
    console.log(`round ${round + 1}: ${n} extra functions: add p50 ${value.toFixed(0)} µs`);
  }
}
rmSync(dir, { recursive: true, force: true });

const base = median(samples.get(counts[0]!)!);
console.log("\ncross-process, 1 CPU (median of rounds):");
for (const n of counts) {
  const m = median(samples.get(n)!);
  const slope = n === counts[0] ? "" : `  (+${(m - base).toFixed(0)} µs, ${((m - base) / (n - counts[0]!)).toFixed(2)} µs per function)`;
  console.log(`  ${String(n).padStart(4)} extra functions: add p50 ${m.toFixed(0)} µs${slope}`);
}

// The same functions in this process: back to back (hot), and each run after a 1 ms sleep.
process.env.FOOTPRINT_FUNCTIONS = String(Math.max(...counts));
const { runAll } = (await import("../fixtures/footprint-worker.js" as string)) as { runAll: () => void };
for (let i = 0; i < 20_000; i++) runAll();
let t0 = performance.now();
for (let i = 0; i < 20_000; i++) runAll();
const hot = ((performance.now() - t0) * 1000) / 20_000;
let cold = 0;
for (let i = 0; i < 300; i++) {
  await new Promise((resolve) => setTimeout(resolve, 1));
  t0 = performance.now();
  runAll();
  cold += performance.now() - t0;
}
cold = (cold * 1000) / 300;
const n = Math.max(...counts);
console.log(`\nin one process, ${n} functions: ${hot.toFixed(1)} µs back to back (${(hot / n).toFixed(3)} µs each), ${cold.toFixed(1)} µs after a 1 ms sleep (${(cold / n).toFixed(3)} µs each)`);
process.exit(0);
