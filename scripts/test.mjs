#!/usr/bin/env node
// `npm test`: type-check once, then run the ONE test suite under Node (via tsx), Deno and Bun.
// Prints each runtime's counts and ends with a single line `N passed, N failed` summed over all
// three. Exits non-zero if the type-check or any runtime fails.
//
//   npm test                         everything
//   npm test -- --runtime bun        one runtime (repeatable)
//   npm test -- test/v8.test.ts      only these files
//   npm test -- --no-typecheck
import { spawn } from "node:child_process";
import { readdirSync, statSync, readFileSync, rmSync, mkdtempSync } from "node:fs";
import { join, relative } from "node:path";
import { tmpdir } from "node:os";
import { root, runtimePath } from "./runtimes.mjs";

const args = process.argv.slice(2);
const runtimes = [];
const files = [];
let typecheck = true;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--runtime") runtimes.push(args[++i]);
  else if (args[i] === "--no-typecheck") typecheck = false;
  else files.push(args[i]);
}
if (runtimes.length === 0) runtimes.push("node", "deno", "bun");

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === "node_modules" || name === "build" || name === "fixtures") continue;
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (name.endsWith(".test.ts")) out.push(relative(root, path));
  }
  return out.sort();
}
const testFiles = files.length ? files : findTests(join(root, "test"));

/** Runs a command, streaming its output through, and resolves with {code, output}. */
function run(cmd, argv, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const onData = (stream) => (chunk) => { output += chunk; stream.write(chunk); };
    child.stdout.on("data", onData(process.stdout));
    child.stderr.on("data", onData(process.stderr));
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

const strip = (s) => s.replace(/\x1b\[[0-9;]*m/g, "");

const counters = {
  async node() {
    const { code, output } = await run(process.execPath, [
      "--import", "tsx", "--import", "./adapters/node/register.mjs",
      "--test", "--test-reporter=tap", "--test-timeout=120000", ...testFiles,
    ]);
    const num = (key) => Number(strip(output).match(new RegExp(`^# ${key} (\\d+)$`, "m"))?.[1] ?? NaN);
    return { code, passed: num("pass"), failed: num("fail") + (num("cancelled") || 0) };
  },
  async deno() {
    const dir = mkdtempSync(join(tmpdir(), "edgebind-deno-junit-"));
    const junit = join(dir, "report.xml");
    const { code } = await run(runtimePath("deno"), [
      "test", "-A", "--no-check", `--junit-path=${junit}`, ...testFiles,
    ], { NO_COLOR: "1" });
    let xml = "";
    try { xml = readFileSync(junit, "utf8"); } catch { /* no report: counted as failure below */ }
    rmSync(dir, { recursive: true, force: true });
    // Deno reports describe() blocks as tests and it() as steps; count leaves only, like Node and Bun.
    const cases = [...xml.matchAll(/<testcase name="([^"]*)"[^>]*>([\s\S]*?)<\/testcase>/g)]
      .map((m) => ({ name: m[1], failed: /<failure/.test(m[2]) }));
    const leaves = cases.filter((c) => !cases.some((o) => o.name.startsWith(c.name + " &gt; ")));
    const failed = leaves.filter((c) => c.failed).length;
    return { code, passed: leaves.length - failed, failed: xml ? failed : NaN };
  },
  async bun() {
    const { code, output } = await run(runtimePath("bun"), [
      "test", "--timeout", "120000", ...testFiles.map((f) => "./" + f),
    ], { NO_COLOR: "1" });
    const text = strip(output);
    const num = (key) => Number(text.match(new RegExp(`^\\s*(\\d+) ${key}$`, "m"))?.[1] ?? NaN);
    return { code, passed: num("pass"), failed: num("fail") };
  },
};

let passed = 0;
let failed = 0;
let ok = true;
if (typecheck) {
  console.log("== type-check (tsc)");
  const { code } = await run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"]);
  if (code !== 0) { ok = false; console.log("type-check FAILED"); }
}
const lines = [];
for (const rt of runtimes) {
  console.log(`\n== ${rt}: ${testFiles.length} test files`);
  const r = await counters[rt]();
  const counted = Number.isFinite(r.passed) && Number.isFinite(r.failed);
  if (r.code !== 0 || !counted || r.failed > 0) ok = false;
  if (counted) { passed += r.passed; failed += r.failed; }
  else failed += 1; // a runtime that crashed before reporting counts as a failure
  lines.push(`${rt}: ${counted ? `${r.passed} passed, ${r.failed} failed` : "no report"} (exit ${r.code})`);
}
console.log("\n" + lines.join("\n"));
if (!ok && failed === 0) failed = 1; // a failed type-check or a non-zero exit must show in the count
console.log(`${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
