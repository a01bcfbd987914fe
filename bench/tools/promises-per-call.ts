// Probe: how many promises (async_hooks PROMISE inits) one call makes, caller and callee together,
// over the in-memory pair. Unlike time, the count is exact and the same on every run, so it can
// judge a change that the noise of this machine hides.
//   node --import tsx --import ./adapters/node/register.mjs bench/tools/promises-per-call.ts
import { createHook } from "node:async_hooks";
import { bindWorker } from "../../test/support/workers-harness.ts";
import { RpcTarget, WorkerEntrypoint } from "../../core/cloudflare-workers.ts";
import { benchApi } from "../support/chain.ts";

const Bench = benchApi(WorkerEntrypoint as unknown as new (...args: any[]) => object, RpcTarget);
const pair = await bindWorker({ Bench, default: Bench }, { wire: "memory", entrypoint: "Bench" });
const env = pair.binding;

let promises = 0;
const hook = createHook({ init: (_id, type) => { if (type === "PROMISE") promises++; } });

async function count(name: string, once: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 50; i++) await once(); // warm up; settle anything lazy
  await new Promise((resolve) => setTimeout(resolve, 20));
  const calls = 200;
  hook.enable();
  promises = 0;
  for (let i = 0; i < calls; i++) await once();
  await new Promise((resolve) => setTimeout(resolve, 20)); // sessions end, Resolves go out
  hook.disable();
  console.log(`${name}: ${(promises / calls).toFixed(1)} promises per call (both peers, the loop's await included)`);
}

await count("add", () => env.add(1, 2));
await count("chain3 pipelined", () => env.a().b().c());
await pair.close();
