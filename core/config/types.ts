// The normalized, typed shape of one Worker's config, whatever file format it came from.
// Key names are camelCase here; docs/HOSTING.md maps them to the wrangler keys users write.
import type { Address } from "./address.ts";

export type RuntimeName = "node" | "deno" | "bun";
export const RUNTIMES: readonly RuntimeName[] = ["node", "deno", "bun"];

/** One `[[services]]` entry as written (before addresses are resolved). */
export interface ServiceConfig {
  /** The name on `env`. */
  readonly binding: string;
  /** The target Worker's `name` (wired by `edgebind dev`, or given an address by an override). */
  readonly service?: string;
  /** A named `WorkerEntrypoint` export of the target; the default export if absent. */
  readonly entrypoint?: string;
  /** Where the target listens, instead of `service`: another host, or a workerd socket. */
  readonly address?: Address;
  /** The authority sent in `CONNECT <connectHost> HTTP/1.1` (workerd checks it). */
  readonly connectHost?: string;
  /** Passed to the target as `this.ctx.props`. */
  readonly props?: Readonly<Record<string, unknown>>;
}

/** A service binding with a known address: what the binding factory receives. */
export interface ResolvedService {
  readonly binding: string;
  /** The target Worker's name when known (for messages), else the address text. */
  readonly service: string;
  readonly entrypoint?: string;
  readonly address: Address;
  /** Always set: `connect_host` if given, else the entrypoint name, else `DEFAULT_CONNECT_HOST`. */
  readonly connectHost: string;
  readonly props?: Readonly<Record<string, unknown>>;
}

/** The CONNECT authority a caller sends when neither `connect_host` nor `entrypoint` says. */
export const DEFAULT_CONNECT_HOST = "default";

export interface WorkerConfig {
  /** Absolute path of the config file this came from (for messages). */
  readonly file: string;
  readonly name: string;
  /** Absolute path of the entry module. */
  readonly main: string;
  readonly compatibilityDate?: string;
  readonly compatibilityFlags: readonly string[];
  /** `[vars]`: strings, or JSON values as wrangler allows. */
  readonly vars: Readonly<Record<string, unknown>>;
  readonly services: readonly ServiceConfig[];
  /** `[edgebind] runtime`; "node" when not given. */
  readonly runtime: RuntimeName;
  /** `[edgebind] listen`; the host picks a default when absent. */
  readonly listen?: Address;
}
