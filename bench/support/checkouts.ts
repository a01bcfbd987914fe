// Versions of edgebind to compare, for the A/B probes (bench/tools/ab.ts,
// bench/tools/instructions-per-call.ts): a directory as it is, or a git ref checked out into a
// temporary worktree of this repository with node_modules linked, removed by removeCheckouts().
import { execFileSync } from "node:child_process";
import { existsSync, statSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { ROOT } from "../orchestrate.ts";

const worktrees: string[] = [];

/** The root of `spec` (a directory, or a git ref checked out at `dir`/`name`). */
export function checkout(spec: string, dir: string, name: string): string {
  if (existsSync(spec) && statSync(spec).isDirectory()) return resolve(spec);
  const path = join(dir, name);
  execFileSync("git", ["-C", ROOT, "worktree", "add", "--detach", "--quiet", path, spec], { stdio: "inherit" });
  worktrees.push(path);
  symlinkSync(join(ROOT, "node_modules"), join(path, "node_modules"));
  return path;
}

/** Removes the worktrees checkout() made. */
export function removeCheckouts(): void {
  for (const path of worktrees.splice(0)) {
    try {
      execFileSync("git", ["-C", ROOT, "worktree", "remove", "--force", path], { stdio: "ignore" });
    } catch {
      // already gone
    }
  }
}
