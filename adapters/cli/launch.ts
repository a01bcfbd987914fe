// How a host process is started on each runtime — the command line that makes
// `cloudflare:workers` resolve for a Worker anywhere on disk, and TypeScript + `using` work:
//   node: --import tsx (transform) --import adapters/node/register.mjs (resolve hook)
//   deno: run -A --import-map adapters/deno/import-map.json
//   bun:  --preload adapters/bun/preload.ts (Bun.plugin onResolve)
// The CLI runs on Node and can start any of the three, so this lives here rather than behind
// `#runtime`.
import { availableParallelism } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RuntimeName } from "../../core/config/types.ts";

const here = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
export const HOST_MAIN = here("../main.ts");

/**
 * Allocator settings a host starts with unless its environment sets them. A host frees a
 * buffer per large message (the decoded bytes, the encoded reply); with their defaults the
 * allocators hand that memory back to the kernel at once and page-fault it in again for the
 * next message: glibc trims its heap top whenever 128 KiB of it is free (Node, Deno), and Bun's
 * mimalloc purges freed pages after 100 ms. Measured on 2026-11-28 (docs/PERFORMANCE.md): a
 * raw node:net echo of 64 KiB read 520–570 µs with glibc's defaults and 77–80 µs without the
 * trimming. The cost: up to 64 MiB of freed heap stays with a Node or Deno process.
 * Blocks under 4 MiB come from the heap (setting one glibc threshold turns off its adaptive
 * mmap threshold).
 *
 * Bun's mimalloc never purges (-1). With a delay, a Bun host page-faulted 15–25 fresh pages per
 * 64 KiB echo with 64 in flight, within bursts as well as after pauses, and longer delays (10 s,
 * 100 s) still left 6–19: something purges without waiting for the delay (perhaps JavaScriptCore's
 * sweeper: in WebKit's source it asks the allocator to give back free memory after a
 * collection). With -1, ~0.1.
 * Measured on 2026-11-29: the bench's hosts step read a Bun host at 2.75× a Node host's time
 * with a 1 s delay and 1.70× with -1 (twice); resident after the bursts 243 MB, kept, against
 * 180 MB falling to 116 MB within 10 s with the delay (a Node host holds 163 MB, a Deno host
 * 150 MB, after the same bursts).
 */
export const ALLOCATOR_DEFAULTS: Readonly<Record<string, string>> = {
  MALLOC_TRIM_THRESHOLD_: String(64 * 1024 * 1024),
  MALLOC_MMAP_THRESHOLD_: String(4 * 1024 * 1024),
  MIMALLOC_PURGE_DELAY: "-1",
};

/**
 * V8's heap setting for Node and Deno hosts: an initial heap of 64 MiB. V8 sizes a heap's
 * allocation limit from the heap itself, ~25 MB for a host's ~10 MB, and the ArrayBuffers of
 * large messages (~200 KB per 64 KiB echo in each process: the frame, the decoded copy, the
 * encoded reply) fill it long before JavaScript objects do; a full mark-compact then ran every
 * ~130 calls, ~10 ms each on the host's core. With this flag the scavenges alone free them.
 * Measured on 2026-11-28 (docs/PERFORMANCE.md), a Node caller and host of echo64k on one core:
 * mean 462–492 → 219–227 µs per call, the caller's CPU per call 219–236 → 115–118 µs; 32 MiB
 * halved the gain, 128 MiB added nothing. A Deno host: mean 345–387 → 305–310 µs. Bun's
 * JavaScriptCore has no such limit.
 */
export const V8_HEAP_FLAGS: readonly string[] = ["--initial-heap-size=64"];

/**
 * Node's flags before a host's script: the V8 heap flag, tsx, and the resolve hook of the checkout
 * at `root` (this one unless given; the bench's A/B tool runs other checkouts the same way).
 */
export function nodeHostFlags(root?: string): string[] {
  const register = root === undefined ? here("../node/register.mjs") : join(root, "adapters/node/register.mjs");
  return [...V8_HEAP_FLAGS, "--import", import.meta.resolve("tsx"), "--import", register];
}

/** Deno's one `--v8-flags=` argument: the V8 heap flag, and `extra` (e.g. `--expose-gc`). */
export function denoV8Flags(extra: readonly string[] = []): string {
  return `--v8-flags=${[...extra, ...V8_HEAP_FLAGS].join(",")}`;
}

/**
 * JavaScriptCore's setting for a Bun host that may run on one CPU only: no concurrent collector.
 * Its marking thread can only take turns with the host's own thread on that CPU, and each turn
 * costs switches and synchronisation; stopped-world collections cost less in all. Measured on
 * 2026-11-29 with `bench/tools/ab.ts host=bun envb=BUN_JSC_useConcurrentGC=0` (host and client
 * on one CPU, 5 pairs each): echo64k with 64 in flight 1.11× and 1.08× the calls/s, the add with
 * 64 in flight 1.13×, echo64k p50 0.95×, the add 0.90×, chain3 0.93× (4, 4, 4, 4, 2 and 3 of 5
 * better). With both CPUs the collector keeps its thread: unpinned, echo64k with 64 in flight
 * read the same either way (2.4–2.6k calls/s, three runs each), and a concurrent collector
 * shortens the pauses a call can meet. Node and Deno ignore the variable.
 */
export const ONE_CPU_DEFAULTS: Readonly<Record<string, string>> = {
  BUN_JSC_useConcurrentGC: "0",
};

/**
 * A host's environment: `env`, with the allocator defaults, and for a host with one CPU
 * (`cpus`: those it may run on, by default this process's, which a child inherits) the one-CPU
 * defaults, for whatever `env` does not set.
 */
export function hostEnv(env: Readonly<Record<string, string | undefined>>, cpus: number = availableParallelism()): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env };
  const defaults = cpus <= 1 ? { ...ALLOCATOR_DEFAULTS, ...ONE_CPU_DEFAULTS } : ALLOCATOR_DEFAULTS;
  for (const [key, value] of Object.entries(defaults)) {
    if (out[key] === undefined) out[key] = value;
  }
  return out;
}

/**
 * The runtime binary. node: EDGEBIND_NODE, else this process's binary when it is node (the CLI
 * runs on node; tests may run on deno or bun), else `node` from PATH. deno/bun: EDGEBIND_DENO /
 * EDGEBIND_BUN, the npm-installed one, else from PATH.
 */
export async function runtimeBinary(name: RuntimeName): Promise<string> {
  if (name === "node") {
    return process.env.EDGEBIND_NODE || (/^node(\.exe)?$/.test(basename(process.execPath)) ? process.execPath : "node");
  }
  try {
    // scripts/runtimes.mjs probes the platform packages `npm ci` brings in (and the env vars).
    const finder = "../../scripts/runtimes.mjs";
    const { runtimePath } = await import(finder) as { runtimePath(name: string): string };
    return runtimePath(name);
  } catch {
    return name;
  }
}

export interface HostCommand {
  readonly command: string;
  readonly args: string[];
}

/**
 * The command that hosts the Worker configured in `configPath` on `runtime`. `v8Flags`: more V8
 * flags for a Node or Deno host (the bench's `--expose-gc`), next to the heap flag; Bun has none.
 */
export async function hostCommand(runtime: RuntimeName, configPath: string, v8Flags: readonly string[] = []): Promise<HostCommand> {
  const binary = await runtimeBinary(runtime);
  switch (runtime) {
    case "node":
      return {
        command: binary,
        args: [...v8Flags, ...nodeHostFlags(), HOST_MAIN, configPath],
      };
    case "deno":
      return {
        command: binary,
        args: ["run", "-A", denoV8Flags(v8Flags), "--import-map", here("../deno/import-map.json"), HOST_MAIN, configPath],
      };
    case "bun":
      return { command: binary, args: ["--preload", here("../bun/preload.ts"), HOST_MAIN, configPath] };
  }
}
