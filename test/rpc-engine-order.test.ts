// Message order around releases: a Call or Return that names one of the peer's own capabilities
// (receiverHosted) must reach the peer before the Release of our last reference to it, or the
// peer has dropped that export when the Call arrives and aborts the connection.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Hook, type InCall, type OutCall } from "../core/rpc/hooks.ts";
import { assertBaseline, callMsg, connectPair, plus, readMsg, reply, resultOf, scripted, settle } from "./support/rpc-harness.ts";

/** A local capability that passes every call on to another one (a membrane in miniature). */
class Forwarder extends Hook {
  constructor(private readonly inner: Hook) {
    super();
  }
  call(call: OutCall) {
    return this.inner.call(call);
  }
  deliver(call: InCall) {
    return this.inner.deliver(call);
  }
  protected override destroy(): void {
    this.inner.release();
  }
}

describe("RPC engine: message order", () => {
  it("forwarding a call back to its sender, with a capability the sender just passed", async () => {
    const { hook: server } = scripted("server", {
      // Returns a local forwarder to the caller's own capability A.
      0: (call) => reply({ cap: 0 }, [new Forwarder(call.params.caps[readMsg(call.params.content).cap!]!.addRef())]),
    });
    const pair = connectPair({ serverBootstrap: server });
    const boot = pair.client.bootstrap();
    const a = scripted("a", { 0: plus(100) }).hook;
    const handle = callMsg(boot, 0, { cap: 0 }, [a]);
    const results = await handle.results();
    const forwarder = results.in.caps[readMsg(results.in.content).cap!]!.addRef();
    results.release();
    handle.release();
    // A call through the forwarder carrying a fresh capability B of ours: the server passes it
    // on to A (back to us) with the only reference it has to B.
    const b = scripted("b", { 0: plus(1) }).hook;
    assert.equal((await resultOf(callMsg(forwarder, 0, { value: 5, cap: 0 }, [b]))).value, 105);
    assert.equal(pair.client.isClosed, false, "the connection survived");
    forwarder.release();
    boot.release();
    await settle();
    await assertBaseline(pair);
    pair.client.close();
  });
});
