// `edgebind dev -c a/wrangler.toml -c b/wrangler.toml`: every Worker in its own host process on
// its own runtime, bindings by `service` name wired to the other Workers' addresses.
// Addresses: a Worker's `listen` if it has one, else a Unix socket in a private temp dir. They
// reach the children as environment overrides (EDGEBIND_LISTEN, EDGEBIND_SERVICE_<BINDING>), the
// same mechanism a deployment uses. A child that exits is restarted with exponential backoff;
// SIGINT/SIGTERM stops all children (SIGTERM, then SIGKILL after a grace period) and removes the
// temp dir.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ENV, formatAddress, type Address, type EnvRecord, type WorkerConfig } from "../../core/config/index.ts";
import { loadConfig } from "../shared/host.ts";
import { hostCommand, hostEnv, type HostCommand } from "./launch.ts";

export interface DevOptions {
  readonly configs: readonly string[];
  readonly env: EnvRecord;
  /** Output lines (children's ready lines are passed through unchanged, other lines prefixed). */
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Grace period between SIGTERM and SIGKILL when stopping (default 10 s). */
  readonly stopTimeoutMs?: number;
}

interface Planned {
  readonly config: WorkerConfig;
  readonly listen: Address;
  readonly env: Record<string, string>;
  readonly command: HostCommand;
}

/** Validates the session and decides every Worker's address and overrides. */
export async function planDev(configs: readonly string[], env: EnvRecord, socketDir: () => string): Promise<Planned[]> {
  const loaded = configs.map((path) => loadConfig(path, env));
  const byName = new Map<string, WorkerConfig>();
  for (const config of loaded) {
    const other = byName.get(config.name);
    if (other) throw new Error(`two configs name a Worker "${config.name}": ${other.file} and ${config.file}`);
    byName.set(config.name, config);
  }
  const listenOf = new Map<string, Address>();
  for (const config of loaded) {
    if (config.listen?.kind === "tcp" && config.listen.port === 0) {
      throw new Error(`${config.file}: \`edgebind.listen\`: \`edgebind dev\` needs a fixed port (other Workers connect to it), got port 0`);
    }
    listenOf.set(config.name, config.listen ?? { kind: "unix", path: join(socketDir(), `${config.name}.sock`) });
  }
  return Promise.all(loaded.map(async (config) => {
    const childEnv: Record<string, string> = { [ENV.listen]: formatAddress(listenOf.get(config.name)!) };
    config.services.forEach((s, i) => {
      if (s.address) return; // given in the config or the environment
      const target = listenOf.get(s.service!);
      if (!target) {
        throw new Error(`${config.file}: \`services[${i}]\`: binding "${s.binding}" refers to Worker "${s.service}", ` +
          `which is not among the -c configs (${[...byName.keys()].join(", ")})`);
      }
      childEnv[ENV.servicePrefix + s.binding] = formatAddress(target);
    });
    return { config, listen: listenOf.get(config.name)!, env: childEnv, command: await hostCommand(config.runtime, config.file) };
  }));
}

/** Runs the session until SIGINT/SIGTERM; resolves with the exit code. */
export async function runDev(options: DevOptions): Promise<number> {
  let dir: string | undefined;
  const socketDir = () => (dir ??= mkdtempSync(join(tmpdir(), "edgebind-")));
  let plan: Planned[];
  try {
    plan = await planDev(options.configs, options.env, socketDir);
  } catch (error) {
    if (dir) rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  let stopping = false;
  const children = new Map<string, ChildProcess>();
  const exited = new Map<string, Promise<void>>();

  const start = (p: Planned, attempt: number) => {
    const name = p.config.name;
    const startedAt = Date.now();
    const child = spawn(p.command.command, p.command.args, {
      env: hostEnv({ ...options.env, ...p.env }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.set(name, child);
    const pipe = (stream: NodeJS.ReadableStream | null, write: (line: string) => void) => {
      if (!stream) return;
      createInterface({ input: stream }).on("line", (line) => write(line.startsWith("edgebind: ") ? line : `[${name}] ${line}`));
    };
    pipe(child.stdout, options.out);
    pipe(child.stderr, options.err);
    exited.set(name, new Promise((resolve) => {
      child.once("error", (error) => {
        options.err(`edgebind: ${name}: cannot start ${p.command.command}: ${error.message}`);
      });
      child.once("close", (code, signal) => {
        children.delete(name);
        resolve();
        if (stopping) return;
        // A run that lasted a while resets the backoff; quick crashes back off up to 10 s.
        const next = Date.now() - startedAt > 10_000 ? 0 : attempt + 1;
        const delay = Math.min(10_000, 250 * 2 ** Math.max(0, next - 1)) * (next === 0 ? 0 : 1);
        options.err(`edgebind: ${name} exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
        const timer = setTimeout(() => { if (!stopping) start(p, next); }, delay);
        restartTimers.add(timer);
      });
    }));
  };
  const restartTimers = new Set<ReturnType<typeof setTimeout>>();

  for (const p of plan) start(p, 0);

  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  stopping = true;
  for (const timer of restartTimers) clearTimeout(timer);
  for (const child of children.values()) child.kill("SIGTERM");
  const killTimer = setTimeout(() => {
    for (const child of children.values()) child.kill("SIGKILL");
  }, options.stopTimeoutMs ?? 10_000);
  await Promise.all(exited.values());
  clearTimeout(killTimer);
  if (dir) rmSync(dir, { recursive: true, force: true });
  return 0;
}
