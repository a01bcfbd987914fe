// The `edgebind` command line (bin/edgebind.mjs loads this through tsx on Node).
//   edgebind serve -c wrangler.toml [--listen ADDR]   one Worker in the foreground
//   edgebind dev -c a/wrangler.toml -c b/wrangler.toml   several Workers, bindings wired
// `serve` starts the host on the Worker's runtime and forwards SIGINT/SIGTERM to it, exiting with
// its code, so systemd/containers see the Worker's own lifecycle.
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { ENV, parseAddress } from "../../core/config/index.ts";
import { loadConfig } from "../shared/host.ts";
import { runDev } from "./dev.ts";
import { hostCommand, hostEnv } from "./launch.ts";

const HELP = `edgebind — run Cloudflare Workers on Node, Deno or Bun, with service bindings over sockets

Usage:
  edgebind serve -c <config> [--listen <address>]
      Run one Worker in the foreground (for systemd, containers). Exits when the Worker does;
      SIGTERM/SIGINT drain it gracefully.
  edgebind dev -c <config> [-c <config> ...]
      Run each Worker in its own process on its runtime. Bindings whose \`service\` names another
      Worker are wired to it (Unix sockets in a private temp dir unless \`listen\` is set).
      Crashed Workers are restarted; Ctrl-C stops everything.

Options:
  -c, --config <path>     wrangler.toml, wrangler.json or wrangler.jsonc (repeatable for dev)
      --listen <address>  serve only: unix:/path, host:port or [ipv6]:port
  -h, --help              this text

Config: [edgebind] runtime = "node"|"deno"|"bun", listen = "<address>".
Environment: EDGEBIND_LISTEN, EDGEBIND_RUNTIME, EDGEBIND_SERVICE_<BINDING>,
  EDGEBIND_CONNECT_HOST_<BINDING>, EDGEBIND_VAR_<NAME>, EDGEBIND_SHUTDOWN_TIMEOUT (ms).
See docs/HOSTING.md.`;

class UsageError extends Error {}

async function serve(configs: string[], listen: string | undefined): Promise<number> {
  if (configs.length !== 1) throw new UsageError("serve takes exactly one -c <config>");
  const env: Record<string, string | undefined> = { ...process.env };
  if (listen !== undefined) {
    parseAddress(listen, { allowPortZero: true });
    env[ENV.listen] = listen;
  }
  const config = loadConfig(configs[0]!, env); // fail here, with the config's own errors
  const { command, args } = await hostCommand(config.runtime, config.file);
  const child = spawn(command, args, { env: hostEnv(env), stdio: "inherit" });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  process.on("SIGINT", forward("SIGINT"));
  process.on("SIGTERM", forward("SIGTERM"));
  return new Promise((resolve) => {
    child.once("error", (error) => {
      console.error(`edgebind: cannot start ${command}: ${error.message}`);
      resolve(1);
    });
    child.once("close", (code, signal) => {
      if (signal) console.error(`edgebind: ${config.name} was killed by ${signal}`);
      resolve(code ?? 1);
    });
  });
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: "string", short: "c", multiple: true },
        listen: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    console.error(`edgebind: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || command === "help" || command === undefined) {
    console.log(HELP);
    return values.help || command === "help" ? 0 : 2;
  }
  const configs = values.config ?? [];
  try {
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
    if (configs.length === 0) throw new UsageError(`${command} needs at least one -c <config>`);
    if (command === "serve") return await serve(configs, values.listen);
    if (command === "dev") {
      if (values.listen !== undefined) throw new UsageError("--listen is for serve; set `listen` in each config for dev");
      return await runDev({
        configs,
        env: process.env,
        out: (line) => console.log(line),
        err: (line) => console.error(line),
      });
    }
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(error instanceof UsageError ? `edgebind: ${message}\n\n${HELP}` : `edgebind: ${message}`);
    return error instanceof UsageError ? 2 : 1;
  }
}
