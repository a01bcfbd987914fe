// Forces a full garbage collection where the runtime allows it from inside a test: Node (V8 flag
// turned on at run time), Bun (Bun.gc). Deno offers no way without a command-line flag: null.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export function collector(): (() => void) | null {
  const bun = (globalThis as { Bun?: { gc(sync: boolean): void } }).Bun;
  if (bun) return () => bun.gc(true);
  if ((globalThis as { Deno?: unknown }).Deno) return null;
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  return () => gc();
}
