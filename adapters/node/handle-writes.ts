// Node only: an RPC socket's writes handed straight to its libuv handle, as node:net's own
// `writeGeneric` does underneath `socket.write()`, without the Writable stream around it (a
// dozen functions per write: Writable.write, writeOrBuffer, _write, _writeGeneric, the write
// request's setup and completion). A sequential call writes once on each side, and runs cold
// (docs/PERFORMANCE.md, "Code footprint"); `bench/tools/ab.ts` with host and client writing
// this way read the add's p50 0.931× and 1.13× the calls/s with 64 in flight.
// The write request type comes from `process.binding("stream_wrap")`, which Node still offers
// (20 through 24) for exactly these objects. Where it is missing or refused (a process that
// shows pending deprecations: `process.binding` is DEP0111), or the socket is not in the plain
// connected state this expects, the transport writes through `socket.write()` as before.
import type { Socket } from "node:net";
import { getSystemErrorName } from "node:util";
import type { SocketWriter } from "../shared/socket-transport.ts";

interface WriteRequest {
  handle: unknown;
  oncomplete: (this: WriteRequest, status: number) => void;
  /** What the handle reads from until the write completes (the handle does not copy it). */
  buffers: Uint8Array[] | null;
  socket: Socket;
}

interface StreamHandle {
  writeBuffer(req: WriteRequest, data: Uint8Array): number;
  writev(req: WriteRequest, chunks: Uint8Array[], allBuffers: boolean): number;
}

interface StreamWrapBinding {
  WriteWrap: new () => WriteRequest;
  streamBaseState: Int32Array;
  kLastWriteWasAsync: number;
}

/** The user asked to be told of pending deprecations (DEP0111 is one): the API is left alone. */
function pendingDeprecationsShown(): boolean {
  const options = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)];
  return options.includes("--pending-deprecation") || process.env.NODE_PENDING_DEPRECATION === "1";
}

function streamWrap(): StreamWrapBinding | null {
  if (pendingDeprecationsShown()) return null;
  try {
    const binding = (process as unknown as { binding(name: string): Partial<StreamWrapBinding> }).binding("stream_wrap");
    const { WriteWrap, streamBaseState, kLastWriteWasAsync } = binding;
    if (typeof WriteWrap !== "function" || streamBaseState === undefined || typeof kLastWriteWasAsync !== "number") return null;
    return { WriteWrap, streamBaseState, kLastWriteWasAsync };
  } catch {
    return null;
  }
}

function writeError(status: number): Error {
  const name = getSystemErrorName(status);
  return Object.assign(new Error(`write ${name}`), { code: name, errno: status, syscall: "write" });
}

/** A completed write: release its buffers; a failed one ends the socket as node:net would. */
function onComplete(this: WriteRequest, status: number): void {
  this.buffers = null;
  if (status < 0 && !this.socket.destroyed) this.socket.destroy(writeError(status));
}

/** The writer for `useSocketWriter`, or null where Node does not offer its write requests. */
export function handleWriter(): SocketWriter | null {
  const binding = streamWrap();
  if (binding === null) return null;
  const { WriteWrap, streamBaseState, kLastWriteWasAsync } = binding;
  return (socket, pieces) => {
    const internal = socket as unknown as { _handle: StreamHandle | null; connecting: boolean };
    const handle = internal._handle;
    // Anything node:net still holds (or a connect in progress) must go first: its own path then.
    if (handle === null || internal.connecting || socket.writableLength > 0 || typeof handle.writev !== "function") return false;
    const req = new WriteWrap();
    req.handle = handle;
    req.oncomplete = onComplete;
    req.socket = socket;
    req.buffers = null;
    const status = pieces.length === 1 ? handle.writeBuffer(req, pieces[0]!) : handle.writev(req, pieces, true);
    if (status !== 0) {
      socket.destroy(writeError(status));
      return true;
    }
    // Written in part: the kernel takes the rest later, from these buffers.
    if (streamBaseState[kLastWriteWasAsync] !== 0) req.buffers = pieces;
    return true;
  };
}
