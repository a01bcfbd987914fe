// Parses wrangler.toml / wrangler.json / wrangler.jsonc text into a `WorkerConfig`.
// Pure (text in, value out): reading the file is the caller's job, so this runs anywhere and
// tests need no files. Every rejection is a `ConfigError` naming the file, the key and what was
// expected, because a user staring at a failed start needs exactly those three things.
// Keys edgebind does not use (kv_namespaces, routes, ...) are ignored, like wrangler ignores our
// `[edgebind]` table; our own table is checked strictly since only we read it.
import { parse as parseToml, TomlError } from "smol-toml";
import { parse as parseJsonc, printParseErrorCode, type ParseError } from "jsonc-parser";
import { AddressError, ADDRESS_SYNTAX, parseAddress, type Address } from "./address.ts";
import { dirname, resolvePath } from "./path.ts";
import { RUNTIMES, type RuntimeName, type ServiceConfig, type WorkerConfig } from "./types.ts";

/** A config that cannot be used. `file` and `key` are also kept as fields for programs. */
export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(
    readonly file: string,
    readonly key: string | undefined,
    detail: string,
  ) {
    super(key ? `${file}: \`${key}\`: ${detail}` : `${file}: ${detail}`);
  }
}

type Table = Record<string, unknown>;

const isTable = (value: unknown): value is Table =>
  typeof value === "object" && value !== null && !Array.isArray(value) &&
  (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);

/** How a value reads in an error message. */
function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  if (isTable(value)) return "a table";
  if (typeof value === "string") return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}

/** Turns the document text into a plain object, by the file's extension. */
function parseDocument(text: string, file: string): Table {
  const lower = file.toLowerCase();
  if (lower.endsWith(".toml")) {
    try {
      return parseToml(text) as Table;
    } catch (err) {
      if (err instanceof TomlError) {
        throw new ConfigError(file, undefined, `invalid TOML at line ${err.line}, column ${err.column}: ${err.message.split("\n")[0]}`);
      }
      throw err;
    }
  }
  if (lower.endsWith(".json") || lower.endsWith(".jsonc")) {
    const errors: ParseError[] = [];
    const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
    if (errors.length > 0) {
      const { error, offset } = errors[0]!;
      const before = text.slice(0, offset).split("\n");
      throw new ConfigError(file, undefined,
        `invalid JSON at line ${before.length}, column ${before.at(-1)!.length + 1}: ${printParseErrorCode(error)}`);
    }
    if (!isTable(value)) throw new ConfigError(file, undefined, `expected a JSON object at the top, got ${describe(value)}`);
    return value;
  }
  throw new ConfigError(file, undefined, "expected a file named *.toml, *.json or *.jsonc");
}

/** Typed accessors that throw `ConfigError`s with the full key path. */
class Reader {
  constructor(readonly file: string) {}

  fail(key: string | undefined, detail: string): never {
    throw new ConfigError(this.file, key, detail);
  }

  string(table: Table, key: string, path: string, required: true): string;
  string(table: Table, key: string, path: string, required?: boolean): string | undefined;
  string(table: Table, key: string, path: string, required = false): string | undefined {
    const value = table[key];
    if (value === undefined) {
      if (required) this.fail(path, "is required (a string)");
      return undefined;
    }
    if (typeof value !== "string" || value === "") this.fail(path, `expected a non-empty string, got ${describe(value)}`);
    return value;
  }

  address(table: Table, key: string, path: string, allowPortZero: boolean): Address | undefined {
    const text = this.string(table, key, path);
    if (text === undefined) return undefined;
    try {
      return parseAddress(text, { allowPortZero });
    } catch (err) {
      if (err instanceof AddressError) this.fail(path, err.message);
      throw err;
    }
  }

  table(table: Table, key: string, path: string): Table | undefined {
    const value = table[key];
    if (value === undefined) return undefined;
    if (!isTable(value)) this.fail(path, `expected a table, got ${describe(value)}`);
    return value;
  }
}

const BINDING_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const WORKER_NAME = /^[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A `[vars]` value must survive structured clone and JSON: strings, numbers, booleans, arrays, tables. */
function checkVar(r: Reader, value: unknown, path: string): unknown {
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (Array.isArray(value)) return value.map((v, i) => checkVar(r, v, `${path}[${i}]`));
  if (isTable(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, checkVar(r, v, `${path}.${k}`)]));
  }
  // smol-toml gives TOML dates as Date subclasses; wrangler would have given a JSON string.
  if (value instanceof Date) return value.toString();
  return r.fail(path, `expected a string, number, boolean, array or table, got ${describe(value)}`);
}

function parseService(r: Reader, entry: unknown, index: number): ServiceConfig {
  const at = `services[${index}]`;
  if (!isTable(entry)) r.fail(at, `expected a table with \`binding\` and \`service\` (or \`address\`), got ${describe(entry)}`);
  const binding = r.string(entry, "binding", `${at}.binding`, true);
  if (!BINDING_NAME.test(binding)) r.fail(`${at}.binding`, `expected a JavaScript identifier (the name on \`env\`), got ${JSON.stringify(binding)}`);
  const service = r.string(entry, "service", `${at}.service`);
  const address = r.address(entry, "address", `${at}.address`, false);
  if (service === undefined && address === undefined) {
    r.fail(at, `binding "${binding}" needs \`service\` (the target Worker's name) or \`address\` (${ADDRESS_SYNTAX})`);
  }
  if (service !== undefined && address !== undefined) {
    r.fail(at, `binding "${binding}" has both \`service\` and \`address\`; give one (override a service's address with EDGEBIND_SERVICE_${binding})`);
  }
  const entrypoint = r.string(entry, "entrypoint", `${at}.entrypoint`);
  const connectHost = r.string(entry, "connect_host", `${at}.connect_host`);
  if (connectHost !== undefined && /[\s/]/.test(connectHost)) {
    r.fail(`${at}.connect_host`, `expected a host name without spaces or slashes, got ${JSON.stringify(connectHost)}`);
  }
  const props = r.table(entry, "props", `${at}.props`);
  return {
    binding,
    ...(service !== undefined && { service }),
    ...(entrypoint !== undefined && { entrypoint }),
    ...(address !== undefined && { address }),
    ...(connectHost !== undefined && { connectHost }),
    ...(props !== undefined && { props: checkVar(r, props, `${at}.props`) as Table }),
  };
}

const EDGEBIND_KEYS = new Set(["runtime", "listen"]);

/**
 * Parses one config file's text. `file` must be an absolute path: it picks the format by its
 * extension, appears in errors, and `main` is resolved against its directory.
 */
export function parseConfig(text: string, file: string): WorkerConfig {
  const r: Reader = new Reader(file);
  const doc = parseDocument(text, file);

  const name = r.string(doc, "name", "name", true);
  if (!WORKER_NAME.test(name)) r.fail("name", `expected letters, digits, '-' and '_' (a Worker name), got ${JSON.stringify(name)}`);
  const mainRel = r.string(doc, "main", "main");
  if (mainRel === undefined) r.fail("main", "is required: the path of the Worker's entry module, relative to this file (e.g. \"src/index.ts\")");
  const main = resolvePath(dirname(file), mainRel);

  const compatibilityDate = r.string(doc, "compatibility_date", "compatibility_date");
  if (compatibilityDate !== undefined && !DATE.test(compatibilityDate)) {
    r.fail("compatibility_date", `expected a date "YYYY-MM-DD", got ${JSON.stringify(compatibilityDate)}`);
  }
  const flags = doc.compatibility_flags ?? [];
  if (!Array.isArray(flags) || flags.some((f) => typeof f !== "string")) {
    r.fail("compatibility_flags", `expected an array of strings, got ${describe(flags)}`);
  }

  const varsTable = r.table(doc, "vars", "vars") ?? {};
  const vars: Table = {};
  for (const [key, value] of Object.entries(varsTable)) vars[key] = checkVar(r, value, `vars.${key}`);

  const servicesRaw = doc.services ?? [];
  if (!Array.isArray(servicesRaw)) r.fail("services", `expected an array of tables (\`[[services]]\`), got ${describe(servicesRaw)}`);
  const services = servicesRaw.map((entry, i) => parseService(r, entry, i));
  const seen = new Set(Object.keys(vars));
  for (const [i, s] of services.entries()) {
    if (seen.has(s.binding)) r.fail(`services[${i}].binding`, `the name "${s.binding}" is already used by another binding or var`);
    seen.add(s.binding);
  }

  const ours = r.table(doc, "edgebind", "edgebind") ?? {};
  for (const key of Object.keys(ours)) {
    if (!EDGEBIND_KEYS.has(key)) r.fail(`edgebind.${key}`, `unknown key; [edgebind] accepts ${[...EDGEBIND_KEYS].join(", ")}`);
  }
  const runtime = parseRuntime(r.string(ours, "runtime", "edgebind.runtime"), file, "edgebind.runtime") ?? "node";
  const listen = r.address(ours, "listen", "edgebind.listen", true);

  return {
    file,
    name,
    main,
    ...(compatibilityDate !== undefined && { compatibilityDate }),
    compatibilityFlags: flags as string[],
    vars,
    services,
    runtime,
    ...(listen !== undefined && { listen }),
  };
}

/** Checks a runtime name from the config or an override. */
export function parseRuntime(value: string | undefined, file: string, key: string): RuntimeName | undefined {
  if (value === undefined) return undefined;
  if ((RUNTIMES as readonly string[]).includes(value)) return value as RuntimeName;
  throw new ConfigError(file, key, `expected one of ${RUNTIMES.map((n) => `"${n}"`).join(", ")}, got ${JSON.stringify(value)}`);
}
