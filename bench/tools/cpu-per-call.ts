// Probe: CPU time (process.cpuUsage, user + system) and wall time per `add(1, 2)` over the
// in-memory pair (or a Unix socket), sequential and with INFLIGHT calls in flight, ROUNDS rounds
// of a second each (SECONDS_PER_ROUND to change), then the minimum over rounds: CPU time is steadier
// than wall time on a loaded machine, and other load only ever adds to it, so the minimum is the
// figure to compare between two versions of the code (run each a few times, alternating).
//   WIRES=memory,unix ROUNDS=5 INFLIGHT=64 node --import tsx bench/tools/cpu-per-call.ts
import { bindWorker } from "../../test/support/workers-harness.ts";
import { WorkerEntrypoint } from "../../core/cloudflare-workers.ts";

class Bench extends WorkerEntrypoint {
  add(a: number, b: number) {
    return a + b;
  }
}
const inflight = Number(process.env.INFLIGHT ?? 64);
const roundMs = Number(process.env.SECONDS_PER_ROUND ?? 1) * 1000;
for (const wire of (process.env.WIRES ?? "memory").split(",") as ("memory" | "unix")[]) {
  const pair = await bindWorker({ Bench, default: Bench }, { wire, entrypoint: "Bench" });
  const best = { seq: Infinity, par: Infinity };
  for (let round = 0; round < Number(process.env.ROUNDS ?? 5); round++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < roundMs) {
      await pair.binding.add(1, 2);
      n++;
    }
    const c = process.cpuUsage(c0);
    const c1 = process.cpuUsage();
    const t1 = performance.now();
    let m = 0;
    await new Promise<void>((resolve) => {
      let active = 0;
      const go = () => {
        active++;
        pair.binding.add(1, 2).then(() => {
          active--;
          m++;
          if (performance.now() - t1 < roundMs) go();
          else if (active === 0) resolve();
        });
      };
      for (let i = 0; i < inflight; i++) go();
    });
    const d = process.cpuUsage(c1);
    const wall = (performance.now() - t1) / 1000;
    best.seq = Math.min(best.seq, (c.user + c.system) / n);
    best.par = Math.min(best.par, (d.user + d.system) / m);
    console.log(`${wire}: sequential ${(1e6 / n).toFixed(1)} µs/call wall, ${((c.user + c.system) / n).toFixed(1)} µs CPU | ${inflight} in flight: ${((d.user + d.system) / m).toFixed(1)} µs CPU/call, ${Math.round(m / wall)} calls/s`);
  }
  console.log(`${wire}: min CPU µs/call: sequential ${best.seq.toFixed(1)}, ${inflight} in flight ${best.par.toFixed(1)}`);
  await pair.close();
}
