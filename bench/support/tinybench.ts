// What the in-process (tinybench) benches share: the runtime's name, "is this file the program",
// the median of a task in microseconds per operation, and a plain-text table.
import type { Bench } from "tinybench";

/** `node v20.20.2`, `bun 1.4.5`, `deno 2.9.6`. */
export function runtimeName(): string {
  const g = globalThis as { Bun?: { version: string }; Deno?: { version: { deno: string } }; process?: { version: string } };
  if (g.Bun) return `bun ${g.Bun.version}`;
  if (g.Deno) return `deno ${g.Deno.version.deno}`;
  return `node ${g.process?.version ?? "?"}`;
}

/** True when the module at `url` (pass `import.meta.url`) is the program being run, on all three runtimes. */
export function isMain(meta: ImportMeta): boolean {
  const main = (meta as ImportMeta & { main?: boolean }).main;
  if (typeof main === "boolean") return main;
  const argv1 = (globalThis as { process?: { argv: string[] } }).process?.argv[1];
  if (argv1 === undefined) return false;
  const path = decodeURIComponent(new URL(meta.url).pathname);
  return path === argv1 || path.endsWith(argv1.replace(/\\/g, "/").replace(/^\.\//, "/"));
}

/** Median time per operation (µs) of every task, keyed by task name; `inner` ops per iteration. */
export function medianMicros(bench: Bench, inner: (name: string) => number): Map<string, number> {
  const out = new Map<string, number>();
  for (const task of bench.tasks) {
    const p50 = (task.result as { latency?: { p50: number } } | undefined)?.latency?.p50 ?? NaN;
    out.set(task.name, (p50 * 1000) / inner(task.name));
  }
  return out;
}

export interface Column<R> {
  head: string;
  width: number;
  /** Left-aligned (text) or right-aligned (numbers). */
  left?: boolean;
  value(row: R): string;
}

/** A fixed-width text table. */
export function textTable<R>(title: string, columns: Column<R>[], rows: R[]): string {
  const cell = (c: Column<R>, s: string) => (c.left ? s.padEnd(c.width) : s.padStart(c.width));
  const lines = [title, columns.map((c) => cell(c, c.head)).join(" ")];
  for (const r of rows) lines.push(columns.map((c) => cell(c, c.value(r))).join(" "));
  return lines.join("\n");
}

/** The columns every codec table has: case, codec, µs/op, ×JSON, bytes. */
export interface CodecRow {
  case: string;
  codec: string;
  usPerOp: number;
  xJson: number;
  bytes: number;
}

export function codecColumns(caseWidth: number): Column<CodecRow>[] {
  return [
    { head: "case", width: caseWidth, left: true, value: (r) => r.case },
    { head: "codec", width: 9, left: true, value: (r) => r.codec },
    { head: "µs/op", width: 9, value: (r) => r.usPerOp.toFixed(3) },
    { head: "×JSON", width: 7, value: (r) => r.xJson.toFixed(2) },
    { head: "bytes", width: 8, value: (r) => String(r.bytes) },
  ];
}
