// The conformance arrangements: which processes run, how they are wired, and how a report is
// fetched. One workerd process hosts the reference callee (its three entrypoints each behind a
// capnp socket) and a caller whose bindings reach every callee through `external` services with
// `capnpConnectHost`. Each edgebind runtime hosts the callee once and the caller once; each
// caller has a binding set per callee (SVC_<T>, DEF_<T>, FWD_<T>), so any caller → callee pair
// is one `GET /run?target=<T>` on the caller's socket. All sockets are Unix sockets in one
// temporary directory.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { hostCommand } from "../../adapters/cli/launch.ts";
import { closeHttpAgents } from "../../adapters/shared/http-fetch.ts";
import { parseAddress, type Address } from "../../core/config/address.ts";
import { get, READY, spawnProc, type Proc } from "../support/host-process.ts";
import { runtimePath } from "../support/host-runtimes.ts";

export type Runtime = "node" | "deno" | "bun";
export type Side = "workerd" | Runtime;
export const RUNTIMES: readonly Runtime[] = ["node", "deno", "bun"];

/** One caller → callee pair. */
export interface Arrangement {
  readonly caller: Side;
  readonly callee: Side;
}

export const label = (a: Arrangement) => `${a.caller} → ${a.callee}`;
/** The binding-set name a caller uses for a callee. */
const targetName = (callee: Side) => (callee === "workerd" ? "wd" : callee);

/** Compat date giving today's defaults (rpc_params_dup_stubs, enhanced_error_serialization). */
export const COMPAT_DATE = "2026-05-01";
const FILES = ["callee.js", "caller.js", "cases.js", "tag.js"];
const here = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));

const VARS = { GREETING: "hello", TWELVE: 12, JSON_VAR: { a: [1, 2], b: true } };

/** The sides any of `arrangements` needs as callers and as callees. */
function sidesOf(arrangements: readonly Arrangement[]) {
  return {
    callers: [...new Set(arrangements.map((a) => a.caller))],
    callees: [...new Set(arrangements.map((a) => a.callee))],
  };
}

function workerdConfig(dir: string, callees: readonly Side[]): string {
  const sock = (name: string) => `unix:${join(dir, name)}`;
  const capnpString = (s: string) => JSON.stringify(s);
  const externals: string[] = [];
  const callerBindings: string[] = [];
  for (const callee of callees) {
    const t = targetName(callee);
    const ends = callee === "workerd"
      ? { svc: ["wd-svc.sock", "cappy"], def: ["wd-def.sock", "cappy"], fwd: ["wd-fwd.sock", "cappy"] }
      : { svc: [`callee-${callee}.sock`, "MyService"], def: [`callee-${callee}.sock`, "default"], fwd: [`callee-${callee}.sock`, "Forwarder"] };
    for (const [kind, [file, host]] of Object.entries(ends)) {
      externals.push(`(name = "ext-${t}-${kind}", external = (address = ${capnpString(sock(file!))}, http = (capnpConnectHost = ${capnpString(host!)})))`);
      callerBindings.push(`(name = "${kind.toUpperCase()}_${t}", service = "ext-${t}-${kind}")`);
    }
  }
  const vars = [
    `(name = "GREETING", text = ${capnpString(VARS.GREETING)})`,
    `(name = "TWELVE", json = ${capnpString(JSON.stringify(VARS.TWELVE))})`,
    `(name = "JSON_VAR", json = ${capnpString(JSON.stringify(VARS.JSON_VAR))})`,
  ];
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    ( name = "callee",
      worker = (
        modules = [
          (name = "callee.js", esModule = embed "callee.js"),
          (name = "tag.js", esModule = embed "tag.js"),
        ],
        compatibilityDate = "${COMPAT_DATE}",
        bindings = [
          ${vars.join(",\n          ")},
          (name = "NEXT", service = "ext-next"),
        ],
      )
    ),
    ( name = "caller",
      worker = (
        modules = [
          (name = "caller.js", esModule = embed "caller.js"),
          (name = "cases.js", esModule = embed "cases.js"),
          (name = "tag.js", esModule = embed "tag.js"),
        ],
        compatibilityDate = "${COMPAT_DATE}",
        bindings = [
          ${callerBindings.join(",\n          ")}
        ],
      )
    ),
    (name = "ext-next", external = (address = ${capnpString(sock("wd-svc.sock"))}, http = (capnpConnectHost = "cappy"))),
    ${externals.join(",\n    ")},
  ],
  sockets = [
    (name = "wd-svc", address = ${capnpString(sock("wd-svc.sock"))}, http = (capnpConnectHost = "cappy"), service = (name = "callee", entrypoint = "MyService")),
    (name = "wd-def", address = ${capnpString(sock("wd-def.sock"))}, http = (capnpConnectHost = "cappy"), service = (name = "callee")),
    (name = "wd-fwd", address = ${capnpString(sock("wd-fwd.sock"))}, http = (capnpConnectHost = "cappy"), service = (name = "callee", entrypoint = "Forwarder")),
    (name = "caller", address = ${capnpString(sock("caller-wd.sock"))}, http = (), service = "caller"),
  ],
);
`;
}

function edgebindCallee(dir: string, runtime: Runtime): object {
  const listen = `unix:${join(dir, `callee-${runtime}.sock`)}`;
  return {
    name: `callee-${runtime}`,
    main: "callee.js",
    compatibility_date: COMPAT_DATE,
    vars: VARS,
    services: [{ binding: "NEXT", address: listen, entrypoint: "MyService" }],
    edgebind: { runtime, listen },
  };
}

function edgebindCaller(dir: string, runtime: Runtime, callees: readonly Side[]): object {
  const services: object[] = [];
  for (const callee of callees) {
    const t = targetName(callee);
    if (callee === "workerd") {
      services.push(
        { binding: `SVC_${t}`, address: `unix:${join(dir, "wd-svc.sock")}`, connect_host: "cappy" },
        { binding: `DEF_${t}`, address: `unix:${join(dir, "wd-def.sock")}`, connect_host: "cappy" },
        { binding: `FWD_${t}`, address: `unix:${join(dir, "wd-fwd.sock")}`, connect_host: "cappy" },
      );
    } else {
      const address = `unix:${join(dir, `callee-${callee}.sock`)}`;
      services.push(
        { binding: `SVC_${t}`, address, entrypoint: "MyService" },
        { binding: `DEF_${t}`, address },
        { binding: `FWD_${t}`, address, entrypoint: "Forwarder" },
      );
    }
  }
  return {
    name: `caller-${runtime}`,
    main: "caller.js",
    compatibility_date: COMPAT_DATE,
    services,
    edgebind: { runtime, listen: `unix:${join(dir, `caller-${runtime}.sock`)}` },
  };
}

/** Every process of a set of arrangements, started once; `stop()` ends them all. */
export class Lab {
  readonly dir = mkdtempSync(join(tmpdir(), "edgebind-conformance-"));
  private readonly procs: Proc[] = [];
  private readonly callerAddress = new Map<Side, Address>();

  constructor(readonly arrangements: readonly Arrangement[]) {}

  /** Starts workerd and the edgebind hosts the arrangements need; resolves when all are ready. */
  async start(): Promise<void> {
    for (const file of FILES) copyFileSync(here(`./${file}`), join(this.dir, file));
    const { callers, callees } = sidesOf(this.arrangements);
    // workerd is always there: it produces the reference (workerd → workerd).
    const wdCallees = callers.includes("workerd") ? callees : ["workerd" as const];
    writeFileSync(join(this.dir, "config.capnp"), workerdConfig(this.dir, [...new Set<Side>(["workerd", ...wdCallees])]));
    const workerd = spawnProc(runtimePath("workerd"), ["serve", ...(process.env.WD_VERBOSE ? ["--verbose"] : []), join(this.dir, "config.capnp")], { cwd: this.dir });
    this.procs.push(workerd);
    this.callerAddress.set("workerd", parseAddress(`unix:${join(this.dir, "caller-wd.sock")}`));

    const starting: Promise<unknown>[] = [this.waitForHttp(workerd, this.callerAddress.get("workerd")!)];
    const hosts: { name: string; config: object; runtime: Runtime }[] = [];
    for (const side of callees) if (side !== "workerd") hosts.push({ name: `callee-${side}`, config: edgebindCallee(this.dir, side), runtime: side });
    for (const side of callers) {
      if (side === "workerd") continue;
      hosts.push({ name: `caller-${side}`, config: edgebindCaller(this.dir, side, callees), runtime: side });
      this.callerAddress.set(side, parseAddress(`unix:${join(this.dir, `caller-${side}.sock`)}`));
    }
    for (const host of hosts) {
      const configPath = join(this.dir, `${host.name}.json`);
      writeFileSync(configPath, JSON.stringify(host.config, null, 2));
      const { command, args } = await hostCommand(host.runtime, configPath);
      const proc = spawnProc(command, args, { cwd: this.dir, env: { EDGEBIND_SHUTDOWN_TIMEOUT: "1000", NO_COLOR: "1" } });
      this.procs.push(proc);
      starting.push(proc.waitFor(READY, 60_000));
    }
    await Promise.all(starting);
  }

  private async waitForHttp(proc: Proc, address: Address): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await get(address, "/");
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`workerd did not come up: ${(error as Error).message}\n${proc.lines.join("\n")}`);
        if (proc.lines.some((l) => /error|exception/i.test(l)) && (await Promise.race([proc.exited, new Promise((r) => setTimeout(() => r(null), 100))])) !== null) {
          throw new Error(`workerd exited:\n${proc.lines.join("\n")}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  /** Runs the battery for one arrangement; resolves with the parsed report. */
  async report(a: Arrangement, only: readonly string[] = []): Promise<Record<string, unknown>> {
    const address = this.callerAddress.get(a.caller);
    if (!address) throw new Error(`no caller on ${a.caller}`);
    const query = new URLSearchParams({ target: targetName(a.callee) });
    for (const name of only) query.append("only", name);
    const { status, text } = await get(address, `/run?${query}`);
    if (status !== 200) throw new Error(`${label(a)}: HTTP ${status}: ${text}\n${this.logs()}`);
    return JSON.parse(text) as Record<string, unknown>;
  }

  /** The last lines of every process's output, for failure messages. */
  logs(lines = 40): string {
    return this.procs.map((p, i) => `--- process ${i} (${p.child.spawnargs.slice(-1)[0]}):\n${p.lines.slice(-lines).join("\n")}`).join("\n");
  }

  async stop(): Promise<void> {
    await Promise.all(this.procs.map((p) => p.stop(3000)));
    await closeHttpAgents();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
