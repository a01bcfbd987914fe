// The client half of every cross-process bench: parse `key=value` arguments, run the chosen
// scenarios against a `Peer` (one system's way to make the calls), print one `RESULT <json>`
// line on stdout. Progress goes to stderr. node:* free apart from what the peers import.

import { type Budget, type LatencyResult, type ThroughputResult, WARM_UP, nowUs, runtimeLabel, sequential, throughput } from "./measure.ts";

/** One system's way to make each kind of call; optional ones are skipped when absent. */
export interface Peer {
  add(): Promise<unknown>;
  echo(bytes: Uint8Array): Promise<unknown>;
  chainPipelined?(): Promise<unknown>;
  chainAwaited?(): Promise<unknown>;
  fetchBinding?(): Promise<unknown>;
  fetchPlain?(): Promise<unknown>;
  /** CPU time used so far (µs, user + system), this process and the server (null where unknown). */
  cpu?(): Promise<{ client: number | null; server: number | null }>;
  /** Heap in use after a forced GC, this process and the server (null where unknown). */
  heap?(): Promise<{ client: number | null; server: number | null }>;
  close(): Promise<void> | void;
}

export type ScenarioResult = LatencyResult | ThroughputResult | HeapResult | CpuResult;

/** CPU time per call of both processes, over a fixed number of calls (steadier than wall time). */
export interface CpuResult {
  calls: number;
  inFlight: number;
  clientUs: number | null;
  serverUs: number | null;
}

export interface HeapResult {
  /** Calls made before each reading. */
  at: [number, number];
  client: [number | null, number | null];
  server: [number | null, number | null];
}

export interface PeerReport {
  runtime: string;
  results: Record<string, ScenarioResult>;
  errors: Record<string, string>;
}

/** Every scenario the suite knows, in run order. */
export const SCENARIOS = [
  "add", "add@64", "echo64k", "echo64k@64", "echo1m", "echo1m@64",
  "chain3.pipelined", "chain3.awaited", "fetch.binding", "fetch.plain", "cpu.add", "cpu.add@64", "heap",
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export function parseKv(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of argv) {
    const i = a.indexOf("=");
    if (i > 0) out[a.slice(0, i)] = a.slice(i + 1);
  }
  return out;
}

/** `NAME=value,NAME=value` (a probe's environment option) as an object; `option` names it in errors. */
export function parseEnvList(spec: string | undefined, option: string): Record<string, string> {
  return Object.fromEntries(
    (spec ? spec.split(",") : []).map((kv) => {
      const at = kv.indexOf("=");
      if (at < 1) throw new Error(`${option}=: expected NAME=value, got "${kv}"`);
      return [kv.slice(0, at), kv.slice(at + 1)];
    }),
  );
}

/** The bench's 64 KiB array (echo64k). */
export const K64 = new Uint8Array(65536).map((_, i) => (i * 7) & 0xff);
const M1 = new Uint8Array(1 << 20).map((_, i) => (i * 13) & 0xff);

function sizeOf(v: unknown): number {
  if (v instanceof Uint8Array) return v.length;
  if (v instanceof ArrayBuffer) return v.byteLength;
  if (typeof v === "number") return v;
  return -1;
}

/** Runs `scenarios` on `peer` and prints `RESULT <json>`. */
export async function runPeer(peer: Peer, args: Record<string, string>): Promise<void> {
  const budget: Budget = { warmupMs: Number(args.warmup ?? 200), timeMs: Number(args.time ?? 800) };
  const inFlight = Number(args.inflight ?? 64);
  const wanted = (args.scenarios ?? SCENARIOS.join(",")).split(",").filter(Boolean);
  const heapCalls = (args.heap ?? "100000,1000000").split(",").map(Number) as [number, number];
  const rt = runtimeLabel();
  const report: PeerReport = { runtime: `${rt.name} ${rt.version}`, results: {}, errors: {} };

  // Correctness first: a bench of wrong answers measures nothing.
  const three = await peer.add();
  if (three !== 3) throw new Error(`add(1, 2) returned ${String(three)}`);
  const back = await peer.echo(K64);
  if (sizeOf(back) !== K64.length) throw new Error(`echo(64 KiB) returned ${sizeOf(back)} bytes`);

  // JIT warm-up for the whole connection, by calls rather than time: the first scenario's own
  // warm-up (120 ms in a quick run) is a few hundred cold calls, and a quick run's add p50 came
  // out 3-4x its full-run value. Capped in time so that a slow system cannot stall the run.
  const warmUntil = nowUs() + Number(args.warmcap ?? WARM_UP.connectionCapMs) * 1000;
  for (let i = 0, n = Number(args.warmcalls ?? WARM_UP.connectionCalls); i < n && nowUs() < warmUntil; i++) {
    await peer.add();
    if (i % 16 === 0) await peer.echo(K64);
  }

  const seqBudget = (factor: number): Budget => ({ ...budget, maxN: Math.max(50, Math.round(200_000 / factor)) });
  const jobs: Record<Scenario, (() => Promise<ScenarioResult>) | null> = {
    add: () => sequential(() => peer.add(), budget),
    "add@64": () => throughput(() => peer.add(), inFlight, budget),
    echo64k: () => sequential(() => peer.echo(K64), seqBudget(16)),
    "echo64k@64": () => throughput(() => peer.echo(K64), inFlight, budget),
    echo1m: () => sequential(() => peer.echo(M1), seqBudget(256)),
    "echo1m@64": () => throughput(() => peer.echo(M1), Math.min(inFlight, 16), budget),
    "chain3.pipelined": peer.chainPipelined ? () => sequential(() => peer.chainPipelined!(), budget) : null,
    "chain3.awaited": peer.chainAwaited ? () => sequential(() => peer.chainAwaited!(), budget) : null,
    "fetch.binding": peer.fetchBinding ? () => warmedSequential(() => peer.fetchBinding!(), budget) : null,
    "fetch.plain": peer.fetchPlain ? () => warmedSequential(() => peer.fetchPlain!(), budget) : null,
    "cpu.add": peer.cpu ? () => cpuPerCall(peer, Number(args.cpucalls ?? 3000), 1) : null,
    "cpu.add@64": peer.cpu ? () => cpuPerCall(peer, Number(args.cpucalls ?? 3000) * 4, inFlight) : null,
    heap: peer.heap ? () => heapGrowth(peer, heapCalls, inFlight) : null,
  };
  for (const name of wanted) {
    const job = jobs[name as Scenario];
    if (job === undefined) {
      report.errors[name] = "unknown scenario";
      continue;
    }
    if (job === null) continue;
    try {
      report.results[name] = await job();
    } catch (err) {
      report.errors[name] = err instanceof Error ? err.message : String(err);
    }
  }
  console.log(`RESULT ${JSON.stringify(report)}`);
  await peer.close();
}

/**
 * A sequential scenario after a warm-up by requests, as the connection's by calls above: the HTTP
 * path (undici, the Fetch API, web streams) reaches its steady state only after seconds of
 * requests on Node. Node host and client on CPU 0: fetch through a binding p50 613 and 647 µs
 * after the 500 ms warm-up alone, 256 µs after 3 s (plain node:http 194–213 and 169 µs).
 */
async function warmedSequential(one: () => Promise<unknown>, budget: Budget): Promise<ScenarioResult> {
  const until = nowUs() + budget.warmupMs * WARM_UP.fetchCapFactor * 1000;
  for (let i = 0; i < WARM_UP.fetchRequests && nowUs() < until; i++) await one();
  return sequential(one, budget);
}

/** Heap after `at[0]` calls and after `at[1]` calls (64 in flight), both after a forced GC. */
async function heapGrowth(peer: Peer, at: [number, number], inFlight: number): Promise<HeapResult> {
  const result: HeapResult = { at, client: [null, null], server: [null, null] };
  let done = 0;
  for (let i = 0; i < 2; i++) {
    await runCalls(() => peer.add(), at[i]! - done, inFlight);
    done = at[i]!;
    const h = await peer.heap!();
    result.client[i] = h.client;
    result.server[i] = h.server;
  }
  return result;
}

/** CPU µs per `add` of each process over `calls` calls, `inFlight` at a time. */
async function cpuPerCall(peer: Peer, calls: number, inFlight: number): Promise<CpuResult> {
  await runCalls(() => peer.add(), Math.min(calls, 1000), inFlight);
  const a = await peer.cpu!();
  await runCalls(() => peer.add(), calls, inFlight);
  const b = await peer.cpu!();
  // The two cpu() calls themselves are one call each: negligible against thousands.
  const per = (x: number | null, y: number | null) => (x === null || y === null ? null : (y - x) / calls);
  return { calls, inFlight, clientUs: per(a.client, b.client), serverUs: per(a.server, b.server) };
}

function runCalls(fn: () => Promise<unknown>, count: number, inFlight: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let started = 0;
    let finished = 0;
    const next = (): void => {
      if (started >= count) {
        if (finished === count) resolve();
        return;
      }
      started++;
      fn().then(() => {
        finished++;
        next();
      }, reject);
    };
    if (count <= 0) resolve();
    for (let i = 0; i < Math.min(inFlight, count); i++) next();
  });
}

/** CPU time this process has used, µs (user + system). */
export function localCpu(): number | null {
  const p = (globalThis as { process?: { cpuUsage?(): { user: number; system: number } } }).process;
  if (!p?.cpuUsage) return null;
  const u = p.cpuUsage();
  return u.user + u.system;
}

/** This process's heap after a forced GC, where the runtime lets us force one. */
export function localHeap(): number | null {
  const g = globalThis as { gc?: () => void; Bun?: { gc(full: boolean): void }; process?: { memoryUsage(): { heapUsed: number } } };
  if (g.Bun) g.Bun.gc(true);
  else if (typeof g.gc === "function") g.gc();
  else return null;
  return g.process?.memoryUsage().heapUsed ?? null;
}

/**
 * The calls every stub-shaped API makes the same way (edgebind bindings and capnweb stubs):
 * add, echo, `a().b().c()` pipelined and awaited step by step, and the heaps.
 */
export function stubCalls(api: any): Pick<Peer, "add" | "echo" | "chainPipelined" | "chainAwaited" | "heap" | "cpu"> {
  return {
    add: () => api.add(1, 2),
    echo: (bytes) => api.echo(bytes),
    // The pipelined promises of a() and b() hold capabilities until disposed, like the stubs
    // the awaited chain disposes: without this a plain-script client leaves them to the
    // garbage collector, and the chain measures that backlog rather than the calls.
    async chainPipelined() {
      const a = api.a();
      const b = a.b();
      try {
        return await b.c();
      } finally {
        b[Symbol.dispose]();
        a[Symbol.dispose]();
      }
    },
    async chainAwaited() {
      const b = await api.a();
      const c = await b.b();
      const r = await c.c();
      c[Symbol.dispose]();
      b[Symbol.dispose]();
      return r;
    },
    async heap() {
      return { client: localHeap(), server: (await api.heap()) as number | null };
    },
    async cpu() {
      const server = (await api.cpu()) as number | null;
      return { client: localCpu(), server };
    },
  };
}
