// Bun preload (`bun --preload adapters/bun/preload.ts`): resolves `cloudflare:workers` to our
// shim for every module in the process, wherever it lives on disk (tsconfig `paths` would only
// cover files under our own tsconfig). Bun splits the specifier esbuild-style into namespace
// "cloudflare" and path "workers"; a filter on the full string is never called (measured).
import { fileURLToPath } from "node:url";

declare const Bun: {
  plugin(plugin: {
    name: string;
    setup(build: {
      onResolve(
        options: { filter: RegExp; namespace?: string },
        callback: (args: { path: string; importer: string }) => { path: string } | undefined,
      ): void;
    }): void;
  }): void;
};

const shim = fileURLToPath(new URL("../../core/cloudflare-workers.ts", import.meta.url));

Bun.plugin({
  name: "edgebind: cloudflare:workers",
  setup(build) {
    build.onResolve({ filter: /^workers$/, namespace: "cloudflare" }, () => ({ path: shim }));
  },
});
