// `httpFetch(address, request)`: plain HTTP/1.1 to a Worker's address, for `env.X.fetch()`.
// Uses undici (pure JS over node:net, so it runs on Node, Deno and Bun alike) because it can
// dial a Unix socket or a fixed host:port while keeping the request's own URL and Host header,
// which is what a service binding needs: the target sees the URL the caller wrote, whatever
// address it actually lives at. One keep-alive Agent per address.
// Imported as "undici/index.js": Bun answers a bare "undici" with its own built-in shim, which
// ignores `dispatcher` (measured: requests went to DNS for the URL's host). The package has no
// `exports` map, so this subpath is the same file on Node and Deno.
import { Agent, buildConnector, fetch as undiciFetch } from "undici/index.js";
import { formatAddress, type Address } from "../../core/config/address.ts";
import type { HttpFetch } from "../../core/worker/env.ts";

const agents = new Map<string, Agent>();

function agentFor(address: Address): Agent {
  const key = formatAddress(address);
  let agent = agents.get(key);
  if (!agent) {
    const dial = buildConnector(address.kind === "unix" ? { socketPath: address.path } : {});
    const target = address.kind === "unix" ? {} : { hostname: address.host, port: String(address.port) };
    // Whatever the URL says (https://example.com/...), connect to `address` and speak plain HTTP.
    agent = new Agent({
      connect: (options, callback) => dial({ ...options, ...target, protocol: "http:" }, callback),
    });
    agents.set(key, agent);
  }
  return agent;
}

export const httpFetch: HttpFetch = async (address, request) => {
  const hasBody = request.body !== null && request.method !== "GET" && request.method !== "HEAD";
  const response = await undiciFetch(request.url, {
    method: request.method,
    headers: [...request.headers],
    body: hasBody ? request.body as never : null,
    duplex: "half",
    redirect: "manual",
    signal: request.signal,
    dispatcher: agentFor(address),
  });
  // Hand back the runtime's own Response class, which Worker code and servers expect.
  const nullBody = response.status === 101 || response.status === 204 || response.status === 205 || response.status === 304;
  return new Response(nullBody ? null : response.body as ReadableStream<Uint8Array> | null, {
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers] as [string, string][],
  });
};

/** Closes every pooled connection (host shutdown, tests). */
export async function closeHttpAgents(): Promise<void> {
  const all = [...agents.values()];
  agents.clear();
  await Promise.all(all.map((a) => a.close()));
}
