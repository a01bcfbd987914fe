// Builds a Worker's `env` from its vars and service bindings. The binding object for a service
// comes from an injected factory, so the RPC engine can supply its RPC-capable stub; the default
// factory here gives bindings that only do `fetch()`, as plain HTTP/1.1 to the target address
// through an injected `httpFetch` (the adapters implement it with undici; core stays
// web-standard).
import type { Address } from "../config/address.ts";
import type { ResolvedService } from "../config/types.ts";

/** Creates the object a Worker sees as `env.<BINDING>`. */
export type ServiceBindingFactory = (service: ResolvedService) => unknown;

/** Sends `request` as plain HTTP/1.1 to `address`, keeping its URL (Host) as is. */
export type HttpFetch = (address: Address, request: Request) => Promise<Response>;

/** A binding's fetch: Fetch API semantics, arguments normalised into one Request. */
export interface FetchBinding {
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
}

/**
 * The header with which a binding's fetch() names its target entrypoint: an edgebind host serves
 * every entrypoint on one address, and removes the header before the Worker sees the request.
 */
export const ENTRYPOINT_HEADER = "edgebind-entrypoint";

/** The request a binding to `entrypoint` sends (unchanged for the default export). */
export function forEntrypoint(request: Request, entrypoint: string | undefined): Request {
  if (entrypoint === undefined || entrypoint === "default") return request;
  const headers = new Headers(request.headers);
  headers.set(ENTRYPOINT_HEADER, entrypoint);
  return new Request(request, { headers });
}

/** Relative URLs are resolved against this origin, as workerd's bindings do with no base. */
const BINDING_ORIGIN = "http://fake-host";

/** Normalises `fetch(input, init)` arguments the way a service binding does. */
export function bindingRequest(input: RequestInfo | URL, init?: RequestInit): Request {
  if (typeof input === "string" && !/^[a-z][a-z0-9+.-]*:/i.test(input)) input = new URL(input, BINDING_ORIGIN);
  return new Request(input, init);
}

/** The default binding factory: `fetch()` only, over plain HTTP. */
export function httpServiceBinding(httpFetch: HttpFetch): ServiceBindingFactory {
  return (service) => ({
    fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
      return httpFetch(service.address, bindingRequest(input, init));
    },
  } satisfies FetchBinding);
}

/** `env`: vars first, then one binding per service (the config guarantees distinct names). */
export function buildEnv(
  vars: Readonly<Record<string, unknown>>,
  services: readonly ResolvedService[],
  createBinding: ServiceBindingFactory,
): Record<string, unknown> {
  const env: Record<string, unknown> = { ...vars };
  for (const service of services) env[service.binding] = createBinding(service);
  return env;
}
