// Loaded with `node --import`: installs the hooks that map `cloudflare:workers` (and our own
// package name) to edgebind's implementation, for every module in the process. Where Node has
// synchronous hooks (module.registerHooks, Node >= 22.15) tsx installs its own that way, and
// those run before any installed with module.register(): ours are then installed the same way,
// after tsx's, so that they run first (resolve-hook.mjs).
import * as module from "node:module";

if (typeof module.registerHooks === "function") {
  const { resolveSync, loadSync } = await import("./resolve-hook.mjs");
  module.registerHooks({ resolve: resolveSync, load: loadSync });
} else {
  module.register("./resolve-hook.mjs", import.meta.url);
}
