// Probe: two versions of edgebind against each other, across processes, in alternating runs.
// On a shared VM one full bench run cannot resolve a 10–15% change (docs/PERFORMANCE.md, "Where
// we are"): the machine drifts by more between runs. Alternating short runs of the two versions,
// in the same minutes, and comparing medians can. Each run starts a Node host of that version
// (its own bench Worker) and that version's client, both pinned to CPU 0 (the 1-core mode), and
// takes the scenarios' figures; pairs alternate which version goes first. `host=deno|bun` runs
// the host on that runtime instead (the client stays a Node one), as the bench's node→deno and
// node→bun rows do. `client=a|b|<dir or ref>` runs that version's client on both sides, so
// that only the hosts differ (the interleaved modes below choose their clients themselves).
// `enva=NAME=value,...` and `envb=...` add to that side's host environment (a=. b=. envb=... compares
// a runtime setting on the same code; both sides otherwise get the launcher's settings).
//   node --import tsx bench/tools/ab.ts a=<dir or git ref> b=<dir or git ref> [pairs=5]
//     [scenarios=add,chain3.pipelined] [time=2000] [host=node|deno|bun]
// `interleave=1 [repeats=4] [rounds=20] [calls=1000]` compares two versions of the host more
// finely: both hosts run at once, and one client (this checkout's) takes turns between them in
// bursts of sequential adds (bench/tools/ab-interleaved-client.ts), all three processes on CPU
// 0; per burst the add p50 and the host's CPU per call, compared burst by burst, with fresh
// host processes `repeats` times. Machine drift then falls on both alike (a change in the
// client is not measured this way).
// `interleave=client [repeats=4] [rounds=20] [calls=1000]` does the same for two versions of the
// client: one host (this checkout's), two client processes (bench/peers/burst-client.ts)
// taking turns in bursts of sequential adds on the host's CPU; per burst the add p50 and the
// client's own CPU per call.
// Either side may be `lean` instead of a version: in host mode the protocol-only host
// (bench/tools/lean-host.ts; `lean:workers=1[,als=0]` adds the Workers layer), in client mode
// the protocol-only caller (bench/support/lean-caller.ts); in client mode `engine:<dir or ref>`
// is that version's engine and sessions without its stubs (bench/support/callers.ts). They
// bound what each layer could gain.
// A git ref is checked out into a temporary worktree of this repository (node_modules linked),
// removed at the end. Latency scenarios compare p50 (µs), `@64` ones calls/s, `cpu.*` the CPU per
// call of both processes (µs).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { denoV8Flags, nodeHostFlags, runtimeBinary } from "../../adapters/cli/launch.ts";
import type { RuntimeName } from "../../core/config/types.ts";
import { ROOT, pinned, runClient, start } from "../orchestrate.ts";
import { parseEnvList, parseKv } from "../support/peer.ts";
import { median } from "../support/measure.ts";
import { type BurstClient, startBurstClient, takeTurns } from "../support/burst.ts";
import { checkout as checkoutVersion, removeCheckouts } from "../support/checkouts.ts";

const args = parseKv(process.argv.slice(2));
if (!args.a || !args.b) {
  console.error("usage: bench/tools/ab.ts a=<dir or git ref> b=<dir or git ref> [pairs=5] [scenarios=add] [time=2000]");
  process.exit(2);
}
const pairs = Number(args.pairs ?? 5);
const scenarios = (args.scenarios ?? "add,chain3.pipelined").split(",");
const timeMs = Number(args.time ?? 2000);
const hostRuntime = (args.host ?? "node") as RuntimeName;
if (!["node", "deno", "bun"].includes(hostRuntime)) throw new Error(`host=${hostRuntime}: node, deno or bun`);
const hostBinary = await runtimeBinary(hostRuntime);
/** `enva=` / `envb=`: more environment for that side's host (alternating runs only). */
const hostEnvs = { a: parseEnvList(args.enva, "enva"), b: parseEnvList(args.envb, "envb") };
if (args.interleave && (args.enva || args.envb)) throw new Error("enva= and envb= apply to alternating runs, not interleave=");
const dir = mkdtempSync(join(tmpdir(), "edgebind-ab-"));
/** `client=a|b|<dir or ref>`: that version's client for both sides (the hosts alone differ). */
let clientRoot: string | undefined;

/** A checkout to measure: a directory as it is, or a git ref checked out into a worktree. */
function checkout(spec: string, name: string): string {
  if (/^lean(:|$)/.test(spec)) return ROOT;
  if (spec.startsWith("engine:")) return checkout(spec.slice("engine:".length), name);
  return checkoutVersion(spec, dir, name);
}

type Figures = Record<string, number>;

/** One run of `root`: its host and its client on CPU 0; the figure of each scenario. */
async function measure(root: string, run: number, env: Record<string, string>): Promise<Figures> {
  const socket = join(dir, `ab-${run}.sock`);
  const config = join(dir, `ab-${run}.json`);
  writeFileSync(config, JSON.stringify({ name: "ab", main: join(root, "bench/fixtures/bench-worker.js"), edgebind: { listen: `unix:${socket}` } }));
  const from = clientRoot ?? root;
  const node = (script: string, rest: string[]) => ({
    command: process.execPath,
    args: ["--expose-gc", ...nodeHostFlags(from), join(from, script), ...rest],
  });
  const host = start(pinned("0", hostIn(root, config)), env);
  try {
    await host.waitFor(/listening on /, 30_000);
    const client = node("bench/peers/edgebind-client.ts", [`address=unix:${socket}`, `scenarios=${scenarios.join(",")}`, "warmup=500", `time=${timeMs}`]);
    const report = (await runClient(pinned("0", client), 300_000)) as { results: Record<string, Record<string, number | null>> };
    const out: Figures = {};
    for (const s of scenarios) {
      const r = report.results[s];
      if (!r) continue;
      out[s] = s.startsWith("cpu.") ? (r.clientUs ?? NaN) + (r.serverUs ?? NaN) : s.includes("@") ? r.perSec! : r.p50!;
    }
    return out;
  } finally {
    await host.stop();
  }
}

/**
 * A host (`host=` runtime) of the checkout at `root`: what adapters/cli/launch.ts runs, from there,
 * with this checkout's V8 flags for both versions (and for every Node process here), so that a
 * comparison measures the code, not the flags.
 */
function hostIn(root: string, config: string): { command: string; args: string[] } {
  const main = join(root, "adapters/main.ts");
  if (hostRuntime === "node") {
    return { command: process.execPath, args: ["--expose-gc", ...nodeHostFlags(root), main, config] };
  }
  return hostRuntime === "deno"
    ? { command: hostBinary, args: ["run", "-A", denoV8Flags(), "--import-map", join(root, "adapters/deno/import-map.json"), main, config] }
    : { command: hostBinary, args: ["--preload", join(root, "adapters/bun/preload.ts"), main, config] };
}

/**
 * Both hosts at once, one client taking turns between them (interleave=1); `repeats` times with
 * fresh processes, because two processes of the same code can differ by ~10% for as long as
 * they live (JIT and heap layout: an A/A run has read 0.91).
 */
async function interleaved(roots: { a: string; b: string }): Promise<void> {
  const repeats = Number(args.repeats ?? 4);
  const all = { a: { p50: [] as number[], hostCpu: [] as number[] }, b: { p50: [] as number[], hostCpu: [] as number[] } };
  for (let repeat = 0; repeat < repeats; repeat++) {
    const r = await interleavedOnce(roots, repeat);
    for (const side of ["a", "b"] as const) {
      all[side].p50.push(...r[side].p50);
      all[side].hostCpu.push(...r[side].hostCpu);
    }
    console.log(`repeat ${repeat + 1}: add p50 b/a ${(median(r.b.p50) / median(r.a.p50)).toFixed(3)}, host CPU b/a ${(median(r.b.hostCpu) / median(r.a.hostCpu)).toFixed(3)}`);
  }
  console.log(`\na = ${args.a}, b = ${args.b}; ${repeats} pairs of hosts, ${all.a.p50.length} rounds of ${args.calls ?? 1000} adds on each in all, taking turns; ${hostRuntime} hosts, node client, all on CPU 0`);
  printBursts("add p50", all.a.p50, all.b.p50);
  printBursts("host CPU per add", all.a.hostCpu, all.b.hostCpu);
}

/** One figure of the interleaved modes: medians, their ratio, and how often b's burst was lower. */
function printBursts(name: string, a: number[], b: number[]): void {
  let bBetter = 0;
  for (let i = 0; i < a.length; i++) if (b[i]! < a[i]!) bBetter++;
  console.log(`  ${name}: median a ${median(a).toFixed(1)} µs, b ${median(b).toFixed(1)} µs (b/a ${(median(b) / median(a)).toFixed(3)}); b lower in ${bBetter} of ${a.length} rounds`);
}

async function interleavedOnce(roots: { a: string; b: string }, repeat: number): Promise<Record<"a" | "b", { p50: number[]; hostCpu: number[] }>> {
  const hosts = [];
  const addresses: Record<string, string> = {};
  // Which host starts first alternates too.
  for (const side of repeat % 2 === 0 ? (["a", "b"] as const) : (["b", "a"] as const)) {
    const socket = join(dir, `il-${repeat}-${side}.sock`);
    const config = join(dir, `il-${repeat}-${side}.json`);
    writeFileSync(config, JSON.stringify({ name: `ab-${side}`, main: join(roots[side], "bench/fixtures/bench-worker.js"), edgebind: { listen: `unix:${socket}` } }));
    const lean = /^lean(?::(.*))?$/.exec(args[side]!);
    const command = lean
      ? { command: process.execPath, args: [...nodeHostFlags(), join(ROOT, "bench/tools/lean-host.ts"), `serve=${socket}`, ...(lean[1] ?? "").split(",").filter(Boolean)] }
      : hostIn(roots[side], config);
    hosts.push(start(pinned("0", command)));
    addresses[side] = `unix:${socket}`;
  }
  try {
    for (const host of hosts) await host.waitFor(/listening on /, 30_000);
    const client = {
      command: process.execPath,
      args: [...nodeHostFlags(), join(ROOT, "bench/tools/ab-interleaved-client.ts"),
        `a=${addresses.a}`, `b=${addresses.b}`, `rounds=${args.rounds ?? 20}`, `calls=${args.calls ?? 1000}`],
    };
    return (await runClient(pinned("0", client), 900_000)) as Record<"a" | "b", { p50: number[]; hostCpu: number[] }>;
  } finally {
    for (const host of hosts) await host.stop();
  }
}

/** One host, two clients taking turns (interleave=client); `repeats` times with fresh processes. */
async function interleavedClients(roots: { a: string; b: string }): Promise<void> {
  const repeats = Number(args.repeats ?? 4);
  const rounds = Number(args.rounds ?? 20);
  const calls = Number(args.calls ?? 1000);
  const all = { a: { p50: [] as number[], cpu: [] as number[] }, b: { p50: [] as number[], cpu: [] as number[] } };
  for (let repeat = 0; repeat < repeats; repeat++) {
    const socket = join(dir, `ic-${repeat}.sock`);
    const config = join(dir, `ic-${repeat}.json`);
    writeFileSync(config, JSON.stringify({ name: "ab-host", main: join(ROOT, "bench/fixtures/bench-worker.js"), edgebind: { listen: `unix:${socket}` } }));
    const host = start(pinned("0", hostIn(ROOT, config)));
    const clients: Partial<Record<"a" | "b", BurstClient>> = {};
    try {
      await host.waitFor(/listening on /, 30_000);
      for (const side of repeat % 2 === 0 ? (["a", "b"] as const) : (["b", "a"] as const)) {
        const spec = args[side]!;
        const caller = /^lean(:|$)/.test(spec) ? ["lean=1"] : /^engine:/.test(spec) ? [`root=${roots[side]}`, "engine=1"] : [`root=${roots[side]}`];
        clients[side] = await startBurstClient(caller, `unix:${socket}`, "0", roots[side]);
      }
      const bursts = await takeTurns({ a: () => clients.a!.burst(calls), b: () => clients.b!.burst(calls) }, rounds, calls);
      const r = {
        a: { p50: bursts.a.map((b) => b.p50), cpu: bursts.a.map((b) => b.cpu) },
        b: { p50: bursts.b.map((b) => b.p50), cpu: bursts.b.map((b) => b.cpu) },
      };
      for (const side of ["a", "b"] as const) {
        all[side].p50.push(...r[side].p50);
        all[side].cpu.push(...r[side].cpu);
      }
      console.log(`repeat ${repeat + 1}: add p50 b/a ${(median(r.b.p50) / median(r.a.p50)).toFixed(3)}, client CPU b/a ${(median(r.b.cpu) / median(r.a.cpu)).toFixed(3)}`);
    } finally {
      for (const client of Object.values(clients)) client.stop();
      await host.stop();
    }
  }
  console.log(`\na = ${args.a}, b = ${args.b}; ${repeats} pairs of clients, ${all.a.p50.length} rounds of ${calls} adds on each in all, taking turns; one ${hostRuntime} host, node clients, all on CPU 0`);
  printBursts("add p50", all.a.p50, all.b.p50);
  printBursts("client CPU per add", all.a.cpu, all.b.cpu);
}

/** Each version its own host and client, run after run (the default). */
async function alternating(roots: { a: string; b: string }): Promise<void> {
  const samples = { a: [] as Figures[], b: [] as Figures[] };
  let run = 0;
  for (let i = 0; i < pairs; i++) {
    for (const side of i % 2 === 0 ? (["a", "b"] as const) : (["b", "a"] as const)) {
      const figures = await measure(roots[side], run++, hostEnvs[side]);
      samples[side].push(figures);
      console.log(`pair ${i + 1} ${side}: ${scenarios.map((s) => `${s} ${figures[s]?.toFixed(1) ?? "-"}`).join(", ")}`);
    }
  }
  console.log(`\na = ${args.a}, b = ${args.b}; ${pairs} alternating pairs, ${hostRuntime} host and node client on CPU 0`);
  for (const s of scenarios) {
    const a = samples.a.map((f) => f[s]!).filter(Number.isFinite);
    const b = samples.b.map((f) => f[s]!).filter(Number.isFinite);
    if (a.length === 0 || b.length === 0) continue;
    const higherIsBetter = s.includes("@") && !s.startsWith("cpu.");
    let bBetter = 0;
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (higherIsBetter ? b[i]! > a[i]! : b[i]! < a[i]!) bBetter++;
    const unit = higherIsBetter ? "calls/s" : "µs";
    console.log(
      `  ${s}: median a ${median(a).toFixed(1)} ${unit}, b ${median(b).toFixed(1)} ${unit} (b/a ${(median(b) / median(a)).toFixed(3)}); ` +
        `b better in ${bBetter} of ${Math.min(a.length, b.length)} pairs; a ${Math.min(...a).toFixed(0)}–${Math.max(...a).toFixed(0)}, b ${Math.min(...b).toFixed(0)}–${Math.max(...b).toFixed(0)}`,
    );
  }
}

try {
  const roots = { a: checkout(args.a, "a"), b: checkout(args.b, "b") };
  if (args.client !== undefined) clientRoot = args.client === "a" || args.client === "b" ? roots[args.client] : checkout(args.client, "client");
  if (args.interleave === "1") await interleaved(roots);
  else if (args.interleave === "client") await interleavedClients(roots);
  else await alternating(roots);
} finally {
  removeCheckouts();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
