// `MyWorker`: a named WorkerEntrypoint called over RPC through a service binding (the example
// from Cloudflare's service-binding docs). Every call gets a fresh instance with `this.env`.
import { WorkerEntrypoint } from "cloudflare:workers";

interface Env {
  GREETING: string;
}

export class MyWorker extends WorkerEntrypoint<Env> {
  async add(a: number, b: number): Promise<number> {
    return a + b;
  }

  async greet(name: string): Promise<string> {
    return `${this.env.GREETING}, ${name}!`;
  }
}

export default {
  async fetch(): Promise<Response> {
    return new Response("my-worker: call me through a service binding (entrypoint MyWorker)\n");
  },
};
