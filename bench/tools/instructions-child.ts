// The process instructions-per-call.ts counts: the version of edgebind at `root` (a Worker and
// its service binding, both in this process, over `wire`), `warm` calls of `scenario` to settle
// the JIT, then `calls` more. On Node it runs with that version's flags (its resolve hook), so
// its own TypeScript is compiled as a host's is. AsyncLocalStorage is installed, as in a host
// (`als=0`: not, to count what it costs).
//   node <flags of root> bench/tools/instructions-child.ts root=<dir> runtime=node scenario=add@64 wire=memory warm=5000 calls=4000 [als=0]
import { AsyncLocalStorage } from "node:async_hooks";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { K64, parseKv } from "../support/peer.ts";

const args = parseKv(process.argv.slice(2));
const root = args.root!;
const from = (path: string) => import(pathToFileURL(join(root, path)).href);
const { bindWorker } = await from("test/support/workers-harness.ts");
const { RpcTarget, WorkerEntrypoint } = await from("core/cloudflare-workers.ts");
const { setContextStore } = await from("core/worker/index.ts");
const { benchApi } = await from("bench/support/chain.ts");
// The runtime's adapter, for what it sets up as a host's does (Node and Bun: large buffers
// without zero-fill, protocol/bytes.ts).
await from(`adapters/${args.runtime ?? "node"}/index.ts`);

// The harness installs an AsyncLocalStorage itself (an older version's might not). With als=0
// the slot is emptied, and the engine falls back to its synchronous store.
setContextStore(args.als === "0" ? undefined : new AsyncLocalStorage());
const Bench = benchApi(WorkerEntrypoint, RpcTarget);
const pair = await bindWorker({ Bench, default: Bench }, { wire: args.wire ?? "memory", entrypoint: "Bench" });
const env = pair.binding;

/** `n` calls of `call`, one after another. */
const sequential = (call: () => Promise<unknown>) => async (n: number) => {
  for (let i = 0; i < n; i++) await call();
};
/** `n` calls of `call`, in rounds of 64 in flight. */
const in64 = (call: () => Promise<unknown>) => async (n: number) => {
  for (let i = 0; i < n; i += 64) {
    const all: Promise<unknown>[] = [];
    for (let j = 0; j < 64; j++) all.push(call());
    await Promise.all(all);
  }
};
const add = () => env.add(1, 2);
const echo = () => env.echo(K64);
const scenarios: Record<string, (n: number) => Promise<void>> = {
  add: sequential(add),
  "add@64": in64(add),
  echo64k: sequential(echo),
  "echo64k@64": in64(echo),
  chain3: sequential(() => env.a().b().c()),
};
const run = scenarios[args.scenario ?? "add@64"];
if (!run) throw new Error(`scenario=${args.scenario}: one of ${Object.keys(scenarios).join(", ")}`);
const settle = () => new Promise((resolve) => setTimeout(resolve, 20)); // sessions end, lazy messages go
await run(Number(args.warm ?? 5000));
await settle();
await run(Number(args.calls ?? 4000));
await settle();
await pair.close();
process.exit(0);
