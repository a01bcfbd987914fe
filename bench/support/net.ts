// Listening and the ready line for bench servers (node:net based, all three runtimes).
import type { Server } from "node:net";
import { rmSync } from "node:fs";

/** Listens on `unix:/path` or `host:port` (port 0: any); resolves with the address as text. */
export async function listenArgs(server: Server, listen: string): Promise<string> {
  if (listen.startsWith("unix:")) {
    const path = listen.slice(5);
    rmSync(path, { force: true });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(path, () => resolve());
    });
    return listen;
  }
  const i = listen.lastIndexOf(":");
  const host = listen.slice(0, i);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(Number(listen.slice(i + 1)), host, () => resolve());
  });
  const bound = server.address() as { port: number };
  return `${host}:${bound.port}`;
}

/** The line the orchestrator waits for. */
export function printReady(address: string): void {
  console.log(`READY ${address}`);
}

/** `{path}` or `{host, port}` for node:net / node:http from `unix:/p` or `host:port`. */
export function dialOptions(address: string): { path: string } | { host: string; port: number } {
  if (address.startsWith("unix:")) return { path: address.slice(5) };
  const i = address.lastIndexOf(":");
  return { host: address.slice(0, i), port: Number(address.slice(i + 1)) };
}
