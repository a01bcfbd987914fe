// `cloudflare:workers` for a Worker anywhere on disk: a fresh temp dir outside the checkout with
// no package.json, TypeScript with `using`, a plain .js module with `using`, and (Node, Bun) a
// package in the Worker's node_modules that imports `cloudflare:workers` itself. Each runtime's
// host is spawned exactly as `edgebind` launches it (adapters/cli/launch.ts).
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hostCommand } from "../adapters/cli/launch.ts";
import { closeHttpAgents } from "../adapters/shared/http-fetch.ts";
import type { RuntimeName } from "../core/config/types.ts";
import { get, READY, readyAddress, spawnProc, type Proc } from "./support/host-process.ts";

const RUNTIMES: RuntimeName[] = ["node", "deno", "bun"];
const dir = mkdtempSync(join(tmpdir(), "edgebind-resolve-"));

const files: Record<string, string> = {
  "worker.ts": `
import { WorkerEntrypoint, waitUntil } from "cloudflare:workers";
import { jsHelper } from "./helper.js";

class Lease implements Disposable {
  constructor(private log: string[]) {}
  [Symbol.dispose](): void { this.log.push("disposed"); }
}

export class Api extends WorkerEntrypoint<{ WHO: string }> {
  override fetch(): Response { return new Response("api " + this.env.WHO); }
}

export default {
  async fetch(request: Request, env: { WHO: string }): Promise<Response> {
    const log: string[] = [];
    { using _lease = new Lease(log); log.push("inside"); }
    waitUntil(Promise.resolve());
    return Response.json({ log, js: jsHelper(), who: env.WHO, base: typeof WorkerEntrypoint });
  },
};
`,
  "helper.js": `
import { WorkerEntrypoint } from "cloudflare:workers";
export function jsHelper() {
  const log = [];
  { using _r = { [Symbol.dispose]() { log.push("js-disposed"); } }; }
  return log.concat(typeof WorkerEntrypoint);
}
`,
  "wrangler.toml": `name = "far-away"\nmain = "worker.ts"\n[vars]\nWHO = "outside"\n`,
  "with-dep.ts": `
import { WorkerEntrypoint } from "cloudflare:workers";
import { Base } from "dep-using-workers";
export default { fetch: () => new Response(String(Base === WorkerEntrypoint)) };
`,
  "dep.toml": `name = "with-dep"\nmain = "with-dep.ts"\n`,
  "node_modules/dep-using-workers/package.json": `{"name": "dep-using-workers", "type": "module", "main": "index.js"}`,
  "node_modules/dep-using-workers/index.js": `import { WorkerEntrypoint } from "cloudflare:workers";\nexport const Base = WorkerEntrypoint;\n`,
};

const procs: Proc[] = [];

/** Starts the host for `config` on `runtime`; resolves with its address once ready. */
async function launch(runtime: RuntimeName, config: string, sock: string) {
  const { command, args } = await hostCommand(runtime, join(dir, config));
  const proc = spawnProc(command, args, { cwd: tmpdir(), env: { EDGEBIND_RUNTIME: runtime, EDGEBIND_LISTEN: `unix:${join(dir, sock)}` } });
  procs.push(proc);
  return readyAddress(await proc.waitFor(READY, 30_000));
}

const started = new Map<string, ReturnType<typeof launch>>();
before(() => {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  for (const rt of RUNTIMES) {
    started.set(rt, launch(rt, "wrangler.toml", `${rt}.sock`));
    if (rt !== "deno") started.set(`${rt}-dep`, launch(rt, "dep.toml", `${rt}-dep.sock`));
  }
  // Keep unhandled rejections out of the runner until each test awaits its own.
  for (const p of started.values()) p.catch(() => {});
});

after(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  await closeHttpAgents();
  rmSync(dir, { recursive: true, force: true });
});

describe("cloudflare:workers outside the checkout", () => {
  for (const rt of RUNTIMES) {
    it(`${rt}: TypeScript + using, plain JS + using, one shim`, async () => {
      const address = await started.get(rt)!;
      const { status, text } = await get(address, "/");
      assert.equal(status, 200, text);
      assert.deepEqual(JSON.parse(text), { log: ["inside", "disposed"], js: ["js-disposed", "function"], who: "outside", base: "function" });
    });
  }
  for (const rt of ["node", "bun"] as const) {
    it(`${rt}: a node_modules package importing cloudflare:workers gets the same module`, async () => {
      const { status, text } = await get(await started.get(`${rt}-dep`)!, "/");
      assert.deepEqual({ status, text }, { status: 200, text: "true" });
    });
  }
});

describe("edgebind's own TypeScript on a Node host", () => {
  it("is compiled by edgebind's hook, not tsx's (no keepNames wrappers, fields assigned in constructors)", async () => {
    // The Node host's loader flags, as adapters/cli/launch.ts gives them; on Node with
    // synchronous hooks (module.registerHooks) tsx installs its own that way, and ours must
    // still come first (adapters/node/register.mjs).
    const { command, args } = await hostCommand("node", "unused.json");
    const loaders = args.slice(0, -2);
    const probe = `
      const { RpcConnection } = await import(${JSON.stringify(new URL("../core/rpc/connection.ts", import.meta.url).href)});
      const source = RpcConnection.toString();
      console.log(JSON.stringify({ keepNames: source.includes("__name"), assigned: /this\\.questions = new IdTable/.test(source) }));
    `;
    const out = execFileSync(command, [...loaders, "--input-type=module", "-e", probe], { encoding: "utf8" });
    assert.deepEqual(JSON.parse(out.trim().split("\n").pop()!), { keepNames: false, assigned: true });
  });
});
