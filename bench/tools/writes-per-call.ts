// Probe: how many transport sends, socket writes, uncorks and data events one sequential
// `add(1, 2)` costs over a Unix socket (both peers in this process, the test harness wiring).
// Every extra write is an extra wake-up of the other process: on a loaded machine, the cost.
//   node --import tsx bench/tools/writes-per-call.ts
import { Socket } from "node:net";
import { bindWorker } from "../../test/support/workers-harness.ts";
import { WorkerEntrypoint } from "../../core/cloudflare-workers.ts";
import { SocketTransport } from "../../adapters/shared/socket-transport.ts";

class Bench extends WorkerEntrypoint {
  add(a: number, b: number) {
    return a + b;
  }
}
const counts = { sends: 0, writes: 0, uncorks: 0, dataEvents: 0 };
function count<T extends object>(proto: T, name: keyof T & string, bump: (args: unknown[]) => void): void {
  const orig = proto[name] as unknown as (...a: unknown[]) => unknown;
  (proto as Record<string, unknown>)[name] = function (this: unknown, ...a: unknown[]) {
    bump(a);
    return orig.apply(this, a);
  };
}
count(SocketTransport.prototype, "send", () => counts.sends++);
count(Socket.prototype, "write", () => counts.writes++);
count(Socket.prototype, "uncork", () => counts.uncorks++);
count(Socket.prototype, "emit", (a) => { if (a[0] === "data") counts.dataEvents++; });

const pair = await bindWorker({ Bench, default: Bench }, { wire: "unix", entrypoint: "Bench" });
for (let i = 0; i < 200; i++) await pair.binding.add(1, 2);
for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] = 0;
const N = 2000;
for (let i = 0; i < N; i++) await pair.binding.add(1, 2);
console.log(Object.entries(counts).map(([k, v]) => `${k} ${(v / N).toFixed(2)}`).join(", "), "per sequential call (both peers)");
await pair.close();
