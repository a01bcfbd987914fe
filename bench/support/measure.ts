// Cross-process measuring shared by every bench peer (raw echo, edgebind, capnweb, HTTP):
// sequential latency (p50/p99 of awaited calls) and throughput with N calls in flight on one
// connection. node:* free, so the same code runs on Node, Deno and Bun.

/** Monotonic clock in microseconds (process.hrtime on all three runtimes; performance.now otherwise). */
export const nowUs: () => number = (() => {
  const p = (globalThis as { process?: { hrtime?: { bigint?: () => bigint } } }).process;
  const big = p?.hrtime?.bigint;
  if (typeof big === "function") return () => Number(big()) / 1000;
  return () => performance.now() * 1000;
})();

export interface LatencyResult {
  /** Median round trip, µs. */
  p50: number;
  p99: number;
  mean: number;
  /** Calls measured. */
  n: number;
}

export interface ThroughputResult {
  /** Completed calls per second. */
  perSec: number;
  n: number;
  inFlight: number;
}

export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

/** `n` sequential awaited calls of `fn`, unmeasured (warming a peer's caches and JIT). */
export async function warm(fn: () => Promise<unknown>, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await fn();
}

/**
 * The p50 (µs) of `calls` sequential awaited calls of `fn`: one burst of the interleaved A/B
 * tools (bench/tools/ab.ts), which take turns between two peers.
 */
export async function burstP50(fn: () => Promise<unknown>, calls: number): Promise<number> {
  const times = new Float64Array(calls);
  for (let c = 0; c < calls; c++) {
    const t0 = nowUs();
    await fn();
    times[c] = nowUs() - t0;
  }
  times.sort();
  return percentile(times, 0.5);
}

/** The middle of `xs` (the mean of the two middle values for an even count); `xs` is not changed. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/**
 * The warm-ups before the scenarios (bench/support/peer.ts), here so that the report's method
 * line (bench/report.ts) quotes the same numbers: the connection's by calls, each fetch
 * scenario's by requests.
 */
export const WARM_UP = {
  connectionCalls: 3000,
  connectionCapMs: 1500,
  fetchRequests: 3000,
  /** A fetch scenario's warm-up is capped at this many times the scenario warm-up. */
  fetchCapFactor: 6,
} as const;

export interface Budget {
  /** Warm-up time, ms (JIT, connection, caches). */
  warmupMs: number;
  /** Measuring time, ms. */
  timeMs: number;
  /** Stop after this many measured calls even if time remains. */
  maxN?: number;
}

/** Sequential awaited calls: each one's round trip is recorded. */
export async function sequential(fn: () => Promise<unknown>, budget: Budget): Promise<LatencyResult> {
  let end = nowUs() + budget.warmupMs * 1000;
  while (nowUs() < end) await fn();
  const max = budget.maxN ?? 2_000_000;
  const samples = new Float64Array(Math.min(max, 2_000_000));
  let n = 0;
  end = nowUs() + budget.timeMs * 1000;
  let sum = 0;
  while (n < samples.length) {
    const t0 = nowUs();
    await fn();
    const t1 = nowUs();
    samples[n++] = t1 - t0;
    sum += t1 - t0;
    if (t1 >= end) break;
  }
  const sorted = samples.subarray(0, n).sort();
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), mean: sum / n, n };
}

/** `inFlight` calls outstanding at all times; completions per second over the measuring window. */
export async function throughput(fn: () => Promise<unknown>, inFlight: number, budget: Budget): Promise<ThroughputResult> {
  // `clockMask`: the clock is read when (completions & clockMask) === 0.
  const runFor = (ms: number, maxN: number, clockMask: number) =>
    new Promise<{ n: number; us: number }>((resolve, reject) => {
      const t0 = nowUs();
      const end = t0 + ms * 1000;
      let started = 0;
      let done = 0;
      let active = 0;
      let stop = false;
      let failed = false;
      const launch = () => {
        started++;
        active++;
        fn().then(settle, (err: unknown) => {
          if (!failed) {
            failed = true;
            reject(err);
          }
        });
      };
      const settle = () => {
        active--;
        done++;
        if (!stop && ((done & clockMask) === 0 && nowUs() >= end || started >= maxN)) stop = true;
        if (!stop) launch();
        else if (active === 0) resolve({ n: done, us: nowUs() - t0 });
      };
      for (let i = 0; i < inFlight; i++) launch();
    });
  // The warm-up reads the clock at every completion and tells how fast calls complete. Measuring
  // reads it every 64 completions (cheap, and fine-grained enough), unless 64 take longer than
  // a tenth of the window: capnweb's 1 MiB echo completes ~14 times a second, and its windows
  // ran 4.5 s instead of 0.5 s in the quick run.
  const warm = await runFor(budget.warmupMs, Number.MAX_SAFE_INTEGER, 0);
  const slow = warm.n === 0 || (64 * warm.us) / warm.n > budget.timeMs * 100;
  const { n, us } = await runFor(budget.timeMs, budget.maxN ?? Number.MAX_SAFE_INTEGER, slow ? 0 : 63);
  return { perSec: (n * 1e6) / us, n, inFlight };
}

/** Runtime name and version of this process. */
export function runtimeLabel(): { name: "node" | "deno" | "bun"; version: string } {
  const g = globalThis as { Bun?: { version: string }; Deno?: { version: { deno: string } }; process?: { version: string } };
  if (g.Bun) return { name: "bun", version: g.Bun.version };
  if (g.Deno) return { name: "deno", version: g.Deno.version.deno };
  return { name: "node", version: (g.process?.version ?? "?").replace(/^v/, "") };
}
