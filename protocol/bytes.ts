// Fresh byte buffers that their caller fills completely before anyone reads them: a large frame
// being assembled, a decoded ArrayBuffer, a large encoded value. `new Uint8Array(n)` zero-fills
// its memory first, and with 64 KiB messages that memset was ~9% of both processes' CPU (perf,
// 2026-11-28). A runtime adapter may install an allocator that skips it (Node's and Bun's
// `Buffer.allocUnsafeSlow`); the web-standard default stays for everything else.
//
// The contract for callers: write every byte of the result before it can be read, sent or handed
// out, since an installed allocator returns whatever the memory held before.

/** Below this size the default is as fast as any other (and no memory is reused). */
const LARGE = 4096;

type Allocate = (n: number) => Uint8Array;

const zeroFilled: Allocate = (n) => new Uint8Array(n);
let allocateLarge: Allocate = zeroFilled;

/**
 * `n` bytes over an ArrayBuffer of exactly `n` bytes of their own (offset 0), contents
 * unspecified: the caller overwrites all of them.
 */
export function freshBytes(n: number): Uint8Array {
  return n < LARGE ? new Uint8Array(n) : allocateLarge(n);
}

/**
 * Installs the allocator freshBytes() uses for large buffers (null: back to zero-filled ones).
 * It must return a plain Uint8Array at offset 0 of an ArrayBuffer of exactly `n` bytes.
 */
export function useByteAllocator(allocate: Allocate | null): void {
  if (allocate !== null) {
    // A pooled allocator would hand decoded values an ArrayBuffer with other bytes in it.
    const probe = allocate(LARGE);
    if (probe.byteOffset !== 0 || probe.byteLength !== LARGE || probe.buffer.byteLength !== LARGE) {
      throw new Error("useByteAllocator: the allocator must return n bytes over an ArrayBuffer of exactly n bytes");
    }
  }
  allocateLarge = allocate ?? zeroFilled;
}
