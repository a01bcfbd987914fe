#!/usr/bin/env node
// The `edgebind` CLI entry. Runs on Node (>= 20.6): registers tsx so the CLI and config code,
// written in TypeScript, load directly, then hands over to adapters/cli/main.ts. Each Worker is
// started in its own process on its configured runtime (node, deno or bun).
import { register } from "tsx/esm/api";

register();
const { main } = await import("../adapters/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
