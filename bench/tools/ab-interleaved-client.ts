// The client of `bench/tools/ab.ts interleave=1`: one edgebind client with a binding to each of
// two hosts (two versions of the host code), taking turns in short bursts of sequential adds,
// so that whatever else the machine does falls on both alike. Per burst: the add p50 and the
// host's CPU per call (the bench Worker's cpu(), before and after). Prints `RESULT <json>`.
//   node bench/tools/ab-interleaved-client.ts a=unix:/a.sock b=unix:/b.sock [rounds=30] [calls=1000]
import { parseAddress } from "../../core/config/address.ts";
import { ServiceConnection, makeServiceBinding } from "../../core/workers-rpc/index.ts";
import { connectTransport } from "../../adapters/shared/connect-transport.ts";
import { burstP50, warm } from "../support/measure.ts";
import { parseKv } from "../support/peer.ts";

const args = parseKv(process.argv.slice(2));
const rounds = Number(args.rounds ?? 30);
const calls = Number(args.calls ?? 1000);
const sides = ["a", "b"] as const;
const connections = sides.map((side) => new ServiceConnection(() => connectTransport(parseAddress(args[side]!), "Bench")));
const envs: any[] = connections.map((rpc) => makeServiceBinding({ rpc }));
const results = { a: { p50: [] as number[], hostCpu: [] as number[] }, b: { p50: [] as number[], hostCpu: [] as number[] } };

for (const env of envs) await warm(() => env.add(1, 2), 3000); // JIT warm-up of both hosts
for (let round = 0; round < rounds; round++) {
  for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) {
    const env = envs[i];
    const add = () => env.add(1, 2);
    await warm(add, 100); // this host's caches, after the other's turn
    const cpu0 = (await env.cpu()) as number;
    const p50 = await burstP50(add, calls);
    const cpu1 = (await env.cpu()) as number;
    results[sides[i]!].p50.push(p50);
    results[sides[i]!].hostCpu.push((cpu1 - cpu0) / calls);
  }
}
for (const rpc of connections) rpc.close();
console.log(`RESULT ${JSON.stringify(results)}`);
process.exit(0);
