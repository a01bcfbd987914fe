// Baseline: workerd calling workerd across two processes, the fair peer for Workers bound
// across processes. The callee workerd serves bench/fixtures/bench-worker.js on a capnp socket
// (`capnpConnectHost = "cappy"`, entrypoint Bench); the caller workerd binds it as an
// `external` service and runs `n` calls per HTTP request (bench/fixtures/workerd/caller.js).
// This driver times those requests from outside: per-call figures are request time / n.
//
//   configs: node bench/peers/workerd.ts role=configs dir=/tmp/x callee=unix:/a.sock http=unix:/b.sock
//   client:  node bench/peers/workerd.ts role=client address=unix:/b.sock [scenarios=...]
import { copyFileSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { nowUs, percentile, runtimeLabel, type LatencyResult, type ThroughputResult } from "../support/measure.ts";
import { dialOptions } from "../support/net.ts";
import { parseKv, type PeerReport } from "../support/peer.ts";

const args = parseKv(process.argv.slice(2));
const fixtures = fileURLToPath(new URL("../fixtures/", import.meta.url));

/** Writes callee.capnp and caller.capnp (plus the Worker sources they embed) into `dir`. */
export function writeWorkerdConfigs(dir: string, calleeAddress: string, httpAddress: string): { callee: string; caller: string } {
  copyFileSync(join(fixtures, "bench-worker.js"), join(dir, "bench-worker.js"));
  copyFileSync(join(fixtures, "workerd/caller.js"), join(dir, "caller.js"));
  const head = `using Workerd = import "/workerd/workerd.capnp";\n`;
  const callee = `${head}const config :Workerd.Config = (
  services = [
    (name = "callee", worker = (modules = [(name = "worker", esModule = embed "bench-worker.js")], compatibilityDate = "2024-09-01")),
  ],
  sockets = [
    (name = "rpc", address = "${calleeAddress}", http = (capnpConnectHost = "cappy"), service = (name = "callee", entrypoint = "Bench")),
  ],
);\n`;
  const caller = `${head}const config :Workerd.Config = (
  services = [
    (name = "caller", worker = (modules = [(name = "worker", esModule = embed "caller.js")], compatibilityDate = "2024-09-01",
      bindings = [(name = "CALLEE", service = "callee-ext")])),
    (name = "callee-ext", external = (address = "${calleeAddress}", http = (capnpConnectHost = "cappy"))),
  ],
  sockets = [
    (name = "http", address = "${httpAddress}", http = (), service = "caller"),
  ],
);\n`;
  writeFileSync(join(dir, "callee.capnp"), callee);
  writeFileSync(join(dir, "caller.capnp"), caller);
  return { callee: join(dir, "callee.capnp"), caller: join(dir, "caller.capnp") };
}

function get(address: string, agent: Agent, path: string): Promise<string> {
  const dial = dialOptions(address);
  return new Promise((resolve, reject) => {
    const req = request({ ...("path" in dial ? { socketPath: dial.path } : { host: dial.host, port: dial.port }), path, agent }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}: ${body}`))));
    });
    req.on("error", reject);
    req.end();
  });
}

async function main(): Promise<void> {
  const address = args.address!;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const warmupMs = Number(args.warmup ?? 200);
  const timeMs = Number(args.time ?? 800);
  const rt = runtimeLabel();
  const report: PeerReport = { runtime: `workerd (driver: ${rt.name} ${rt.version})`, results: {}, errors: {} };
  if ((await get(address, agent, "/?op=add&n=1")) !== "3") throw new Error("workerd add(1, 2) did not return 3");

  /** Per-call time from requests of `n` calls each: median and p99 over requests. */
  const latency = async (op: string, n: number): Promise<LatencyResult> => {
    let end = nowUs() + warmupMs * 1000;
    while (nowUs() < end) await get(address, agent, `/?op=${op}&n=${n}`);
    const per: number[] = [];
    end = nowUs() + timeMs * 1000;
    let sum = 0;
    do {
      const t0 = nowUs();
      await get(address, agent, `/?op=${op}&n=${n}`);
      const us = (nowUs() - t0) / n;
      per.push(us);
      sum += us;
    } while (nowUs() < end);
    per.sort((a, b) => a - b);
    return { p50: percentile(per, 0.5), p99: percentile(per, 0.99), mean: sum / per.length, n: per.length * n };
  };
  const rate = async (op: string, n: number, par: number): Promise<ThroughputResult> => {
    await get(address, agent, `/?op=${op}&n=${n}&par=${par}`);
    let calls = 0;
    const t0 = nowUs();
    const end = t0 + timeMs * 1000;
    do {
      await get(address, agent, `/?op=${op}&n=${n}&par=${par}`);
      calls += n;
    } while (nowUs() < end);
    return { perSec: (calls * 1e6) / (nowUs() - t0), n: calls, inFlight: par };
  };
  const jobs: Record<string, () => Promise<LatencyResult | ThroughputResult>> = {
    add: () => latency("add", 100),
    "add@64": () => rate("add", 1024, 64),
    echo64k: () => latency("echo64k", 20),
    "echo64k@64": () => rate("echo64k", 256, 64),
    echo1m: () => latency("echo1m", 4),
    "echo1m@64": () => rate("echo1m", 32, 16),
    "chain3.pipelined": () => latency("chain3", 50),
    "chain3.awaited": () => latency("chain3awaited", 50),
  };
  for (const name of (args.scenarios ?? Object.keys(jobs).join(",")).split(",")) {
    const job = jobs[name];
    if (!job) continue;
    try {
      report.results[name] = await job();
    } catch (err) {
      report.errors[name] = err instanceof Error ? err.message : String(err);
    }
  }
  console.log(`RESULT ${JSON.stringify(report)}`);
  agent.destroy();
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  if (args.role === "configs") {
    const out = writeWorkerdConfigs(args.dir!, args.callee!, args.http!);
    console.log(JSON.stringify(out));
  } else {
    await main();
    process.exit(0);
  }
}
