#!/usr/bin/env node
// Builds the C++ interop peers (server.c++, client.c++ over interop.capnp) into
// test/interop/build/ (git-ignored), and regenerates the capnp-es code in test/interop/gen/.
//
//   node test/interop/build.mjs          build the peers if a source is newer than a binary
//   node test/interop/build.mjs --force  rebuild regardless
//   node test/interop/build.mjs --gen    regenerate test/interop/gen/ (committed; only needed
//                                        after editing interop.capnp)
//
// From a test: `const { server, client } = await buildInterop()` (absolute binary paths).
// Needs Debian's `capnproto libcapnp-dev g++ pkg-config` (.ci/run installs them).
//
// Several test processes may call buildInterop() at once: each compiles in a private temporary
// directory and renames the finished binaries into place (rename is atomic), so a concurrent
// reader sees either the old binary or the new one, never a half-written file.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");
const buildDir = join(here, "build");
const schema = join(here, "interop.capnp");
const sources = [schema, join(here, "server.c++"), join(here, "client.c++"), fileURLToPath(import.meta.url)];
const outputs = { server: join(buildDir, "interop-server"), client: join(buildDir, "interop-client") };

const INSTALL_HINT = "the C++ interop peers need Cap'n Proto 0.9+ and a C++17 compiler: "
  + "apt-get install capnproto libcapnp-dev g++ pkg-config";

/** Runs a command; on failure throws with its stderr, labelled. */
async function sh(what, cmd, args, options = {}) {
  try {
    return await run(cmd, args, { maxBuffer: 16 << 20, ...options });
  } catch (error) {
    if (error.code === "ENOENT") throw new Error(`${what}: '${cmd}' not found; ${INSTALL_HINT}`);
    throw new Error(`${what} failed (${cmd} ${args.join(" ")}):\n${error.stderr || error.message}`);
  }
}

/** The compiler and linker flags for capnp-rpc, or a clear error when the toolchain is missing. */
async function toolchain() {
  await sh("checking the capnp compiler", "capnp", ["--version"]);
  await sh("checking g++", "g++", ["--version"]);
  const { stdout } = await sh("looking up capnp-rpc with pkg-config", "pkg-config", ["--cflags", "--libs", "capnp-rpc"]);
  return stdout.trim().split(/\s+/).filter(Boolean);
}

const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : -Infinity);

/** True when both binaries exist and are newer than every source. */
function upToDate() {
  const newestSource = Math.max(...sources.map(mtime));
  return Object.values(outputs).every((out) => mtime(out) > newestSource);
}

/**
 * Builds the interop server and client unless they are up to date.
 * @param {{ force?: boolean }} [options]
 * @returns {Promise<{ server: string, client: string }>}
 */
export async function buildInterop({ force = false } = {}) {
  if (!force && upToDate()) return { ...outputs };
  const flags = await toolchain();
  mkdirSync(buildDir, { recursive: true });
  const tmp = mkdtempSync(join(buildDir, ".tmp-"));
  try {
    await sh("capnp compile -oc++", "capnp", ["compile", `-oc++:${tmp}`, `--src-prefix=${here}`, schema]);
    const compile = (name) => sh(`compiling ${name}.c++`, "g++", [
      "-std=c++17", "-O1", "-Wall", `-I${tmp}`, join(here, `${name}.c++`), join(tmp, "interop.capnp.c++"),
      "-o", join(tmp, name), ...flags,
    ]);
    await Promise.all([compile("server"), compile("client")]);
    renameSync(join(tmp, "server"), outputs.server);
    renameSync(join(tmp, "client"), outputs.client);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return { ...outputs };
}

/** Regenerates the capnp-es code (JavaScript + .d.ts) for interop.capnp into test/interop/gen/. */
export async function genInterop() {
  const gen = join(here, "gen");
  rmSync(gen, { recursive: true, force: true });
  mkdirSync(gen, { recursive: true });
  const bin = join(root, "node_modules/.bin");
  await sh("checking the capnp compiler", "capnp", ["--version"]);
  for (const lang of ["js", "dts"]) {
    await sh(`capnpc-${lang}`, "capnp", [
      "compile", `-o${join(bin, `capnpc-${lang}`)}:${gen}`, `--src-prefix=${here}`, schema,
    ], { cwd: root });
  }
  return readdirSync(gen).map((f) => join(gen, f));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  try {
    if (args.includes("--gen")) console.log(`generated: ${(await genInterop()).join(", ")}`);
    const built = await buildInterop({ force: args.includes("--force") });
    console.log(`server: ${built.server}\nclient: ${built.client}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
