// Large buffers that are used again once everyone who reads them is done: the V8 encoding of a
// large value (a 64 KiB Uint8Array's call or result) is written to a socket and then holds the
// next such value, instead of being left to the garbage collector. Measured on this VM
// (2026-11-29, docs/PERFORMANCE.md, twentieth round): touching memory for the first time costs
// ~215 µs per 64 KiB against ~4 µs for memory in use, and Deno's and Bun's collectors let
// the garbage of ~60 MB of large values pile up (fresh pages all along) before freeing it.
//
// Who reads a buffer holds a count on it: its owner (whoever took it, then whoever finish()
// handed it to), a connection's output queue while it waits to be written, a transport while
// the socket may still read it. The last release puts it on a short free list. A holder that
// never releases leaves the buffer to the garbage collector, as any other; so a transport that
// cannot tell when a write is done (an in-memory pair handing the bytes to its peer) simply
// does not release, and nothing is reused under a reader.

/** Buffers are sized in steps of this, so that values of nearby sizes reuse each other's. */
const STEP = 4096;
/** At most this many bytes wait on the free list (a few 64 KiB values, or one 1 MiB and more). */
const FREE_LIMIT = 4 * 1024 * 1024;
/** A free buffer serves a request of at least 1/WASTE_LIMIT of its size. */
const WASTE_LIMIT = 2;

/** Counts of the buffers handed out and not yet back on the free list, by ArrayBuffer. */
const holders = new WeakMap<ArrayBuffer, number>();
/** Buffers nobody holds, each over a whole ArrayBuffer. */
const free: Uint8Array[] = [];
let freeBytes = 0;

/** What the pool did so far (for tests and probes). */
export const recycledBytesStats = { taken: 0, reused: 0, returned: 0 };

/**
 * `n` bytes (n > 0), contents unspecified, over an ArrayBuffer that may be longer and that the
 * caller holds once: a reused one if the free list has one of a fitting size, else a new one.
 */
export function takeRecyclable(n: number, allocate: (n: number) => Uint8Array): Uint8Array {
  recycledBytesStats.taken++;
  for (let i = free.length - 1; i >= 0; i--) {
    const whole = free[i]!;
    if (whole.length >= n && whole.length <= n * WASTE_LIMIT) {
      free[i] = free[free.length - 1]!;
      free.pop();
      freeBytes -= whole.length;
      holders.set(whole.buffer as ArrayBuffer, 1);
      recycledBytesStats.reused++;
      return whole.subarray(0, n);
    }
  }
  const whole = allocate(Math.ceil(n / STEP) * STEP);
  holders.set(whole.buffer as ArrayBuffer, 1);
  return whole.subarray(0, n);
}

/** True if `bytes` lies in a buffer from takeRecyclable() that someone holds. */
export function isRecyclable(bytes: Uint8Array): boolean {
  return holders.has(bytes.buffer as ArrayBuffer);
}

/** One more holder of `bytes`'s buffer, if it is one from takeRecyclable() (else nothing). */
export function retainBytes(bytes: Uint8Array): void {
  const buffer = bytes.buffer as ArrayBuffer;
  const count = holders.get(buffer);
  if (count !== undefined) holders.set(buffer, count + 1);
}

/**
 * One holder less of `bytes`'s buffer, if it is one from takeRecyclable() (else nothing): the
 * caller will not read it again. The last one puts it on the free list (or leaves it to the
 * garbage collector when the list is full).
 */
export function releaseBytes(bytes: Uint8Array): void {
  const buffer = bytes.buffer as ArrayBuffer;
  const count = holders.get(buffer);
  if (count === undefined) return;
  if (count > 1) {
    holders.set(buffer, count - 1);
    return;
  }
  holders.delete(buffer);
  recycledBytesStats.returned++;
  if (freeBytes + buffer.byteLength > FREE_LIMIT) return;
  free.push(new Uint8Array(buffer));
  freeBytes += buffer.byteLength;
}

/** Empties the free list (tests). */
export function dropRecycledBytes(): void {
  free.length = 0;
  freeBytes = 0;
}
