// Deno's node:net sends each write of a corked socket as a syscall of its own (measured on Deno
// 2.9.6 with strace: cork(), write(head), write(body), uncork() gave two sendto calls; Node's
// gives one writev). undici corks a request's head and its whole body together. Sent apart, a
// server that answers once it has the head and closes the connection without reading the body
// (workerd does, for a 307 or a handler that ignores the body) makes the body's write fail
// with EPIPE, and undici fails the request although the response was sent
// (docs/COMPATIBILITY.md, "deno-unread-body"). So on Deno the binding fetch's sockets hold
// what is written while corked and send it as one write on the last uncork().
import type { Socket } from "node:net";
import { Buffer } from "node:buffer";

type WriteArgs = Parameters<Socket["write"]>;

export function coalesceCorkedWrites(socket: Socket): Socket {
  const write = socket.write;
  const send = write as (this: Socket, chunk: Uint8Array, callback?: (error?: Error | null) => void) => boolean;
  let depth = 0;
  let held: Uint8Array[] = [];
  let callbacks: ((error?: Error | null) => void)[] = [];
  socket.cork = function (this: Socket): void {
    depth++;
  };
  socket.uncork = function (this: Socket): void {
    if (depth === 0 || --depth > 0) return;
    const chunks = held;
    const done = callbacks;
    held = [];
    callbacks = [];
    if (chunks.length === 0) return;
    const whole = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    send.call(this, whole, done.length === 0 ? undefined : (error) => {
      for (const f of done) f(error);
    });
  };
  socket.write = function (this: Socket, ...args: WriteArgs): boolean {
    if (depth === 0) return write.apply(this, args);
    const [chunk, encodingOrCallback, maybeCallback] = args as [unknown, unknown, unknown];
    const encoding = typeof encodingOrCallback === "string" ? (encodingOrCallback as BufferEncoding) : undefined;
    const callback = typeof encodingOrCallback === "function" ? encodingOrCallback : maybeCallback;
    held.push(typeof chunk === "string" ? Buffer.from(chunk, encoding) : (chunk as Uint8Array));
    if (typeof callback === "function") callbacks.push(callback as (error?: Error | null) => void);
    return !this.writableNeedDrain;
  } as Socket["write"];
  return socket;
}
