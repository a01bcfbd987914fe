// Typed access to scripts/runtimes.mjs (the finder of the npm-installed node/deno/bun/workerd
// binaries) for TypeScript tests; the .mjs has no declarations of its own.
const finder = "../../scripts/runtimes.mjs";
const mod = await import(finder) as { runtimePath(name: "node" | "deno" | "bun" | "workerd"): string };

export const runtimePath = mod.runtimePath;
