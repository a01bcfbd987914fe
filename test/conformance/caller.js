// The conformance caller: one Worker module, unmodified on workerd and on edgebind (Node, Deno,
// Bun). `GET /run?target=<T>` runs every case of cases.js against the bindings SVC_<T>
// (MyService), DEF_<T> (the default export) and FWD_<T> (the Forwarder) and answers with the
// report, `{ "<case>": {value} | {error} }`, values normalised by tag.js. `&only=<name>` runs
// one case (repeatable); `&skip=<name>` leaves one out.
import * as cf from "cloudflare:workers";
import { cases } from "./cases.js";
import { tag, tagError } from "./tag.js";

const CASE_TIMEOUT_MS = 10_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(condition, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(10);
  }
}

const outcome = async (fn) => {
  try {
    return { value: tag(await fn(), cf) };
  } catch (e) {
    return { error: tagError(e, cf) };
  }
};

async function runCase(c, env, target, run) {
  const owned = [];
  const t = {
    svc: env[`SVC_${target}`],
    def: env[`DEF_${target}`],
    fwd: env[`FWD_${target}`],
    cf,
    key: `${target}:${run}:${c.name}`,
    tag: (v) => tag(v, cf),
    tagError: (e) => tagError(e, cf),
    attempt: outcome,
    until,
    sleep,
    use(x) {
      owned.push(x);
      return x;
    },
  };
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ error: { $: "timeout", ms: CASE_TIMEOUT_MS } }), CASE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([outcome(() => c.run(t)), timeout]);
  } finally {
    clearTimeout(timer);
    for (const x of owned) {
      try {
        x[Symbol.dispose]();
      } catch {
        // already disposed
      }
    }
  }
}

let runs = 0;

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname !== "/run") return new Response("GET /run?target=<name>", { status: 404 });
    const target = url.searchParams.get("target");
    if (!env[`SVC_${target}`]) return new Response(`no binding SVC_${target}`, { status: 400 });
    const only = url.searchParams.getAll("only");
    const skip = url.searchParams.getAll("skip");
    const run = `${++runs}-${crypto.randomUUID()}`;
    const report = {};
    for (const c of cases) {
      if (only.length && !only.includes(c.name)) continue;
      if (skip.includes(c.name)) continue;
      report[c.name] = await runCase(c, env, target, run);
    }
    return new Response(JSON.stringify(report), { headers: { "content-type": "application/json" } });
  },
};
