// Probe: two versions of edgebind against each other, across processes, in alternating runs.
// On a shared VM one full bench run cannot resolve a 10–15% change (docs/PERFORMANCE.md, "Where
// we are"): the machine drifts by more between runs. Alternating short runs of the two versions,
// in the same minutes, and comparing medians can. Each run starts a Node host of that version
// (its own bench Worker) and that version's client, both pinned to CPU 0 (the 1-core mode), and
// takes the scenarios' figures; pairs alternate which version goes first. `host=deno|bun` runs
// the host on that runtime instead (the client stays a Node one), as the bench's node→deno and
// node→bun rows do.
//   node --import tsx bench/tools/ab.ts a=<dir or git ref> b=<dir or git ref> [pairs=5]
//     [scenarios=add,chain3.pipelined] [time=2000] [host=node|deno|bun]
// A git ref is checked out into a temporary worktree of this repository (node_modules linked),
// removed at the end. Latency scenarios compare p50 (µs), `@64` ones calls/s, `cpu.*` the CPU per
// call of both processes (µs).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runtimeBinary } from "../../adapters/cli/launch.ts";
import type { RuntimeName } from "../../core/config/types.ts";
import { ROOT, pinned, runClient, start } from "../orchestrate.ts";
import { parseKv } from "../support/peer.ts";

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
const TSX = import.meta.resolve("tsx");
const dir = mkdtempSync(join(tmpdir(), "edgebind-ab-"));
const worktrees: string[] = [];

/** A checkout to measure: a directory as it is, or a git ref checked out into a worktree. */
function checkout(spec: string, name: string): string {
  if (existsSync(spec) && statSync(spec).isDirectory()) return resolve(spec);
  const path = join(dir, name);
  execFileSync("git", ["-C", ROOT, "worktree", "add", "--detach", "--quiet", path, spec], { stdio: "inherit" });
  worktrees.push(path);
  symlinkSync(join(ROOT, "node_modules"), join(path, "node_modules"));
  return path;
}

type Figures = Record<string, number>;

/** One run of `root`: its host and its client on CPU 0; the figure of each scenario. */
async function measure(root: string, run: number): Promise<Figures> {
  const socket = join(dir, `ab-${run}.sock`);
  const config = join(dir, `ab-${run}.json`);
  writeFileSync(config, JSON.stringify({ name: "ab", main: join(root, "bench/fixtures/bench-worker.js"), edgebind: { listen: `unix:${socket}` } }));
  const node = (script: string, rest: string[]) => ({
    command: process.execPath,
    args: ["--expose-gc", "--import", TSX, "--import", join(root, "adapters/node/register.mjs"), join(root, script), ...rest],
  });
  const host = start(pinned("0", hostRuntime === "node" ? node("adapters/main.ts", [config]) : hostCommandIn(root, config)));
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

/** A Deno or Bun host of the checkout at `root` (what adapters/cli/launch.ts runs, from there). */
function hostCommandIn(root: string, config: string): { command: string; args: string[] } {
  const main = join(root, "adapters/main.ts");
  return hostRuntime === "deno"
    ? { command: hostBinary, args: ["run", "-A", "--import-map", join(root, "adapters/deno/import-map.json"), main, config] }
    : { command: hostBinary, args: ["--preload", join(root, "adapters/bun/preload.ts"), main, config] };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

try {
  const roots = { a: checkout(args.a, "a"), b: checkout(args.b, "b") };
  const samples = { a: [] as Figures[], b: [] as Figures[] };
  let run = 0;
  for (let i = 0; i < pairs; i++) {
    for (const side of i % 2 === 0 ? (["a", "b"] as const) : (["b", "a"] as const)) {
      const figures = await measure(roots[side], run++);
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
} finally {
  for (const path of worktrees) {
    try {
      execFileSync("git", ["-C", ROOT, "worktree", "remove", "--force", path], { stdio: "ignore" });
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
