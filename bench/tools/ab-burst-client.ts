// A client of `bench/tools/ab.ts interleave=client`: one caller that makes bursts of sequential
// adds when told to, so that two versions of the client can take turns against one host and
// whatever else the machine does falls on both alike. The caller is the edgebind client of the
// checkout at `root=<dir>`, with `engine=1` that checkout's engine without stubs, or with `lean=1`
// the protocol-only caller (bench/support/callers.ts). After connecting and a JIT warm-up it prints `READY`;
// then each stdin line `burst <calls>` runs 100 warm-up adds (this process's caches, after the
// other's turn) and `calls` measured ones, and prints `BURST {"p50": µs, "cpu": µs per add}`.
//   node bench/tools/ab-burst-client.ts address=unix:/h.sock [root=<dir>] [engine=1 | lean=1]
import { createInterface } from "node:readline";
import { burstP50, warm } from "../support/measure.ts";
import { parseKv } from "../support/peer.ts";
import { addCaller } from "../support/callers.ts";
import { ROOT } from "../orchestrate.ts";

const args = parseKv(process.argv.slice(2));

const kind = args.lean === "1" ? "lean" : args.engine === "1" ? "engine" : "edgebind";
const add = await addCaller(kind, args.address!, args.root ?? ROOT);
await warm(add, 3000);
console.log("READY");

for await (const line of createInterface({ input: process.stdin })) {
  const [command, count] = line.split(" ");
  if (command !== "burst") break;
  const calls = Number(count);
  await warm(add, 100); // this process's caches, after the other's turn
  const cpu0 = process.cpuUsage();
  const p50 = await burstP50(add, calls);
  const cpu = process.cpuUsage(cpu0);
  console.log(`BURST ${JSON.stringify({ p50, cpu: (cpu.user + cpu.system) / calls })}`);
}
process.exit(0);
