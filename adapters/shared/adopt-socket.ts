// node:http hands a CONNECT connection over as a socket that reads through the stream machinery
// (a 'data' event, a new Buffer and a few dozen Node functions per read). An RPC connection
// lives long and reads often, so the Node and Deno adapters move its handle to a new socket
// made with net's `onread` option, as client sockets are (FixedBufferReads): each read lands
// in one fixed buffer. Measured with `bench/tools/ab.ts interleave=1` (6 host pairs each): a
// Node host's CPU per sequential add 0.865x and the add's p50 0.889x; a Deno host's 0.922x and
// 0.944x (docs/PERFORMANCE.md). `new Socket({ handle })` is how node:net itself wraps accepted
// handles; the old socket object is left without one. Bun's node:net sockets have no such
// handle: its adapter does not pass this (and it would return null there).
import { Socket } from "node:net";
import { FixedBufferReads } from "./socket-transport.ts";

interface StreamHandle {
  /** node:net's note of whether it asked the handle to read (the new socket asks again). */
  reading: boolean;
  readStop(): number;
  useUserBuffer?(buffer: Uint8Array): void;
}

export function adoptRpcSocket(socket: Socket): { socket: Socket; reads: FixedBufferReads } | null {
  const internal = socket as unknown as { _handle: StreamHandle | null };
  const handle = internal._handle;
  // Only a handle node:net can read into a user buffer (a pipe or TCP stream), and nothing else
  // is listening for this socket's data.
  if (handle === null || typeof handle.useUserBuffer !== "function" || socket.listenerCount("data") > 0) return null;
  handle.readStop();
  handle.reading = false;
  internal._handle = null;
  const reads = new FixedBufferReads();
  const adopted = new Socket({ handle, onread: reads.onread, readable: true, writable: true } as ConstructorParameters<typeof Socket>[0]);
  return { socket: adopted, reads };
}
