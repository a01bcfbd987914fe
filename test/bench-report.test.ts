// The bench report's verdicts on the targets that are ratios to the raw floor: judged on the
// interleaved step's rounds when the run has it; else against the floor's start and end
// readings, and not judged when those disagree or when the floor read slower than edgebind
// (bench/report.ts).

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type BenchReport, type BenchRun, targets } from "../bench/report.ts";

function run(id: string, system: BenchRun["system"], results: Record<string, number>, when?: string): BenchRun {
  const out: BenchRun["results"] = {};
  for (const [key, p50] of Object.entries(results)) out[key] = { p50, p99: p50, mean: p50, n: 1000 };
  return { id, system, server: "node", client: "node", transport: "unix", cores: 1, runtime: "node", results: out, errors: {}, when };
}

function report(floorStart: Record<string, number>, floorEnd: Record<string, number>, ours: Record<string, number>): BenchReport {
  return {
    date: "2026-11-28T00:00:00.000Z",
    mode: "full",
    seconds: 1,
    machine: { cpus: 2, model: "test", loadStart: [0, 0, 0], loadEnd: [0, 0, 0], loadMax1: 0 },
    versions: {},
    budget: { warmup: 1, time: 1, heapAt: "1,2" },
    pinned: true,
    runs: [
      run("floor/node/unix/1c/start", "floor", floorStart, "start"),
      run("edgebind/node-node/unix/1c", "edgebind", ours),
      run("floor/node/unix/1c/end", "floor", floorEnd, "end"),
    ],
    failures: [],
  };
}

const verdict = (r: BenchReport, what: string) => {
  const t = targets(r).find((x) => x.what === what);
  assert.ok(t, what);
  return t;
};

describe("bench report: targets against the raw floor", () => {
  it("judges a ratio when the start and end floors agree", () => {
    const r = report({ add: 40, echo64k: 100 }, { add: 42, echo64k: 104 }, { add: 56, echo64k: 250 });
    const add = verdict(r, "add p50 vs raw floor");
    assert.equal(add.met, true);
    assert.match(add.measured, /^1\.37× /);
    assert.equal(verdict(r, "echo64k p50 vs raw floor").met, false);
  });

  it("does not judge a ratio the floor's movement within the run decides", () => {
    const r = report({ add: 35.8 }, { add: 47.5 }, { add: 55.3 });
    const add = verdict(r, "add p50 vs raw floor");
    assert.equal(add.met, null);
    assert.match(add.measured, /not judged: the floor moved within the run \(1\.54× against the start floor, 1\.16× against the end floor\)/);
  });

  it("still judges a ratio that both floors put on the same side of the target", () => {
    const r = report({ add: 30 }, { add: 45 }, { add: 90 });
    assert.equal(verdict(r, "add p50 vs raw floor").met, false);
  });

  it("does not judge against a floor that read slower than edgebind", () => {
    const r = report({ add: 35, echo64k: 592 }, { add: 36, echo64k: 803 }, { add: 50, echo64k: 263 });
    const echo = verdict(r, "echo64k p50 vs raw floor");
    assert.equal(echo.met, null);
    assert.match(echo.measured, /the raw floor read slower than edgebind/);
    assert.equal(verdict(r, "add p50 vs raw floor").met, true);
  });

  it("shows a rate beside the floor's rate and the share of it the target asked, judging the absolute rate", () => {
    const r = report({ add: 40 }, { add: 40 }, { add: 56 });
    const rate = (perSec: number) => ({ perSec, n: 20000, inFlight: 64 });
    r.runs[0]!.results["add@64"] = rate(110_000);
    r.runs[2]!.results["add@64"] = rate(130_000);
    r.runs[1]!.results["add@64"] = rate(80_000);
    r.runs[1]!.results["echo64k@64"] = rate(13_000);
    const add = verdict(r, "add calls/s, 64 in flight");
    assert.equal(add.met, false, "judged on the absolute rate");
    assert.equal(add.measured, "80k/s (floor 120k/s, itself below the target here; 0.67 of the floor's rate; the target is 0.65 of the anchors' 230k/s)");
    const echo = verdict(r, "echo64k calls/s, 64 in flight");
    assert.equal(echo.met, true);
    assert.equal(echo.measured, "13k/s", "no floor rate in the run: the rate alone");
  });

  it("judges a ratio on the interleaved rounds when the run has them, whatever the separate floors say", () => {
    const r = report({ add: 35.8, echo64k: 80 }, { add: 47.5, echo64k: 82 }, { add: 55.3, echo64k: 190 });
    // The hosts step is found by what it holds, not by where it sits among the runs.
    r.runs.unshift({
      id: "interleaved/hosts/unix/1c", system: "interleaved", server: "node,deno,bun", client: "node", transport: "unix", cores: 1,
      runtime: "node", results: {}, errors: {}, hostTurns: {},
    });
    r.runs.push({
      id: "interleaved/node-node/unix/1c", system: "interleaved", server: "node", client: "node", transport: "unix", cores: 1,
      runtime: "node", results: {}, errors: {},
      interleaved: {
        // Round by round the ratio is 1.6, 1.4, 1.45 (median 1.45), though the floor drifts.
        add: { calls: 1000, reference: [30, 40, 50], edgebind: [48, 56, 72.5] },
        echo64k: { calls: 200, reference: [100, 100], edgebind: [150, 170] },
        "chain3.pipelined": { calls: 1000, reference: [50, 60, 55], edgebind: [62, 80, 70] },
      },
    });
    const add = verdict(r, "add p50 vs raw floor");
    assert.equal(add.met, true);
    assert.match(add.measured, /^1\.45× taking turns with the floor \(56\.0 µs vs 40\.0 µs: medians of 3 bursts of 1000 calls each; the middle half of the rounds 1\.40–1\.60×\); in the separate runs 1\.33× /);
    const echo = verdict(r, "echo64k p50 vs raw floor");
    assert.equal(echo.met, false);
    assert.match(echo.measured, /^1\.60× taking turns/);
    // chain3 against the add bursts next to it: 1.24, 1.33, 1.27 (median 1.27), where the
    // separate rows (no chain3 in them here) say nothing.
    const chain = verdict(r, "chain3 pipelined p50 vs one add");
    assert.equal(chain.met, true);
    assert.match(chain.measured, /^1\.27× taking turns with one add \(70\.0 µs vs 55\.0 µs/);
  });

  it("falls back to the separate floors when the interleaved step has no bursts", () => {
    const r = report({ add: 35.8 }, { add: 47.5 }, { add: 55.3 });
    r.runs.push({
      id: "interleaved/node-node/unix/1c", system: "interleaved", server: "node", client: "node", transport: "unix", cores: 1,
      runtime: "node", results: {}, errors: {}, interleaved: {},
    });
    assert.equal(verdict(r, "add p50 vs raw floor").met, null);
  });

  it("judges a host target on the hosts taking turns: the worst scenario's median round", () => {
    const r = report({ add: 35 }, { add: 36 }, { add: 50 });
    r.runs.push({
      id: "interleaved/hosts/unix/1c", system: "interleaved", server: "node,deno,bun", client: "node", transport: "unix", cores: 1,
      runtime: "node", results: {}, errors: {},
      hostTurns: {
        add: { calls: 1000, node: [50, 60], deno: [60, 72], bun: [50, 60] },
        // A rate: the Node host's over this host's. Deno 2.0 and 1.6 (median 1.8), Bun 1.0.
        "add@64": { calls: 20000, node: [80000, 80000], deno: [40000, 50000], bun: [80000, 80000] },
        echo64k: { calls: 200, node: [200, 200], deno: [220, 220], bun: [300, 260] },
        "echo64k@64": { calls: 1000, node: [2000, 2000], deno: [2000, 2000], bun: [2000, 2000] },
      },
    });
    const deno = verdict(r, "deno host vs node host (node clients, taking turns; worst of add/echo64k p50 and calls/s)");
    assert.equal(deno.met, false);
    assert.equal(deno.measured, "1.80× taking turns with a Node host (add 1.20×, add@64 1.80×, echo64k 1.10×, echo64k@64 1.00×: medians of 2 rounds)");
    const bun = verdict(r, "bun host vs node host (node clients, taking turns; worst of add/echo64k p50 and calls/s)");
    assert.equal(bun.met, true);
    assert.match(bun.measured, /^1\.40× taking turns with a Node host \(add 1\.00×, add@64 1\.00×, echo64k 1\.40×/);
  });
});
