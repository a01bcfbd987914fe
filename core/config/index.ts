// Worker configuration: wrangler.toml/json/jsonc parsing, addresses, environment overrides.
// Everything here is pure and web-standard; file reading lives in adapters/shared/config-file.ts.
export * from "./address.ts";
export * from "./types.ts";
export { ConfigError, parseConfig, parseRuntime } from "./parse.ts";
export { applyEnvOverrides, resolveServices, ENV, type EnvRecord } from "./overrides.ts";
