// Loaded with `node --import`: installs the resolve hook that maps `cloudflare:workers`
// (and our own package name) to edgebind's implementation, for every module in the process.
import { register } from "node:module";

register("./resolve-hook.mjs", import.meta.url);
