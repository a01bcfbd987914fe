// The front Worker: a Hono app whose route calls `MyWorker` through the MYWORKER service binding
// (RPC over a Unix socket under `edgebind dev`) and logs after responding with ctx.waitUntil.
import { Hono } from "hono";

interface MyWorkerRpc {
  add(a: number, b: number): Promise<number>;
  greet(name: string): Promise<string>;
}

type Env = { MYWORKER: MyWorkerRpc };

const app = new Hono<{ Bindings: Env }>();

app.get("/", async (c) => {
  const started = Date.now();
  const [sum, greeting] = await Promise.all([c.env.MYWORKER.add(1, 2), c.env.MYWORKER.greet("edgebind")]);
  c.executionCtx.waitUntil(
    new Promise((resolve) => setTimeout(resolve, 10)).then(() =>
      console.log(`front: served / in ${Date.now() - started} ms (logged after the response)`)),
  );
  return c.json({ "add(1, 2)": sum, 'greet("edgebind")': greeting });
});

export default app;
