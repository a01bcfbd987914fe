// Finds the three runtimes that `npm ci` brings in as devDependencies.
// npm 11 does not run install scripts unless allowed, so the packages' own bin shims may be
// placeholders; the real binaries live in the platform packages. We probe each candidate.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const nm = join(root, "node_modules");

const candidates = {
  node: [process.execPath],
  deno: [
    process.env.EDGEBIND_DENO,
    join(nm, "@deno/linux-x64-glibc/deno"),
    join(nm, "@deno/linux-arm64-glibc/deno"),
    join(nm, "deno/deno"),
  ],
  bun: [
    process.env.EDGEBIND_BUN,
    join(nm, "@oven/bun-linux-x64/bin/bun"),
    join(nm, "@oven/bun-linux-x64-baseline/bin/bun"),
    join(nm, "@oven/bun-linux-aarch64/bin/bun"),
    join(nm, "bun/bin/bun.exe"),
  ],
  workerd: [
    process.env.EDGEBIND_WORKERD,
    join(nm, "@cloudflare/workerd-linux-64/bin/workerd"),
    join(nm, "@cloudflare/workerd-linux-arm64/bin/workerd"),
  ],
};

const found = new Map();

/** Absolute path of a working binary for `name` (node | deno | bun | workerd), or throws. */
export function runtimePath(name) {
  if (found.has(name)) return found.get(name);
  const tried = [];
  for (const path of candidates[name] ?? []) {
    if (!path || !existsSync(path)) continue;
    try {
      execFileSync(path, ["--version"], { stdio: "pipe", timeout: 20_000 });
      found.set(name, path);
      return path;
    } catch (err) {
      tried.push(`${path}: ${err.message.split("\n")[0]}`);
    }
  }
  throw new Error(`No working ${name} binary found (run \`npm ci\`). Tried:\n  ${tried.join("\n  ") || "(no candidates exist)"}`);
}
