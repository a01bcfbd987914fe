// Test helpers for host processes: spawn with output captured line by line, wait for a line,
// stop for sure (SIGTERM, then SIGKILL), and plain HTTP to an address. node:* only, so they run
// under Node, Deno and Bun test runners alike.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { parseAddress, type Address } from "../../core/config/address.ts";
import { httpFetch } from "../../adapters/shared/http-fetch.ts";

export interface Proc {
  readonly child: ChildProcess;
  /** stdout and stderr lines so far, in arrival order. */
  readonly lines: string[];
  /** Resolves with the `nth` (0-based) line, seen or future, matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number, nth?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /**
   * Sends a signal by pid. (Deno's `child.kill(sig)` makes 'close' report that signal even when
   * the child handled it and exited 0 — measured on Deno 2.9.6; `process.kill(pid)` does not.)
   */
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM, and SIGKILL if still alive after `graceMs`. Safe to call twice. */
  stop(graceMs?: number): Promise<number | string>;
}

export function spawnProc(command: string, args: string[], options: { env?: Record<string, string | undefined>; cwd?: string } = {}): Proc {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env } as Record<string, string>,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const onLine = (line: string) => {
    lines.push(line);
    for (const wake of waiters) wake();
  };
  createInterface({ input: child.stdout! }).on("line", onLine);
  createInterface({ input: child.stderr! }).on("line", onLine);
  let done = false;
  const exited = new Promise<number | string>((resolve) => {
    child.once("close", (code, signal) => { done = true; for (const wake of waiters) wake(); resolve(code ?? signal ?? -1); });
  });
  const waitFor = (pattern: RegExp, timeoutMs = 15_000, nth = 0) => new Promise<RegExpMatchArray>((resolve, reject) => {
    let from = 0;
    let seen = 0;
    const check = () => {
      for (; from < lines.length; from++) {
        const match = lines[from]!.match(pattern);
        if (match && seen++ === nth) { finish(); return resolve(match); }
      }
      if (done) { finish(); reject(new Error(`process exited before printing ${pattern}; output:\n${lines.join("\n")}`)); }
    };
    const timer = setTimeout(() => { finish(); reject(new Error(`timed out waiting for ${pattern}; output:\n${lines.join("\n")}`)); }, timeoutMs);
    const finish = () => { clearTimeout(timer); waiters.delete(check); };
    waiters.add(check);
    check();
  });
  const signal = (sig: NodeJS.Signals) => {
    if (!done && child.pid !== undefined) process.kill(child.pid, sig);
  };
  const stop = async (graceMs = 5000) => {
    if (!done) {
      signal("SIGTERM");
      const timer = setTimeout(() => signal("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    }
    return exited;
  };
  return { child, lines, waitFor, exited, signal, stop };
}

/** The address in a ready line `edgebind: <name> (<runtime>) listening on <address>`. */
export const READY = /^edgebind: (\S+) \((node|deno|bun)\) listening on (\S+)$/;

export function readyAddress(match: RegExpMatchArray): Address {
  return parseAddress(match[3]!);
}

/** GET (or `init`) `path` on the Worker at `address`; resolves with status and body text. */
export async function get(address: Address, path: string, init?: RequestInit): Promise<{ status: number; text: string }> {
  const response = await httpFetch(address, new Request(`http://test.local${path}`, init));
  return { status: response.status, text: await response.text() };
}

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
