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
import { formatAddress, type Address } from "../core/config/address.ts";
import { connect } from "node:net";

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

/**
 * Opens a raw RPC connection to `address` (the CONNECT handshake by hand), writes `reads` one
 * by one, and collects what comes back until the host closes it (or 5 s pass).
 */
function sendRaw(address: Address, reads: Uint8Array[]): Promise<{ closed: boolean; text: string }> {
  return new Promise((resolve) => {
    const socket = address.kind === "unix" ? connect({ path: address.path }) : connect({ host: address.host, port: address.port });
    let received = "";
    let handshaken = false;
    const timer = setTimeout(() => finish(false), 5000);
    function finish(closed: boolean) {
      clearTimeout(timer);
      socket.destroy();
      resolve({ closed, text: received });
    }
    socket.on("connect", () => socket.write("CONNECT MyWorker HTTP/1.1\r\n\r\n"));
    socket.on("data", (chunk: Uint8Array) => {
      received += new TextDecoder("latin1").decode(chunk);
      if (!handshaken && received.includes("\r\n\r\n")) {
        handshaken = true;
        for (const r of reads) socket.write(r);
      }
    });
    socket.on("error", () => {});
    socket.on("close", () => finish(true));
  });
}

/** A read of `size` bytes that starts with a frame header of `words[0] - 1` segments and `words[1..]` sizes. */
function frameHead(size: number, header: number[], fill = 0): Uint8Array {
  const bytes = new Uint8Array(size).fill(fill);
  const dv = new DataView(bytes.buffer);
  header.forEach((w, i) => dv.setUint32(4 * i, w, true));
  return bytes;
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

    it("closes a connection that sends bytes it must not, with the reason; the host and its other connections go on", async () => {
      const server = hosts.find((h) => h.config.name === `callee-${kind}`)!;
      const client = hosts.find((h) => h.config.name === `caller-${kind}`)!;
      const env = client.worker.env as Record<string, any>;
      assert.equal(await env.MY.add(1, 2), 3);
      const cases: [string, Uint8Array[], RegExp][] = [
        // Long reads, as a socket delivers them: the frame reader scans them in place.
        ["a frame over the 64 MiB limit", [frameHead(65536, [0, (128 << 20) / 8])], /limit is 67108864/],
        ["a frame of 600 segments", [frameHead(65536, [599, 1, 1])], /600 segments/],
        // A whole 160 KiB frame in three writes whose content is not a message.
        ["a large frame of garbage", [frameHead(65536, [0, 20_000], 0xab), new Uint8Array(65536).fill(0xcd), new Uint8Array(160_008 - 131_072).fill(0xef)], /./],
      ];
      for (const [what, reads, reason] of cases) {
        const outcome = await sendRaw(server.server.address, reads);
        assert.ok(outcome.closed, `${what}: the host closed the connection`);
        assert.match(outcome.text.slice(outcome.text.indexOf("\r\n\r\n") + 4), reason, `${what}: the Abort says why`);
        assert.equal(await env.MY.add(2, 3), 5, `${what}: other connections keep working`);
      }
      // New connections too: a binding made now opens its own.
      const fresh = await host(`caller2-${kind}`, {
        edgebind: { listen: kind === "tcp" ? "127.0.0.1:0" : `unix:${join(dir, `caller2-${kind}.sock`)}` },
        services: [{ binding: "MY", address: formatAddress(server.server.address), entrypoint: "MyWorker" }],
      });
      assert.equal(await (fresh.worker.env as Record<string, any>).MY.add(20, 22), 42);
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
