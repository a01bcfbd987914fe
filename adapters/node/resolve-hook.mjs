// Node module-resolution hooks, installed by register.mjs (in the loader thread on Node 20; in
// the main thread where Node has synchronous hooks).
//
// 1. `cloudflare:workers` is not a scheme Node knows; we resolve it to our shim through
//    nextResolve so that tsx (registered before us) still tags and transpiles the .ts file.
//    Hooks are process-wide, so this works for Workers anywhere on disk and inside their
//    node_modules dependencies.
// 2. Worker code is always ES modules (the Workers "modules" format), but Node decides by the
//    nearest package.json and calls a .js/.ts file with none "commonjs" — true of a bare
//    wrangler project in some folder. Such files outside node_modules are loaded as "module".
// 3. Node 20 cannot parse `using` declarations, and tsx only transforms TypeScript, so plain
//    .js/.mjs Worker files that contain `using` are lowered with esbuild (tsx's own compiler).
// 4. edgebind's own TypeScript is compiled here with esbuild directly rather than by tsx: tsx
//    compiles with `keepNames`, which wraps every function and class in a `__name(...)` call
//    that defines a `name` property at run time — about a tenth of the engine's CPU per call
//    (docs/PERFORMANCE.md). Our code does not rely on those names; Workers still go through tsx.
//    It is compiled with class fields assigned in the constructor (`useDefineForClassFields:
//    false`, as tsconfig.json says, which Bun follows too): declared fields otherwise make V8 run
//    a separate initializer function for every instance, ~30 of them per call, and a call that
//    runs cold pays per function (docs/PERFORMANCE.md, "Code footprint"). Deno ignores the
//    option and defines fields; our code relies on neither.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const shim = new URL("../../core/cloudflare-workers.ts", import.meta.url).href;
const ownRoot = new URL("../../", import.meta.url).href;
const isOwnTs = (url) => url.startsWith(ownRoot) && url.endsWith(".ts") && !url.includes("/node_modules/");
const SOURCE = /\.(?:m?[jt]sx?)$/;
const JS = /\.(?:m?js|jsx)$/;

const isUserFile = (url) => url.startsWith("file:") && !url.includes("/node_modules/") && SOURCE.test(new URL(url).pathname);

// Each hook comes in two forms over the same steps: asynchronous for module.register() (Node
// 20), synchronous for module.registerHooks() (Node >= 22.15), which tsx uses where it exists:
// there its hooks run before any registered with register(), so ours must be synchronous too to
// come first (register.mjs). esbuild's synchronous transform serves both.

export async function resolve(specifier, context, nextResolve) {
  if (specifier === "cloudflare:workers") return nextResolve(shim, context);
  return asModule(await nextResolve(specifier, context));
}

export function resolveSync(specifier, context, nextResolve) {
  if (specifier === "cloudflare:workers") return nextResolve(shim, context);
  return asModule(nextResolve(specifier, context));
}

export async function load(url, context, nextLoad) {
  if (isOwnTs(url)) return compileOwn(url);
  return lowerUsing(url, await nextLoad(url, context));
}

export function loadSync(url, context, nextLoad) {
  if (isOwnTs(url)) return compileOwn(url);
  return lowerUsing(url, nextLoad(url, context));
}

/** Worker files outside node_modules are ES modules, whatever Node guessed (see 2 above). */
function asModule(resolved) {
  if (resolved.format === "commonjs" && isUserFile(resolved.url)) return { ...resolved, format: "module" };
  return resolved;
}

let esbuild;
const compiler = () => (esbuild ??= createRequire(import.meta.url)("esbuild"));

/** edgebind's own TypeScript, compiled here (see 4 above). */
function compileOwn(url) {
  const path = new URL(url).pathname;
  const { code } = compiler().transformSync(readFileSync(path, "utf8"), {
    loader: "ts",
    format: "esm",
    target: `node${process.versions.node.split(".")[0]}`,
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
    sourcefile: path,
    sourcemap: "inline",
  });
  return { format: "module", source: code, shortCircuit: true };
}

/** A plain .js Worker file that declares `using`, lowered for Node 20 (see 3 above). */
function lowerUsing(url, loaded) {
  if (loaded.format !== "module" || !isUserFile(url) || !JS.test(new URL(url).pathname)) return loaded;
  const source = typeof loaded.source === "string" ? loaded.source : new TextDecoder().decode(loaded.source);
  if (!/\busing\s/.test(source)) return loaded;
  const { code } = compiler().transformSync(source, {
    loader: url.endsWith("x") ? "jsx" : "js",
    format: "esm",
    target: `node${process.versions.node.split(".")[0]}`,
    sourcefile: new URL(url).pathname,
    sourcemap: "inline",
  });
  return { ...loaded, source: code };
}
