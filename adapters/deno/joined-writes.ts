// Deno only: an RPC socket's flush of several pieces leaves as one buffer in one write while the
// socket has nothing else to send. Deno's node:net sends each write of a corked socket as a
// syscall of its own (corked-writes.ts), so a large value's message (its head, the 64 KiB
// payload, its tail: the pieces SocketTransport writes as they are) left in three sends, and the
// peer woke for the first. Joined: a Deno host's echo64k p50 0.72x (bench/tools/ab.ts
// host=deno, 6 pairs, 2026-11-29). While earlier writes are still queued the peer has data to
// read anyway, and the copy would cost more than the sends it saves: such flushes, and flushes
// over JOIN_LIMIT, are left to the corked writes (with every flush joined, each into a fresh
// buffer, 64 echo64k in flight read 0.91x the calls/s; as it is, 0.95x). Join buffers are reused
// once their write has completed (a new one would be zero-filled on Deno).
import type { Socket } from "node:net";
import type { SocketWriter } from "../shared/socket-transport.ts";

/** The most one joined write holds: a 64 KiB value's message with room to spare. */
export const JOIN_LIMIT = 256 * 1024;
/** Join buffers kept for reuse (shared by every socket of the process). */
const MAX_SPARE = 4;
const spare: Uint8Array[] = [];

export const joinedWriter: SocketWriter = (socket: Socket, pieces: Uint8Array[]): boolean => {
  if (pieces.length === 1 || socket.writableLength > 0) return false; // socket.write() as usual
  let total = 0;
  for (const piece of pieces) total += piece.length;
  if (total > JOIN_LIMIT) return false;
  const buffer = spare.pop() ?? new Uint8Array(JOIN_LIMIT);
  let at = 0;
  for (const piece of pieces) {
    buffer.set(piece, at);
    at += piece.length;
  }
  // Until the write's callback, the socket may still read the buffer.
  socket.write(buffer.subarray(0, total), (error) => {
    if (!error && spare.length < MAX_SPARE) spare.push(buffer);
  });
  return true;
};
