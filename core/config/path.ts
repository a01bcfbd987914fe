// POSIX path helpers for config paths (`main` relative to the config file). core/ may not use
// `node:path`, and the few operations needed are small enough to state here exactly.

/** Joins and normalizes: `resolvePath("/a/b", "../c/./d.ts")` → `/a/c/d.ts`. Absolute `rel` wins. */
export function resolvePath(baseDir: string, rel: string): string {
  const joined = rel.startsWith("/") ? rel : `${baseDir}/${rel}`;
  const out: string[] = [];
  for (const part of joined.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}

/** The directory part of an absolute path: `dirname("/a/b/c.toml")` → `/a/b`. */
export function dirname(path: string): string {
  const cut = path.lastIndexOf("/");
  return cut <= 0 ? "/" : path.slice(0, cut);
}
