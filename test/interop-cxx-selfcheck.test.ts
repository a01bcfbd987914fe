// Self-check of the C++ interop peers (test/interop/): the reference client must pass its whole
// scenario against the reference server, over a Unix socket and over TCP, and release every
// Counter before it disconnects. If this fails, the peers (or the capnp toolchain) are broken,
// not edgebind; the engine's interop tests rely on both peers behaving exactly like this.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  buildInterop, CLIENT_CHECKS, releaseReport, runClient, startServer, stopAll, unixAddress,
  type ServerHandle,
} from "./interop/peers.ts";

describe("C++ interop peers", () => {
  let binaries: { server: string; client: string };

  before(async () => { binaries = await buildInterop(); });
  after(async () => { await stopAll(); });

  for (const [transport, address] of [["unix socket", () => unixAddress()], ["TCP", () => "127.0.0.1:0"]] as const) {
    it(`client passes every check against the server over ${transport}`, async () => {
      const server: ServerHandle = await startServer(binaries.server, address());
      if (transport === "TCP") assert.match(server.address, /^127\.0\.0\.1:[1-9]\d*$/);
      else assert.match(server.address, /^unix:\//);

      const run = await runClient(binaries.client, server.address);
      assert.deepEqual(run.lines, CLIENT_CHECKS, run.stderr);
      assert.equal(run.code, 0);

      // The release oracle: both counters were released over the wire, before EOF.
      await server.waitFor("DISCONNECTED 1");
      const report = releaseReport(server.lines);
      assert.deepEqual(report.created, [1, 2]);
      assert.deepEqual(report.releasedBeforeEof, [1, 2], server.lines.join("\n"));
      assert.deepEqual(report.destroyedAtDisconnect, []);
      assert.deepEqual(report.alive, []);
      await server.stop();
    });
  }

  it("serves consecutive connections, each with its own Calculator", async () => {
    const server = await startServer(binaries.server, unixAddress());
    for (const conn of [1, 2]) {
      const run = await runClient(binaries.client, server.address);
      assert.equal(run.code, 0, run.lines.join("\n"));
      await server.waitFor(`DISCONNECTED ${conn}`);
      assert.deepEqual(releaseReport(server.lines, conn).releasedBeforeEof.length, 2);
    }
    await server.stop();
  });
});
