#!/usr/bin/env node
// `npm run gen`: regenerates the capnp-es code for every schema in protocol/schema/ into
// protocol/schema/gen/ (JavaScript plus .d.ts, committed). Needs the `capnp` compiler from
// Debian's `capnproto` package; nothing else in the project needs it.
import { execFileSync } from "node:child_process";
import { readdirSync, rmSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { root } from "./runtimes.mjs";

const schemaDir = join(root, "protocol/schema");
const outDir = join(schemaDir, "gen");
const schemas = readdirSync(schemaDir).filter((f) => f.endsWith(".capnp")).sort();

try {
  execFileSync("capnp", ["--version"], { stdio: "pipe" });
} catch {
  console.error("npm run gen needs the Cap'n Proto compiler: apt-get install capnproto");
  process.exit(1);
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const bin = join(root, "node_modules/.bin");
// The .ts pass comes first and is deleted afterwards: capnp runs each plugin inside the output
// directory, and the js/dts plugins type-check their output there, so a schema that imports
// another schema (worker.capnp -> byte-stream.capnp) only resolves if the sibling .ts exists.
for (const lang of ["ts", "js", "dts"]) {
  execFileSync("capnp", [
    "compile", `-o${join(bin, `capnpc-${lang}`)}:${outDir}`, `--src-prefix=${schemaDir}`,
    ...schemas.map((s) => join(schemaDir, s)),
  ], { cwd: root, stdio: "inherit" });
}
for (const f of readdirSync(outDir)) {
  if (f.endsWith(".ts") && !f.endsWith(".d.ts")) rmSync(join(outDir, f));
}
console.log(`generated ${schemas.length} schema(s) into ${outDir}: ${readdirSync(outDir).join(", ")}`);
