// Probe: one host and one Node burst client, both on CPU 0, in the hosts step's order (bursts of
// the add with 64 in flight, then echo64k bursts with pauses between them, as the other hosts'
// turns make them), printing each echo64k burst's p50. It shows phases a median over rounds
// hides: a Deno host at 137e79a reads three bursts in a row at ~750–1,300 µs some seconds after
// the switch, against ~220–450 µs before and after (docs/PERFORMANCE.md, nineteenth round): it
// grows into memory it has not used before, slow on this VM, until its first collection of the
// large values' garbage (twentieth round; `v8=--trace-gc` shows it).
//   node --import tsx bench/tools/burst-phases.ts [host=deno|node|bun] [bursts=8] [calls=60] [pause=700]
//     [client=<checkout>: that checkout's burst client instead of this one's]
//     [v8=<flag,flag>: more V8 flags for a Node or Deno host, e.g. v8=--trace-gc; its output is printed]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hostCommand } from "../../adapters/cli/launch.ts";
import type { RuntimeName } from "../../core/config/types.ts";
import { ROOT, pinned, start } from "../orchestrate.ts";
import { startBurstClient } from "../support/burst.ts";
import { parseKv } from "../support/peer.ts";

const args = parseKv(process.argv.slice(2));
const runtime = (args.host ?? "deno") as RuntimeName;
const bursts = Number(args.bursts ?? 8);
const calls = Number(args.calls ?? 60);
const pause = Number(args.pause ?? 700);

const dir = mkdtempSync(join(tmpdir(), "edgebind-phases-"));
const config = join(dir, "host.json");
const main = join(ROOT, "bench/fixtures/bench-worker.js");
writeFileSync(config, JSON.stringify({ name: "bench", main, edgebind: { listen: `unix:${join(dir, "s.sock")}` } }));
const v8Flags = args.v8 ? args.v8.split(",") : [];
const command = await hostCommand(runtime, config, v8Flags);
// V8 prints its traces with stdio, fully buffered into a pipe: line-buffer them to see them live.
const traced = v8Flags.length > 0 ? { command: "stdbuf", args: ["-oL", command.command, ...command.args] } : command;
const host = start(pinned("0", traced));
const t0 = performance.now();
const at = (): string => `${Math.round(performance.now() - t0)} ms`;
try {
  const address = (await host.waitFor(/listening on (\S+)$/, 60_000))[1]!;
  const client = await startBurstClient(["warm=1000"], address, "0", args.client ?? ROOT);
  for (let i = 0; i < 6; i++) await client.burst(5000, "add@64");
  const p50s: number[] = [];
  for (let i = 0; i < bursts; i++) {
    const began = at();
    p50s.push(Math.round((await client.burst(calls, "echo64k")).p50));
    if (v8Flags.length > 0) console.log(`echo64k burst ${i} from ${began}: ${p50s[i]} µs`);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
  console.log(`${runtime} host, echo64k bursts of ${calls} after the add with 64 in flight (µs): ${p50s.join(" ")}`);
  client.stop();
  if (v8Flags.length > 0) console.log(host.lines.join("\n"));
} finally {
  await host.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
