#!/usr/bin/env node
// Re-verifies protocol/schema/worker.capnp (and the schemas it imports) against workerd's and
// capnproto's originals: compiles both sides with `capnp compile -o-` and compares, for every
// type we declare, its id, struct size, field offsets and types, union tags and method
// ordinals with the upstream type of the same id. Run it after editing our schemas or when
// following a newer workerd:
//
//   node scripts/verify-worker-schema.mjs <workerd checkout> <capnproto checkout>
//
// (workerd: the repo root, containing src/workerd/io; capnproto: the repo root, containing
// c++/src/capnp; use capnproto's `v2` branch, which workerd pins.) Fields that we replaced by
// wire-identical placeholders (marked PLACEHOLDER in worker.capnp) are reported as expected
// differences; anything else makes it exit 1.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Message } from "capnp-es";
import { CodeGeneratorRequest } from "capnp-es/capnp/schema";
import { root } from "./runtimes.mjs";

const [workerd, capnproto] = process.argv.slice(2);
if (!workerd || !capnproto) {
  console.error("usage: node scripts/verify-worker-schema.mjs <workerd checkout> <capnproto checkout>");
  process.exit(2);
}

// Placeholders: "<type name> <field>" whose upstream type is richer but occupies the same slot.
const PLACEHOLDERS = new Set([
  "EventDispatcher.getHttpService$Results http",
  "EventDispatcher.sendTraces$Params traces",
  "TailStreamTarget.TailStreamParams events",
]);

const TYPES = ["void", "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
  "float32", "float64", "text", "data", "list", "enum", "struct", "interface", "anyPointer"];
const hex = (n) => "0x" + BigInt.asUintN(64, BigInt(n)).toString(16).padStart(16, "0");

function typeName(t) {
  const kind = TYPES[t.which()];
  if (kind === "list") return `List(${typeName(t.list.elementType)})`;
  if (kind === "enum" || kind === "struct" || kind === "interface") return `${kind} ${hex(t[kind].typeId)}`;
  return kind;
}

function defaultValue(v) {
  const kind = TYPES[v.which()];
  return ["void", "list", "struct", "interface", "anyPointer", "data"].includes(kind) ? kind : `${kind}=${v[kind]}`;
}

/** Every node of a CodeGeneratorRequest: id -> { name, facts: Map(key -> description) }. */
function describe(request) {
  const nodes = new Map();
  for (const node of new Message(request, false).getRoot(CodeGeneratorRequest).nodes) {
    const name = node.displayName.replace(/^[^:]*:/, "");
    const facts = new Map();
    if (node.which() === 1) {
      const s = node.struct;
      facts.set("size", `data ${s.dataWordCount} words, ${s.pointerCount} pointers, group ${s.isGroup}`);
      facts.set("union", `${s.discriminantCount} members, tag at ${s.discriminantOffset}`);
      for (const f of s.fields) {
        const tag = f.discriminantValue === 0xffff ? "" : ` tag ${f.discriminantValue}`;
        facts.set(`field ${f.name}`, f.which() === 0
          ? `@${f.ordinal.explicit} at ${f.slot.offset}${tag}: ${typeName(f.slot.type)} = ${defaultValue(f.slot.defaultValue)}`
          : `group${tag} ${hex(f.group.typeId)}`);
      }
    } else if (node.which() === 2) {
      node.enum.enumerants.forEach((e, i) => facts.set(`enumerant ${i}`, e.name));
    } else if (node.which() === 3) {
      for (const sc of node.interface.superclasses) facts.set(`extends ${hex(sc.id)}`, "");
      node.interface.methods.forEach((m, i) =>
        facts.set(`method @${i}`, `${m.name} ${hex(m.paramStructType)} -> ${hex(m.resultStructType)}`));
    }
    nodes.set(hex(node.id), { name, kind: node.which(), facts });
  }
  return nodes;
}

const compile = (cwd, args) => execFileSync("capnp", ["compile", "--no-standard-import", "-o-", ...args],
  { cwd, env: { ...process.env, PWD: cwd }, maxBuffer: 64 << 20 });

// Upstream: lay the originals out under their import paths and compile with only that root.
const tree = mkdtempSync(join(tmpdir(), "edgebind-upstream-schema-"));
try {
  const place = (from, to) => { mkdirSync(dirname(join(tree, to)), { recursive: true }); copyFileSync(from, join(tree, to)); };
  for (const f of ["c++.capnp", "stream.capnp", "compat/byte-stream.capnp", "compat/http-over-capnp.capnp"]) {
    place(join(capnproto, "c++/src/capnp", f), `capnp/${f}`);
  }
  for (const f of ["worker-interface", "outcome", "script-version", "trace", "frankenvalue"]) {
    place(join(workerd, `src/workerd/io/${f}.capnp`), `workerd/io/${f}.capnp`);
  }
  place(join(workerd, "src/workerd/jsg/exception-metadata.capnp"), "workerd/jsg/exception-metadata.capnp");
  const upstream = describe(compile(tree, ["-I.", "workerd/io/worker-interface.capnp", "workerd/jsg/exception-metadata.capnp"]));

  const schemaDir = join(root, "protocol/schema");
  const ours = describe(compile(schemaDir, ["-I.", "worker.capnp", "byte-stream.capnp", "outcome.capnp",
    "frankenvalue.capnp", "exception-metadata.capnp"]));

  let checked = 0, expected = 0, problems = 0;
  for (const [id, node] of ours) {
    if (node.kind === 0) continue; // file nodes: their ids are checked through their children
    const theirs = upstream.get(id);
    if (!theirs) { console.log(`NOT UPSTREAM  ${id} ${node.name}`); problems++; continue; }
    checked++;
    for (const [key, value] of node.facts) {
      const other = theirs.facts.get(key);
      if (other === value) continue;
      const placeholder = PLACEHOLDERS.has(`${node.name} ${key.replace(/^field /, "")}`);
      console.log(`${placeholder ? "placeholder" : "DIFFERENT  "}  ${node.name} ${key}: ours "${value}", upstream "${other}"`);
      placeholder ? expected++ : problems++;
    }
    for (const key of theirs.facts.keys()) {
      if (!node.facts.has(key)) { console.log(`MISSING      ${node.name} ${key}`); problems++; }
    }
  }
  console.log(`${checked} types compared, ${expected} placeholder field(s), ${problems} problem(s)`);
  process.exitCode = problems ? 1 : 0;
} finally {
  rmSync(tree, { recursive: true, force: true });
}
