// Test harness: host a Worker module in this process and bind to it through Workers RPC over a
// chosen wire (in-memory pair, Unix socket, or TCP), the way a service binding does. Tests use
// `pair.binding` like `env.SVC`, and `expectQuiet(pair)` to check that both peers' tables are
// back to their baseline (a leak fails the test).

import assert from "node:assert/strict";
import { createServer, connect, type Server, type Socket } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AsyncLocalStorage } from "node:async_hooks";
import { RpcConnection, type ConnectionStats } from "../../core/rpc/connection.ts";
import type { Transport } from "../../core/transport.ts";
import { Worker } from "../../core/worker/worker.ts";
import { setContextStore, type ContextStore } from "../../core/worker/context.ts";
import { ServiceConnection, makeServiceBinding, workerBootstrap } from "../../core/workers-rpc/index.ts";
import { SocketTransport } from "../../adapters/shared/socket-transport.ts";
import "../../adapters/shared/brand-checks.ts"; // as a host does
import { memoryTransportPair } from "./memory-transport.ts";

/**
 * "lent": in memory, every read transient (scribbled over once handled, as a socket's fixed read
 * buffer is reused) and every frame read in place from it (`lendFrom: 0`): whatever a peer
 * reads of a message after handling it must have kept it (core/rpc/wire.ts).
 */
export type Wire = "memory" | "lent" | "unix" | "tcp";
export const WIRES: readonly Wire[] = ["memory", "lent", "unix", "tcp"];

setContextStore(new AsyncLocalStorage() as unknown as ContextStore);

export interface WorkerPair {
  /** Use like `env.SVC`: `await pair.binding.add(1, 2)`. */
  binding: any;
  worker: Worker;
  clientStats(): ConnectionStats;
  serverStats(): ConnectionStats;
  close(): Promise<void>;
}

export interface BindOptions {
  wire?: Wire;
  entrypoint?: string;
  env?: Record<string, unknown>;
  /** For the "lent" wire: frames at least this long are read in place (default 0: all). */
  lendFrom?: number;
}

/** Client: the bootstrap import; server: the bootstrap export. Nothing else may remain. */
const CLIENT_BASELINE: ConnectionStats = { questions: 0, answers: 0, imports: 1, exports: 0 };
const SERVER_BASELINE: ConnectionStats = { questions: 0, answers: 0, imports: 0, exports: 1 };

export async function bindWorker(module: Record<string, unknown>, options: BindOptions = {}): Promise<WorkerPair> {
  const wire = options.wire ?? "memory";
  const worker = new Worker({ module, env: options.env ?? {}, name: "test-worker", onError: () => {} });
  const entrypoint = options.entrypoint ?? "default";
  const servers: RpcConnection[] = [];
  const limits = wire === "lent" ? { lendFrom: options.lendFrom ?? 0 } : undefined;
  const serve = (transport: Transport) => {
    servers.push(new RpcConnection(transport, { bootstrap: workerBootstrap(worker, entrypoint), limits }));
  };
  let open: () => Promise<Transport>;
  let cleanup = async () => {};
  if (wire === "memory" || wire === "lent") {
    open = async () => {
      const [a, b] = memoryTransportPair({ transient: wire === "lent" });
      serve(a);
      return b;
    };
  } else {
    const sockets = new Set<Socket>();
    const server: Server = createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      serve(new SocketTransport(socket));
    });
    let dir = "";
    let target: { path: string } | { host: string; port: number };
    if (wire === "unix") {
      dir = mkdtempSync(join(tmpdir(), "edgebind-test-"));
      const path = join(dir, "w.sock");
      await new Promise<void>((resolve) => server.listen(path, resolve));
      target = { path };
    } else {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const address = server.address() as { port: number };
      target = { host: "127.0.0.1", port: address.port };
    }
    open = () =>
      new Promise<Transport>((resolve, reject) => {
        const socket = connect(target as never);
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.once("connect", () => resolve(new SocketTransport(socket)));
        socket.once("error", reject);
      });
    cleanup = async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (dir) rmSync(dir, { recursive: true, force: true });
    };
  }
  const service = new ServiceConnection(open, { limits });
  const binding = makeServiceBinding({ rpc: service });
  const zero: ConnectionStats = { questions: 0, answers: 0, imports: 0, exports: 0 };
  return {
    binding,
    worker,
    clientStats: () => service.current?.stats() ?? zero,
    serverStats: () => servers.filter((s) => !s.isClosed).reduce((sum, s) => add(sum, s.stats()), zero),
    async close() {
      service.close();
      for (const s of servers) s.close();
      await cleanup();
    },
  };
}

function add(a: ConnectionStats, b: ConnectionStats): ConnectionStats {
  return {
    questions: a.questions + b.questions,
    answers: a.answers + b.answers,
    imports: a.imports + b.imports,
    exports: a.exports + b.exports,
  };
}

/** Waits (bounded) for both tables to return to their baseline; fails the test if they do not. */
export async function expectQuiet(pair: WorkerPair, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = pair.clientStats();
    const server = pair.serverStats();
    const quiet = same(client, CLIENT_BASELINE) && same(server, SERVER_BASELINE);
    if (quiet && pair.worker.openEvents === 0) return;
    if (Date.now() > deadline) {
      assert.deepEqual({ client, server, openEvents: pair.worker.openEvents }, { client: CLIENT_BASELINE, server: SERVER_BASELINE, openEvents: 0 }, "RPC tables did not return to their baseline (leak)");
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

function same(a: ConnectionStats, b: ConnectionStats): boolean {
  return a.questions === b.questions && a.answers === b.answers && a.imports === b.imports && a.exports === b.exports;
}
