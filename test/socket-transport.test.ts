// SocketTransport's write batching: every send() of one event-loop turn leaves in one socket
// write (or at once, with everything queued before it, when the sender says it is settled),
// small pieces copied together, large ones written as they are; bytes arrive in order;
// close() still writes what was sent before it. Reads through one fixed buffer (`onread`) hand
// on copies, so later reads cannot change chunks already delivered, and one read takes up to
// READ_BUFFER_BYTES (a 64 KiB value's frame whole). A CONNECT connection keeps
// every byte when the Node or Deno adapter moves it to such a socket. Where Node offers its
// write requests, writes go straight to the socket's handle (adapters/node/handle-writes.ts):
// in order, with what node:net still holds going first, and a failed write ends the socket. On
// Deno a flush of several pieces is joined into one write (adapters/deno/joined-writes.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, connect, type Socket } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FixedBufferReads, READ_BUFFER_BYTES, SocketTransport, useSocketWriter } from "../adapters/shared/socket-transport.ts";
import { handleWriter } from "../adapters/node/handle-writes.ts";
import { JOIN_LIMIT, joinedWriter } from "../adapters/deno/joined-writes.ts";
import { concatPieces } from "../protocol/capnp/framing.ts";
import { serveNodeHttp } from "../adapters/shared/server.ts";
import { adoptRpcSocket } from "../adapters/shared/adopt-socket.ts";

interface Wired {
  transport: SocketTransport;
  /** The two ends of the socket: the transport's, and the one the test server reads. */
  socket: Socket;
  serverSide(): Socket;
  writes: Uint8Array[];
  received(bytes: number): Promise<Uint8Array>;
  done(): Promise<void>;
}

async function wired(): Promise<Wired> {
  const dir = mkdtempSync(join(tmpdir(), "edgebind-st-"));
  const path = join(dir, "s.sock");
  const chunks: Uint8Array[] = [];
  let total = 0;
  let wake: (() => void) | null = null;
  let serverSide!: Socket;
  const server = createServer((s) => {
    serverSide = s;
    s.on("data", (c: Uint8Array) => {
      chunks.push(c);
      total += c.length;
      wake?.();
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const socket = connect(path);
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  const writes: Uint8Array[] = [];
  const write = socket.write.bind(socket) as (chunk: Uint8Array) => boolean;
  (socket as unknown as { write: (chunk: Uint8Array) => boolean }).write = (chunk) => {
    writes.push(chunk);
    return write(chunk);
  };
  const transport = new SocketTransport(socket);
  transport.start({ data: () => {}, closed: () => {} });
  return {
    transport,
    socket,
    serverSide: () => serverSide,
    writes,
    async received(bytes) {
      while (total < bytes) await new Promise<void>((resolve) => (wake = resolve));
      return new Uint8Array(concatPieces(chunks)); // a plain Uint8Array, not one of the Buffers read
    },
    async done() {
      transport.close();
      serverSide?.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const bytes = (n: number, seed: number) => new Uint8Array(n).map((_, i) => (i * 7 + seed) & 0xff);
const concat = concatPieces;

test("sends of one turn leave in one write, in order", async () => {
  const w = await wired();
  try {
    const parts = [bytes(24, 1), bytes(40, 2), bytes(8, 3), bytes(200, 4), bytes(16, 5)];
    w.transport.send(parts.slice(0, 2));
    w.transport.send(parts.slice(2, 3));
    await Promise.resolve(); // a later microtask of the same turn still joins the batch
    w.transport.send(parts.slice(3));
    assert.equal(w.writes.length, 0, "nothing is written before the turn ends");
    assert.deepEqual(await w.received(288), concat(parts));
    assert.equal(w.writes.length, 1);
  } finally {
    await w.done();
  }
});

test("a settled send writes at once, with what the turn queued before it", async () => {
  const w = await wired();
  try {
    const parts = [bytes(24, 1), bytes(40, 2), bytes(16, 3)];
    w.transport.send(parts.slice(0, 1));
    w.transport.send(parts.slice(1, 2));
    assert.equal(w.writes.length, 0, "unsettled sends wait for the end of the turn");
    w.transport.send(parts.slice(2), true);
    assert.equal(w.writes.length, 1, "written before the turn ends, in one write");
    assert.deepEqual(await w.received(80), concat(parts));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(w.writes.length, 1, "the flush already scheduled finds nothing left");
    w.transport.send([bytes(8, 4)]);
    assert.deepEqual(await w.received(88), concat([...parts, bytes(8, 4)]));
    assert.equal(w.writes.length, 2, "a later unsettled send is batched again");
  } finally {
    await w.done();
  }
});

test("a large piece is written as it is, between merged runs of small ones", async () => {
  const w = await wired();
  try {
    const large = bytes(65536, 9);
    const parts = [bytes(16, 1), bytes(24, 2), large, bytes(8, 3), bytes(8, 4)];
    w.transport.send(parts);
    const all = await w.received(65536 + 56);
    assert.deepEqual(all, concat(parts));
    assert.equal(w.writes.length, 3);
    assert.equal(w.writes[0]!.length, 40);
    assert.equal(w.writes[1], large, "the large piece itself, not a copy");
    assert.equal(w.writes[2]!.length, 16);
  } finally {
    await w.done();
  }
});

test("adjacent views of one buffer sent in one turn are written as one view, not copied", async () => {
  const w = await wired();
  try {
    const slab = bytes(256, 7);
    w.transport.send([slab.subarray(0, 40)]);
    w.transport.send([slab.subarray(40, 96), slab.subarray(96, 100)]);
    w.transport.send([bytes(8, 1)]); // not adjacent: copied together with the joined view
    w.transport.send([slab.subarray(200, 240), slab.subarray(240, 256)]);
    assert.deepEqual(await w.received(100 + 8 + 56), concat([slab.subarray(0, 100), bytes(8, 1), slab.subarray(200, 256)]));
    assert.equal(w.writes.length, 1);
    const w2 = await wired();
    try {
      w2.transport.send([slab.subarray(0, 40)]);
      w2.transport.send([slab.subarray(40, 120)]);
      assert.deepEqual(await w2.received(120), slab.subarray(0, 120));
      assert.equal(w2.writes.length, 1);
      assert.equal(w2.writes[0]!.buffer, slab.buffer, "a view of the slab itself, not a copy");
      assert.equal(w2.writes[0]!.byteOffset, 0);
    } finally {
      await w2.done();
    }
  } finally {
    await w.done();
  }
});

test("close() writes what was sent before it", async () => {
  const w = await wired();
  try {
    const parts = [bytes(32, 1), bytes(32, 2)];
    w.transport.send(parts);
    w.transport.close();
    assert.deepEqual(await w.received(64), concat(parts));
  } finally {
    await w.done();
  }
});

test("the joined writer (Deno's): a flush of several pieces leaves as one buffer in one write, in order; one piece as it is", async () => {
  useSocketWriter(joinedWriter);
  const w = await wired();
  try {
    const large = bytes(65536, 9);
    const parts = [bytes(16, 1), bytes(24, 2), large, bytes(8, 3)];
    w.transport.send(parts);
    assert.deepEqual(await w.received(65536 + 48), concat(parts));
    assert.equal(w.writes.length, 1, "one write for the three pieces coalesce() leaves");
    assert.equal(w.writes[0]!.length, 65536 + 48);
    w.transport.send([bytes(40, 5)], true);
    assert.deepEqual(await w.received(65536 + 88), concat([...parts, bytes(40, 5)]));
    assert.equal(w.writes.length, 2);
    assert.equal(w.writes[1]!.length, 40);
    w.transport.send([large]);
    assert.deepEqual(await w.received(2 * 65536 + 88), concat([...parts, bytes(40, 5), large]));
    assert.equal(w.writes[2], large, "a lone piece is written as it is, not copied");
  } finally {
    useSocketWriter(null);
    await w.done();
  }
});

test("the joined writer joins only while the socket holds nothing: a stalled reader gets every flush as sent", async () => {
  useSocketWriter(joinedWriter);
  const w = await wired();
  try {
    w.serverSide().pause(); // the kernel's buffer fills, then node:net holds the writes
    const sent: Uint8Array[] = [];
    for (let i = 0; i < 40; i++) {
      const flush = [bytes(24, i), bytes(65536, i + 100), bytes(16, i + 200)];
      sent.push(...flush);
      w.transport.send(flush, true);
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(w.writes[0]!.length, 65536 + 40, "the first flush, to an idle socket: one joined write");
    assert.ok(w.socket.writableLength > 0);
    assert.ok(w.writes.length > 40, "once the socket holds bytes, flushes go piece by piece");
    w.serverSide().resume();
    assert.deepEqual(await w.received(40 * (65536 + 40)), concat(sent));
    // A flush over JOIN_LIMIT is left to the corked writes, piece by piece, even to an idle socket.
    while (w.socket.writableLength > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const before = w.writes.length;
    const large = [bytes(8, 1), bytes(JOIN_LIMIT, 2), bytes(8, 3)];
    w.transport.send(large, true);
    assert.deepEqual(await w.received(40 * (65536 + 40) + JOIN_LIMIT + 16), concat([...sent, ...large]));
    assert.equal(w.writes.length, before + 3);
  } finally {
    useSocketWriter(null);
    await w.done();
  }
});

test("the joined writer gives a join buffer to the next write only once its own write has completed", () => {
  // Sockets whose writes complete when the test says so.
  const socket = () => {
    const writes: { chunk: Uint8Array; done: (error?: Error | null) => void }[] = [];
    const s = { writableLength: 0, write: (chunk: Uint8Array, done: (error?: Error | null) => void) => (writes.push({ chunk, done }), true) };
    return { s: s as unknown as Socket, writes };
  };
  const a = socket();
  const b = socket();
  const flush = (seed: number) => [bytes(24, seed), bytes(65536, seed + 1), bytes(16, seed + 2)];
  assert.equal(joinedWriter(a.s, flush(1)), true);
  assert.equal(joinedWriter(b.s, flush(2)), true);
  const first = a.writes[0]!.chunk;
  assert.notEqual(b.writes[0]!.chunk.buffer, first.buffer, "a's buffer is still being written");
  assert.deepEqual(first, concat(flush(1)));
  a.writes[0]!.done(null);
  assert.equal(joinedWriter(b.s, flush(3)), true);
  assert.equal(b.writes[1]!.chunk.buffer, first.buffer, "reused once a's write completed");
  assert.deepEqual(b.writes[1]!.chunk, concat(flush(3)));
  b.writes[0]!.done(new Error("EPIPE"));
  assert.equal(joinedWriter(a.s, flush(4)), true);
  assert.notEqual(a.writes[1]!.chunk.buffer, b.writes[0]!.chunk.buffer, "a failed write's buffer is not reused");
  assert.equal(joinedWriter(a.s, [bytes(10, 5)]), false, "one piece: socket.write() as it is");
});

/** Runs `body` with the handle writer installed (null where the runtime offers none). */
async function withHandleWriter(body: (installed: boolean) => Promise<void>): Promise<void> {
  const writer = handleWriter();
  useSocketWriter(writer);
  try {
    await body(writer !== null);
  } finally {
    useSocketWriter(null);
  }
}

test("through the socket's handle: bytes in order, a write the kernel takes in part finishes later, what node:net holds goes first", async () => {
  // Bun has no process.binding("stream_wrap"): the writer is absent and socket.write() is used.
  assert.equal(handleWriter() === null, "Bun" in globalThis);
  await withHandleWriter(async (installed) => {
    const w = await wired();
    try {
      const sent: Uint8Array[] = [];
      const send = (piece: Uint8Array) => {
        sent.push(piece);
        w.transport.send([piece], true);
      };
      send(bytes(40, 1));
      assert.equal(w.writes.length, installed ? 0 : 1, "socket.write() is not used when the handle is written");
      // The reader stops: a large write is taken in part now, in part once it reads again.
      w.serverSide().pause();
      send(bytes(8 << 20, 2));
      send(bytes(100, 3)); // behind it, in order
      await new Promise((r) => setTimeout(r, 20));
      // node:net holds bytes now (one write in the kernel's queue, one in its own buffer behind
      // it): they must go out before what the transport sends next.
      for (const piece of [bytes(64 << 10, 4), bytes(64 << 10, 5)]) {
        sent.push(piece);
        (w.socket.write as (b: Uint8Array) => boolean)(piece);
      }
      assert.ok(w.socket.writableLength > 0);
      const before = w.writes.length;
      send(bytes(30, 6));
      if (installed) assert.equal(w.writes.length, before + 1, "with node:net holding bytes, the transport writes through it");
      w.serverSide().resume();
      const total = sent.reduce((n, p) => n + p.length, 0);
      assert.deepEqual(await w.received(total), concat(sent));
    } finally {
      await w.done();
    }
  });
});

test("a process that shows pending deprecations does not use process.binding (DEP0111) for writes", () => {
  const before = process.env.NODE_PENDING_DEPRECATION;
  process.env.NODE_PENDING_DEPRECATION = "1";
  try {
    assert.equal(handleWriter(), null);
  } finally {
    if (before === undefined) delete process.env.NODE_PENDING_DEPRECATION;
    else process.env.NODE_PENDING_DEPRECATION = before;
  }
  assert.equal(handleWriter() === null, "Bun" in globalThis);
});

test("a handle write to a peer that is gone fails the socket with the error, as socket.write() would", async () => {
  const writer = handleWriter();
  const dir = mkdtempSync(join(tmpdir(), "edgebind-st-"));
  const path = join(dir, "g.sock");
  const server = createServer((s) => s.destroy());
  await new Promise<void>((resolve) => server.listen(path, resolve));
  try {
    // Open for writing after the peer's end, as a transport is until it has read that end.
    const socket = connect({ path, allowHalfOpen: true });
    const failed = new Promise<Error>((resolve) => socket.once("error", resolve));
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 50 && !socket.destroyed; i++) {
      const piece = bytes(64 << 10, i);
      if (writer === null || !writer(socket, [piece, bytes(10, i)])) socket.write(piece);
      await new Promise((r) => setTimeout(r, 5));
    }
    const error = (await failed) as Error & { code?: string; syscall?: string };
    // Through the handle, the kernel's own error (Bun's socket.write() reports EBADF here).
    assert.match(String(error.code), writer === null ? /^E[A-Z]+$/ : /^(EPIPE|ECONNRESET)$/);
    assert.equal(socket.destroyed, true);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
});

test("reads through a fixed buffer are delivered in order (short ones copied, long ones as transient views) and report the peer's end", async () => {
  const dir = mkdtempSync(join(tmpdir(), "edgebind-st-"));
  const path = join(dir, "r.sock");
  const sent = [bytes(300, 1), bytes(70_000, 2), bytes(5, 3), bytes(200_000, 4)];
  const server = createServer(async (s) => {
    for (const part of sent) {
      s.write(part);
      await new Promise((r) => setTimeout(r, 5)); // separate reads, mostly
    }
    s.end();
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  try {
    const reads = new FixedBufferReads();
    const socket = connect({ path, onread: reads.onread });
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    const transport = new SocketTransport(socket, bytes(3, 9), reads);
    const chunks: Uint8Array[] = [];
    let fromReadBuffer = 0;
    let copied = 0;
    const closed = new Promise<Error | undefined>((resolve) => {
      transport.start({
        data: (c, transient) => {
          // The read buffer is reused by the next read: only a chunk flagged transient may be it.
          if (c.buffer === reads.onread.buffer.buffer) {
            assert.equal(transient, true, "a view of the read buffer is flagged transient");
            fromReadBuffer++;
          } else if (!transient) {
            copied++;
          }
          chunks.push(transient ? c.slice() : c);
        },
        closed: resolve,
      });
    });
    assert.equal(await closed, undefined);
    assert.ok(chunks.length > 2, `several reads (got ${chunks.length})`);
    assert.ok(fromReadBuffer >= 2, `the long reads came as views (${fromReadBuffer})`);
    assert.ok(copied >= 1, `the initial bytes (and short reads) came as copies (${copied})`);
    assert.deepEqual(concat(chunks), concat([bytes(3, 9), ...sent]));
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a burst the kernel already holds comes in one read, up to READ_BUFFER_BYTES (a 64 KiB value's frame is not split)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "edgebind-st-"));
  const path = join(dir, "b.sock");
  // Larger than node:net's 64 KiB reads and a 64 KiB value's frame, smaller than a Unix socket's
  // default buffer: written in one go before the client's first read, so that read finds it whole.
  const burst = bytes(150_000, 5);
  const server = createServer((s) => {
    s.write(burst);
    s.end();
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  try {
    const reads = new FixedBufferReads();
    assert.equal(reads.onread.buffer.length, READ_BUFFER_BYTES);
    const sizes: number[] = [];
    const chunks: Uint8Array[] = [];
    const ended = new Promise<void>((resolve) => {
      reads.deliver = (chunk) => {
        sizes.push(chunk.length);
        chunks.push(chunk.slice());
      };
      const socket = connect({ path, onread: reads.onread });
      socket.on("end", () => resolve());
      socket.on("close", () => resolve());
    });
    await ended;
    assert.deepEqual(concat(chunks), burst);
    assert.equal(sizes[0], burst.length, `one read took the burst (reads: ${sizes.join(", ")})`);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a CONNECT connection handed over by node:http keeps every byte, moved to a fixed-buffer socket or not", async () => {
  const dir = mkdtempSync(join(tmpdir(), "edgebind-adopt-"));
  for (const [n, tuning] of [{ adoptRpcSocket }, {}].entries()) {
    const path = join(dir, `s${n}.sock`);
    const adopted: boolean[] = [];
    const received: Uint8Array[] = [];
    let total = 0;
    let wake: (() => void) | null = null;
    const server = await serveNodeHttp(
      {
        address: { kind: "unix", path },
        fetch: () => new Response("not this"),
        onRpcConnection(transport) {
          transport.start({
            data(chunk) {
              received.push(chunk.slice());
              total += chunk.length;
              wake?.();
            },
            closed() {},
          });
          transport.send([new TextEncoder().encode("pong")], true);
        },
      },
      "adoptRpcSocket" in tuning
        ? { adoptRpcSocket: (socket) => { const r = adoptRpcSocket(socket); adopted.push(r !== null); return r; } }
        : {},
    );
    const client = connect(path);
    await new Promise<void>((resolve) => client.once("connect", () => resolve()));
    const fromServer: Uint8Array[] = [];
    client.on("data", (c: Uint8Array) => fromServer.push(c));
    // The first bytes ride with the CONNECT head, as a caller that does not wait for the 200 sends them.
    const early = new Uint8Array(3000).map((_, i) => i & 0xff);
    client.write(concatPieces([new TextEncoder().encode("CONNECT cappy HTTP/1.1\r\n\r\n"), early]));
    while (!Buffer.concat(fromServer).toString("latin1").includes("pong")) await new Promise((r) => setTimeout(r, 5));
    const late = new Uint8Array(100_000).map((_, i) => (i * 7) & 0xff);
    client.write(late);
    while (total < early.length + late.length) await new Promise<void>((resolve) => (wake = resolve));
    assert.deepEqual(new Uint8Array(concatPieces(received)), concatPieces([early, late]));
    assert.match(Buffer.concat(fromServer).toString("latin1"), /^HTTP\/1\.1 200 OK\r\n\r\npong$/);
    if ("adoptRpcSocket" in tuning) assert.equal(adopted.length, 1, "asked once per connection");
    client.destroy();
    server.stopAccepting();
    server.destroy();
    await new Promise((r) => setTimeout(r, 20));
  }
  rmSync(dir, { recursive: true, force: true });
});
