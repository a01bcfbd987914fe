// What docs/COMPATIBILITY.md says about each difference, and which differences are known and
// still open. A case names its choice in cases.js (`ours.why`); open differences are listed
// here with the arrangements they affect, so the suite stays green while saying exactly what is
// not yet equal. Their cells read "O" whatever the run gave (some are timing-dependent); remove
// an entry once it is fixed and the case is asserted again.
import type { Arrangement } from "./setup.ts";

/** Deliberate choices: edgebind's documented behaviour, asserted instead of workerd's. */
export const CHOICES: Record<string, { title: string; text: string }> = {
  "callee-disposers": {
    title: "Callee-side disposers always run",
    text:
      "workerd runs the disposer of a returned RpcTarget or of a returned object's `[Symbol.dispose]` " +
      "only while the callee's execution context is still alive; between two workerd Workers over a " +
      "socket it never ran in these cases. The Cloudflare docs promise that it runs, and edgebind " +
      "runs it once the last reference is released (for a returned target this also happens when an " +
      "edgebind caller talks to a workerd callee, because the edgebind caller keeps its session " +
      "open until the stub is disposed).",
  },
  "dup-after-dispose": {
    title: "`dup()` on a disposed stub",
    text:
      "workerd throws an internal error (`internal error; reference = …`); edgebind throws the " +
      "same clean error as any other use after dispose: `Error: RPC stub used after being disposed.`",
  },
  "proxies": {
    title: "Proxies are judged by what they show, not by being Proxies",
    text:
      "workerd asks V8 whether a value is a Proxy and sends every Proxy of a plain object as a stub, " +
      "and refuses a Proxy of any other class with `Proxy could not be serialized…`. Node, Deno and " +
      "Bun offer no portable web-standard test for a Proxy, so edgebind treats a Proxy like the value " +
      "it presents: a Proxy of a plain object goes by value, and a Proxy of another class gets the " +
      "ordinary `Could not serialize object of type \"X\"` DataCloneError. Proxies of RpcTargets and " +
      "of functions (and faked RpcTarget prototypes) behave as in workerd.",
  },
  "http-entrypoint": {
    title: "`fetch()` from workerd to a named entrypoint of an edgebind Worker",
    text:
      "A workerd socket is bound to one entrypoint, so HTTP requests to it reach that entrypoint's " +
      "`fetch`. An edgebind Worker serves all its entrypoints on one address: RPC picks the " +
      "entrypoint from the CONNECT authority, and an edgebind binding's `fetch()` names it in an " +
      "`edgebind-entrypoint` header (removed before the Worker sees the request), so edgebind → " +
      "edgebind matches workerd. A workerd `external` service sends plain HTTP with no entrypoint, so " +
      "its `fetch()` reaches the edgebind Worker's default export (docs/HOSTING.md).",
  },
  "connection-header": {
    title: "A binding's `fetch()` from edgebind carries `Connection: keep-alive`",
    text:
      "workerd's binding sends exactly the headers the caller set (and Host). edgebind sends a " +
      "binding's `fetch()` as HTTP/1.1 through undici's dispatcher, which adds nothing else but " +
      "always writes a `Connection` header (`keep-alive` on its pooled connections); the callee " +
      "Worker sees it, on workerd and on edgebind alike. (Before, edgebind went through undici's " +
      "`fetch()`, which also added `accept-encoding`, `accept-language`, `sec-fetch-mode` and " +
      "`user-agent`.) From workerd to an edgebind Worker the headers are workerd's.",
  },
};

export interface Open {
  readonly title: string;
  readonly text: string;
  /** The arrangements where the difference shows (for this case). */
  applies(a: Arrangement, caseName: string): boolean;
}

const edgebind = (side: string) => side !== "workerd";

/** Differences found and not fixed yet, by key; `OPEN_CASES` maps cases to them. */
export const OPEN: Record<string, Open> = {};

/** Case name → key in OPEN. */
export const OPEN_CASES: Record<string, string> = {};
