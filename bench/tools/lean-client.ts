// Probe: how much of an add's time is the caller's engine and Workers layer? This is a caller
// that does only the protocol: over the same CONNECT handshake and socket reads as edgebind's
// client, it sends a call's exact message pattern (startEvent → jsRpcSession → call, pipelined,
// with the ExternalPusher export), reads the Returns with edgebind's own codecs, and sends the
// Finishes and Releases with the next call, as edgebind's client does. No tables, hooks,
// stubs, proxies or promises of the engine. It runs sequential calls only (one in flight).
// The rounds alternate it with edgebind's own client against one real Node host, all on CPU 0
// (the bench's 1-core mode).
//   node --import tsx bench/tools/lean-client.ts [rounds=4] [time=2500]
// With `address=<unix:path>` it is the lean client itself (what the rounds start).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAddress } from "../../core/config/address.ts";
import { connectTransport } from "../../adapters/shared/connect-transport.ts";
import { hostCommand } from "../../adapters/cli/launch.ts";
import { ROOT, pinned, runClient, scriptCommand, start } from "../orchestrate.ts";
import { parseKv, runPeer } from "../support/peer.ts";
import { LeanCaller } from "../support/lean-caller.ts";
import { median } from "../support/measure.ts";

const args = parseKv(process.argv.slice(2));

if (args.address) {
  const caller = new LeanCaller(await connectTransport(parseAddress(args.address), "Bench"));
  await caller.bootstrap();
  await runPeer({ add: () => caller.call(["add"], [1, 2]), echo: (bytes) => caller.call(["echo"], [bytes]), close() {} }, args);
  process.exit(0);
} else {
  const rounds = Number(args.rounds ?? 4);
  const time = args.time ?? "2500";
  const dir = mkdtempSync(join(tmpdir(), "edgebind-lean-client-"));
  const config = join(dir, "host.json");
  const socket = join(dir, "host.sock");
  writeFileSync(config, JSON.stringify({ name: "lean", main: join(ROOT, "bench/fixtures/bench-worker.js"), edgebind: { listen: `unix:${socket}` } }));
  const clients = {
    real: scriptCommand("node", "bench/peers/edgebind-client.ts", [`address=unix:${socket}`, "scenarios=add", "warmup=2000", `time=${time}`]),
    lean: scriptCommand("node", "bench/tools/lean-client.ts", [`address=unix:${socket}`, "scenarios=add", "warmup=2000", `time=${time}`]),
  };
  const p50s: Record<string, number[]> = { real: [], lean: [] };
  try {
    for (let round = 0; round < rounds; round++) {
      for (const name of (round % 2 === 0 ? ["real", "lean"] : ["lean", "real"]) as (keyof typeof clients)[]) {
        const host = start(pinned("0", await hostCommand("node", config)));
        try {
          await host.waitFor(/listening on /, 30_000);
          const result = (await runClient(pinned("0", clients[name]), 120_000)) as { results: { add: { p50: number } } };
          p50s[name]!.push(result.results.add.p50);
          console.log(`round ${round + 1} ${name} client: add p50 ${result.results.add.p50.toFixed(1)} µs`);
        } finally {
          await host.stop();
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`add p50 medians against a real Node host: edgebind client ${median(p50s.real).toFixed(1)} µs, lean client ${median(p50s.lean).toFixed(1)} µs`);
}
