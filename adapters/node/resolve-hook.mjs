// Node module-resolution hooks (run in the loader thread, installed by register.mjs).
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
import { readFile } from "node:fs/promises";

const shim = new URL("../../core/cloudflare-workers.ts", import.meta.url).href;
const ownRoot = new URL("../../", import.meta.url).href;
const isOwnTs = (url) => url.startsWith(ownRoot) && url.endsWith(".ts") && !url.includes("/node_modules/");
const SOURCE = /\.(?:m?[jt]sx?)$/;
const JS = /\.(?:m?js|jsx)$/;

const isUserFile = (url) => url.startsWith("file:") && !url.includes("/node_modules/") && SOURCE.test(new URL(url).pathname);

export async function resolve(specifier, context, nextResolve) {
  if (specifier === "cloudflare:workers") return nextResolve(shim, context);
  const resolved = await nextResolve(specifier, context);
  if (resolved.format === "commonjs" && isUserFile(resolved.url)) return { ...resolved, format: "module" };
  return resolved;
}

let esbuild;

export async function load(url, context, nextLoad) {
  if (isOwnTs(url)) {
    esbuild ??= await import("esbuild");
    const path = new URL(url).pathname;
    const { code } = await esbuild.transform(await readFile(path, "utf8"), {
      loader: "ts",
      format: "esm",
      target: `node${process.versions.node.split(".")[0]}`,
      tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
      sourcefile: path,
      sourcemap: "inline",
    });
    return { format: "module", source: code, shortCircuit: true };
  }
  const loaded = await nextLoad(url, context);
  if (loaded.format !== "module" || !isUserFile(url) || !JS.test(new URL(url).pathname)) return loaded;
  const source = typeof loaded.source === "string" ? loaded.source : new TextDecoder().decode(loaded.source);
  if (!/\busing\s/.test(source)) return loaded;
  esbuild ??= await import("esbuild");
  const { code } = await esbuild.transform(source, {
    loader: url.endsWith("x") ? "jsx" : "js",
    format: "esm",
    target: `node${process.versions.node.split(".")[0]}`,
    sourcefile: new URL(url).pathname,
    sourcemap: "inline",
  });
  return { ...loaded, source: code };
}
