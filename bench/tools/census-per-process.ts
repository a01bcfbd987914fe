// Probe: the functions each process runs per sequential add(1, 2) (or, with call=chain3, per
// pipelined `a().b().c()` as the bench's chain3 makes it), host and client as two real
// Node processes on CPU 0 (the bench's 1-core mode), which census-per-call.ts (both peers in one
// process) cannot separate. Each process writes V8's precise coverage with call counts
// (NODE_V8_COVERAGE) when it exits; two runs that differ only in the number of calls give the
// per-call counts by difference. "Distinct functions" are those run on (nearly) every call: a
// cold call pays ~0.15–0.3 µs for each (docs/PERFORMANCE.md, "Code footprint").
//   node --import tsx bench/tools/census-per-process.ts [call=add|chain3] [list=host|client|both]
//     [match=<text>] [dump=<file>: every per-call count as JSON, to compare two calls or versions]
//     [caller=engine|lean: for add, the client without stubs, or the protocol-only caller
//      (bench/support/callers.ts)]
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hostCommand } from "../../adapters/cli/launch.ts";
import { ROOT, pinned, scriptCommand, start } from "../orchestrate.ts";
import { parseKv } from "../support/peer.ts";

const args = parseKv(process.argv.slice(2));
const WARMUP = 2000;
const RUNS = [1000, 4000];
const CALL = args.call ?? "add";
if (CALL !== "add" && CALL !== "chain3") throw new Error(`call=${CALL}: add or chain3`);
const CALLER = args.caller ?? "edgebind";
if (!["edgebind", "engine", "lean"].includes(CALLER) || (CALLER !== "edgebind" && CALL !== "add")) {
  throw new Error(`caller=${CALLER}: engine or lean, for call=add`);
}

if (args.client) {
  // The client side: WARMUP + calls sequential adds through a service binding, then exit.
  let one: () => Promise<unknown>;
  if (CALL === "chain3") {
    const { parseAddress } = await import("../../core/config/address.ts");
    const { ServiceConnection, makeServiceBinding } = await import("../../core/workers-rpc/index.ts");
    const { connectTransport } = await import("../../adapters/shared/connect-transport.ts");
    const address = parseAddress(args.client);
    const rpc = new ServiceConnection(() => connectTransport(address, "Bench"));
    const env: any = makeServiceBinding({ rpc, fetch: () => Promise.reject(new Error("no fetch here")) });
    const { stubCalls } = await import("../support/peer.ts");
    one = stubCalls(env).chainPipelined!;
  } else {
    const { addCaller } = await import("../support/callers.ts");
    one = await addCaller(CALLER as "edgebind", args.client, ROOT);
  }
  for (let i = 0; i < WARMUP + Number(args.calls); i++) await one();
  await new Promise((resolve) => setTimeout(resolve, 50)); // the last Finish and Release go out
  console.log("RESULT {}");
  process.exit(0);
}

type Counts = Map<string, number>;

/**
 * Function invocation counts of one process, all its threads (the module loader's thread has a
 * file of its own; it runs nothing per call, so the difference drops it).
 */
function coverage(dir: string): Counts {
  const counts: Counts = new Map();
  for (const name of readdirSync(dir)) {
    for (const script of JSON.parse(readFileSync(join(dir, name), "utf8")).result) {
      const file = String(script.url).replace(/^file:\/\//, "").replace(ROOT, "") || "(native)";
      for (const f of script.functions) {
        const key = `${f.functionName || "(anonymous)"}  ${file}:${f.ranges[0].startOffset}`;
        counts.set(key, (counts.get(key) ?? 0) + f.ranges[0].count);
      }
    }
  }
  return counts;
}

async function run(dir: string, calls: number): Promise<{ host: Counts; client: Counts }> {
  const config = join(dir, "host.json");
  const socket = join(dir, `host-${calls}.sock`);
  writeFileSync(config, JSON.stringify({ name: "census", main: join(ROOT, "bench/fixtures/bench-worker.js"), edgebind: { listen: `unix:${socket}` } }));
  const hostCov = join(dir, `host-${calls}`);
  const clientCov = join(dir, `client-${calls}`);
  const host = start(pinned("0", await hostCommand("node", config)), { NODE_V8_COVERAGE: hostCov });
  try {
    await host.waitFor(/listening on /, 30_000);
    const client = start(pinned("0", scriptCommand("node", "bench/tools/census-per-process.ts", [`client=unix:${socket}`, `calls=${calls}`, `call=${CALL}`, `caller=${CALLER}`])), {
      NODE_V8_COVERAGE: clientCov,
    });
    // Let it exit by itself: coverage is written at exit, and a signal would cut it short.
    const exited = new Promise((resolve) => client.child.once("close", resolve));
    await client.waitFor(/^RESULT/, 300_000);
    await exited;
  } finally {
    await host.stop();
  }
  return { host: coverage(hostCov), client: coverage(clientCov) };
}

const layerOf = (key: string) => {
  const file = key.split("  ")[1]!;
  return file.startsWith("node:") ? "node" : file.split("/")[0]!;
};

const dir = mkdtempSync(join(tmpdir(), "edgebind-census-"));
try {
  const [a, b] = [await run(dir, RUNS[0]!), await run(dir, RUNS[1]!)];
  const per = RUNS[1]! - RUNS[0]!;
  let total = 0;
  const dump: Record<string, Record<string, number>> = {};
  for (const side of ["host", "client"] as const) {
    dump[side] = {};
    const layers = new Map<string, number>();
    const every: [string, number][] = [];
    let invocations = 0;
    for (const [key, n] of b[side]) {
      const perCall = (n - (a[side].get(key) ?? 0)) / per;
      if (perCall >= 0.5) invocations += perCall;
      if (perCall > 0) dump[side]![key] = perCall;
      if (perCall < 0.9) continue;
      every.push([key, perCall]);
      layers.set(layerOf(key), (layers.get(layerOf(key)) ?? 0) + 1);
    }
    total += every.length;
    const byLayer = [...layers].sort((x, y) => y[1] - x[1]).map(([l, n]) => `${l} ${n}`).join(", ");
    console.log(`${side}: ${every.length} distinct functions run on every call (${byLayer}); ${invocations.toFixed(0)} invocations`);
    if (args.list === side || args.list === "both") {
      for (const [key, n] of every.sort((x, y) => x[0].split("  ")[1]!.localeCompare(y[0].split("  ")[1]!))) {
        if (!args.match || key.includes(args.match)) console.log(`  ${n.toFixed(1).padStart(6)}  ${key}`);
      }
    }
  }
  console.log(`both processes: ${total} distinct functions per call (${CALL})`);
  if (args.dump) writeFileSync(args.dump, JSON.stringify(dump, null, 1));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
