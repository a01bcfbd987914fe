// Listening on an `Address` with any node:net-based server (net.Server or http.Server), on all
// three runtimes. A Unix socket path left behind by a dead process is removed first; a path that
// a live process still listens on, or that is not a socket, is an error rather than something
// we silently take over or delete.
import { lstatSync, rmSync } from "node:fs";
import { connect, type Server as NetServer } from "node:net";
import { formatAddress, type Address } from "../../core/config/address.ts";

/** True if something accepts connections on the Unix socket `path`. */
function socketIsLive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect({ path });
    probe.once("connect", () => { probe.destroy(); resolve(true); });
    probe.once("error", () => resolve(false));
  });
}

/** Removes a stale socket file at `path`; throws if it is in use or not a socket. */
export async function clearStaleSocket(path: string): Promise<void> {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return; // nothing there
  }
  if (!stat.isSocket()) throw new Error(`cannot listen on unix:${path}: the path exists and is not a socket`);
  if (await socketIsLive(path)) throw new Error(`cannot listen on unix:${path}: another process is listening there`);
  rmSync(path, { force: true });
}

/** Listens, and resolves with the actual address (a TCP port 0 becomes the chosen port). */
export async function listenOn(server: NetServer, address: Address): Promise<Address> {
  if (address.kind === "unix") await clearStaleSocket(address.path);
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(new Error(`cannot listen on ${formatAddress(address)}: ${error.message}`));
    server.once("error", onError);
    const done = () => { server.off("error", onError); resolve(); };
    if (address.kind === "unix") server.listen(address.path, done);
    else server.listen(address.port, address.host, done);
  });
  if (address.kind === "unix") return address;
  const bound = server.address();
  return { kind: "tcp", host: address.host, port: typeof bound === "object" && bound ? bound.port : address.port };
}
