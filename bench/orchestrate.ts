// Process plumbing for the cross-process benches: start a server pinned to a CPU, wait for its
// ready line, run a client pinned to a CPU, collect its `RESULT <json>` line, stop the server.
import { spawn, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { ALLOCATOR_DEFAULTS, ONE_CPU_DEFAULTS, denoV8Flags, hostEnv, nodeHostFlags } from "../adapters/cli/launch.ts";
import { runtimePath } from "../scripts/runtimes.mjs";

export type Runtime = "node" | "deno" | "bun";
export const ROOT = fileURLToPath(new URL("../", import.meta.url));

/**
 * How to run a bench script (TypeScript, node:* and npm imports) on each runtime; GC exposed.
 * Node and Deno scripts get the V8 heap flag edgebind's launcher gives its hosts (V8_HEAP_FLAGS
 * in adapters/cli/launch.ts): the floor, capnweb and the clients run as the hosts do.
 */
export function scriptCommand(runtime: Runtime, script: string, args: string[]): { command: string; args: string[] } {
  const file = fileURLToPath(new URL(script, new URL("../", import.meta.url)));
  switch (runtime) {
    case "node":
      // Same loaders as a Node host (adapters/cli/launch.ts): edgebind's own TypeScript is
      // compiled by the resolve hook (no tsx keepNames), the rest by tsx.
      return { command: process.execPath, args: ["--expose-gc", ...nodeHostFlags(), file, ...args] };
    case "deno":
      return { command: runtimePath("deno"), args: ["run", "-A", denoV8Flags(["--expose-gc"]), file, ...args] };
    case "bun":
      return { command: runtimePath("bun"), args: [file, ...args] };
  }
}

/** `taskset -c <cpus>` in front of a command (or the command alone when cpus is null). */
export function pinned(cpus: string | null, cmd: { command: string; args: string[] }): { command: string; args: string[] } {
  return cpus === null ? cmd : { command: "taskset", args: ["-c", cpus, cmd.command, ...cmd.args] };
}

export interface Running {
  child: ChildProcess;
  lines: string[];
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

/**
 * The allocator settings the bench's processes run with, and those a process pinned to one CPU
 * gets besides (recorded in the report).
 */
export const benchAllocatorSettings = (): Record<string, string> => {
  const env = hostEnv(process.env, 1);
  return Object.fromEntries([
    ...Object.keys(ALLOCATOR_DEFAULTS).map((k) => [k, env[k] ?? ""]),
    ...Object.keys(ONE_CPU_DEFAULTS).map((k) => [`${k} (pinned to one CPU)`, env[k] ?? ""]),
  ]);
};

/** How many CPUs a command may run on: those of its `taskset -c` list, else this process's. */
export function cpusOf(cmd: { command: string; args: string[] }): number {
  if (cmd.command !== "taskset" || cmd.args[0] !== "-c") return availableParallelism();
  let n = 0;
  for (const part of cmd.args[1]!.split(",")) {
    const [from, to] = part.split("-").map(Number);
    n += to === undefined ? 1 : to - from! + 1;
  }
  return n;
}

/**
 * Starts a bench process. Its environment has the settings edgebind's launcher gives its hosts
 * (hostEnv in adapters/cli/launch.ts; a process pinned to one CPU gets the one-CPU ones too),
 * for the floor, capnweb, workerd and the clients too, so that no system is measured paying for
 * its allocator's page returns while another is not. With glibc's defaults the raw echo floor's
 * echo64k read 520–570 µs on this VM, against 77–80 µs without heap trimming (2026-11-28).
 */
export function start(cmd: { command: string; args: string[] }, env: Record<string, string> = {}): Running {
  const child = spawn(cmd.command, cmd.args, { cwd: ROOT, env: { ...hostEnv(process.env, cpusOf(cmd)), ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  let wake: (() => void) | null = null;
  let exited = false;
  const onLine = (l: string) => {
    lines.push(l);
    wake?.();
  };
  createInterface({ input: child.stdout! }).on("line", onLine);
  createInterface({ input: child.stderr! }).on("line", onLine);
  const closed = new Promise<void>((resolve) => child.once("close", () => {
    exited = true;
    wake?.();
    resolve();
  }));
  return {
    child,
    lines,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        let from = 0;
        const timer = setTimeout(() => done(new Error(`timed out waiting for ${pattern} from ${cmd.args.join(" ")}:\n${lines.slice(-20).join("\n")}`)), timeoutMs);
        const done = (err: Error | null, m?: RegExpMatchArray) => {
          clearTimeout(timer);
          wake = null;
          if (err) reject(err);
          else resolve(m!);
        };
        const check = () => {
          for (; from < lines.length; from++) {
            const m = lines[from]!.match(pattern);
            if (m) return done(null, m);
          }
          if (exited) done(new Error(`${cmd.command} exited before ${pattern}:\n${lines.slice(-20).join("\n")}`));
        };
        wake = check;
        check();
      });
    },
    async stop() {
      if (!exited) {
        child.kill("SIGTERM");
        const t = setTimeout(() => child.kill("SIGKILL"), 3000);
        await closed;
        clearTimeout(t);
      }
    },
  };
}

/** Runs a client to completion and returns its parsed RESULT. */
export async function runClient(cmd: { command: string; args: string[] }, timeoutMs: number): Promise<unknown> {
  const client = start(cmd);
  try {
    const m = await client.waitFor(/^RESULT (.*)$/, timeoutMs);
    return JSON.parse(m[1]!);
  } finally {
    await client.stop();
  }
}
