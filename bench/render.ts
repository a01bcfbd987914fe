// Re-renders the table, docs/BENCHMARKS.md and docs/benchmarks.svg from a saved run, without
// measuring again (after a change to bench/report.ts, or to publish an older run).
//   node --import tsx bench/render.ts bench/results/latest-full.json [--no-docs]
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./orchestrate.ts";
import { renderReport, type BenchReport } from "./report.ts";

const [file, flag] = process.argv.slice(2);
if (!file) {
  console.error("usage: node --import tsx bench/render.ts <bench/results/*.json> [--no-docs]");
  process.exit(2);
}
const report = JSON.parse(readFileSync(file, "utf8")) as BenchReport;
const { text, markdown } = renderReport(report);
console.log(text);
if (flag !== "--no-docs") {
  writeFileSync(join(ROOT, "docs/BENCHMARKS.md"), markdown.doc);
  writeFileSync(join(ROOT, "docs/benchmarks.svg"), markdown.svg);
  console.log("\nwrote docs/BENCHMARKS.md and docs/benchmarks.svg");
}
