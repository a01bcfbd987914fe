// Node module-resolution hook (runs in the loader thread). `cloudflare:workers` is not a scheme
// Node knows; we resolve it to our shim through nextResolve so that tsx still transpiles it.
const shim = new URL("../../core/cloudflare-workers.ts", import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === "cloudflare:workers") return nextResolve(shim, context);
  return nextResolve(specifier, context);
}
