// Judging a report against the reference (workerd → workerd) case by case. A case passes when
// its outcome is deep-equal to the reference's, or — for a case with `ours` (a documented
// choice) whose deciding side is edgebind in this arrangement — equal to `ours.value`.
import { isDeepStrictEqual } from "node:util";
import type { Arrangement } from "./setup.ts";
import { cases, type Case } from "./cases.js";
import { tag } from "./tag.js";

export type Status =
  | "same" // identical to workerd's outcome
  | "ours" // a documented choice: edgebind's documented outcome, as asserted
  | "differs"; // a failure

export interface Verdict {
  readonly name: string;
  readonly status: Status;
  readonly expected: unknown;
  readonly actual: unknown;
}

/** The side whose behaviour decides the case's outcome is edgebind here. */
function decidedByEdgebind(c: Case, a: Arrangement): boolean {
  switch (c.ours?.side) {
    case "caller": return a.caller !== "workerd";
    case "callee": return a.callee !== "workerd";
    case "workerd-caller": return a.caller === "workerd" && a.callee !== "workerd";
    default: return a.caller !== "workerd" || a.callee !== "workerd";
  }
}

export function judge(c: Case, a: Arrangement, reference: Record<string, unknown>, report: Record<string, unknown>): Verdict {
  const actual = report[c.name];
  const ours = c.ours && decidedByEdgebind(c, a);
  const expected = ours ? oursReport(c.ours!.value) : reference[c.name];
  const equal = actual !== undefined && isDeepStrictEqual(JSON.parse(JSON.stringify(actual)), JSON.parse(JSON.stringify(expected)));
  return { name: c.name, status: equal ? (ours ? "ours" : "same") : "differs", expected, actual };
}

export function judgeAll(a: Arrangement, reference: Record<string, unknown>, report: Record<string, unknown>): Verdict[] {
  return cases.map((c) => judge(c, a, reference, report));
}

export { cases };

/** `ours.value` is written as a report whose value may be raw JS: tag it like the caller does. */
function oursReport(v: unknown): unknown {
  const r = v as { value?: unknown; error?: unknown };
  return "value" in r ? { value: tag(r.value) } : r;
}
