#!/usr/bin/env node
// `npm run bench` (quick, under 3 minutes) and `npm run bench -- --full`: runs bench/main.ts
// under Node with tsx (the orchestrator starts every server and client itself, pinned with
// taskset). Options: --full, --only=<id substring>[,...], --no-docs, --no-pin. See docs/BENCHMARKS.md.
import { spawn } from "node:child_process";
import { root } from "./runtimes.mjs";

const child = spawn(process.execPath, ["--import", "tsx", "bench/main.ts", ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
child.on("close", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
