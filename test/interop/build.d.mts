// Types for build.mjs (plain Node script so it runs without a TypeScript loader).

/** Builds the C++ interop peers unless up to date; resolves to the absolute binary paths. */
export declare function buildInterop(options?: { force?: boolean }): Promise<{ server: string; client: string }>;

/** Regenerates the capnp-es code for interop.capnp into test/interop/gen/; returns the files. */
export declare function genInterop(): Promise<string[]>;
