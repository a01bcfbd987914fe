// The host in-process, on whichever runtime runs this file (so node, deno and bun each test their
// own `#runtime` adapter): HTTP through Hono over TCP and Unix sockets, env.X.fetch through a
// binding, the CONNECT hand-off (exact bytes both ways), connectTransport, stale/live socket
// files, and graceful shutdown draining waitUntil.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startHost, type Host, type HostHooks } from "../adapters/shared/host.ts";
import { connectTransport, headEnd } from "../adapters/shared/connect-transport.ts";
import { closeHttpAgents } from "../adapters/shared/http-fetch.ts";
import type { Address } from "../core/config/address.ts";
import type { Transport } from "../core/transport.ts";
import { get, spawnProc } from "./support/host-process.ts";
import { runtimePath } from "./support/host-runtimes.ts";

const fixture = fileURLToPath(new URL("./fixtures/host/worker.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "edgebind-host-test-"));
const hosts: Host[] = [];

/** Writes a wrangler.json for the fixture and starts a host on it. */
async function host(name: string, listen: string, extra: Record<string, unknown> = {}, env: Record<string, string> = {}, hooks?: HostHooks) {
  const configPath = join(dir, `${name}.json`);
  writeFileSync(configPath, JSON.stringify({ name, main: fixture, vars: { GREETING: `from ${name}` }, edgebind: { listen }, ...extra }));
  const h = await startHost({ configPath, env, ...(hooks && { hooks }) });
  hosts.push(h);
  return h;
}

/** An onRpcConnection that greets with the authority, then echoes every byte back. */
const echoHooks = (seen: string[]): HostHooks => ({
  onRpcConnection(transport: Transport, authority: string, worker) {
    seen.push(`${authority}->${worker.entrypointForAuthority(authority)}`);
    transport.send([new TextEncoder().encode(`hello:${authority}|`)]);
    transport.start({
      data: (chunk, transient) => transport.send([transient ? chunk.slice() : chunk]),
      closed: () => transport.close(),
    });
  },
});

/** Collects everything a transport receives until `length` bytes arrived. */
function receive(transport: Transport, length: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let got = 0;
    transport.start({
      data(chunk, transient) {
        chunks.push(transient ? chunk.slice() : chunk);
        got += chunk.length;
        if (got >= length) {
          const all = new Uint8Array(got);
          let at = 0;
          for (const c of chunks) { all.set(c, at); at += c.length; }
          resolve(all);
        }
      },
      closed: (error) => reject(error ?? new Error(`closed after ${got} of ${length} bytes`)),
    });
  });
}

const text = (s: string) => new TextEncoder().encode(s);

after(async () => {
  await Promise.all(hosts.map((h) => h.shutdown(2000)));
  await closeHttpAgents();
  rmSync(dir, { recursive: true, force: true });
});

describe("host: HTTP through Hono", () => {
  it("serves the Worker's fetch over TCP, with env from vars", async () => {
    const h = await host("tcp", "127.0.0.1:0");
    assert.equal(h.server.address.kind, "tcp");
    assert.notEqual((h.server.address as { port: number }).port, 0);
    assert.match(h.readyLine, /^edgebind: tcp \((node|deno|bun)\) listening on 127\.0\.0\.1:\d+$/);
    assert.deepEqual(await get(h.server.address, "/"), { status: 200, text: "hello from tcp" });
    assert.deepEqual(await get(h.server.address, "/echo?x=1", { method: "POST", body: "body" }),
      { status: 200, text: "POST test.local/echo?x=1 body" });
  });

  it("serves over a Unix socket, and a throwing handler is a 500", async () => {
    const h = await host("unix", `unix:${dir}/unix.sock`);
    assert.deepEqual(h.server.address, { kind: "unix", path: `${dir}/unix.sock` });
    assert.deepEqual(await get(h.server.address, "/"), { status: 200, text: "hello from unix" });
    const original = console.error;
    console.error = () => {};
    try {
      assert.deepEqual(await get(h.server.address, "/throw"), { status: 500, text: "Internal Server Error" });
    } finally {
      console.error = original;
    }
  });

  it("env.X.fetch reaches another Worker through a binding (Unix and TCP)", async () => {
    const back = await host("back-u", `unix:${dir}/back.sock`);
    const backTcp = await host("back-t", "127.0.0.1:0");
    const viaUnix = await host("front-u", "127.0.0.1:0", { services: [{ binding: "BACK", service: "back-u" }] },
      { EDGEBIND_SERVICE_BACK: `unix:${(back.server.address as { path: string }).path}` });
    const viaTcp = await host("front-t", "127.0.0.1:0", { services: [{ binding: "BACK", address: `127.0.0.1:${(backTcp.server.address as { port: number }).port}` }] });
    const expected = "via: 200 PUT back.example/echo?q=1 payload";
    assert.deepEqual(await get(viaUnix.server.address, "/via-binding"), { status: 200, text: expected });
    assert.deepEqual(await get(viaTcp.server.address, "/via-binding"), { status: 200, text: expected });
  });
});

describe("host: an incoming request's signal", () => {
  // workerd aborts it when the client goes away only with the enable_request_signal flag;
  // without the flag it never aborts.
  for (const flagged of [true, false]) {
    it(`${flagged ? "aborts when the client disconnects, with" : "never aborts, without"} enable_request_signal`, async () => {
      const name = flagged ? "signal-on" : "signal-off";
      const h = await host(name, "127.0.0.1:0", flagged ? { compatibility_flags: ["enable_request_signal"] } : {});
      const log = (globalThis as Record<string, unknown>).__edgebindHostLog as string[];
      const address = h.server.address as Extract<Address, { kind: "tcp" }>;
      const socket = connect({ host: address.host, port: address.port });
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      socket.write(`GET /hold?id=${name} HTTP/1.1\r\nHost: x\r\n\r\n`);
      await new Promise((r) => setTimeout(r, 100)); // the handler is waiting now
      socket.destroy();
      const deadline = Date.now() + 3000;
      while (!log.some((line) => line.startsWith(`signal ${name} `)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(log.includes(`signal ${name} ${flagged ? "aborted" : "kept"}`), log.join(", "));
    });
  }
});

describe("host: CONNECT hand-off", () => {
  const seen: string[] = [];
  let tcp: Address;
  let unix: Address;
  before(async () => {
    tcp = (await host("rpc-t", "127.0.0.1:0", {}, {}, echoHooks(seen))).server.address;
    unix = (await host("rpc-u", `unix:${dir}/rpc.sock`, {}, {}, echoHooks(seen))).server.address;
  });

  it("answers 200 and keeps bytes sent in the same packet as the CONNECT head", async () => {
    const socket = connect({ host: "127.0.0.1", port: (tcp as { port: number }).port });
    let received = "";
    const expected = "HTTP/1.1 200 OK\r\n\r\nhello:cappy|EARLY-late";
    const done = new Promise<void>((resolve) => socket.on("data", (d) => {
      received += d;
      if (received.length >= expected.length) resolve();
    }));
    socket.write("CONNECT cappy HTTP/1.1\r\n\r\nEARLY");
    await new Promise((r) => setTimeout(r, 50));
    socket.write("-late");
    await done;
    socket.destroy();
    assert.equal(received, expected);
    assert.ok(seen.includes("cappy->default"));
  });

  for (const kind of ["tcp", "unix"] as const) {
    it(`connectTransport round-trips exact bytes over ${kind} and names the entrypoint`, async () => {
      const transport = await connectTransport(kind === "tcp" ? tcp : unix, "Named");
      const big = new Uint8Array(1 << 20);
      for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >> 8)) & 0xff;
      const greeting = text("hello:Named|");
      const pieces = [text("a"), new Uint8Array(0), text("bc"), big];
      const total = greeting.length + 3 + big.length;
      const got = receive(transport, total);
      transport.send(pieces.slice(0, 2)); // same tick: coalesced
      transport.send(pieces.slice(2));
      const all = await got;
      transport.close();
      assert.equal(all.length, total);
      assert.deepEqual(all.subarray(0, greeting.length + 3), new Uint8Array([...greeting, ...text("abc")]));
      assert.ok(all.subarray(greeting.length + 3).every((b, i) => b === big[i]), "payload intact");
      assert.ok(seen.includes("Named->Named"));
    });
  }

  it("a host without an RPC handler answers CONNECT with 501; connectTransport says so", async () => {
    const plain = await host("no-rpc", "127.0.0.1:0");
    await assert.rejects(connectTransport(plain.server.address, "x"), /CONNECT x was answered "HTTP\/1\.1 501 Not Implemented"/);
    await assert.rejects(connectTransport({ kind: "unix", path: `${dir}/nobody.sock` }, "x"), /RPC connection to unix:.*nobody\.sock failed/);
  });

  it("headEnd finds the end of a head", () => {
    assert.equal(headEnd(text("HTTP/1.1 200 OK\r\n\r\nxyz")), 19);
    assert.equal(headEnd(text("HTTP/1.1 200 OK\r\n\r")), -1);
  });
});

describe("host: socket files and shutdown", () => {
  it("removes a stale socket file but refuses one a live process listens on", async () => {
    const stale = join(dir, "stale.sock");
    const holder = spawnProc(runtimePath("node"), ["-e",
      `require("node:net").createServer().listen(${JSON.stringify(stale)}, () => console.log("up"))`]);
    try {
      await holder.waitFor(/^up$/);
      await assert.rejects(host("live", `unix:${stale}`), /another process is listening there/);
    } finally {
      holder.child.kill("SIGKILL");
      await holder.exited;
    }
    assert.ok(existsSync(stale), "SIGKILL leaves the socket file behind");
    const h = await host("stale", `unix:${stale}`);
    assert.deepEqual(await get(h.server.address, "/"), { status: 200, text: "hello from stale" });
    writeFileSync(join(dir, "file.sock"), "not a socket");
    await assert.rejects(host("file", `unix:${dir}/file.sock`), /exists and is not a socket/);
  });

  it("shutdown stops accepting and drains ctx.waitUntil and module-level waitUntil", async () => {
    const h = await host("drain", `unix:${dir}/drain.sock`);
    const log = (globalThis as { __edgebindHostLog?: string[] }).__edgebindHostLog!;
    assert.deepEqual(await get(h.server.address, "/slow-wait?id=d1"), { status: 200, text: "ok" });
    assert.ok(!log.includes("ctx d1"), "waitUntil work is still pending when the response arrives");
    const { timedOut } = await h.shutdown(5000);
    assert.equal(timedOut, false);
    assert.ok(log.includes("ctx d1") && log.includes("module d1"), `drained: ${log.join(", ")}`);
    await assert.rejects(get(h.server.address, "/"));
  });
});
