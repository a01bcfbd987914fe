// Differential conformance against a real workerd (issue 5). One caller Worker and one callee
// Worker (test/conformance/*.js), unmodified, run a battery of Workers RPC cases in these
// arrangements; every report must equal the reference, workerd → workerd, produced in the same
// run:
//   workerd → workerd (reference), workerd → edgebind, edgebind → workerd, edgebind → edgebind.
// A case that documents a deliberate choice (`ours` in cases.js) must give edgebind's documented
// outcome where edgebind decides it; a known open difference (notes.ts) is reported, not asserted.
//
// Which arrangements run: under the test runner on runtime R (npm test runs node, deno, bun),
// those where R is the caller or the callee opposite workerd, plus R → every runtime; so one
// `npm test` covers all of them. EDGEBIND_CONFORMANCE=all runs the whole matrix in one process;
// EDGEBIND_WRITE_COMPAT=1 does that and rewrites docs/COMPATIBILITY.md. Without it, the test
// fails if a cell of docs/COMPATIBILITY.md for an arrangement it ran says otherwise.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { cases, judge, type Verdict } from "./conformance/compare.ts";
import { renderDoc, readDocCells, cellFor, type Cell } from "./conformance/doc.ts";
import { OPEN, OPEN_CASES } from "./conformance/notes.ts";
import { label, Lab, RUNTIMES, type Arrangement, type Runtime } from "./conformance/setup.ts";

const DOC = fileURLToPath(new URL("../docs/COMPATIBILITY.md", import.meta.url));
const REFERENCE: Arrangement = { caller: "workerd", callee: "workerd" };

function currentRuntime(): Runtime {
  if ("Deno" in globalThis) return "deno";
  if (process.versions.bun) return "bun";
  return "node";
}

/** Every arrangement, in the doc's column order. */
export const ALL_ARRANGEMENTS: Arrangement[] = [
  ...RUNTIMES.map((r): Arrangement => ({ caller: "workerd", callee: r })),
  ...RUNTIMES.map((r): Arrangement => ({ caller: r, callee: "workerd" })),
  ...RUNTIMES.flatMap((caller) => RUNTIMES.map((callee): Arrangement => ({ caller, callee }))),
];

const writing = process.env.EDGEBIND_WRITE_COMPAT === "1";
const everything = writing || process.env.EDGEBIND_CONFORMANCE === "all";
const here = currentRuntime();
const arrangements = everything
  ? ALL_ARRANGEMENTS
  : ALL_ARRANGEMENTS.filter((a) => a.caller === here || (a.caller === "workerd" && a.callee === here));

const lab = new Lab([REFERENCE, ...arrangements]);
const reports = new Map<string, Promise<Record<string, unknown>>>();
let queue: Promise<unknown> = Promise.resolve();

/** One battery run per arrangement, one at a time (timing-sensitive cases stay calm). */
function reportOf(a: Arrangement): Promise<Record<string, unknown>> {
  let p = reports.get(label(a));
  if (!p) {
    p = queue.then(() => lab.report(a));
    queue = p.catch(() => {});
    reports.set(label(a), p);
  }
  return p;
}

const verdicts = new Map<string, Map<string, Cell>>();

function verdictOf(c: (typeof cases)[number], a: Arrangement, reference: Record<string, unknown>, report: Record<string, unknown>): { verdict: Verdict; cell: Cell } {
  const verdict = judge(c, a, reference, report);
  const openKey = OPEN_CASES[c.name];
  const open = openKey !== undefined && OPEN[openKey]!.applies(a, c.name);
  const cell: Cell = open ? "O" : cellFor(verdict.status, false);
  let column = verdicts.get(label(a));
  if (!column) verdicts.set(label(a), (column = new Map()));
  column.set(c.name, cell);
  return { verdict, cell };
}

before(async () => {
  await lab.start();
}, { timeout: 120_000 });

after(async () => {
  await lab.stop();
});

describe("conformance: the reference (workerd → workerd)", () => {
  it("answers every case", async () => {
    const reference = await reportOf(REFERENCE);
    assert.deepEqual(Object.keys(reference), cases.map((c) => c.name));
    const timeouts = Object.entries(reference).filter(([, v]) => (v as { error?: { $?: string } }).error?.$ === "timeout");
    assert.deepEqual(timeouts.map(([k]) => k), [], "cases that timed out on workerd");
  });
});

for (const a of arrangements) {
  describe(`conformance: ${label(a)}`, () => {
    for (const c of cases) {
      it(c.name, async () => {
        const [reference, report] = await Promise.all([reportOf(REFERENCE), reportOf(a)]);
        const { verdict, cell } = verdictOf(c, a, reference, report);
        if (cell === "O") return; // a known open difference (docs/COMPATIBILITY.md, "Open")
        assert.deepEqual(verdict.actual, verdict.expected, `${label(a)}: ${c.name}${c.ours && verdict.status !== "same" ? ` (choice: ${c.ours.why})` : ""}`);
      });
    }
  });
}

describe("conformance: docs/COMPATIBILITY.md", () => {
  it(writing ? "is rewritten from this run" : "agrees with this run", async () => {
    // Every arrangement's cases ran before this (node:test runs describe blocks in order).
    for (const a of arrangements) {
      const [reference, report] = await Promise.all([reportOf(REFERENCE), reportOf(a)]);
      for (const c of cases) if (!verdicts.get(label(a))?.has(c.name)) verdictOf(c, a, reference, report);
    }
    if (writing) {
      writeFileSync(DOC, renderDoc(ALL_ARRANGEMENTS, verdicts));
      return;
    }
    assert.ok(existsSync(DOC), "docs/COMPATIBILITY.md is missing: run with EDGEBIND_WRITE_COMPAT=1");
    const committed = readDocCells(readFileSync(DOC, "utf8"));
    const stale: string[] = [];
    for (const a of arrangements) {
      for (const c of cases) {
        const want = verdicts.get(label(a))!.get(c.name)!;
        const have = committed.get(label(a))?.get(c.name);
        if (have !== want) stale.push(`${label(a)} / ${c.name}: doc says ${have ?? "(nothing)"}, this run ${want}`);
      }
    }
    assert.deepEqual(stale, [], "docs/COMPATIBILITY.md is stale: regenerate with `EDGEBIND_WRITE_COMPAT=1 node scripts/test.mjs --runtime node test/conformance.test.ts`");
  });
});
