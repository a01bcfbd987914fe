// The in-process measures (tinybench) of one runtime, for the orchestrator: the V8 value codec,
// the rpc.capnp codec and the engine over the in-memory pair. Prints `RESULT <json>`.
//   <runtime> bench/inprocess.ts [time=ms]
import { runCapnpCodecBench } from "./codec-capnp.ts";
import { runV8CodecBench } from "./codec-v8.ts";
import { runEngineBench } from "./engine.ts";
import { parseKv } from "./support/peer.ts";
import { runtimeName } from "./support/tinybench.ts";

const args = parseKv((globalThis as { process?: { argv: string[] } }).process?.argv.slice(2) ?? []);
const time = Number(args.time ?? 300);
const parts = (args.parts ?? "v8,capnp,engine").split(",");
const out: Record<string, unknown> = { runtime: runtimeName() };
if (parts.includes("v8")) out.v8 = await runV8CodecBench({ time });
if (parts.includes("capnp")) out.capnp = await runCapnpCodecBench({ time });
if (parts.includes("engine")) out.engine = await runEngineBench({ time: time * 2 });
console.log(`RESULT ${JSON.stringify(out)}`);
(globalThis as { process?: { exit(code: number): void } }).process?.exit(0);
