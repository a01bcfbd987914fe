// Environment-variable overrides for deployments, applied on top of a parsed config, and the
// final step that gives every service binding a concrete address. Pure: the environment comes in
// as a plain record, so the CLI, the hosts and the tests all pass what they have.
//
//   EDGEBIND_LISTEN=unix:/run/w.sock | host:port       replaces [edgebind] listen
//   EDGEBIND_RUNTIME=node|deno|bun                     replaces [edgebind] runtime
//   EDGEBIND_SERVICE_<BINDING>=unix:/path | host:port   the address of service binding <BINDING>
//   EDGEBIND_CONNECT_HOST_<BINDING>=name              its CONNECT authority
//   EDGEBIND_VAR_<NAME>=text                           sets vars.<NAME> (a string)
//
// <BINDING> and <NAME> are spelled exactly as in the config (env names are case-sensitive).
// Variables naming bindings the config does not have are ignored, so one environment can be
// shared by several Workers.
import { AddressError, parseAddress, type Address } from "./address.ts";
import { ConfigError, parseRuntime } from "./parse.ts";
import { DEFAULT_CONNECT_HOST, type ResolvedService, type ServiceConfig, type WorkerConfig } from "./types.ts";

export type EnvRecord = Readonly<Record<string, string | undefined>>;

export const ENV = {
  listen: "EDGEBIND_LISTEN",
  runtime: "EDGEBIND_RUNTIME",
  servicePrefix: "EDGEBIND_SERVICE_",
  connectHostPrefix: "EDGEBIND_CONNECT_HOST_",
  varPrefix: "EDGEBIND_VAR_",
} as const;

const ORIGIN = "environment";

function envAddress(env: EnvRecord, key: string, allowPortZero: boolean): Address | undefined {
  const text = env[key];
  if (text === undefined || text === "") return undefined;
  try {
    return parseAddress(text, { allowPortZero });
  } catch (err) {
    if (err instanceof AddressError) throw new ConfigError(ORIGIN, key, err.message);
    throw err;
  }
}

/** Returns `config` with the overrides found in `env` applied. */
export function applyEnvOverrides(config: WorkerConfig, env: EnvRecord): WorkerConfig {
  const listen = envAddress(env, ENV.listen, true) ?? config.listen;
  const runtime = parseRuntime(env[ENV.runtime] || undefined, ORIGIN, ENV.runtime) ?? config.runtime;
  const vars: Record<string, unknown> = { ...config.vars };
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith(ENV.varPrefix) && key.length > ENV.varPrefix.length && value !== undefined) {
      vars[key.slice(ENV.varPrefix.length)] = value;
    }
  }
  const services = config.services.map((s): ServiceConfig => {
    const address = envAddress(env, ENV.servicePrefix + s.binding, false);
    const connectHost = env[ENV.connectHostPrefix + s.binding] || undefined;
    return { ...s, ...(address && { address }), ...(connectHost && { connectHost }) };
  });
  return { ...config, runtime, vars, services, ...(listen && { listen }) };
}

/**
 * Every service binding with its address and CONNECT authority. A binding that names a Worker
 * (`service`) but has no address yet is an error telling how to give one.
 */
export function resolveServices(config: WorkerConfig): ResolvedService[] {
  return config.services.map((s, i) => {
    if (!s.address) {
      throw new ConfigError(config.file, `services[${i}]`,
        `binding "${s.binding}" refers to Worker "${s.service}", whose address is unknown here: ` +
        `run both with \`edgebind dev\`, or set ${ENV.servicePrefix}${s.binding}=unix:/path|host:port`);
    }
    return {
      binding: s.binding,
      service: s.service ?? (s.address.kind === "unix" ? `unix:${s.address.path}` : `${s.address.host}:${s.address.port}`),
      ...(s.entrypoint !== undefined && { entrypoint: s.entrypoint }),
      address: s.address,
      connectHost: s.connectHost ?? s.entrypoint ?? DEFAULT_CONNECT_HOST,
      ...(s.props !== undefined && { props: s.props }),
    };
  });
}
