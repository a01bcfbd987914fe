// Byte-array comparisons for tests: a loop, not hex strings, which took over a minute for the
// multi-megabyte streams of test/capnp-framing.test.ts on Node.

/** Where a and b first differ (the shorter length when one is a prefix of the other); -1 if equal. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return firstDifference(a, b) < 0;
}
