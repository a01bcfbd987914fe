// A burst client (bench/support/burst.ts): one caller that makes bursts of calls when told to,
// so that several callers can take turns and whatever else the machine does falls on all alike.
// The caller (bench/support/callers.ts): the edgebind binding of the checkout at `root=<dir>`,
// with `engine=1` that checkout's engine without stubs, with `lean=1` the protocol-only caller,
// with `kind=floor` the raw echo floor's client. After connecting and a JIT warm-up it prints
// `READY`; then each stdin line `burst <calls> [add|echo64k|chain3.pipelined]` runs a warm-up
// (this process's caches, after the other's turn) and `calls` sequential calls, and prints
// `BURST {"p50": µs, "cpu": µs per call}`; `add@64` and `echo64k@64` make `calls` calls with 64
// in flight and print `"perSec"` instead (p50 null).
//   node bench/peers/burst-client.ts address=unix:/h.sock [root=<dir>] [engine=1 | lean=1 | kind=floor] [warm=3000]
import { createInterface } from "node:readline";
import { burstP50, throughput, warm } from "../support/measure.ts";
import { parseKv } from "../support/peer.ts";
import { type CallerKind, callerSet } from "../support/callers.ts";
import { ROOT } from "../orchestrate.ts";

const args = parseKv(process.argv.slice(2));

const kind: CallerKind = args.kind === "floor" ? "floor" : args.lean === "1" ? "lean" : args.engine === "1" ? "engine" : "edgebind";
const callers = await callerSet(kind, args.address!, args.root ?? ROOT);
// JIT warm-up; `warm=<adds>` scales it (the quick bench run's is shorter). echo64k as many calls
// as the adds: its path (the large-value codec, large frames) runs once per call at a few
// thousand calls a second, and a binding's echo64k bursts of 200 settled only after ~3,000
// calls (404, 302, 192 ... 145 µs over the first ten rounds of the 2026-11-29 05:00 run, and
// settling sooner with V8's --interrupt-budget lowered: the JIT's tier-up), where the floor's
// settled after two rounds.
const warmAdds = Number(args.warm ?? 3000);
await warm(callers.add, warmAdds);
if (callers.echo64k) await warm(callers.echo64k, warmAdds);
if (callers.chain3) await warm(callers.chain3, Math.ceil(warmAdds / 3));
console.log("READY");

for await (const line of createInterface({ input: process.stdin })) {
  const [command, count, scenario = "add"] = line.split(" ");
  if (command !== "burst") break;
  const [name, inFlight] = scenario.split("@");
  const call = name === "add" ? callers.add : name === "echo64k" ? callers.echo64k : name === "chain3.pipelined" ? callers.chain3 : undefined;
  if (call === undefined) throw new Error(`burst: no ${scenario} for the ${kind} caller`);
  const calls = Number(count);
  const cpu0 = process.cpuUsage();
  let p50 = NaN;
  let perSec: number | undefined;
  if (inFlight === undefined) {
    await warm(call, name === "echo64k" ? 20 : 100); // this process's caches, after the other's turn
    p50 = await burstP50(call, calls);
  } else {
    // `calls` calls with that many in flight, after 30 ms of the same (the other's turn ran last).
    perSec = (await throughput(call, Number(inFlight), { warmupMs: 30, timeMs: 60_000, maxN: calls })).perSec;
  }
  const cpu = process.cpuUsage(cpu0);
  console.log(`BURST ${JSON.stringify({ p50, ...(perSec !== undefined && { perSec }), cpu: (cpu.user + cpu.system) / calls })}`);
}
process.exit(0);
