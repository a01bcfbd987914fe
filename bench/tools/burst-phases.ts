// Probe: one host and one Node burst client, both on CPU 0, in the hosts step's order (bursts of
// the add with 64 in flight, then bursts of one scenario with pauses between them, as the other
// hosts' turns make them), printing each burst's p50 (or calls/s) and what the host paid for it:
// page faults and CPU per call (from /proc), and its resident memory. It shows phases a median
// over rounds hides: a Deno host at 137e79a reads three echo64k bursts in a row at ~750–1,300 µs
// some seconds after the switch, against ~220–450 µs before and after (docs/PERFORMANCE.md,
// nineteenth round): it grows into memory it has not used before, slow on this VM, until its
// first collection of the large values' garbage (twentieth round; `v8=--trace-gc` shows it). A
// Bun host with a mimalloc purge delay page-faults 15–25 pages per echo64k with 64 in flight
// (twenty-first round; `env=MIMALLOC_PURGE_DELAY=1000`).
//   node --import tsx bench/tools/burst-phases.ts [host=deno|node|bun] [scenario=echo64k|echo64k@64|add|add@64]
//     [bursts=8] [calls=60] [pause=700] [env=NAME=value,NAME=value: the host's environment]
//     [client=<checkout>: that checkout's burst client instead of this one's]
//     [v8=<flag,flag>: more V8 flags for a Node or Deno host, e.g. v8=--trace-gc; for a Bun host, Bun's
//      own flags, e.g. v8=--cpu-prof-md,--cpu-prof-dir=/tmp/p (with env=BUN_JSC_logGC=1 and any flag,
//      JavaScriptCore's collections); the host's output is printed]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hostCommand } from "../../adapters/cli/launch.ts";
import type { RuntimeName } from "../../core/config/types.ts";
import { ROOT, pinned, start } from "../orchestrate.ts";
import { type BurstScenario, startBurstClient } from "../support/burst.ts";
import { parseEnvList, parseKv } from "../support/peer.ts";

const args = parseKv(process.argv.slice(2));
const runtime = (args.host ?? "deno") as RuntimeName;
const bursts = Number(args.bursts ?? 8);
const calls = Number(args.calls ?? 60);
const pause = Number(args.pause ?? 700);
const scenario = (args.scenario ?? "echo64k") as BurstScenario;
/** Scenarios with calls in flight are read in calls/s, the others as a p50 in µs. */
const perSecond = scenario.includes("@");
const unit = perSecond ? "calls/s" : "µs";
const env = parseEnvList(args.env, "env");

/** The host's page faults and CPU ticks so far (/proc/<pid>/stat), and its resident MB. */
function hostUsage(pid: number): { faults: number; user: number; sys: number; rssMb: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN);
  return { faults: Number(fields[7]), user: Number(fields[11]), sys: Number(fields[12]), rssMb: Math.round(rssKb / 1024) };
}

const dir = mkdtempSync(join(tmpdir(), "edgebind-phases-"));
const config = join(dir, "host.json");
const main = join(ROOT, "bench/fixtures/bench-worker.js");
writeFileSync(config, JSON.stringify({ name: "bench", main, edgebind: { listen: `unix:${join(dir, "s.sock")}` } }));
const v8Flags = args.v8 ? args.v8.split(",") : [];
const launched = await hostCommand(runtime, config, v8Flags);
// hostCommand gives a Bun host no V8 flags (JavaScriptCore has none); here they are Bun's own.
const command = runtime === "bun" ? { ...launched, args: [...v8Flags, ...launched.args] } : launched;
// V8 prints its traces with stdio, fully buffered into a pipe: line-buffer them to see them live.
const traced = v8Flags.length > 0 ? { command: "stdbuf", args: ["-oL", command.command, ...command.args] } : command;
const host = start(pinned("0", traced), env);
const t0 = performance.now();
const at = (): string => `${Math.round(performance.now() - t0)} ms`;
try {
  const address = (await host.waitFor(/listening on (\S+)$/, 60_000))[1]!;
  const client = await startBurstClient(["warm=1000"], address, "0", args.client ?? ROOT);
  for (let i = 0; i < 6; i++) await client.burst(5000, "add@64");
  const figures: number[] = [];
  const pid = host.child.pid!;
  // Clock ticks are 10 ms: per-call CPU is rough for short bursts.
  const tickUs = 10_000;
  for (let i = 0; i < bursts; i++) {
    const began = at();
    const before = hostUsage(pid);
    const burst = await client.burst(calls, scenario);
    const after = hostUsage(pid);
    const figure = Math.round(perSecond ? burst.perSec! : burst.p50);
    figures.push(figure);
    const perCall = (ticks: number) => Math.round((ticks * tickUs) / calls);
    console.log(
      `${scenario} burst ${i} from ${began}: ${figure} ${unit}; host per call: ` +
        `${((after.faults - before.faults) / calls).toFixed(1)} page faults, CPU ${perCall(after.user - before.user)} µs user + ` +
        `${perCall(after.sys - before.sys)} µs system; resident ${after.rssMb} MB`,
    );
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
  console.log(`${runtime} host, ${scenario} bursts of ${calls} after the add with 64 in flight (${unit}): ${figures.join(" ")}`);
  client.stop();
  if (v8Flags.length > 0) console.log(host.lines.join("\n"));
} finally {
  await host.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
