// Probe: how much of an add's time is the host's engine and Workers layer? This is a host that
// does only the protocol: it answers the caller's exact message pattern (Bootstrap, then
// startEvent → jsRpcSession → call for each add (and the client's warm-up echoes), with their Returns) with edgebind's own codecs
// (framing, the RPC message codec, CallParams/CallResults, the V8 value codec), and ignores
// Finish (a Release only frees the id for reuse). No tables, hooks, sessions, entrypoint instances or AsyncLocalStorage.
// The edgebind client measures add against it and against a real Node host, both pinned to
// CPU 0 (the bench's 1-core mode), in alternating rounds.
// `workers=1` adds the Workers layer a real host runs per call (core/worker's startEvent: the
// ExecutionContext and a new entrypoint instance, the method run in the event, one promise step,
// finish()), with AsyncLocalStorage as the context store unless `als=0`. The bench Worker's
// cpu() is answered too, so `bench/tools/ab.ts interleave=1 b=lean[:workers=1]` can put it
// beside a real host.
//   node --import tsx bench/tools/lean-host.ts [rounds=4] [time=2500] [workers=1] [als=0]
// With `serve=<unix path>` it is the lean host itself (what the rounds start).
import { createServer, type Socket } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FrameReader } from "../../protocol/capnp/framing.ts";
import { OutputQueue } from "../../protocol/capnp/output.ts";
import { decodeRpcMessage, encodeRpcMessageInto } from "../../protocol/capnp/rpc-codec.ts";
import type { AnyPointerWriter } from "../../protocol/capnp/layout.ts";
import type { CapDescriptor, IncomingMessage } from "../../protocol/rpc-model.ts";
import { capabilityContent } from "../../core/rpc/content.ts";
import { JS_RPC_TARGET, readCallParams, writeCallResults, writeCapStruct } from "../../core/workers-rpc/schema.ts";
import { deserializeValue, serializeValue } from "../../core/workers-rpc/values.ts";
import { hostCommand } from "../../adapters/cli/launch.ts";
import { ROOT, pinned, runClient, scriptCommand, start } from "../orchestrate.ts";
import { parseKv } from "../support/peer.ts";
import { median } from "../support/measure.ts";

const args = parseKv(process.argv.slice(2));

if (args.serve) {
  const { AsyncLocalStorage } = await import("node:async_hooks");
  const { setContextStore, Worker } = await import("../../core/worker/index.ts");
  let worker: InstanceType<typeof Worker> | null = null;
  if (args.workers === "1") {
    if (args.als !== "0") setContextStore(new AsyncLocalStorage() as never);
    const mod: unknown = await import(join(ROOT, "bench/fixtures/bench-worker.js"));
    worker = new Worker({ module: mod as never, env: {} });
  }
  const DISPATCHER = writeCapStruct(1);
  const SESSION = writeCapStruct(2);
  const BOOTSTRAP = capabilityContent(0);
  createServer((socket: Socket) => {
    let head = true;
    // Export ids are reused once released, as a real peer's are (the caller keys imports by id).
    let nextExport = 1;
    const freeIds: number[] = [];
    const exportId = () => freeIds.pop() ?? nextExport++;
    // Returns still to come from a promise step (workers=1): the turn's messages wait for them,
    // so that a call's Returns go out in one write, as a real host writes them.
    let answering = 0;
    const frames = new FrameReader();
    const out = new OutputQueue();
    const results = (answerId: number, content: AnyPointerWriter, capTable: CapDescriptor[]) =>
      encodeRpcMessageInto({ type: "return", answerId, releaseParamCaps: false, body: { type: "results", results: { content, capTable } } }, out);
    const handle = (m: IncomingMessage) => {
      if (m.type === "release") {
        freeIds.push(m.id);
      } else if (m.type === "bootstrap") {
        results(m.questionId, BOOTSTRAP, [{ type: "senderHosted", id: 0 }]);
      } else if (m.type === "call") {
        if (m.target.type === "importedCap") {
          results(m.questionId, DISPATCHER, [{ type: "senderHosted", id: exportId() }]);
        } else if (m.interfaceId !== JS_RPC_TARGET) {
          results(m.questionId, SESSION, [{ type: "senderHosted", id: exportId() }, { type: "senderPromise", id: exportId() }]);
        } else {
          const params = readCallParams(m.params.content);
          const [a, b] = (params.args ? deserializeValue(params.args, { caps: [], lease: null, stubs: [] }) : []) as [number, number];
          const qid = m.questionId;
          const answer = (value: unknown) => {
            const result = serializeValue(value, { caps: [], ownership: "results", context: null, afterSend: [] });
            results(qid, writeCallResults({ result, callPipelineCap: 0, hasDisposer: false }), [{ type: "senderHosted", id: exportId() }]);
          };
          if (params.path[0] === "cpu") {
            const u = process.cpuUsage();
            answer(u.user + u.system);
          } else if (worker) {
            const event = worker.startEvent("Bench");
            const h = event.handler as any;
            const fn = params.path[0] === "echo" ? h.echo : h.add;
            const value = event.run(() => fn.call(h, a, b));
            answering++;
            void Promise.resolve().then(() => {
              answer(value);
              if (--answering === 0 && !out.isEmpty) socket.write(Buffer.concat(out.take()));
              void event.finish();
            });
          } else {
            // add(a, b), and echo(bytes) for the client's warm-up.
            answer(params.path[0] === "echo" ? a : a + b);
          }
        }
      }
    };
    socket.on("data", (chunk: Uint8Array) => {
      if (head) {
        // The CONNECT request head (no body follows it): answer it, then speak RPC.
        head = false;
        socket.write("HTTP/1.1 200 OK\r\n\r\n");
        const end = Buffer.from(chunk).indexOf("\r\n\r\n") + 4;
        chunk = chunk.subarray(end);
      }
      for (const frame of frames.push(chunk)) handle(decodeRpcMessage(frame));
      if (answering === 0 && !out.isEmpty) socket.write(Buffer.concat(out.take()));
    });
  }).listen(args.serve, () => console.log("listening on lean host"));
} else {
  const rounds = Number(args.rounds ?? 4);
  const time = args.time ?? "2500";
  const dir = mkdtempSync(join(tmpdir(), "edgebind-lean-"));
  const config = join(dir, "host.json");
  writeFileSync(config, JSON.stringify({ name: "lean", main: join(ROOT, "bench/fixtures/bench-worker.js"), edgebind: { listen: `unix:${join(dir, "real.sock")}` } }));
  const hosts = {
    real: async () => ({ cmd: await hostCommand("node", config), socket: join(dir, "real.sock") }),
    lean: async () => ({ cmd: scriptCommand("node", "bench/tools/lean-host.ts", [`serve=${join(dir, "lean.sock")}`, `workers=${args.workers ?? "0"}`, `als=${args.als ?? "1"}`]), socket: join(dir, "lean.sock") }),
  };
  const p50s: Record<string, number[]> = { real: [], lean: [] };
  try {
    for (let round = 0; round < rounds; round++) {
      for (const name of (round % 2 === 0 ? ["real", "lean"] : ["lean", "real"]) as (keyof typeof hosts)[]) {
        const { cmd, socket } = await hosts[name]();
        rmSync(socket, { force: true }); // the last run's, if its process left it
        const host = start(pinned("0", cmd));
        try {
          await host.waitFor(/listening on /, 30_000);
          const client = scriptCommand("node", "bench/peers/edgebind-client.ts", [`address=unix:${socket}`, "scenarios=add", "warmup=2000", `time=${time}`]);
          const result = (await runClient(pinned("0", client), 120_000)) as { results: { add: { p50: number } } };
          p50s[name]!.push(result.results.add.p50);
          console.log(`round ${round + 1} ${name}: add p50 ${result.results.add.p50.toFixed(1)} µs`);
        } finally {
          await host.stop();
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`add p50 medians: real Node host ${median(p50s.real).toFixed(1)} µs, lean host ${median(p50s.lean).toFixed(1)} µs`);
}
