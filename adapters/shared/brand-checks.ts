// Gives the V8 value codec node:util's exact, non-throwing brand checks (Node, Deno and Bun all
// have them): without them it tells a class instance from a disguised Map by probing built-in
// getters, a TypeError per probe (see protocol/v8/builtins.ts). Imported for its effect by the
// host (node-compat.ts) and by the client transport, the two ways a process starts using RPC.
import { types } from "node:util";
import { setBrandChecks } from "../../protocol/v8/builtins.ts";

setBrandChecks(types);
