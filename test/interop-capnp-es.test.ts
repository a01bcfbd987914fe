// Sanity check of the committed capnp-es code for interop.capnp (test/interop/gen/): capnp-es's
// own RPC client (`Conn`) talks to the C++ reference server over node:net. This is not
// edgebind's engine; it shows that the generated types and ids match what the C++ side
// compiled, and it demonstrates the release oracle on a client known to leak: capnp-es 0.0.16
// never sends Release (reference notes B5), so its counters die only at disconnect.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import * as $ from "capnp-es";
import { Message as RpcMessage } from "capnp-es/capnp/rpc";
import { Calculator, Callback$Server } from "./interop/gen/interop.js";
import { buildInterop, releaseReport, startServer, stopAll, unixAddress } from "./interop/peers.ts";

/**
 * capnp-es Transport over a socket, with a queue (capnp-es's DeferredTransport drops frames that
 * arrive in the same tick) and the standard segment framing.
 */
class SocketTransport implements $.Transport {
  private buffered = new Uint8Array(0);
  private ready: RpcMessage[] = [];
  private waiting: { resolve(m: RpcMessage): void; reject(e: Error): void } | undefined;
  private failure: Error | undefined;
  private closing = false;

  constructor(private readonly socket: Socket) {
    socket.on("data", (chunk: Uint8Array) => this.receive(chunk));
    socket.on("close", () => this.fail(new Error("connection closed")));
    socket.on("error", (e) => this.fail(e));
  }

  sendMessage(msg: RpcMessage): void {
    this.socket.write(new Uint8Array(msg.segment.message.toArrayBuffer()));
  }

  recvMessage(): Promise<RpcMessage> {
    const next = this.ready.shift();
    if (next) return Promise.resolve(next);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => { this.waiting = { resolve, reject }; });
  }

  close(): void {
    // capnp-es's receive loop does not catch a rejected recvMessage(); after a close we asked
    // for, leave it waiting instead of producing an unhandled rejection.
    this.closing = true;
    this.socket.end();
  }

  private receive(chunk: Uint8Array): void {
    const joined = new Uint8Array(this.buffered.length + chunk.length);
    joined.set(this.buffered);
    joined.set(chunk, this.buffered.length);
    this.buffered = joined;
    for (let size = this.frameSize(); size !== undefined && size <= this.buffered.length; size = this.frameSize()) {
      const frame = this.buffered.slice(0, size);
      this.buffered = this.buffered.slice(size);
      this.deliver(new $.Message(frame.buffer, false).getRoot(RpcMessage));
    }
  }

  /** Length of the frame at the start of the buffer, once its header is complete. */
  private frameSize(): number | undefined {
    const b = this.buffered, view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    if (b.length < 4) return undefined;
    const segments = view.getUint32(0, true) + 1;
    const header = (4 + 4 * segments + 7) & ~7;
    if (b.length < header) return undefined;
    let words = 0;
    for (let i = 0; i < segments; i++) words += view.getUint32(4 + 4 * i, true);
    return header + words * 8;
  }

  private deliver(msg: RpcMessage): void {
    const waiter = this.waiting;
    this.waiting = undefined;
    if (waiter) waiter.resolve(msg);
    else this.ready.push(msg);
  }

  private fail(error: Error): void {
    if (this.closing) return;
    this.failure ??= error;
    const waiter = this.waiting;
    this.waiting = undefined;
    waiter?.reject(error);
  }
}

describe("capnp-es client against the C++ interop server", () => {
  let serverBinary: string;
  before(async () => { serverBinary = (await buildInterop()).server; });
  after(async () => { await stopAll(); });

  it("bootstraps, calls, pipelines, passes a callback and sees exceptions", async () => {
    const server = await startServer(serverBinary, unixAddress());
    const socket = connect(server.address.slice("unix:".length));
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    const conn = new $.Conn(new SocketTransport(socket));
    const calc = conn.bootstrap(Calculator);

    assert.equal((await calc.getName().promise()).name, "edgebind-interop-cxx");
    assert.equal((await calc.add((p) => { p.a = 1; p.b = 2; }).promise()).sum, 3);

    // Pipelined on makeCounter's unreturned answer.
    const counter = calc.makeCounter((p) => { p.start = 5; }).getCounter();
    assert.equal((await counter.increment((p) => { p.by = 2; }).promise()).value, 7);

    // A capability we host, called by the server during callBack.
    const cb = new Callback$Server({
      async call(params, results) { results.result = `ts:${params.value}`; },
    }).client();
    const called = await calc.callBack((p) => { p.cb = cb; p.value = "hi"; }).promise();
    assert.equal(called.result, "ts:hi");

    await assert.rejects(calc.fail((p) => { p.message = "boom"; }).promise(), /: boom$/);

    const stats = await calc.getStats().promise();
    assert.equal(stats.countersCreated, 1);
    assert.equal(stats.countersAlive, 1, "capnp-es 0.0.16 never releases, so the counter lives on");

    conn.shutdown();
    socket.destroy();
    await server.waitFor("DISCONNECTED 1");
    const report = releaseReport(server.lines);
    assert.deepEqual(report.created, [1]);
    assert.deepEqual(report.releasedBeforeEof, []);
    assert.deepEqual(report.destroyedAtDisconnect, [1]);
    await server.stop();
  });
});
