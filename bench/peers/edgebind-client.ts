// The edgebind client: a service binding to a host's `Bench` entrypoint, made exactly the way a
// host makes `env.X` (CONNECT handshake, one persistent connection, a session per call), plus
// plain HTTP to the same address for the fetch scenarios.
//
//   <runtime> bench/peers/edgebind-client.ts address=unix:/p.sock|host:port [scenarios=...]
import { request as httpRequest, Agent } from "node:http";
import { parseAddress } from "../../core/config/address.ts";
import { bindingRequest } from "../../core/worker/env.ts";
import { ServiceConnection, makeServiceBinding } from "../../core/workers-rpc/index.ts";
import { connectTransport } from "../../adapters/shared/connect-transport.ts";
import { runtime } from "#runtime";
import { parseKv, runPeer, stubCalls, type Peer } from "../support/peer.ts";
import { dialOptions } from "../support/net.ts";

const args = parseKv(process.argv.slice(2));
const address = parseAddress(args.address!);
const rpc = new ServiceConnection(() => connectTransport(address, args.entrypoint ?? "Bench"));
const env: any = makeServiceBinding({
  rpc,
  // The runtime's own binding fetch, as a host on this runtime makes it (Deno's joins corked writes).
  fetch: (input, init) => runtime.httpFetch(address, bindingRequest(input, init)),
});

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const dial = dialOptions(args.address!);
function plainGet(): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ ...("path" in dial ? { socketPath: dial.path } : { host: dial.host, port: dial.port }), path: "/", agent }, (res) => {
      let n = 0;
      res.on("data", (c: Uint8Array) => (n += c.length));
      res.on("end", () => resolve(n));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

const peer: Peer = {
  ...stubCalls(env),
  async fetchBinding() {
    const res: Response = await env.fetch("http://bench/");
    return (await res.text()).length;
  },
  fetchPlain: () => plainGet(),
  async close() {
    rpc.close();
    agent.destroy();
    await runtime.closeClients();
  },
};

await runPeer(peer, args);
process.exit(0);
