// The runtime-agnostic Worker model (core/worker): classification, the per-event API the engine
// uses, fetch error mapping, waitUntil draining and the module-level waitUntil.
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { AsyncLocalStorage } from "node:async_hooks";
import {
  buildEnv, bindingRequest, classifyExports, EntrypointNotFound, EventContext, httpServiceBinding,
  setContextStore, waitUntil, Worker, WorkerEntrypoint, WorkerLoadError, DurableObject, WorkflowEntrypoint,
} from "../core/worker/index.ts";

let constructed = 0;
class Counter extends WorkerEntrypoint<{ N: number }> {
  readonly id = ++constructed;
  hello() { return `${this.id} ${this.env.N} ${JSON.stringify(this.ctx.props)}`; }
}
const quiet = () => {};

describe("Worker: entrypoints", () => {
  before(() => setContextStore(new AsyncLocalStorage<EventContext>()));

  it("classifies default object, default class, named classes, and ignores the rest", () => {
    const eps = classifyExports({ default: { fetch() {} }, Counter, helper: () => 1, VERSION: "1", app: { fetch() {} } });
    assert.deepEqual([...eps.entries()].map(([n, e]) => [n, e.kind]), [["default", "object"], ["Counter", "class"], ["app", "object"]]);
    assert.equal(classifyExports({ default: Counter }).get("default")?.kind, "class");
  });

  it("loads modules that also declare Durable Object and Workflow classes (not entrypoints)", () => {
    class Room extends DurableObject {}
    class Flow extends WorkflowEntrypoint {}
    const eps = classifyExports({ default: Counter, Room, Flow });
    assert.deepEqual([...eps.keys()], ["default"]);
  });

  it("rejects a default export that is not a handler", () => {
    assert.throws(() => classifyExports({ default: class NotAnEntrypoint {} }), WorkerLoadError);
    assert.throws(() => classifyExports({ default: 42 }), /must be an object with a fetch\(\) handler/);
  });

  it("startEvent makes a NEW instance per event with ctx.props and env", async () => {
    const worker = new Worker({ module: { Counter }, env: { N: 7 }, onError: quiet });
    const a = worker.startEvent("Counter", { user: "x" });
    const b = worker.startEvent("Counter");
    assert.equal(a.kind, "class");
    assert.notEqual(a.handler, b.handler);
    const hello = (e: typeof a) => (e.handler.hello as () => string).call(e.handler);
    assert.match(hello(a), /^\d+ 7 \{"user":"x"\}$/);
    assert.equal(Number(hello(b).split(" ")[0]), Number(hello(a).split(" ")[0]) + 1);
    assert.equal(worker.openEvents, 2);
    await Promise.all([a.finish(), b.finish()]);
    assert.equal(worker.openEvents, 0);
    assert.throws(() => worker.startEvent("Nope"), EntrypointNotFound);
    assert.throws(() => worker.startEvent(), /has no default export/);
  });

  it("finish() waits for waitUntil, including module-level waitUntil inside run()", async () => {
    const worker = new Worker({ module: { default: {} }, env: {}, onError: quiet });
    const event = worker.startEvent();
    const order: string[] = [];
    event.ctx.waitUntil(new Promise((r) => setTimeout(r, 30)).then(() => order.push("ctx")));
    await event.run(async () => {
      await Promise.resolve();
      waitUntil(new Promise((r) => setTimeout(r, 50)).then(() => order.push("module")));
    });
    event.ctx.waitUntil(Promise.reject(new Error("ignored")));
    let idle = false;
    const waiting = worker.idle().then(() => { idle = true; });
    assert.equal(idle, false);
    await event.finish();
    await waiting;
    assert.deepEqual(order, ["ctx", "module"]);
  });

  it("module-level waitUntil throws outside a handler", () => {
    assert.throws(() => waitUntil(Promise.resolve()), { message: "Disallowed operation called within global scope." });
  });

  it("picks the entrypoint from the CONNECT authority", () => {
    const worker = new Worker({ module: { default: {}, Counter }, env: {}, onError: quiet });
    assert.equal(worker.entrypointForAuthority("Counter"), "Counter");
    assert.equal(worker.entrypointForAuthority("cappy"), "default");
    assert.equal(worker.entrypointForAuthority("default"), "default");
  });
});

describe("Worker.fetch", () => {
  it("calls class fetch(request) and object fetch(request, env, ctx)", async () => {
    class Page extends WorkerEntrypoint<{ A: string }> {
      override fetch(request: Request) { return new Response(`class ${this.env.A} ${request.method}`); }
    }
    const handler = {
      fetch(request: Request, env: { A: string }, ctx: EventContext) {
        return new Response(`object ${env.A} ${typeof ctx.waitUntil} ${this === handler}`);
      },
    };
    const worker = new Worker({ module: { default: handler, Page }, env: { A: "a" }, onError: quiet });
    assert.equal(await (await worker.fetch(new Request("http://x/"))).text(), "object a function true");
    assert.equal(await (await worker.fetch(new Request("http://x/"), "Page")).text(), "class a GET");
  });

  it("maps failures to 404/500 with clear text, and logs them", async () => {
    const logged: string[] = [];
    const worker = new Worker({
      module: { default: { fetch() { throw new Error("boom"); } }, NoFetch: class extends WorkerEntrypoint {}, Bad: { fetch: () => "text" } },
      env: {},
      onError: (message) => logged.push(message),
    });
    const res = async (ep?: string) => {
      const r = await worker.fetch(new Request("http://x/"), ep);
      return [r.status, await r.text()];
    };
    assert.deepEqual(await res(), [500, "Internal Server Error"]);
    assert.deepEqual(await res("NoFetch"), [500, "Handler does not export a fetch() function."]);
    assert.deepEqual(await res("Bad"), [500, "Internal Server Error"]);
    const [status, text] = await res("Missing");
    assert.equal(status, 404);
    assert.match(String(text), /does not export an entrypoint named "Missing"/);
    assert.equal(logged.length, 3);
    assert.equal(worker.openEvents, 0);
  });
});

describe("env", () => {
  it("holds vars and one binding per service from the injected factory", () => {
    const env = buildEnv({ A: "1" }, [
      { binding: "S", service: "s", address: { kind: "unix", path: "/x" }, connectHost: "default" },
    ], (s) => ({ made: s.binding }));
    assert.deepEqual(env, { A: "1", S: { made: "S" } });
  });

  it("the default binding normalises fetch() arguments into one Request", async () => {
    const seen: string[] = [];
    const factory = httpServiceBinding(async (address, request) => {
      seen.push(`${address.kind} ${request.method} ${request.url} ${await request.text()}`);
      return new Response("ok");
    });
    const binding = factory({ binding: "S", service: "s", address: { kind: "unix", path: "/x" }, connectHost: "default" }) as {
      fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
    };
    await binding.fetch("https://a.example/p?q", { method: "POST", body: "b" });
    await binding.fetch(new Request("http://b.example/r"));
    await binding.fetch(new URL("http://c.example/"));
    await binding.fetch("/relative");
    assert.deepEqual(seen, [
      "unix POST https://a.example/p?q b",
      "unix GET http://b.example/r ",
      "unix GET http://c.example/ ",
      "unix GET http://fake-host/relative ",
    ]);
    assert.equal(bindingRequest("http://x/", { method: "DELETE" }).method, "DELETE");
  });
});
