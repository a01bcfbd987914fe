// Turns one bench run (bench/main.ts) into the terminal table, docs/BENCHMARKS.md and its SVG
// chart. Every cross-process figure is shown with its ratio to the raw echo floor of the same
// transport and mode (mean of the floor runs at the start and the end) and to capnweb.
import type { CpuResult, HeapResult, ScenarioResult } from "./support/peer.ts";
import { type LatencyResult, type ThroughputResult, WARM_UP, median } from "./support/measure.ts";

export interface BenchRun {
  id: string;
  system: "floor" | "edgebind" | "capnweb" | "workerd" | "inprocess" | "interleaved";
  server: string;
  client: string;
  transport: string;
  cores: 1 | 2;
  runtime: string;
  results: Record<string, ScenarioResult>;
  errors: Record<string, string>;
  /** Floors: "start" or "end" of the run. */
  when?: string;
  inprocess?: Record<string, unknown>;
  /** The interleaved floor step (bench/main.ts): edgebind and the floor taking turns. */
  interleaved?: Record<string, InterleavedBursts>;
  /** The interleaved hosts step: the three runtimes' hosts taking turns, by scenario. */
  hostTurns?: Record<string, HostTurns>;
}

export type HostTurnScenario = "add" | "add@64" | "echo64k" | "echo64k@64";

/** Each host's burst figures (p50 µs, or calls/s for `@64`), one per round, in round order. */
export interface HostTurns {
  calls: number;
  /** Sets of fresh processes the rounds were spread over (absent: one). */
  repeats?: number;
  node: number[];
  deno: number[];
  bun: number[];
}

/**
 * Bursts of sequential calls taking turns, one of each per round, in round order: edgebind's
 * and the reference's (the floor's for add and echo64k, edgebind's own add for chain3).
 */
export interface InterleavedBursts {
  /** Calls per burst. */
  calls: number;
  /** Sets of fresh processes the rounds were spread over (absent: one). */
  repeats?: number;
  /** Each burst's p50, µs. */
  reference: number[];
  edgebind: number[];
}

export interface BenchReport {
  date: string;
  /** HEAD when the run started, and engine files that had uncommitted changes then. */
  commit?: string;
  dirty?: string[];
  mode: "quick" | "full";
  seconds: number;
  machine: { cpus: number; model: string; loadStart: number[]; loadEnd: number[]; loadMax1: number };
  versions: Record<string, string>;
  budget: { warmup: number; time: number; heapAt: string };
  pinned: boolean;
  /** Allocator settings every process ran with (bench/orchestrate.ts); absent before 2026-11-28. */
  malloc?: Record<string, string>;
  /** V8 flags every Node and Deno process ran with (bench/orchestrate.ts); absent before 2026-11-28 19:30. */
  v8Flags?: string[];
  runs: BenchRun[];
  failures: { id: string; error: string }[];
}

type Kind = "lat" | "tput";
interface Metric {
  key: string;
  head: string;
  kind: Kind;
  /** Compare against this floor key (chain3 against one add). */
  floorKey?: string;
}
const METRICS: Metric[] = [
  { key: "add", head: "add p50", kind: "lat" },
  { key: "add@64", head: "add calls/s (64 in flight)", kind: "tput" },
  { key: "echo64k", head: "echo 64 KiB p50", kind: "lat" },
  { key: "echo64k@64", head: "echo 64 KiB calls/s", kind: "tput" },
  { key: "echo1m", head: "echo 1 MiB p50", kind: "lat" },
  { key: "echo1m@64", head: "echo 1 MiB calls/s (16 in flight)", kind: "tput" },
  { key: "chain3.pipelined", head: "chain3 pipelined p50", kind: "lat", floorKey: "add" },
  { key: "chain3.awaited", head: "chain3 awaited p50", kind: "lat", floorKey: "add" },
];

function lat(r: ScenarioResult | undefined): number | undefined {
  return r && "p50" in r ? (r as LatencyResult).p50 : undefined;
}
function tput(r: ScenarioResult | undefined): number | undefined {
  return r && "perSec" in r ? (r as ThroughputResult).perSec : undefined;
}
function value(run: BenchRun | undefined, m: Metric | string): number | undefined {
  if (!run) return undefined;
  const key = typeof m === "string" ? m : m.key;
  const r = run.results[key];
  return lat(r) ?? tput(r);
}
const mean = (xs: (number | undefined)[]) => {
  const ok = xs.filter((x): x is number => x !== undefined && Number.isFinite(x));
  return ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : undefined;
};

/** The node floor's readings (start and end) for one transport and mode. */
function nodeFloors(report: BenchReport, transport: string, cores: number): BenchRun[] {
  return report.runs.filter((r) => r.system === "floor" && r.server === "node" && r.transport === transport && r.cores === cores);
}

/** The floor as one pseudo-run: the mean of the start and end floors (node, same transport and mode). */
function floorFor(report: BenchReport, transport: string, cores: number): BenchRun | undefined {
  const floors = nodeFloors(report, transport, cores);
  if (floors.length === 0) return undefined;
  const results: Record<string, ScenarioResult> = {};
  for (const m of METRICS) {
    const v = mean(floors.map((f) => value(f, m)));
    if (v === undefined) continue;
    results[m.key] = m.kind === "lat" ? { p50: v, p99: NaN, mean: NaN, n: 0 } : { perSec: v, n: 0, inFlight: 64 };
  }
  return { ...floors[0]!, id: `floor/${transport}/${cores}c`, when: floors.map((f) => f.when).join("+"), results };
}

function capnwebFor(report: BenchReport, transport: string, cores: number): BenchRun | undefined {
  return report.runs.find((r) => r.system === "capnweb" && r.transport === transport && r.cores === cores) ??
    report.runs.find((r) => r.system === "capnweb" && r.cores === cores);
}

/** Cost relative to a reference: >1 is slower (latency ratio, or reference rate / our rate). */
function cost(kind: Kind, ours: number | undefined, ref: number | undefined): number | undefined {
  if (ours === undefined || ref === undefined || ref === 0 || ours === 0) return undefined;
  return kind === "lat" ? ours / ref : ref / ours;
}

const fmtUs = (us: number) => (us >= 10_000 ? `${(us / 1000).toFixed(1)} ms` : us >= 100 ? `${us.toFixed(0)} µs` : `${us.toFixed(1)} µs`);
const fmtRate = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(0)}k/s` : n >= 1000 ? `${(n / 1000).toFixed(1)}k/s` : `${n.toFixed(0)}/s`);
const fmtX = (x: number | undefined) => (x === undefined ? "–" : `${x.toFixed(2)}×`);

function label(run: BenchRun): string {
  switch (run.system) {
    case "floor": return `raw echo floor (${run.server})`;
    case "edgebind": return run.server === run.client ? `edgebind ${run.client}↔${run.server}` : `edgebind ${run.client}→${run.server}`;
    case "capnweb": return "capnweb 0.12 over ws";
    case "workerd": return "workerd → workerd (2 processes)";
    default: return run.id;
  }
}

interface Cell {
  text: string;
  xFloor?: number;
  xCapnweb?: number;
}

function cellFor(run: BenchRun, m: Metric, floor: BenchRun | undefined, capnweb: BenchRun | undefined): Cell | null {
  const v = value(run, m);
  if (v === undefined) return null;
  const text = m.kind === "lat" ? fmtUs(v) : fmtRate(v);
  const xFloor = cost(m.kind, v, value(floor, m.floorKey ?? m.key));
  const xCapnweb = run.system === "capnweb" ? undefined : cost(m.kind, v, value(capnweb, m));
  return { text, xFloor, xCapnweb };
}

/** Rows of the main table for one (mode, transport group), ordered floor, edgebind, baselines. */
function tableRuns(report: BenchReport, cores: number): BenchRun[] {
  const order = { floor: 0, edgebind: 1, capnweb: 2, workerd: 3, inprocess: 4, interleaved: 5 };
  const out: BenchRun[] = [];
  for (const transport of ["unix", "tcp"]) {
    const f = floorFor(report, transport, cores);
    if (f) out.push(f);
    out.push(...report.runs
      .filter((r) => r.cores === cores && r.transport === transport && r.system !== "floor" && r.system !== "inprocess" && r.system !== "interleaved")
      .sort((a, b) => order[a.system] - order[b.system]));
  }
  return out;
}

export interface Target {
  what: string;
  target: string;
  measured: string;
  met: boolean | null;
}

/**
 * A latency target against the floor is judged against the floor's start and its end reading,
 * not only their mean: when the two give different verdicts (the floor moved within the run by
 * more than the target's margin), or the floor read slower than edgebind (then it was no floor
 * in this run: on Node a raw echo of 64 KiB can hit glibc's heap trimming, a fresh page-faulted
 * buffer per read), the target is not judged. `t` is the target as checked against the mean.
 */
function judgeAgainstFloorEnds(t: Target, report: BenchReport, scenario: string, ours: number | undefined, limit: number): void {
  if (ours === undefined || t.met === null) return;
  const ratios = nodeFloors(report, "unix", 1)
    .map((f) => ({ when: f.when ?? "?", x: cost("lat", ours, value(f, scenario)) }))
    .filter((r): r is { when: string; x: number } => r.x !== undefined);
  if (ratios.length < 2) return;
  const each = ratios.map((r) => `${r.x.toFixed(2)}× against the ${r.when} floor`).join(", ");
  if (ratios.some((r) => r.x < 1)) {
    t.met = null;
    t.measured += `; not judged: the raw floor read slower than edgebind (${each}), so it was no floor in this run`;
  } else if (ratios.some((r) => r.x <= limit) !== ratios.every((r) => r.x <= limit)) {
    t.met = null;
    t.measured += `; not judged: the floor moved within the run (${each})`;
  }
}

const sets = (repeats: number | undefined) => (repeats !== undefined && repeats > 1 ? ` in ${repeats} sets of fresh processes` : "");

/**
 * A ratio from the interleaved step: the median over rounds of each round's ratio (edgebind's
 * burst p50 over the reference's burst p50 next to it: the floor's, or for chain3 edgebind's own
 * add), which the machine's drift within the run does not move; undefined when the run has no
 * such bursts.
 */
export function takingTurns(report: BenchReport, scenario: string, withWhat: string): { x: number; text: string } | undefined {
  const b = report.runs.find((r) => r.system === "interleaved" && r.interleaved)?.interleaved?.[scenario];
  if (!b || b.reference.length === 0 || b.reference.length !== b.edgebind.length) return undefined;
  const ratios = b.edgebind.map((v, i) => v / b.reference[i]!).sort((p, q) => p - q);
  const x = median(ratios);
  const q = (f: number) => ratios[Math.min(ratios.length - 1, Math.floor(f * ratios.length))]!;
  return {
    x,
    text: `${x.toFixed(2)}× taking turns with ${withWhat} (${fmtUs(median(b.edgebind))} vs ${fmtUs(median(b.reference))}: ` +
      `medians of ${b.reference.length} bursts of ${b.calls} calls each${sets(b.repeats)}; the middle half of the rounds ${q(0.25).toFixed(2)}–${q(0.75).toFixed(2)}×)`,
  };
}

/**
 * A Deno or Bun host against the Node host from the interleaved hosts step: for each scenario
 * the median over rounds of the round's cost (latency ratio, or the Node host's rate over this
 * host's), and the worst of the four; undefined when the run has no such step.
 */
export function hostsTakingTurns(report: BenchReport, rt: "deno" | "bun"): { x: number; text: string } | undefined {
  const turns = report.runs.find((r) => r.system === "interleaved" && r.hostTurns)?.hostTurns;
  if (!turns) return undefined;
  const each: string[] = [];
  let worst = -Infinity;
  let rounds = 0;
  let repeats: number | undefined;
  for (const scenario of ["add", "add@64", "echo64k", "echo64k@64"]) {
    const t = turns[scenario];
    if (!t || t.node.length === 0 || t.node.length !== t[rt].length) return undefined;
    const rate = scenario.includes("@");
    const x = median(t.node.map((n, i) => (rate ? n / t[rt][i]! : t[rt][i]! / n)));
    worst = Math.max(worst, x);
    rounds = t.node.length;
    repeats = t.repeats;
    each.push(`${scenario} ${x.toFixed(2)}×`);
  }
  return { x: worst, text: `${worst.toFixed(2)}× taking turns with a Node host (${each.join(", ")}: medians of ${rounds} rounds${sets(repeats)})` };
}

export function targets(report: BenchReport): Target[] {
  const floor = floorFor(report, "unix", 1);
  const nn = report.runs.find((r) => r.id === "edgebind/node-node/unix/1c");
  const out: Target[] = [];
  const add = value(nn, "add");
  const fAdd = value(floor, "add");
  const x = (a?: number, b?: number) => (a !== undefined && b !== undefined ? a / b : undefined);
  const check = (what: string, target: string, v: number | undefined, ok: (v: number) => boolean, show: (v: number) => string): Target => {
    const t: Target = { what, target, measured: v === undefined ? "not measured" : show(v), met: v === undefined ? null : ok(v) };
    out.push(t);
    return t;
  };
  /**
   * A ratio target: judged on the interleaved rounds when the run has them (the separate rows'
   * ratio shown beside it), else on the separate rows; `floorEnds`: a ratio to the floor, which
   * is then also judged against the floor's start and end readings.
   */
  const ratioTarget = (what: string, limit: number, scenario: string, withWhat: string, separate: number | undefined, show: (v: number) => string, floorEnds?: { ours: number | undefined }) => {
    const taking = takingTurns(report, scenario, withWhat);
    if (taking) {
      const t = check(what, `≤ ${limit}×`, taking.x, (v) => v <= limit, () => taking.text);
      if (separate !== undefined) t.measured += `; in the separate ${floorEnds ? "runs" : "run"} ${show(separate)}${floorEnds ? " against the mean floor" : ""}`;
      return;
    }
    const t = check(what, `≤ ${limit}×`, separate, (v) => v <= limit, show);
    if (floorEnds) judgeAgainstFloorEnds(t, report, scenario, floorEnds.ours, limit);
  };
  ratioTarget("add p50 vs raw floor", 1.5, "add", "the floor", x(add, fAdd), (v) => `${v.toFixed(2)}× (${fmtUs(add!)} vs ${fmtUs(fAdd!)})`, { ours: add });
  // Absolute rates depend on the machine: show the same-run floor's rate beside ours (where the
  // floor itself is below the target, no system could meet it in this run), and our share of
  // it next to the share the target asked of the floor it was set against (the anchors' raw
  // Unix-socket echo: 230k add and 15.2k echo64k calls/s, performance-anchors.md). The verdict
  // stays the absolute one.
  const withFloorRate = (scenario: string, target: number, anchorFloor: number) => (v: number) => {
    const f = value(floor, scenario);
    if (f === undefined) return fmtRate(v);
    const share = `${(v / f).toFixed(2)} of the floor's rate; the target is ${(target / anchorFloor).toFixed(2)} of the anchors' ${fmtRate(anchorFloor)}`;
    return `${fmtRate(v)} (floor ${fmtRate(f)}${f < target ? ", itself below the target here" : ""}; ${share})`;
  };
  check("add calls/s, 64 in flight", "≥ 150k/s", value(nn, "add@64"), (v) => v >= 150_000, withFloorRate("add@64", 150_000, 230_000));
  const e = value(nn, "echo64k");
  ratioTarget("echo64k p50 vs raw floor", 1.5, "echo64k", "the floor", x(e, value(floor, "echo64k")), (v) => `${v.toFixed(2)}× (${fmtUs(e!)})`, { ours: e });
  check("echo64k calls/s, 64 in flight", "≥ 12k/s", value(nn, "echo64k@64"), (v) => v >= 12_000, withFloorRate("echo64k@64", 12_000, 15_200));
  const c = value(nn, "chain3.pipelined");
  ratioTarget("chain3 pipelined p50 vs one add", 1.3, "chain3.pipelined", "one add", x(c, add), (v) => `${v.toFixed(2)}× (${fmtUs(c!)})`);
  const heap = nn?.results.heap as HeapResult | undefined;
  const growth = (pair: [number | null, number | null] | undefined) =>
    pair && pair[0] !== null && pair[1] !== null ? pair[1] / pair[0] - 1 : undefined;
  const at = heap ? `${heap.at[0] / 1000}k → ${heap.at[1] / 1000}k calls` : "";
  check(`server heap growth, ${at || "100k → 1M calls"}`, "≤ 5%", growth(heap?.server), (v) => v <= 0.05, (v) => `${(v * 100).toFixed(1)}% (${mb(heap!.server[0])} → ${mb(heap!.server[1])})`);
  check(`client heap growth, ${at || "100k → 1M calls"}`, "≤ 5%", growth(heap?.client), (v) => v <= 0.05, (v) => `${(v * 100).toFixed(1)}% (${mb(heap!.client[0])} → ${mb(heap!.client[1])})`);
  for (const rt of ["deno", "bun"]) {
    // The host is what is compared: with a node client when the run has that pair (--full),
    // else the same-runtime pair.
    const r = report.runs.find((x) => x.id === `edgebind/${rt}-node/unix/1c`) ?? report.runs.find((x) => x.id === `edgebind/${rt}-${rt}/unix/1c`);
    const worst = Math.max(
      x(value(r, "add"), add) ?? NaN,
      x(value(nn, "add@64"), value(r, "add@64")) ?? NaN,
      x(value(r, "echo64k"), e) ?? NaN,
      x(value(nn, "echo64k@64"), value(r, "echo64k@64")) ?? NaN,
    );
    const separate = Number.isFinite(worst) ? worst : undefined;
    const turns = hostsTakingTurns(report, rt as "deno" | "bun");
    if (turns) {
      const t = check(`${rt} host vs node host (node clients, taking turns; worst of add/echo64k p50 and calls/s)`, "≤ 1.5×", turns.x, (v) => v <= 1.5, () => turns.text);
      if (separate !== undefined) t.measured += `; in the separate rows (${r ? label(r) : rt}) ${separate.toFixed(2)}×`;
    } else {
      check(`${rt} host vs node host (${r ? label(r) : rt}; worst of add/echo64k p50 and calls/s)`, "≤ 1.5×", separate, (v) => v <= 1.5, (v) => `${v.toFixed(2)}×`);
    }
  }
  return out;
}

const mb = (b: number | null) => (b === null ? "?" : `${(b / 1048576).toFixed(1)} MB`);

function inprocessText(report: BenchReport): { text: string[]; md: string[] } {
  const text: string[] = [];
  const md: string[] = [];
  for (const run of report.runs.filter((r) => r.system === "inprocess")) {
    const ip = run.inprocess as {
      runtime: string;
      engine?: { case: string; usPerCall: number; callsPerSec: number }[];
      v8?: { case: string; codec: string; usPerOp: number; xJson: number }[];
      capnp?: { case: string; codec: string; usPerOp: number; xJson: number }[];
    };
    text.push(`\nin-process, ${ip.runtime}`);
    md.push(`\n#### ${ip.runtime}\n`, "| measure | µs/op | ×JSON or calls/s |", "|---|---:|---:|");
    for (const r of ip.engine ?? []) {
      text.push(`  engine ${r.case.padEnd(28)} ${r.usPerCall.toFixed(1).padStart(9)} µs/call ${fmtRate(r.callsPerSec).padStart(9)}`);
      md.push(`| engine, in-memory pair: ${r.case} | ${r.usPerCall.toFixed(1)} | ${fmtRate(r.callsPerSec)} |`);
    }
    for (const [name, rows] of [["V8 value codec", ip.v8], ["rpc.capnp codec", ip.capnp]] as const) {
      for (const r of rows ?? []) {
        text.push(`  ${name} ${`${r.case} [${r.codec}]`.padEnd(40)} ${r.usPerOp.toFixed(3).padStart(9)} µs ${r.xJson.toFixed(2).padStart(7)}×JSON`);
        md.push(`| ${name}: ${r.case}, ${r.codec} | ${r.usPerOp.toFixed(3)} | ${r.xJson.toFixed(2)}× |`);
      }
    }
  }
  return { text, md };
}

function extraText(report: BenchReport): string[] {
  const lines: string[] = [];
  for (const run of report.runs.filter((r) => r.system === "edgebind")) {
    const b = lat(run.results["fetch.binding"]);
    const p = lat(run.results["fetch.plain"]);
    if (b !== undefined && p !== undefined) {
      lines.push(`${label(run)}, ${run.transport}, ${run.cores}-core: fetch through the binding p50 ${fmtUs(b)} vs plain HTTP (node:http) ${fmtUs(p)}: ${(b / p).toFixed(2)}×`);
    }
  }
  for (const run of report.runs.filter((r) => r.system === "edgebind" || r.system === "capnweb")) {
    const cpu = (key: string) => {
      const c = run.results[key] as CpuResult | undefined;
      if (!c || c.clientUs === null) return undefined;
      return `${(c.clientUs + (c.serverUs ?? 0)).toFixed(0)} µs (client ${c.clientUs.toFixed(0)} + server ${c.serverUs === null ? "?" : c.serverUs.toFixed(0)})`;
    };
    const seq = cpu("cpu.add");
    const par = cpu("cpu.add@64");
    if (seq || par) lines.push(`${label(run)}, ${run.transport}, ${run.cores}-core: CPU per add, sequential ${seq ?? "–"}; 64 in flight ${par ?? "–"}`);
  }
  for (const f of report.runs.filter((r) => r.system === "floor" && r.server !== "node")) {
    lines.push(`raw echo floor on ${f.server} (${f.runtime}), ${f.transport}, ${f.cores}-core: add p50 ${fmtUs(value(f, "add") ?? NaN)}, ${fmtRate(value(f, "add@64") ?? NaN)} with 64 in flight, echo 64 KiB p50 ${fmtUs(value(f, "echo64k") ?? NaN)} (ratios above always use node's floor)`);
  }
  const drift: string[] = [];
  for (const cores of [1, 2]) {
    for (const transport of ["unix", "tcp"]) {
      const fl = nodeFloors(report, transport, cores);
      const s = fl.find((f) => f.when === "start");
      const e = fl.find((f) => f.when === "end");
      if (s && e) {
        drift.push(`floor ${transport} ${cores}-core, end vs start: add p50 ${fmtX(cost("lat", value(e, "add"), value(s, "add")))}, add calls/s ${fmtX(cost("tput", value(e, "add@64"), value(s, "add@64")))}`);
      }
    }
  }
  return [...lines, ...drift];
}

export function renderReport(report: BenchReport): { text: string; markdown: { doc: string; svg: string } } {
  const out: string[] = [];
  const load = `load average ${report.machine.loadStart.map((l) => l.toFixed(2)).join(" ")} at the start, ${report.machine.loadEnd.map((l) => l.toFixed(2)).join(" ")} at the end (1-min max ${report.machine.loadMax1.toFixed(2)}), ${report.machine.cpus} CPUs`;
  out.push(`edgebind bench, ${report.mode} run, ${report.date}, ${report.seconds} s; ${load}`);
  out.push(`versions: ${Object.entries(report.versions).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  out.push("cells: value  ×floor (cost vs the raw echo floor: latency ratio, or floor rate ÷ our rate)  ×capnweb (same)");
  const md: string[] = [];
  for (const cores of [1, 2] as const) {
    const rows = tableRuns(report, cores);
    if (rows.length === 0) continue;
    const title = cores === 1 ? "1 core (client and server pinned to CPU 0: CPU cost)" : "2 cores (server on CPU 1, client on CPU 0)";
    out.push(`\n${title}`);
    out.push(["system".padEnd(32), "wire".padEnd(5), ...METRICS.map((m) => m.head.slice(0, 26).padEnd(26))].join(" "));
    md.push(`\n### ${title}\n`);
    md.push(`| system | wire | ${METRICS.map((m) => m.head).join(" | ")} |`);
    md.push(`|---|---|${METRICS.map(() => "---:").join("|")}|`);
    for (const run of rows) {
      const floor = floorFor(report, run.transport, cores);
      const cw = capnwebFor(report, run.transport, cores);
      const cells = METRICS.map((m) => cellFor(run, m, floor, cw));
      const t = cells.map((c) => (c ? `${c.text} ${run.system === "floor" && !c.xFloor ? "" : fmtX(c.xFloor)}${c.xCapnweb !== undefined ? ` ${fmtX(c.xCapnweb)}` : ""}` : "–"));
      out.push([label(run).padEnd(32), run.transport.padEnd(5), ...t.map((s) => s.padEnd(26))].join(" "));
      const mdCells = cells.map((c) => {
        if (!c) return "–";
        const parts = [`**${c.text}**`];
        if (run.system !== "floor" || run.id.includes("/")) {
          if (c.xFloor !== undefined && run.system !== "floor") parts.push(`${fmtX(c.xFloor)} floor`);
          if (c.xCapnweb !== undefined && run.system !== "floor") parts.push(`${fmtX(c.xCapnweb)} capnweb`);
        }
        return parts.join("<br>");
      });
      md.push(`| ${label(run)} | ${run.transport} | ${mdCells.join(" | ")} |`);
    }
  }
  const tg = targets(report);
  out.push("\ntargets (node↔node, unix, 1 core, same run)");
  const w = Math.max(...tg.map((t) => t.what.length));
  for (const t of tg) out.push(`  ${(t.met === null ? "n/j" : t.met ? "met" : "MISSED").padEnd(6)} ${t.what.padEnd(w)}  ${t.target.padEnd(9)} ${t.measured}`);
  const extra = extraText(report);
  if (extra.length) out.push("", ...extra);
  const ip = inprocessText(report);
  out.push(...ip.text);
  if (report.failures.length) {
    out.push("\nfailed steps:");
    for (const f of report.failures) out.push(`  ${f.id}: ${f.error.split("\n").slice(0, 6).join("\n    ")}`);
  }
  for (const run of report.runs) {
    for (const [k, e] of Object.entries(run.errors)) out.push(`  ${run.id} ${k}: ${e}`);
  }

  const doc = [
    "# Benchmarks",
    "",
    "Generated by `npm run bench` (quick) / `npm run bench -- --full` (bench/main.ts); do not edit by hand.",
    "Method, scenarios and how to read the numbers: see the end of this page; profiles and what was",
    "tried to make the hot path faster: [PERFORMANCE.md](PERFORMANCE.md).",
    "",
    `**This run:** ${report.mode}, ${report.date}, ${report.seconds} s; ${load}.`,
    `Versions: ${Object.entries(report.versions).map(([k, v]) => `${k} ${v}`).join(", ")}.`,
    ...(report.commit ? [`Commit ${report.commit}${report.dirty?.length ? ` with uncommitted changes in ${report.dirty.join(", ")}` : ""}.`] : []),
    `Budget per scenario: ${report.budget.warmup} ms warm-up, ${report.budget.time} ms measured; heap readings after ${report.budget.heapAt.replace(",", " and ")} calls. Each client first warms its connection with up to ${WARM_UP.connectionCalls} adds (and an echo64k every 16th), at most ${WARM_UP.connectionCapMs / 1000} s, and each fetch scenario with up to ${WARM_UP.fetchRequests} requests, at most ${WARM_UP.fetchCapFactor} times the warm-up.`,
    ...(report.malloc ? [`Every process ran with the allocator settings edgebind's launcher gives its hosts: ${Object.entries(report.malloc).map(([k, v]) => `${k}=${v}`).join(", ")} (adapters/cli/launch.ts).`] : []),
    ...(report.v8Flags?.length ? [`Every Node and Deno process ran with the V8 flags edgebind's launcher gives its hosts: ${report.v8Flags.join(" ")}.`] : []),
    "",
    "The machine is a shared 2-vCPU VM: absolute numbers move with other load, so every figure is",
    "also given as a ratio to the raw echo floor measured in the same run (cost: latency ÷ floor",
    "latency, or floor rate ÷ our rate; 1.00× is the floor, bigger is slower) and to capnweb.",
    "",
    "![runtime × scenario: cost relative to the raw floor](benchmarks.svg)",
    "",
    "## Targets (node↔node, Unix socket, 1-core mode, same run)",
    "",
    "| measure | target | measured | |",
    "|---|---|---|---|",
    ...tg.map((t) => `| ${t.what} | ${t.target} | ${t.measured} | ${t.met === null ? "not judged" : t.met ? "met" : "**missed**"} |`),
    "",
    "## Results",
    ...md,
    "",
    ...(extra.length ? ["### fetch through a binding, CPU per call, other floors, floor drift", "", ...extra.map((l) => `- ${l}`), ""] : []),
    "### In-process (tinybench; one runtime, pinned to CPU 0)",
    ...ip.md,
    "",
    ...(report.failures.length ? ["### Steps that failed in this run", "", ...report.failures.map((f) => `- \`${f.id}\`: ${f.error.split("\n")[0]}`), ""] : []),
    "## Running it",
    "",
    "- `npm run bench`: the quick run (under 3 minutes): node↔node over Unix and TCP, deno↔deno and",
    "  bun↔bun over Unix, the two interleaved steps with fewer and shorter rounds, capnweb, workerd, the",
    "  in-process measures on Node, and node↔node in 2-core mode; the heap is read after 4k and 20k",
    "  calls (a leak smoke check).",
    "- `npm run bench -- --full`: every pair (node, deno, bun as server × client), TCP for each",
    "  runtime, both modes, the in-process measures on all three runtimes, floors per runtime, and",
    "  the heap after 100k and 1M calls. Takes tens of minutes.",
    "- `--only=<id substring>[,…]` runs the matching steps (ids like `edgebind/node-node/unix/1c`,",
    "  `floor/node/unix/1c/start`, `interleaved/node-node/unix/1c`, `interleaved/hosts`, `capnweb`,",
    "  `workerd`, `inprocess/bun`) and writes",
    "  bench/results/partial.tmp only; `--no-pin` skips taskset; `--no-docs` leaves docs/ alone.",
    "- Pieces can run alone: `node --import tsx bench/codec-v8.ts`, `bench/codec-capnp.ts`,",
    "  `bench/engine.ts` (also under `bun` and `deno run -A`); probes in bench/tools/.",
    "- Needs `taskset` (util-linux) for pinning; the runtimes and workerd come from `npm ci`.",
    "",
    "## Method",
    "",
    "- Every cross-process figure comes from two processes, a server and a client, started fresh for",
    "  each row and pinned with `taskset`: **1 core** runs both on CPU 0 (shows CPU cost, the figure to",
    "  optimise), **2 cores** puts the server on CPU 1 and the client on CPU 0 (realistic; pays a",
    "  cross-CPU wake-up per message).",
    "- **Floor**: a raw length-prefixed echo over node:net on the same transport (bench/peers/raw-echo.ts;",
    "  `add` is a 64-byte frame). It runs at the start and at the end of each mode; ratios use their",
    "  mean, and the drift between the two is printed above. A target that is a ratio to the floor is",
    "  judged against both readings: \"not judged\" when they give different verdicts, or when the floor",
    "  read slower than edgebind.",
    "- **Taking turns** (the add, echo64k and chain3 targets, from 2026-11-28): a raw echo server and an",
    "  edgebind host run at once, and two clients, the floor's and a service binding, take turns in",
    "  bursts of sequential calls (bench/peers/burst-client.ts), every process on CPU 0, the order",
    "  alternating round by round; then the binding alone alternates bursts of chain3 pipelined and of",
    "  add. Each round's ratio compares two bursts a few tens of milliseconds apart, so the machine's",
    "  drift within the run falls on both; the target is judged on the median round. The separate",
    "  rows' ratio (the table) is shown beside it. The host targets the same way: a Node, a Deno and a",
    "  Bun host run at once, each with its own Node burst client, and the clients take turns in bursts",
    "  of add and echo64k, sequential and with 64 in flight. A full run spreads the rounds over fresh",
    "  processes (3 sets of 10 rounds; 2 for the hosts): two processes of the same code can differ by",
    "  ~10% for as long as they live. Each burst client first makes as many echo64k calls as adds",
    "  (3,000 in a full run): the echo path is tiered up by the JIT only after thousands of calls.",
    "  Each scenario's rounds start with some that are not recorded, at least two and at least 600",
    "  calls: a process that has just run another workload (the add with 64 in flight before echo64k)",
    "  reads slow for a few hundred calls (a Deno host grows into memory it has not used before until",
    "  its first collection of large-value garbage, and first-touched memory is slow on this VM).",
    "- **Allocator**: every process runs with the allocator settings edgebind's launcher gives its hosts",
    "  (glibc: no heap trimming below 64 MiB free; Bun's mimalloc: no purging; see",
    "  adapters/cli/launch.ts). With glibc's defaults a process that frees a 64 KiB buffer per message",
    "  gives the heap top back to the kernel and page-faults a new one each time: the naive floor's",
    "  echo64k read 520–570 µs that way on this VM, and 77–80 µs without. A Bun host with a 1 s purge",
    "  delay read 2.75× a Node host on echo64k with 64 in flight, 1.70× without purging. A process",
    "  pinned to one CPU also gets JavaScriptCore's collector without its concurrent thread",
    "  (`BUN_JSC_useConcurrentGC=0`, read by Bun only), as the launcher gives a Bun host with one CPU.",
    "- **V8 heap**: every Node and Deno process starts with a 64 MiB initial heap (`--initial-heap-size=64`,",
    "  as edgebind's launcher starts its hosts). V8 sizes a small heap's allocation limit from the heap",
    "  itself, and the ArrayBuffers of large messages reached it every ~130 echo64k calls: a full",
    "  mark-compact each time (~10 ms on the core), where the scavenges alone free them with the flag.",
    "- **edgebind**: a host started exactly as `edgebind serve` starts it (adapters/cli/launch.ts) serving",
    "  bench/fixtures/bench-worker.js; the client is a service binding made the way a host makes",
    "  `env.X` (CONNECT, one connection, a new session per call), on the client runtime named.",
    "- **capnweb**: capnweb 0.12 over a `ws` WebSocket, node↔node, same API (bench/peers/capnweb.ts).",
    "- **workerd**: two workerd processes, the caller binding the callee as an `external` service with",
    "  `capnpConnectHost` over a Unix socket; a driver times HTTP requests that each run N calls from",
    "  outside (workerd's in-Worker clock is coarse), so its p50 is the median of per-request means.",
    "- Scenarios: `add(1, 2)` sequential awaited calls (p50); `add` calls/s with 64 in flight on one",
    "  connection; echo of a 64 KiB and a 1 MiB Uint8Array (p50, and calls/s with 64 / 16 in flight);",
    "  `a().b().c()` pipelined (one round trip) vs each step awaited; `fetch` through the binding vs",
    "  plain HTTP to the same address; heap after a forced GC at two call counts (leaks).",
    "",
  ].join("\n");
  return { text: out.join("\n"), markdown: { doc, svg: renderSvg(report) } };
}

/** A heat map: one row per system/pair (1-core), one column per scenario, colour = cost vs the floor. */
export function renderSvg(report: BenchReport): string {
  const rows = tableRuns(report, 1).filter((r) => r.system !== "floor");
  const cols = METRICS;
  const cw = 118;
  const rh = 34;
  const left = 280;
  const top = 108;
  const width = left + cols.length * cw + 20;
  const height = top + rows.length * rh + 70;
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const colour = (x: number | undefined) =>
    x === undefined ? "#eeeeee" : x <= 1.5 ? "#7fc97f" : x <= 3 ? "#d9ef8b" : x <= 6 ? "#fee08b" : x <= 12 ? "#fc8d59" : "#d73027";
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  parts.push(`<rect width="100%" height="100%" fill="white"/>`);
  parts.push(`<text x="10" y="22" font-size="15" font-weight="bold">Cost relative to the raw echo floor, 1-core mode (${esc(report.date.slice(0, 10))}, ${report.mode} run)</text>`);
  parts.push(`<text x="10" y="42" fill="#444">1.0× = the raw length-prefixed echo on the same transport; latency ratio, or floor rate ÷ rate. chain3 is relative to one floor add.</text>`);
  parts.push(`<text x="10" y="58" fill="#444">load average ${report.machine.loadStart.map((l) => l.toFixed(1)).join("/")} → ${report.machine.loadEnd.map((l) => l.toFixed(1)).join("/")}; cell text: cost and measured value</text>`);
  cols.forEach((m, i) => {
    const words = m.head.replace(" (64 in flight)", "").replace(" (16 in flight)", "").split(" ");
    const mid = Math.ceil(words.length / 2);
    parts.push(`<text x="${left + i * cw + cw / 2}" y="${top - 20}" text-anchor="middle" font-weight="bold">${esc(words.slice(0, mid).join(" "))}</text>`);
    parts.push(`<text x="${left + i * cw + cw / 2}" y="${top - 6}" text-anchor="middle" font-weight="bold">${esc(words.slice(mid).join(" "))}</text>`);
  });
  rows.forEach((run, j) => {
    const y = top + j * rh;
    parts.push(`<text x="10" y="${y + rh / 2 + 4}">${esc(label(run))}, ${esc(run.transport)}</text>`);
    const floor = floorFor(report, run.transport, 1);
    cols.forEach((m, i) => {
      const c = cellFor(run, m, floor, undefined);
      const x = left + i * cw;
      parts.push(`<rect x="${x + 1}" y="${y + 1}" width="${cw - 2}" height="${rh - 2}" fill="${colour(c?.xFloor)}" rx="3"/>`);
      if (c) {
        parts.push(`<text x="${x + cw / 2}" y="${y + 15}" text-anchor="middle" font-weight="bold">${c.xFloor === undefined ? "–" : `${c.xFloor.toFixed(2)}×`}</text>`);
        parts.push(`<text x="${x + cw / 2}" y="${y + 28}" text-anchor="middle" fill="#333" font-size="10">${esc(c.text)}</text>`);
      }
    });
  });
  const ly = top + rows.length * rh + 24;
  const legend: [string, number][] = [["≤1.5×", 1], ["≤3×", 2], ["≤6×", 5], ["≤12×", 10], [">12×", 20]];
  legend.forEach(([t, x], i) => {
    parts.push(`<rect x="${10 + i * 90}" y="${ly}" width="20" height="14" fill="${colour(x)}"/>`);
    parts.push(`<text x="${36 + i * 90}" y="${ly + 11}">${t}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}
