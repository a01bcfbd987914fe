// `npm run bench` (quick, < 3 min) and `npm run bench -- --full`: every cross-process pair and
// baseline, pinned (1-core: everything on CPU 0; 2-core: server on CPU 1, client on CPU 0), the
// raw echo floor at the start and the end of each mode, the in-process measures, then a table
// with every figure as a ratio to the floor and to capnweb, JSON in bench/results/, and
// docs/BENCHMARKS.md with the table and an SVG chart.
//
//   node --import tsx bench/main.ts [--full] [--only=<substring>[,<substring>…]] [--no-docs] [--no-pin]
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { runtimePath } from "../scripts/runtimes.mjs";
import { writeWorkerdConfigs } from "./peers/workerd.ts";
import { benchAllocatorSettings, ROOT, pinned, runClient, scriptCommand, start, type Runtime, type Running } from "./orchestrate.ts";
import { renderReport, type BenchRun, type BenchReport, type HostTurns, type HostTurnScenario, type InterleavedBursts } from "./report.ts";
import { startBurstClient, takeTurns, type Burst, type BurstClient } from "./support/burst.ts";
import { V8_HEAP_FLAGS, hostCommand } from "../adapters/cli/launch.ts";

const argv = process.argv.slice(2);
const full = argv.includes("--full");
const only = argv.find((a) => a.startsWith("--only="))?.slice(7);
const writeDocs = !argv.includes("--no-docs") && only === undefined;
const pin = !argv.includes("--no-pin");

// The quick run's budget leaves room under its 3 minutes on a loaded machine: 500 ms per
// scenario took 158 s at load ~1.5 and 184 s at ~2.2 (process start-ups slow down with load).
const budget = full ? { warmup: 500, time: 2500 } : { warmup: 120, time: 380 };
const heapAt = full ? "100000,1000000" : "4000,20000";
type Transport = "unix" | "tcp";
type Cores = 1 | 2;

interface Step {
  id: string;
  label: string;
  cores: Cores;
  run(): Promise<BenchRun | BenchRun[]>;
}

const dir = mkdtempSync(join(tmpdir(), "edgebind-bench-"));
let sockets = 0;
function listenAddress(transport: Transport): string {
  return transport === "unix" ? `unix:${join(dir, `s${++sockets}.sock`)}` : "127.0.0.1:0";
}
const cpuOf = (cores: Cores, role: "server" | "client") => (!pin ? null : cores === 1 ? "0" : role === "server" ? "1" : "0");
const clientArgs = (address: string, extra: string[] = []) => [
  `address=${address}`, `warmup=${budget.warmup}`, `time=${budget.time}`, ...extra,
];
const loads: number[][] = [];

/** A host config for the bench Worker on a new address of `transport`; its path. */
function benchHostConfig(transport: Transport): string {
  const config = join(dir, `host-${sockets + 1}.json`);
  writeFileSync(config, JSON.stringify({ name: "bench", main: join(ROOT, "bench/fixtures/bench-worker.js"), edgebind: { listen: listenAddress(transport) } }));
  return config;
}
/** The burst clients' JIT warm-up (bench/peers/burst-client.ts), in adds. */
const burstWarm = `warm=${full ? 3000 : 1000}`;

async function withServer<T>(server: Running, ready: RegExp, body: (address: string) => Promise<T>): Promise<T> {
  try {
    const m = await server.waitFor(ready, 60_000);
    return await body(m[1]!);
  } finally {
    await server.stop();
  }
}

function floorStep(transport: Transport, cores: Cores, when: "start" | "end", runtime: Runtime = "node"): Step {
  const id = `floor/${runtime}/${transport}/${cores}c/${when}`;
  return {
    id, cores,
    label: `raw echo floor, ${runtime}, ${transport} (${when})`,
    run: () => withServer(
      start(pinned(cpuOf(cores, "server"), scriptCommand(runtime, "bench/peers/raw-echo.ts", ["role=server", `listen=${listenAddress(transport)}`]))),
      /^READY (\S+)$/,
      async (address) => {
        const r = await runClient(pinned(cpuOf(cores, "client"), scriptCommand(runtime, "bench/peers/raw-echo.ts", ["role=client", ...clientArgs(address, ["scenarios=add,add@64,echo64k,echo64k@64,echo1m,echo1m@64"])])), 120_000);
        return run(id, "floor", runtime, runtime, transport, cores, r, when);
      },
    ),
  };
}

function edgebindStep(server: Runtime, client: Runtime, transport: Transport, cores: Cores, heap: boolean): Step {
  const id = `edgebind/${server}-${client}/${transport}/${cores}c`;
  return {
    id, cores,
    label: `edgebind ${client}→${server}, ${transport}`,
    async run() {
      const config = benchHostConfig(transport);
      const host = start(pinned(cpuOf(cores, "server"), await hostCommand(server, config, ["--expose-gc"])));
      return withServer(host, /listening on (\S+)$/, async (address) => {
        const scenarios = ["add", "add@64", "echo64k", "echo64k@64", "echo1m", "echo1m@64", "chain3.pipelined", "chain3.awaited", "fetch.binding", "fetch.plain", "cpu.add", "cpu.add@64"];
        if (heap) scenarios.push("heap");
        const r = await runClient(pinned(cpuOf(cores, "client"), scriptCommand(client, "bench/peers/edgebind-client.ts", clientArgs(address, [`scenarios=${scenarios.join(",")}`, `heap=${heapAt}`]))), 900_000);
        return run(id, "edgebind", server, client, transport, cores, r);
      });
    },
  };
}

/**
 * The floor and edgebind taking turns (1 core, Unix socket): a raw echo server and a Node host
 * run at once, and their two clients alternate bursts of sequential calls, so that a ratio to the
 * floor compares bursts a few tens of milliseconds apart instead of rows minutes apart (the
 * floor's add moved by up to 1.45x between the start and the end of a run on this VM). Repeated
 * with fresh processes: two processes of the same code can differ by ~10% for as long as they
 * live (JIT and heap layout; ab.ts's A/A runs).
 */
function interleavedStep(): Step {
  const id = "interleaved/node-node/unix/1c";
  const [repeats, rounds] = full ? [3, 10] : [1, 6];
  const bursts = full ? { add: 1000, echo64k: 200 } : { add: 400, echo64k: 80 };
  return {
    id, cores: 1,
    label: "edgebind node↔node and the raw floor taking turns, unix",
    async run() {
      const interleaved: Record<string, InterleavedBursts> = {};
      const record = (scenario: string, calls: number, reference: Burst[], edgebind: Burst[]) => {
        const into = (interleaved[scenario] ??= { calls, repeats, reference: [], edgebind: [] });
        into.reference.push(...reference.map((b) => b.p50));
        into.edgebind.push(...edgebind.map((b) => b.p50));
      };
      for (let repeat = 0; repeat < repeats; repeat++) {
        const cpu = cpuOf(1, "server");
        const floorServer = start(pinned(cpu, scriptCommand("node", "bench/peers/raw-echo.ts", ["role=server", `listen=${listenAddress("unix")}`])));
        const config = benchHostConfig("unix");
        const host = start(pinned(cpu, await hostCommand("node", config)));
        const started: BurstClient[] = [];
        try {
          const floorAddress = (await floorServer.waitFor(/^READY (\S+)$/, 60_000))[1]!;
          const hostAddress = (await host.waitFor(/listening on (\S+)$/, 60_000))[1]!;
          const floor = await startBurstClient(["kind=floor", burstWarm], floorAddress, cpuOf(1, "client"));
          started.push(floor);
          const edgebind = await startBurstClient([burstWarm], hostAddress, cpuOf(1, "client"));
          started.push(edgebind);
          for (const scenario of ["add", "echo64k"] as const) {
            const n = bursts[scenario];
            const r = await takeTurns({ floor: () => floor.burst(n, scenario), edgebind: () => edgebind.burst(n, scenario) }, rounds, n);
            record(scenario, n, r.floor, r.edgebind);
          }
          // chain3 against one add, both on the binding, taking turns the same way.
          const n = bursts.add;
          const chain = await takeTurns({ add: () => edgebind.burst(n, "add"), chain3: () => edgebind.burst(n, "chain3.pipelined") }, rounds, n);
          record("chain3.pipelined", n, chain.add, chain.chain3);
        } finally {
          for (const client of started) client.stop();
          await Promise.all([floorServer.stop(), host.stop()]);
        }
      }
      return { id, system: "interleaved", server: "node", client: "node", transport: "unix", cores: 1, runtime: `node ${process.versions.node}`, results: {}, errors: {}, interleaved };
    },
  };
}

/**
 * The three runtimes' hosts taking turns (1 core, Unix socket): a Node, a Deno and a Bun host run
 * at once, each with its own Node burst client, and the clients take turns in bursts of add and
 * echo64k, sequential and with 64 in flight; the host targets compare each burst with the Node
 * host's in the same round instead of rows minutes apart. Repeated with fresh processes.
 */
function hostTurnsStep(): Step {
  const id = "interleaved/hosts/unix/1c";
  const [repeats, rounds] = full ? [2, 10] : [1, 4];
  const bursts: Record<HostTurnScenario, number> = full
    ? { add: 1000, "add@64": 20000, echo64k: 200, "echo64k@64": 1000 }
    : { add: 300, "add@64": 5000, echo64k: 60, "echo64k@64": 400 };
  return {
    id, cores: 1,
    label: "node, deno and bun hosts taking turns (node clients), unix",
    async run() {
      const runtimes = ["node", "deno", "bun"] as const;
      const hostTurns: Record<string, HostTurns> = {};
      for (let repeat = 0; repeat < repeats; repeat++) {
        const hosts: Running[] = [];
        const clients: Partial<Record<Runtime, BurstClient>> = {};
        try {
          for (const rt of runtimes) {
            const config = benchHostConfig("unix");
            hosts.push(start(pinned(cpuOf(1, "server"), await hostCommand(rt, config))));
          }
          for (let i = 0; i < runtimes.length; i++) {
            const address = (await hosts[i]!.waitFor(/listening on (\S+)$/, 60_000))[1]!;
            clients[runtimes[i]!] = await startBurstClient([burstWarm], address, cpuOf(1, "client"));
          }
          for (const scenario of Object.keys(bursts) as HostTurnScenario[]) {
            const n = bursts[scenario];
            const turn = (rt: Runtime) => () => clients[rt]!.burst(n, scenario);
            const r = await takeTurns({ node: turn("node"), deno: turn("deno"), bun: turn("bun") }, rounds, n);
            const figure = (b: Burst) => (scenario.includes("@") ? b.perSec! : b.p50);
            const into = (hostTurns[scenario] ??= { calls: n, repeats, node: [], deno: [], bun: [] });
            for (const rt of runtimes) into[rt].push(...r[rt].map(figure));
          }
        } finally {
          for (const client of Object.values(clients)) client.stop();
          await Promise.all(hosts.map((h) => h.stop()));
        }
      }
      return { id, system: "interleaved", server: "node,deno,bun", client: "node", transport: "unix", cores: 1, runtime: `node ${process.versions.node}`, results: {}, errors: {}, hostTurns };
    },
  };
}

function capnwebStep(transport: Transport, cores: Cores): Step {
  const id = `capnweb/node-node/${transport}/${cores}c`;
  return {
    id, cores,
    label: `capnweb over WebSocket, node→node, ${transport}`,
    run: () => withServer(
      start(pinned(cpuOf(cores, "server"), scriptCommand("node", "bench/peers/capnweb.ts", ["role=server", `listen=${listenAddress(transport)}`]))),
      /^READY (\S+)$/,
      async (address) => {
        const r = await runClient(pinned(cpuOf(cores, "client"), scriptCommand("node", "bench/peers/capnweb.ts", ["role=client", ...clientArgs(address, ["scenarios=add,add@64,echo64k,echo64k@64,echo1m,echo1m@64,chain3.pipelined,chain3.awaited,cpu.add,cpu.add@64"])])), 300_000);
        return run(id, "capnweb", "node", "node", transport, cores, r);
      },
    ),
  };
}

function workerdStep(cores: Cores): Step {
  const id = `workerd/workerd-workerd/unix/${cores}c`;
  return {
    id, cores,
    label: "workerd → workerd across two processes, unix",
    async run() {
      const wdir = mkdtempSync(join(dir, "workerd-"));
      const rpc = `unix:${join(wdir, "rpc.sock")}`;
      const http = `unix:${join(wdir, "http.sock")}`;
      const { callee, caller } = writeWorkerdConfigs(wdir, rpc, http);
      const workerd = runtimePath("workerd");
      // Both workerd processes are servers (caller and callee); the driver is the client.
      const a = start(pinned(cpuOf(cores, "server"), { command: workerd, args: ["serve", callee] }));
      const b = start(pinned(cpuOf(cores, "server"), { command: workerd, args: ["serve", caller] }));
      try {
        await waitForSocket(http, 30_000);
        const r = await runClient(pinned(cpuOf(cores, "client"), scriptCommand("node", "bench/peers/workerd.ts", ["role=client", ...clientArgs(http)])), 300_000);
        return run(id, "workerd", "workerd", "workerd", "unix", cores, r);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    },
  };
}

async function waitForSocket(address: string, timeoutMs: number): Promise<void> {
  const { connect } = await import("node:net");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ path: address.slice(5) });
      s.once("connect", () => { s.destroy(); resolve(true); });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`workerd did not listen on ${address}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function inprocessStep(runtime: Runtime): Step {
  const id = `inprocess/${runtime}`;
  return {
    id, cores: 1,
    label: `in-process: codecs and engine over the in-memory pair, ${runtime}`,
    async run() {
      const r = await runClient(pinned(cpuOf(1, "client"), scriptCommand(runtime, "bench/inprocess.ts", [`time=${full ? 1000 : 150}`])), 300_000);
      return { id, system: "inprocess", server: runtime, client: runtime, transport: "memory", cores: 1, runtime: (r as { runtime: string }).runtime, results: {}, errors: {}, inprocess: r as Record<string, unknown> };
    },
  };
}

function run(id: string, system: BenchRun["system"], server: string, client: string, transport: string, cores: Cores, report: unknown, when?: string): BenchRun {
  const r = report as { runtime: string; results: BenchRun["results"]; errors: Record<string, string> };
  return { id, system, server, client, transport, cores, runtime: r.runtime, results: r.results, errors: r.errors, ...(when && { when }) };
}

function plan(): Step[] {
  const steps: Step[] = [];
  const runtimes: Runtime[] = ["node", "deno", "bun"];
  // 1 core: the figures to optimise.
  steps.push(floorStep("unix", 1, "start"), floorStep("tcp", 1, "start"));
  if (full) for (const rt of ["deno", "bun"] as const) steps.push(floorStep("unix", 1, "start", rt));
  steps.push(edgebindStep("node", "node", "unix", 1, true), interleavedStep(), edgebindStep("node", "node", "tcp", 1, false));
  for (const rt of ["deno", "bun"] as const) steps.push(edgebindStep(rt, rt, "unix", 1, full));
  steps.push(hostTurnsStep());
  if (full) {
    for (const s of runtimes) for (const c of runtimes) if (s !== c) steps.push(edgebindStep(s, c, "unix", 1, false));
    for (const rt of ["deno", "bun"] as const) steps.push(edgebindStep(rt, rt, "tcp", 1, false));
  }
  steps.push(capnwebStep("unix", 1));
  if (full) steps.push(capnwebStep("tcp", 1));
  steps.push(workerdStep(1));
  steps.push(floorStep("unix", 1, "end"), floorStep("tcp", 1, "end"));
  // 2 cores: the realistic figures.
  steps.push(floorStep("unix", 2, "start"), edgebindStep("node", "node", "unix", 2, false), capnwebStep("unix", 2));
  if (full) {
    steps.push(floorStep("tcp", 2, "start"), edgebindStep("node", "node", "tcp", 2, false));
    for (const rt of ["deno", "bun"] as const) steps.push(edgebindStep(rt, rt, "unix", 2, false));
    steps.push(workerdStep(2), floorStep("tcp", 2, "end"));
  }
  steps.push(floorStep("unix", 2, "end"));
  // Last: the in-process measures use no floor, and the machine reads slower for a while after
  // them (a floor right after them read 1.22x the start one, 2026-11-28).
  for (const rt of full ? runtimes : (["node"] as Runtime[])) steps.push(inprocessStep(rt));
  return only ? steps.filter((s) => only.split(",").some((o) => s.id.includes(o))) : steps;
}

function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
  else process.stderr.write(`${text}\n`);
}

/** The commit measured, and engine files with uncommitted changes (others may be editing). */
function revision(): { commit: string; dirty: string[] } {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const status = execFileSync("git", ["status", "--porcelain", "--", "core", "protocol", "adapters"], { cwd: ROOT, encoding: "utf8" });
    return { commit, dirty: status.split("\n").filter(Boolean).map((l) => l.slice(3)) };
  } catch {
    return { commit: "?", dirty: [] };
  }
}
const rev = revision();
const steps = plan();
const t0 = Date.now();
const runs: BenchRun[] = [];
const failures: { id: string; error: string }[] = [];
loads.push(loadavg());
for (const [i, step] of steps.entries()) {
  const elapsed = ((Date.now() - t0) / 1000).toFixed(0);
  progress(`[${String(i + 1).padStart(2)}/${steps.length}] ${step.cores}-core  ${step.label}  (${elapsed} s, load ${loadavg()[0]!.toFixed(2)})`);
  try {
    const r = await step.run();
    runs.push(...(Array.isArray(r) ? r : [r]));
  } catch (err) {
    failures.push({ id: step.id, error: err instanceof Error ? err.message : String(err) });
  }
  loads.push(loadavg());
}
progress(`done: ${steps.length} steps in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
rmSync(dir, { recursive: true, force: true });

const report: BenchReport = {
  date: new Date().toISOString(),
  mode: full ? "full" : "quick",
  seconds: Math.round((Date.now() - t0) / 1000),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? "?", loadStart: loads[0]!, loadEnd: loads[loads.length - 1]!, loadMax1: Math.max(...loads.map((l) => l[0]!)) },
  ...rev,
  versions: { node: process.version.slice(1), deno: versionOf("deno"), bun: versionOf("bun"), workerd: versionOf("workerd") },
  budget: { ...budget, heapAt },
  pinned: pin,
  malloc: benchAllocatorSettings(),
  v8Flags: [...V8_HEAP_FLAGS],
  runs,
  failures,
};

const { text, markdown } = renderReport(report);
console.log(text);
mkdirSync(join(ROOT, "bench/results"), { recursive: true });
const stamp = report.date.replace(/[:.]/g, "-");
const json = JSON.stringify(report, null, 1);
if (only === undefined) {
  writeFileSync(join(ROOT, `bench/results/${report.mode}-${stamp}.json`), json);
  writeFileSync(join(ROOT, `bench/results/latest-${report.mode}.json`), json);
} else {
  writeFileSync(join(ROOT, "bench/results/partial.tmp"), json);
}
if (writeDocs) {
  writeFileSync(join(ROOT, "docs/BENCHMARKS.md"), markdown.doc);
  writeFileSync(join(ROOT, "docs/benchmarks.svg"), markdown.svg);
  console.log("\nwrote docs/BENCHMARKS.md, docs/benchmarks.svg and bench/results/");
}
process.exit(failures.length > 0 ? 1 : 0);

function versionOf(name: "deno" | "bun" | "workerd"): string {
  try {
    return execFileSync(runtimePath(name), ["--version"], { encoding: "utf8" }).split("\n")[0]!.trim();
  } catch {
    return "?";
  }
}
