#!/usr/bin/env node
// `npm start`: runs the examples with `edgebind dev` — my-worker (Deno) and front (Node), wired by
// the MYWORKER service binding — and prints the URL to open. Extra arguments replace the example
// configs: `npm start -- -c a/wrangler.toml -c b/wrangler.toml`.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const configs = args.length > 0 ? args : [
  "-c", join(root, "examples/my-worker/wrangler.toml"),
  "-c", join(root, "examples/front/wrangler.toml"),
];

const child = spawn(process.execPath, [join(root, "bin/edgebind.mjs"), "dev", ...configs], { stdio: ["ignore", "pipe", "inherit"] });
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  const ready = String(chunk).match(/^edgebind: front \(\w+\) listening on (\S+:\d+)$/m);
  if (ready) console.log(`\nOpen http://${ready[1]}/ (Ctrl-C stops both Workers)\n`);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("close", (code) => process.exit(code ?? 0));
