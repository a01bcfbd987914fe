/** The repository root. */
export const root: string;
/** Absolute path of a working binary for `name`, or throws with what was tried. */
export function runtimePath(name: "node" | "deno" | "bun" | "workerd"): string;
