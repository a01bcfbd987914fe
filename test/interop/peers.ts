// Helpers for tests that run the C++ interop peers (see README.md here): start the reference
// server and read its event lines, run the scripted reference client, and check the release
// oracle. Works under Node, Deno and Bun (node:child_process only).
//
//   const { server, client } = await buildInterop();
//   const srv = await startServer(server, unixAddress());     // or "127.0.0.1:0"
//   ... connect to srv.address ...
//   after(() => stopAll());                                   // never leave processes behind
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export { buildInterop } from "./build.mjs";

/** The lines the C++ client prints, in order, when every check passes. */
export const CLIENT_CHECKS: readonly string[] = [
  "OK getName edgebind-interop-cxx",
  "OK add 3",
  "OK pipelined 7",
  "OK increment 10",
  "OK passCounterBack 11",
  "OK callBack client:hello",
  "OK clientCounter 42",
  "OK fail boom",
  "OK promiseCap 21",
  "OK held client:later",
  "OK heldReleased",
  "OK released",
  "OK done",
];

const running = new Set<ChildProcess>();
const socketFiles = new Set<string>();

/** A fresh `unix:` address in the temp directory (removed again by stopAll()). */
export function unixAddress(): string {
  const path = join(tmpdir(), `edgebind-interop-${process.pid}-${Math.random().toString(36).slice(2, 10)}.sock`);
  socketFiles.add(path);
  return `unix:${path}`;
}

/** Collects a child's stdout as lines and lets callers wait for a line. */
class LineLog {
  readonly lines: string[] = [];
  private partial = "";
  private waiters: Array<() => void> = [];

  push(chunk: string): void {
    const parts = (this.partial + chunk).split("\n");
    this.partial = parts.pop() ?? "";
    this.lines.push(...parts);
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves with the first line (from `from` on) that matches; rejects after `timeoutMs`. */
  async waitFor(match: RegExp | string, timeoutMs = 10_000, from = 0): Promise<string> {
    const test = (l: string) => (typeof match === "string" ? l === match : match.test(l));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.lines.slice(from).find(test);
      if (hit !== undefined) return hit;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${match}; got:\n${this.lines.join("\n")}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }
}

function track(child: ChildProcess): Promise<number | null> {
  running.add(child);
  return new Promise((resolve) => {
    child.on("exit", (code, signal) => { running.delete(child); resolve(signal ? null : code); });
    child.on("error", () => { running.delete(child); resolve(null); });
  });
}

/** Ends a child: SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
async function stop(child: ChildProcess, exited: Promise<number | null>, graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

export interface ServerHandle {
  /** The address to connect to (with the real port when "HOST:0" was requested). */
  readonly address: string;
  /** Every stdout line so far: READY, CONNECTED n, COUNTER_CREATED id, COUNTER_DESTROYED id, EOF n, DISCONNECTED n. */
  readonly lines: readonly string[];
  waitFor(match: RegExp | string, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

/** Spawns a peer binary with the address as its only argument, collecting its output. */
function spawnPeer(binary: string, address: string) {
  const child = spawn(binary, [address], { stdio: ["ignore", "pipe", "pipe"] });
  const peer = { child, exited: track(child), log: new LineLog(), stderr: "" };
  child.stdout!.setEncoding("utf8").on("data", (c: string) => peer.log.push(c));
  child.stderr!.setEncoding("utf8").on("data", (c: string) => { peer.stderr += c; });
  return peer;
}

/** Starts the C++ server on `address` (`unix:/path` or `127.0.0.1:PORT`, PORT may be 0). */
export async function startServer(binary: string, address: string): Promise<ServerHandle> {
  const peer = spawnPeer(binary, address);
  const { child, exited, log } = peer;
  const ready = await Promise.race([
    log.waitFor(/^READY /),
    exited.then((code) => { throw new Error(`interop server exited (${code}) before READY: ${peer.stderr}`); }),
  ]);
  return {
    address: ready.slice("READY ".length),
    lines: log.lines,
    waitFor: (match, timeoutMs) => log.waitFor(match, timeoutMs),
    stop: () => stop(child, exited),
  };
}

export interface ClientRun {
  code: number | null;
  lines: string[];
  stderr: string;
}

/** Runs the scripted C++ client against `address` to completion (killed after `timeoutMs`). */
export async function runClient(binary: string, address: string, timeoutMs = 30_000): Promise<ClientRun> {
  const peer = spawnPeer(binary, address);
  const { child, exited, log } = peer;
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const code = await exited;
  clearTimeout(timer);
  // 'exit' can precede the last 'data' events; wait for the pipes to close.
  await new Promise<void>((resolve) => {
    if (child.stdout!.readableEnded) resolve();
    else child.stdout!.on("close", () => resolve());
  });
  return { code, lines: log.lines, stderr: peer.stderr };
}

/** Stops every peer process these helpers started and removes their socket files. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => stop(child, new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(null);
    else child.on("exit", () => resolve(null));
  }))));
  for (const path of socketFiles) rmSync(path, { force: true });
  socketFiles.clear();
}

export interface ReleaseReport {
  /** Counter ids created during connection `conn`... */
  created: number[];
  /** ...destroyed while the connection was still open (released by the client)... */
  releasedBeforeEof: number[];
  /** ...destroyed only when the connection ended (leaked by the client)... */
  destroyedAtDisconnect: number[];
  /** ...and never destroyed (still alive in the server). */
  alive: number[];
}

/**
 * Reads the release oracle out of the server's lines for connection `conn` (1-based; counters
 * are attributed to the connection open when they were created, so run one client at a time).
 */
export function releaseReport(lines: readonly string[], conn = 1): ReleaseReport {
  const start = lines.indexOf(`CONNECTED ${conn}`);
  if (start < 0) throw new Error(`no CONNECTED ${conn} line`);
  const eof = lines.indexOf(`EOF ${conn}`, start);
  const next = lines.indexOf(`CONNECTED ${conn + 1}`, start);
  const created: number[] = [], releasedBeforeEof: number[] = [], destroyedAtDisconnect: number[] = [];
  lines.forEach((line, i) => {
    const m = /^COUNTER_(CREATED|DESTROYED) (\d+)$/.exec(line);
    if (!m || i < start) return;
    const id = Number(m[2]);
    if (m[1] === "CREATED") {
      if (next < 0 || i < next) created.push(id);
    } else if (created.includes(id)) {
      (eof < 0 || i < eof ? releasedBeforeEof : destroyedAtDisconnect).push(id);
    }
  });
  const destroyed = new Set([...releasedBeforeEof, ...destroyedAtDisconnect]);
  return { created, releasedBeforeEof, destroyedAtDisconnect, alive: created.filter((id) => !destroyed.has(id)) };
}
