// Hosting ONE Worker in this process: read its config (with environment overrides), build its
// env, import its module, and serve it on one address — HTTP through Hono to the Worker's fetch
// handler, CONNECT to the RPC engine. Runtime specifics come from `#runtime`; the RPC engine
// plugs in through `HostHooks` (see adapters/shared/engine.ts). `shutdown()` stops accepting,
// drains in-flight requests and every open event's waitUntil (bounded), then closes the rest.
import { existsSync, readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { Hono } from "hono";
import { ENTRYPOINT_HEADER } from "../../core/worker/env.ts";
import { runtime } from "#runtime";
import {
  applyEnvOverrides, formatAddress, parseAddress, parseConfig, resolveServices,
  type Address, type EnvRecord, type ResolvedService, type WorkerConfig,
} from "../../core/config/index.ts";
import type { Transport } from "../../core/transport.ts";
import { buildEnv, httpServiceBinding, setContextStore, Worker, WorkerLoadError } from "../../core/worker/index.ts";
import { installResponseEncodeBody } from "../../core/worker/response.ts";
import type { Server } from "./server.ts";
import type { RuntimeAdapter } from "./types.ts";

/** What the RPC engine supplies; every hook is optional. */
export interface HostHooks {
  /** Makes `env.<BINDING>` for a service binding (default: fetch-only, plain HTTP). */
  createServiceBinding?(service: ResolvedService, runtime: RuntimeAdapter): unknown;
  /** Serves one RPC connection; `authority` is the CONNECT target (entrypoint choice). */
  onRpcConnection?(transport: Transport, authority: string, worker: Worker, props: Record<string, unknown>): void;
}

export interface HostOptions {
  /** Path of wrangler.toml / wrangler.json / wrangler.jsonc. */
  readonly configPath: string;
  /** Environment for overrides (default: `process.env`). */
  readonly env?: EnvRecord;
  readonly hooks?: HostHooks;
}

export interface Host {
  readonly config: WorkerConfig;
  readonly worker: Worker;
  readonly server: Server;
  readonly runtime: RuntimeAdapter;
  /** The line printed when ready: `edgebind: <name> (<runtime>) listening on <address>`. */
  readonly readyLine: string;
  /** Graceful stop; resolves `{ timedOut }` after everything is closed. */
  shutdown(timeoutMs: number): Promise<{ timedOut: boolean }>;
}

/** Where a Worker listens when neither its config nor EDGEBIND_LISTEN says (like wrangler dev). */
export const DEFAULT_LISTEN: Address = parseAddress("127.0.0.1:8787");

/** Reads and validates a config file, applying environment overrides. */
export function loadConfig(configPath: string, env: EnvRecord): WorkerConfig {
  const file = configPath.startsWith("/") ? configPath : `${process.cwd()}/${configPath}`;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`cannot read config ${file}: ${(error as Error).message}`);
  }
  return applyEnvOverrides(parseConfig(text, file), env);
}

/** Imports the Worker's entry module. */
async function importWorker(config: WorkerConfig): Promise<Record<string, unknown>> {
  if (!existsSync(config.main)) {
    throw new WorkerLoadError(`${config.file}: \`main\`: ${config.main} does not exist`);
  }
  return await import(pathToFileURL(config.main).href) as Record<string, unknown>;
}

export async function startHost(options: HostOptions): Promise<Host> {
  const config = loadConfig(options.configPath, options.env ?? process.env);
  const hooks = options.hooks ?? {};
  const services = resolveServices(config);
  const createBinding = hooks.createServiceBinding
    ? (s: ResolvedService) => hooks.createServiceBinding!(s, runtime)
    : httpServiceBinding(runtime.httpFetch);
  const env = buildEnv(config.vars, services, createBinding);

  setContextStore(runtime.createContextStore());
  installResponseEncodeBody(); // before the Worker loads: its `new Response` must see encodeBody
  let module: Record<string, unknown>;
  try {
    module = await importWorker(config);
  } catch (error) {
    if (error instanceof WorkerLoadError) throw error;
    throw new WorkerLoadError(`cannot load ${config.main}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  }
  let worker: Worker;
  try {
    worker = new Worker({ module, env, name: config.name });
  } catch (error) {
    if (error instanceof WorkerLoadError) throw new WorkerLoadError(`${config.main}: ${error.message}`);
    throw error;
  }

  // An incoming request's signal aborts when the client goes away only with workerd's
  // enable_request_signal flag; without it, as in workerd, it never aborts. (Following the
  // connection's signal is also most of what building the Request costs on Node.)
  const followClientSignal = config.compatibilityFlags.includes("enable_request_signal");

  // Hono is the HTTP front: `c.env` is the Worker's env, as on Cloudflare.
  const app = new Hono<{ Bindings: Record<string, unknown> }>();
  app.all("*", (c) => {
    // A binding that names an entrypoint says so in a header (plain HTTP carries no entrypoint);
    // the Worker never sees it. Requests without it (browsers, workerd) reach the default export.
    // Rebuilt from its parts (Node's Request cannot copy @hono/node-server's lightweight one),
    // with redirect "manual": what workerd gives a Worker for an incoming request, so that
    // `fetch(request)` in a proxy returns a redirect rather than following it.
    const request = c.req.raw;
    const entrypoint = request.headers.get(ENTRYPOINT_HEADER);
    const headers = new Headers(request.headers);
    if (entrypoint !== null) headers.delete(ENTRYPOINT_HEADER);
    const init: RequestInit & { duplex?: "half" } = { method: request.method, headers, redirect: "manual" };
    if (followClientSignal) init.signal = request.signal;
    // The method first: on Node, reading `body` makes @hono/node-server build a full Request of
    // its own: a second Request per GET (plain GETs read 0.78x the p50 without it).
    if (request.method !== "GET" && request.method !== "HEAD" && request.body !== null) {
      init.body = request.body;
      init.duplex = "half";
    }
    return worker.fetch(new Request(request.url, init), entrypoint ?? undefined);
  });
  const onRpc = hooks.onRpcConnection;
  const server = await runtime.serve({
    address: config.listen ?? DEFAULT_LISTEN,
    fetch: (request) => app.fetch(request, worker.env),
    ...(onRpc && { onRpcConnection: (transport: Transport, authority: string, props: Record<string, unknown>) => onRpc(transport, authority, worker, props) }),
  });

  let stopping: Promise<{ timedOut: boolean }> | undefined;
  return {
    config, worker, server, runtime,
    readyLine: `edgebind: ${config.name} (${runtime.name}) listening on ${formatAddress(server.address)}`,
    shutdown(timeoutMs) {
      return stopping ??= (async () => {
        server.stopAccepting();
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timedOut = await Promise.race([
          Promise.all([server.requestsDone(), worker.idle()]).then(() => false),
          new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(true), timeoutMs); }),
        ]);
        clearTimeout(timer);
        server.destroy();
        await runtime.closeClients();
        return { timedOut };
      })();
    },
  };
}
