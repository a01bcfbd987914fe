// Process entry of a Worker host: `<runtime> [runtime flags] adapters/main.ts <config>`.
// Started by `edgebind serve|dev` (bin/edgebind.mjs), which adds each runtime's flags for
// resolving `cloudflare:workers` (adapters/shared/launch.ts). Prints one ready line, exits 0
// after a graceful stop on SIGTERM/SIGINT (a later second signal exits at once), non-zero with a
// clear message when the Worker cannot be loaded or served.
import { startHost } from "./shared/host.ts";
import { engineHooks } from "./shared/engine.ts";

const configPath = process.argv[2];
if (!configPath) {
  console.error("usage: <runtime> adapters/main.ts <wrangler.toml|wrangler.json|wrangler.jsonc>");
  process.exit(2);
}
const timeoutMs = Number(process.env.EDGEBIND_SHUTDOWN_TIMEOUT ?? 10_000);

let host;
try {
  host = await startHost({ configPath, hooks: engineHooks });
} catch (error) {
  console.error(`edgebind: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
console.log(host.readyLine);

// A supervisor that forwards signals (edgebind serve/dev) and the terminal or systemd's
// control-group kill can deliver the same stop twice within moments; only a signal that comes
// at least a second after the first is taken as "stop now".
let firstSignalAt = 0;
const stop = async (signal: string) => {
  if (firstSignalAt) {
    if (Date.now() - firstSignalAt >= 1000) process.exit(1);
    return;
  }
  firstSignalAt = Date.now();
  const { timedOut } = await host.shutdown(timeoutMs);
  if (timedOut) console.error(`edgebind: ${host.config.name}: ${signal}: drain timed out after ${timeoutMs} ms`);
  process.exit(0);
};
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
