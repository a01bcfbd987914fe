// Two hosts in this process, wired by a [[services]] binding through the real host code paths:
// CONNECT handshake, RPC sessions on the chosen entrypoint, fetch over HTTP, over TCP and Unix.
import { describe, it, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startHost, type Host } from "../adapters/shared/host.ts";
import { engineHooks } from "../adapters/shared/engine.ts";
import { closeHttpAgents } from "../adapters/shared/http-fetch.ts";
import { formatAddress } from "../core/config/address.ts";

const callee = fileURLToPath(new URL("./fixtures/e2e/callee.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "edgebind-e2e-"));
const hosts: Host[] = [];
const log = ((globalThis as Record<string, unknown>).__edgebindE2eLog ??= []) as string[];

async function host(name: string, config: Record<string, unknown>): Promise<Host> {
  const configPath = join(dir, `${name}.json`);
  writeFileSync(configPath, JSON.stringify({ name, main: callee, ...config }));
  const h = await startHost({ configPath, env: {}, hooks: engineHooks });
  hosts.push(h);
  return h;
}

after(async () => {
  await Promise.all(hosts.map((h) => h.shutdown(2000)));
  await closeHttpAgents();
  rmSync(dir, { recursive: true, force: true });
});

for (const kind of ["tcp", "unix"] as const) {
  describe(`two hosts over ${kind}`, () => {
    it("calls a named entrypoint and the default one through bindings, and fetch", async () => {
      const listen = kind === "tcp" ? "127.0.0.1:0" : `unix:${join(dir, `callee-${kind}.sock`)}`;
      const server = await host(`callee-${kind}`, { vars: { GREETING: "Hello" }, edgebind: { listen } });
      const address = formatAddress(server.server.address);
      const client = await host(`caller-${kind}`, {
        edgebind: { listen: kind === "tcp" ? "127.0.0.1:0" : `unix:${join(dir, `caller-${kind}.sock`)}` },
        services: [
          { binding: "MY", address, entrypoint: "MyWorker", props: { tier: "gold", limit: 3 } },
          { binding: "DEF", address },
        ],
      });
      const env = client.worker.env as Record<string, any>;
      assert.equal(await env.MY.add(1, 2), 3);
      assert.equal(await env.MY.greet("edgebind"), "Hello, edgebind!");
      assert.notEqual(await env.MY.instance(), await env.MY.instance());
      assert.deepEqual(await env.MY.props(), { tier: "gold", limit: 3 });
      assert.deepEqual(await env.DEF.whoami(), "default");
      {
        using counter = env.MY.counter(10);
        assert.equal(await counter.increment(5), 15);
      }
      assert.equal(await env.DEF.whoami(), "default");
      const response = await env.DEF.fetch("http://any/path");
      assert.equal(await response.text(), "callee default Hello");
      // fetch() through a binding to a named entrypoint reaches that entrypoint's fetch handler,
      // and the routing header is not shown to the Worker.
      const named = await env.MY.fetch("http://any/named", { headers: { "x-mine": "1" } });
      assert.match(await named.text(), /^MyWorker fetch \/named (?!.*edgebind-entrypoint).*x-mine/);
      const posted = await env.MY.fetch("http://any/post", { method: "POST", body: "payload" });
      assert.match(await posted.text(), /^MyWorker fetch \/post .* payload$/);
      const tag = `${kind}-${Date.now()}`;
      assert.equal(await env.MY.later(tag), "returned");
      assert.equal(log.includes(`done ${tag}`), false);
      for (let i = 0; i < 100 && !log.includes(`done ${tag}`); i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(log.includes(`done ${tag}`), "waitUntil work finished after the call returned");
    });

    it("revokes what a caller's event left undisposed when that event ends", async () => {
      const server = hosts.find((h) => h.config.name === `callee-${kind}`)!;
      const client = hosts.find((h) => h.config.name === `caller-${kind}`)!;
      const env = client.worker.env as Record<string, any>;
      await server.worker.idle();
      const event = client.worker.startEvent("default");
      const value = await event.run(async () => {
        const counter = env.MY.counter(1); // never disposed by the handler
        return await counter.increment(1);
      });
      assert.equal(value, 2);
      assert.equal(server.worker.openEvents, 1, "the callee session is held by the undisposed result");
      await event.finish();
      for (let i = 0; i < 200 && server.worker.openEvents > 0; i++) await new Promise((r) => setTimeout(r, 5));
      assert.equal(server.worker.openEvents, 0, "ending the caller's event released the callee's session");
    });
  });
}
