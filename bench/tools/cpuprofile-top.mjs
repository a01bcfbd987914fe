#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof): the top functions by self time and by total
// (inclusive) time, as a Markdown table, for docs/PERFORMANCE.md.
//   node bench/tools/cpuprofile-top.mjs file.cpuprofile [top=25] [callers-of-function-name]
import { readFileSync } from "node:fs";

const [file, topArg, callersOf] = process.argv.slice(2);
const top = Number(topArg ?? 25);
const prof = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
for (const id of prof.samples) self.set(id, (self.get(id) ?? 0) + 1);
const total = prof.samples.length;
const key = (n) => {
  const f = n.callFrame;
  const url = f.url.replace(/^.*\/work\/main\//, "").replace(/^file:\/\//, "");
  return `${f.functionName || "(anonymous)"} ${url ? `${url}:${f.lineNumber + 1}` : ""}`.trim();
};
const selfBy = new Map();
const totalBy = new Map();
for (const [id, count] of self) {
  const k = key(byId.get(id));
  selfBy.set(k, (selfBy.get(k) ?? 0) + count);
  // inclusive: every distinct frame on the stack counts once
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const ck = key(byId.get(cur));
    if (seen.has(ck)) continue;
    seen.add(ck);
    totalBy.set(ck, (totalBy.get(ck) ?? 0) + count);
  }
}
const pct = (c) => ((100 * c) / total).toFixed(1);
const rows = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
console.log(`${total} samples\n\n| self % | function |\n|---:|---|`);
for (const [k, c] of rows(selfBy)) console.log(`| ${pct(c)} | \`${k}\` |`);
console.log(`\n| total % | function |\n|---:|---|`);
for (const [k, c] of rows(totalBy)) console.log(`| ${pct(c)} | \`${k}\` |`);

if (callersOf) {
  // Who calls `callersOf` (inclusive samples of each distinct caller chain, 3 frames up).
  const chains = new Map();
  for (const [id, count] of self) {
    const stack = [];
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) stack.push(byId.get(cur));
    const at = stack.findIndex((n) => n.callFrame.functionName === callersOf);
    if (at < 0) continue;
    const chain = stack.slice(at + 1, at + 4).map((n) => n.callFrame.functionName || "(anonymous)").join(" < ");
    chains.set(chain, (chains.get(chain) ?? 0) + count);
  }
  console.log(`\n| % | callers of ${callersOf} |\n|---:|---|`);
  for (const [k, c] of rows(chains)) console.log(`| ${pct(c)} | ${k} |`);
}
