// Probe: user-space instructions per call, counted by valgrind (cachegrind without its cache
// model), for one or two versions of edgebind, on Node, Deno or Bun. Timing on this VM drifts by
// 2× within an hour and by ±30% between runs of the same code; an instruction count does not
// depend on the machine's speed, so it can judge a change of a few per cent that no timing here
// resolves. Each count is the difference between two runs of instructions-child.ts, `calls`
// apart (start-up, module loading and the JIT warm-up cancel), divided by the calls between
// them. What it leaves out: the kernel (syscalls are not counted), cache misses and stalls (an
// instruction is an instruction), and background threads (off here, see childCommand: the JIT's
// and the collector's work falls on the calls, as it does on one CPU). Needs valgrind
// (`apt-get install valgrind`).
//   node --import tsx bench/tools/instructions-per-call.ts [a=<dir or git ref>] [b=<dir or git ref>]
//     [runtime=node|deno|bun] [scenario=add@64|add|echo64k|echo64k@64|chain3] [wire=memory|unix] [warm=5000]
//     [calls=4000,16000] [repeats=2] [v8=<more V8 flags, or Bun's own, comma-separated>]
//     [als=0 (the engine's synchronous store instead of AsyncLocalStorage)]
// With only a= (default: this checkout) it prints that version's count; with b= too, both and b/a.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { denoV8Flags, nodeHostFlags, runtimeBinary } from "../../adapters/cli/launch.ts";
import type { RuntimeName } from "../../core/config/types.ts";
import { ROOT } from "../orchestrate.ts";
import { checkout, removeCheckouts } from "../support/checkouts.ts";
import { median } from "../support/measure.ts";
import { parseKv } from "../support/peer.ts";

const args = parseKv(process.argv.slice(2));
const [fewer, more] = (args.calls ?? "4000,16000").split(",").map(Number) as [number, number];
if (!(more > fewer)) throw new Error("calls=<fewer>,<more>: two counts, the second larger");
const repeats = Number(args.repeats ?? 2);
// The in-memory pair by default: over a socket, how many calls a read or a write carries depends
// on scheduling, and the count with it (add@64 over a Unix socket 89.4k–99.2k per call in seven
// counts of one version, over the in-memory pair 101.9k–102.4k in four).
const childArgs = [`scenario=${args.scenario ?? "add@64"}`, `wire=${args.wire ?? "memory"}`, `warm=${args.warm ?? 5000}`, `als=${args.als ?? 1}`];
const child = join(ROOT, "bench/tools/instructions-child.ts");
const runtime = (args.runtime ?? "node") as RuntimeName;
if (!["node", "deno", "bun"].includes(runtime)) throw new Error(`runtime=${runtime}: node, deno or bun`);
const binary = await runtimeBinary(runtime);
const extraFlags = args.v8 ? args.v8.split(",") : [];

/**
 * The child's command line and environment on `runtime`, for the version at `root`. The JIT and
 * the collector work on the process's own thread and not by the clock: their background threads
 * would finish at points that depend on the machine's speed, and a run under valgrind is ~50×
 * slower, so timers would collect at other calls. V8's predictable mode does both (counts of
 * one version spread ±7% without it, up to ±6% with `--single-threaded` alone; with it ±0.3%
 * over the in-memory pair);
 * for JavaScriptCore, its concurrent JIT and collector off and Bun's collection timer off.
 */
function childCommand(root: string, calls: number): { argv: string[]; env: NodeJS.ProcessEnv } {
  const rest = [child, `root=${root}`, `runtime=${runtime}`, ...childArgs, `calls=${calls}`];
  switch (runtime) {
    case "node":
      return { argv: [binary, "--predictable", ...extraFlags, ...nodeHostFlags(root), ...rest], env: process.env };
    case "deno":
      return { argv: [binary, "run", "-A", denoV8Flags(["--predictable", ...extraFlags]), ...rest], env: process.env };
    case "bun":
      return {
        argv: [binary, ...extraFlags, ...rest],
        env: { ...process.env, BUN_JSC_useConcurrentGC: "0", BUN_JSC_useConcurrentJIT: "0", BUN_GC_TIMER_DISABLE: "1" },
      };
  }
}

/** Instructions valgrind counted in one child run of `calls` calls of the version at `root`. */
function count(root: string, calls: number): Promise<number> {
  const { argv, env } = childCommand(root, calls);
  return new Promise((resolve, reject) => {
    const p = spawn("valgrind", ["--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", ...argv], { env, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    p.stderr.on("data", (d: Buffer) => (err += d));
    p.on("error", (e) => reject(new Error(`valgrind: ${e.message} (apt-get install valgrind)`)));
    p.on("close", (code) => {
      const refs = /I\s+refs:\s+([\d,]+)/.exec(err);
      if (code !== 0 || !refs) reject(new Error(`valgrind exited with ${code}:\n${err.slice(-2000)}`));
      else resolve(Number(refs[1]!.replaceAll(",", "")));
    });
  });
}

/** One estimate: the two runs side by side (one per CPU: valgrind runs a process on one thread). */
async function perCall(root: string): Promise<number> {
  const [a, b] = await Promise.all([count(root, fewer), count(root, more)]);
  return (b - a) / (more - fewer);
}

const dir = mkdtempSync(join(tmpdir(), "edgebind-icount-"));
try {
  const versions: [string, string][] = [["a", args.a ?? ROOT]];
  if (args.b) versions.push(["b", args.b]);
  const roots = versions.map(([name, spec]) => [name, checkout(spec, dir, name)] as const);
  const counts = new Map<string, number[]>(roots.map(([name]) => [name, []]));
  for (let r = 0; r < repeats; r++) {
    for (const [name, root] of r % 2 === 0 ? roots : [...roots].reverse()) {
      const n = await perCall(root);
      counts.get(name)!.push(n);
      console.log(`${name} (${args[name] ?? "this checkout"}), repeat ${r + 1}: ${Math.round(n)} instructions per call`);
    }
  }
  console.log(`\n${runtime}, ${childArgs.join(" ")}; ${more - fewer} calls between the runs; median of ${repeats}:`);
  for (const [name, list] of counts) console.log(`  ${name}: ${Math.round(median(list))} (${list.map(Math.round).join(", ")})`);
  if (args.b) console.log(`  b/a: ${(median(counts.get("b")!) / median(counts.get("a")!)).toFixed(3)}`);
} finally {
  removeCheckouts();
  rmSync(dir, { recursive: true, force: true });
}
