// The runtime matrix: a caller Worker on each runtime calls a callee Worker on each runtime, over
// TCP and over Unix sockets, every Worker in its own host process (the real CLI launch path, so
// `cloudflare:workers` resolves per runtime). Checks calls, env vars, a new instance per call,
// pipelining, named and default entrypoints, fetch through a binding, waitUntil after return and
// HTTP through Hono; then `connect()` from a plain script on each runtime.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { hostCommand, runtimeBinary } from "../adapters/cli/launch.ts";
import { formatAddress, type Address } from "../core/config/address.ts";
import { closeHttpAgents } from "../adapters/shared/http-fetch.ts";
import { READY, get, readyAddress, spawnProc, type Proc } from "./support/host-process.ts";

const RUNTIMES = ["node", "deno", "bun"] as const;
const TRANSPORTS = ["tcp", "unix"] as const;
type Runtime = (typeof RUNTIMES)[number];

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/matrix/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "edgebind-matrix-"));
const procs: Proc[] = [];
const callees = new Map<string, Address>();
const callers = new Map<Runtime, Address>();

async function startHost(name: string, runtime: Runtime, config: Record<string, unknown>): Promise<Address> {
  const configPath = join(dir, `${name}.json`);
  writeFileSync(configPath, JSON.stringify({ name, compatibility_date: "2026-05-01", ...config, edgebind: { runtime, ...(config.edgebind as object) } }));
  const { command, args } = await hostCommand(runtime, configPath);
  const proc = spawnProc(command, args);
  procs.push(proc);
  return readyAddress(await proc.waitFor(READY, 30_000));
}

const calleeName = (runtime: Runtime, transport: string) => `C_${runtime}_${transport}`;

before(async () => {
  await Promise.all(RUNTIMES.flatMap((runtime) => TRANSPORTS.map(async (transport) => {
    const listen = transport === "tcp" ? "127.0.0.1:0" : `unix:${join(dir, `${runtime}.sock`)}`;
    const address = await startHost(`callee-${runtime}-${transport}`, runtime, {
      main: fixture("callee.ts"),
      vars: { GREETING: `Hello from ${runtime}` },
      edgebind: { listen },
    });
    callees.set(calleeName(runtime, transport), address);
  })));
  const services = [...callees].flatMap(([binding, address]) => [
    { binding, address: formatAddress(address), entrypoint: "MyWorker" },
    { binding: `${binding}_DEF`, address: formatAddress(address) },
  ]);
  await Promise.all(RUNTIMES.map(async (runtime) => {
    callers.set(runtime, await startHost(`caller-${runtime}`, runtime, {
      main: fixture("caller.ts"),
      services,
      edgebind: { listen: "127.0.0.1:0" },
    }));
  }));
});

after(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  await closeHttpAgents();
  rmSync(dir, { recursive: true, force: true });
});

describe("runtime matrix: caller × callee × transport", () => {
  for (const caller of RUNTIMES) {
    for (const callee of RUNTIMES) {
      for (const transport of TRANSPORTS) {
        it(`${caller} → ${callee} over ${transport}`, async () => {
          const { status, text } = await get(callers.get(caller)!, `/run?target=${calleeName(callee, transport)}`);
          assert.equal(status, 200, text);
          assert.deepEqual(JSON.parse(text), {
            runtime: callee,
            add: 3,
            greet: `Hello from ${callee}, matrix!`,
            newInstance: true,
            pipelined: 7,
            defaultEntrypoint: "default",
            fetch: `callee ${callee} /hello`,
            later: "returned",
            waitUntilPendingAtReturn: true,
            waitUntilDone: true,
          });
        });
      }
    }
  }
});

describe("connect() from a plain script", () => {
  for (const runtime of RUNTIMES) {
    for (const transport of TRANSPORTS) {
      it(`on ${runtime} over ${transport}`, async () => {
        const binary = await runtimeBinary(runtime);
        const script = fixture("script.ts");
        const args = runtime === "node" ? ["--import", import.meta.resolve("tsx"), script]
          : runtime === "deno" ? ["run", "-A", script] : [script];
        const target = formatAddress(callees.get(calleeName("node", transport))!);
        const proc = spawnProc(binary, [...args, target, "MyWorker"]);
        procs.push(proc);
        const line = await proc.waitFor(/^\{.*\}$/, 30_000);
        assert.deepEqual(JSON.parse(line[0]), { sum: 42, counted: 2, runtime: "node" });
        assert.equal(await proc.exited, 0);
      });
    }
  }
});
