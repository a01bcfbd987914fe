// Config parsing (TOML, JSON, JSONC), every documented error, addresses, and env overrides.
// Pure functions only: no files, no sockets, so it is fast on all three runtimes.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  applyEnvOverrides, ConfigError, formatAddress, parseAddress, parseConfig, resolveServices,
} from "../core/config/index.ts";

const FILE = "/srv/app/workers/front/wrangler.toml";

/** Asserts that `fn` throws a ConfigError whose message contains every fragment. */
function rejects(fn: () => unknown, ...fragments: string[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${err}`);
    for (const f of fragments) assert.ok(err.message.includes(f), `"${err.message}" lacks "${f}"`);
    return true;
  });
}
const toml = (text: string) => parseConfig(text, FILE);

describe("config: parsing", () => {
  it("reads a full wrangler.toml", () => {
    const c = toml(`
name = "front"
main = "./src/index.ts"
compatibility_date = "2024-09-01"
compatibility_flags = ["nodejs_compat"]
[vars]
GREETING = "hi"
LIMIT = 3
NESTED = { a = [1, 2] }
[[services]]
binding = "MATH"
service = "math-worker"
entrypoint = "MyWorker"
[[services]]
binding = "EXT"
address = "[::1]:7000"
connect_host = "cappy"
[edgebind]
runtime = "deno"
listen = "unix:/run/front.sock"
`);
    assert.equal(c.name, "front");
    assert.equal(c.main, "/srv/app/workers/front/src/index.ts");
    assert.equal(c.file, FILE);
    assert.equal(c.compatibilityDate, "2024-09-01");
    assert.deepEqual(c.compatibilityFlags, ["nodejs_compat"]);
    assert.deepEqual(c.vars, { GREETING: "hi", LIMIT: 3, NESTED: { a: [1, 2] } });
    assert.deepEqual(c.services, [
      { binding: "MATH", service: "math-worker", entrypoint: "MyWorker" },
      { binding: "EXT", address: { kind: "tcp", host: "::1", port: 7000 }, connectHost: "cappy" },
    ]);
    assert.equal(c.runtime, "deno");
    assert.deepEqual(c.listen, { kind: "unix", path: "/run/front.sock" });
  });

  it("defaults: runtime node, no listen, no vars or services", () => {
    const c = toml(`name = "a"\nmain = "w.js"`);
    assert.equal(c.runtime, "node");
    assert.equal(c.listen, undefined);
    assert.deepEqual(c.vars, {});
    assert.deepEqual(c.services, []);
    assert.equal(c.main, "/srv/app/workers/front/w.js");
  });

  it("resolves ../ and absolute main", () => {
    assert.equal(toml(`name = "a"\nmain = "../shared/./w.ts"`).main, "/srv/app/workers/shared/w.ts");
    assert.equal(toml(`name = "a"\nmain = "/opt/w.ts"`).main, "/opt/w.ts");
  });

  it("accepts inline services arrays in TOML", () => {
    const c = toml(`name = "a"\nmain = "w.js"\nservices = [{ binding = "B", service = "b" }]`);
    assert.deepEqual(c.services, [{ binding: "B", service: "b" }]);
  });

  it("reads wrangler.json and wrangler.jsonc (comments, trailing commas)", () => {
    const json = parseConfig(`{"name": "j", "main": "src/w.ts", "services": [{"binding": "B", "service": "b"}]}`, "/x/wrangler.json");
    assert.equal(json.main, "/x/src/w.ts");
    const jsonc = parseConfig(`{
      // a comment
      "$schema": "node_modules/wrangler/config-schema.json",
      "name": "j", /* another */ "main": "w.js",
      "vars": { "A": "1", },
      "edgebind": { "runtime": "bun", "listen": "127.0.0.1:0" },
    }`, "/x/wrangler.jsonc");
    assert.deepEqual(jsonc.vars, { A: "1" });
    assert.equal(jsonc.runtime, "bun");
    assert.deepEqual(jsonc.listen, { kind: "tcp", host: "127.0.0.1", port: 0 });
  });
});

describe("config: errors name the file, the key and what was expected", () => {
  it("syntax errors with line and column", () => {
    rejects(() => toml(`name = "a"\nmain = `), FILE, "invalid TOML at line 2");
    rejects(() => parseConfig(`{\n "name": "a",\n "main": }`, "/x/w.jsonc"), "/x/w.jsonc", "invalid JSON at line 3", "ValueExpected");
    rejects(() => parseConfig(`[1]`, "/x/w.json"), "expected a JSON object");
  });
  it("unknown file extension", () => rejects(() => parseConfig("", "/x/wrangler.yaml"), "*.toml, *.json or *.jsonc"));
  it("missing or bad name", () => {
    rejects(() => toml(`main = "w.js"`), "`name`", "is required");
    rejects(() => toml(`name = 5\nmain = "w.js"`), "`name`", "expected a non-empty string, got number 5");
    rejects(() => toml(`name = "a b"\nmain = "w.js"`), "`name`", "a Worker name");
  });
  it("missing main", () => rejects(() => toml(`name = "a"`), FILE, "`main`", "is required", "entry module"));
  it("bad compatibility_date and flags", () => {
    rejects(() => toml(`name = "a"\nmain = "w.js"\ncompatibility_date = "2024/01/01"`), "`compatibility_date`", "YYYY-MM-DD");
    rejects(() => toml(`name = "a"\nmain = "w.js"\ncompatibility_flags = "x"`), "`compatibility_flags`", "array of strings");
  });
  it("bad vars", () => {
    rejects(() => toml(`name = "a"\nmain = "w.js"\nvars = "x"`), "`vars`", "expected a table");
  });
  it("unknown runtime", () => {
    rejects(() => toml(`name = "a"\nmain = "w.js"\n[edgebind]\nruntime = "workerd"`),
      FILE, "`edgebind.runtime`", `expected one of "node", "deno", "bun", got "workerd"`);
  });
  it("unknown [edgebind] key", () => {
    rejects(() => toml(`name = "a"\nmain = "w.js"\n[edgebind]\nport = 8080`), "`edgebind.port`", "unknown key");
  });
  it("bad listen address", () => {
    rejects(() => toml(`name = "a"\nmain = "w.js"\n[edgebind]\nlisten = "8080"`), "`edgebind.listen`", "port is missing");
    rejects(() => toml(`name = "a"\nmain = "w.js"\n[edgebind]\nlisten = "unix:rel.sock"`), "`edgebind.listen`", "must be absolute");
  });
  it("a service with neither service nor address", () => {
    rejects(() => toml(`name = "a"\nmain = "w.js"\n[[services]]\nbinding = "B"`),
      "`services[0]`", `binding "B" needs \`service\``, "or `address`");
  });
  it("a service with both, or a bad binding, or a bad address", () => {
    rejects(() => toml(`name = "a"\nmain = "w.js"\n[[services]]\nbinding = "B"\nservice = "b"\naddress = "h:1"`), "has both");
    rejects(() => toml(`name = "a"\nmain = "w.js"\n[[services]]\nservice = "b"`), "`services[0].binding`", "is required");
    rejects(() => toml(`name = "a"\nmain = "w.js"\n[[services]]\nbinding = "my-b"\nservice = "b"`), "`services[0].binding`", "JavaScript identifier");
    rejects(() => toml(`name = "a"\nmain = "w.js"\n[[services]]\nbinding = "B"\naddress = "h:99999"`), "`services[0].address`", "1..65535");
    rejects(() => toml(`name = "a"\nmain = "w.js"\nservices = { binding = "B" }`), "`services`", "array of tables");
  });
  it("a binding name used twice", () => {
    rejects(() => toml(`name = "a"\nmain = "w.js"\n[vars]\nB = "x"\n[[services]]\nbinding = "B"\nservice = "b"`),
      "`services[0].binding`", "already used");
  });
});

describe("addresses", () => {
  it("parses and formats the three forms", () => {
    for (const [text, value] of [
      ["unix:/tmp/a.sock", { kind: "unix", path: "/tmp/a.sock" }],
      ["localhost:8080", { kind: "tcp", host: "localhost", port: 8080 }],
      ["10.0.0.1:1", { kind: "tcp", host: "10.0.0.1", port: 1 }],
      ["[::1]:65535", { kind: "tcp", host: "::1", port: 65535 }],
    ] as const) {
      assert.deepEqual(parseAddress(text), value);
      assert.equal(formatAddress(parseAddress(text)), text);
    }
  });
  it("port 0 only when listening", () => {
    assert.throws(() => parseAddress("h:0"), /1\.\.65535/);
    assert.deepEqual(parseAddress("h:0", { allowPortZero: true }), { kind: "tcp", host: "h", port: 0 });
  });
  it("rejects malformed text with a reason", () => {
    assert.throws(() => parseAddress("::1:80"), /must be bracketed/);
    assert.throws(() => parseAddress("[1.2.3.4]:80"), /only for IPv6/);
    assert.throws(() => parseAddress("[::1]80"), /\[ipv6\]:port/);
    assert.throws(() => parseAddress("h:x"), /must be a number/);
    assert.throws(() => parseAddress(":80"), /host is empty/);
    assert.throws(() => parseAddress("/tmp/a.sock"), /port is missing/);
    assert.throws(() => parseAddress("./a:1"), /needs the `unix:` prefix/);
    assert.throws(() => parseAddress(""), /expected/);
  });
});

describe("config: environment overrides", () => {
  const base = toml(`
name = "a"
main = "w.js"
[vars]
A = "file"
[[services]]
binding = "MATH"
service = "math"
entrypoint = "MyWorker"
[[services]]
binding = "PLAIN"
service = "plain"
`);

  it("sets listen, runtime, vars, service addresses and connect hosts", () => {
    const c = applyEnvOverrides(base, {
      EDGEBIND_LISTEN: "0.0.0.0:9000",
      EDGEBIND_RUNTIME: "bun",
      EDGEBIND_VAR_A: "env",
      EDGEBIND_VAR_B: "new",
      EDGEBIND_SERVICE_MATH: "unix:/run/math.sock",
      EDGEBIND_SERVICE_PLAIN: "plain.internal:7000",
      EDGEBIND_CONNECT_HOST_PLAIN: "cappy",
      EDGEBIND_SERVICE_OTHER: "ignored:1",
      PATH: "/bin",
    });
    assert.deepEqual(c.listen, { kind: "tcp", host: "0.0.0.0", port: 9000 });
    assert.equal(c.runtime, "bun");
    assert.deepEqual(c.vars, { A: "env", B: "new" });
    assert.deepEqual(resolveServices(c), [
      { binding: "MATH", service: "math", entrypoint: "MyWorker", address: { kind: "unix", path: "/run/math.sock" }, connectHost: "MyWorker" },
      { binding: "PLAIN", service: "plain", address: { kind: "tcp", host: "plain.internal", port: 7000 }, connectHost: "cappy" },
    ]);
    assert.deepEqual(base.vars, { A: "file" }, "the input is not modified");
  });

  it("empty variables change nothing", () => {
    assert.deepEqual(applyEnvOverrides(base, { EDGEBIND_LISTEN: "", EDGEBIND_RUNTIME: "" }), base);
  });

  it("bad override values name the variable", () => {
    rejects(() => applyEnvOverrides(base, { EDGEBIND_LISTEN: "nope" }), "environment", "`EDGEBIND_LISTEN`", "port is missing");
    rejects(() => applyEnvOverrides(base, { EDGEBIND_SERVICE_MATH: "h:0" }), "`EDGEBIND_SERVICE_MATH`", "1..65535");
    rejects(() => applyEnvOverrides(base, { EDGEBIND_RUNTIME: "java" }), "`EDGEBIND_RUNTIME`", "expected one of");
  });

  it("a service without an address says how to give one", () => {
    rejects(() => resolveServices(base), FILE, "`services[0]`", `refers to Worker "math"`, "EDGEBIND_SERVICE_MATH=");
  });

  it("connect host defaults to the entrypoint, then \"default\"", () => {
    const c = applyEnvOverrides(base, { EDGEBIND_SERVICE_MATH: "h:1", EDGEBIND_SERVICE_PLAIN: "h:2" });
    assert.deepEqual(resolveServices(c).map((s) => s.connectHost), ["MyWorker", "default"]);
  });
});
