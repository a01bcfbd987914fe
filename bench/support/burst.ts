// Burst clients (bench/peers/burst-client.ts) driven from the parent: callers take turns in
// bursts of calls, so that whatever else the machine does in those minutes falls on all of them
// alike. Used by the bench's interleaved steps (bench/main.ts) and by
// `bench/tools/ab.ts interleave=client`.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { hostEnv, nodeHostFlags } from "../../adapters/cli/launch.ts";
import { ROOT, cpusOf, pinned } from "../orchestrate.ts";

export type BurstScenario = "add" | "echo64k" | "chain3.pipelined" | "add@64" | "echo64k@64";

export interface Burst {
  /** p50 of the burst's calls, µs (NaN for a burst with 64 in flight). */
  p50: number;
  /** Calls per second, for a burst with 64 in flight. */
  perSec?: number;
  /** The client's own CPU per call, µs. */
  cpu: number;
}

export interface BurstClient {
  burst(calls: number, scenario?: BurstScenario): Promise<Burst>;
  stop(): void;
}

/**
 * Starts a burst client on `cpu` (null: unpinned) with `callerArgs` (`kind=floor`, `root=<dir>`,
 * `engine=1`, `lean=1`: see burst-client.ts) and resolves once it is READY (connected, warm).
 * `root` is the checkout whose resolve hook compiles the caller (that version's edgebind).
 */
export async function startBurstClient(callerArgs: string[], address: string, cpu: string | null, root = ROOT): Promise<BurstClient> {
  const cmd = pinned(cpu, {
    command: process.execPath,
    args: [...nodeHostFlags(root), join(ROOT, "bench/peers/burst-client.ts"), `address=${address}`, ...callerArgs],
  });
  const child = spawn(cmd.command, cmd.args, { cwd: ROOT, env: hostEnv(process.env, cpusOf(cmd)), stdio: ["pipe", "pipe", "inherit"] });
  const waiting: ((line: string) => void)[] = [];
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`burst client (${callerArgs.join(" ")}) exited with ${code}`))));
  exited.catch(() => {});
  createInterface({ input: child.stdout! }).on("line", (line) => {
    if (line === "READY" || line.startsWith("BURST ")) waiting.shift()?.(line);
  });
  const next = () => Promise.race([new Promise<string>((resolve) => waiting.push(resolve)), exited]);
  await next();
  return {
    async burst(calls, scenario = "add") {
      const reply = next();
      child.stdin!.write(`burst ${calls} ${scenario}\n`);
      const burst = JSON.parse((await reply).slice("BURST ".length)) as Burst;
      return { ...burst, p50: burst.p50 ?? NaN };
    },
    stop() {
      child.stdin!.end();
      child.kill();
    },
  };
}

/** Calls of a workload each side makes, unrecorded, before its bursts are (see takeTurns). */
export const SETTLING_CALLS = 600;

/**
 * `rounds` rounds of one burst of each turn (a client's burst of `calls` calls), the order
 * alternating round by round; each turn's bursts, in round order. First come at least two
 * rounds, and at least SETTLING_CALLS calls, that are not recorded: a process that has just run
 * another workload (the add with 64 in flight before echo64k, say) needs a few hundred calls of
 * the new one before its bursts read its steady state. The 2026-11-29 05:27 run's hosts step
 * read a Deno host's first echo64k bursts after the add with 64 in flight at 987 and 932 µs,
 * its later ones ~190-300: the host grows into memory it has not used before (~215 µs per 64 KiB
 * on this VM) until its first collection of large-value garbage, some 450 echo64k calls in
 * (docs/PERFORMANCE.md, "After the twentieth round"). Two rounds alone settled the quick
 * run's echo64k for 120 calls, the full run's for 440.
 */
export async function takeTurns<K extends string>(turns: Record<K, () => Promise<Burst>>, rounds: number, calls: number): Promise<Record<K, Burst[]>> {
  const settling = Math.max(2, Math.ceil(SETTLING_CALLS / calls));
  const sides = Object.keys(turns) as K[];
  const out = Object.fromEntries(sides.map((s) => [s, [] as Burst[]])) as Record<K, Burst[]>;
  for (let round = -settling; round < rounds; round++) {
    const order = round % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      const burst = await turns[side]();
      if (round >= 0) out[side].push(burst);
    }
  }
  return out;
}
