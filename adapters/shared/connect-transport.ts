// The client side of an RPC connection: open a socket to `address`, send workerd's handshake
// `CONNECT <connectHost> HTTP/1.1\r\n\r\n`, require `HTTP/1.1 200`, and hand the same socket on
// as a Transport. Bytes the server sent after its response head are kept for the transport.
import { connect, type Socket } from "node:net";
import "./brand-checks.ts";
import { formatAddress, type Address } from "../../core/config/address.ts";
import type { Transport } from "../../core/transport.ts";
import { FixedBufferReads, SocketTransport } from "./socket-transport.ts";

const HEAD_END = Uint8Array.of(13, 10, 13, 10);
const MAX_HEAD = 16 * 1024;

/** Index just past the first "\r\n\r\n" in `bytes`, or -1. */
export function headEnd(bytes: Uint8Array): number {
  outer: for (let i = 0; i + 4 <= bytes.length; i++) {
    for (let j = 0; j < 4; j++) if (bytes[i + j] !== HEAD_END[j]) continue outer;
    return i + 4;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export interface ConnectOptions {
  /** Give up on connect + handshake after this long (default 10 s). */
  readonly timeoutMs?: number;
  /** The binding's props, for the target's `this.ctx.props` (sent as an `Edgebind-Props` header). */
  readonly props?: Readonly<Record<string, unknown>>;
}

/** The CONNECT request head: workerd's exact form, plus our props header when there are props. */
export function connectHead(connectHost: string, props?: Readonly<Record<string, unknown>>): string {
  const extra = props && Object.keys(props).length > 0 ? `${PROPS_HEADER}: ${encodeURIComponent(JSON.stringify(props))}\r\n` : "";
  return `CONNECT ${connectHost} HTTP/1.1\r\n${extra}\r\n`;
}

export const PROPS_HEADER = "Edgebind-Props";

/** Opens an RPC transport to the Worker (or workerd socket) at `address`. */
export function connectTransport(address: Address, connectHost: string, options: ConnectOptions = {}): Promise<Transport> {
  const where = formatAddress(address);
  return new Promise<Transport>((resolve, reject) => {
    const reads = new FixedBufferReads();
    const socket: Socket = address.kind === "unix"
      ? connect({ path: address.path, onread: reads.onread })
      : connect({ host: address.host, port: address.port, noDelay: true, onread: reads.onread });
    let head: Uint8Array = new Uint8Array(0);
    const fail = (message: string) => {
      cleanup();
      socket.destroy();
      reject(new Error(`RPC connection to ${where} failed: ${message}`));
    };
    const timer = setTimeout(() => fail("timed out"), options.timeoutMs ?? 10_000);
    const onError = (error: Error) => fail(error.message);
    const onClose = () => fail("the connection closed during the CONNECT handshake");
    const onData = (chunk: Uint8Array) => {
      head = concat(head, chunk);
      const end = headEnd(head);
      if (end < 0) {
        if (head.length > MAX_HEAD) fail("the CONNECT response head is too large");
        return;
      }
      const statusLine = new TextDecoder().decode(head.subarray(0, head.indexOf(13)));
      if (!/^HTTP\/1\.[01] 200\b/.test(statusLine)) return fail(`CONNECT ${connectHost} was answered "${statusLine}"`);
      cleanup();
      resolve(new SocketTransport(socket, head.subarray(end), reads));
    };
    function cleanup() {
      clearTimeout(timer);
      reads.deliver = () => {};
      socket.off("error", onError);
      socket.off("close", onClose);
    }
    reads.deliver = onData;
    socket.on("error", onError);
    socket.on("close", onClose);
    socket.once("connect", () => socket.write(connectHead(connectHost, options.props)));
  });
}
