// UTF-8 for Cap'n Proto Text fields. TextEncoder/TextDecoder carry a fixed per-call cost that
// dominates for the short ASCII strings RPC messages are full of (method names, reasons), so short
// ASCII takes a plain loop and everything else goes to the platform codec.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Exact UTF-8 length of `s` as TextEncoder would write it (lone surrogates become U+FFFD). */
export function utf8Length(s: string): number {
  const n = s.length;
  let len = n;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      len += 1;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        len += 2; // 4 bytes for 2 code units
        i++;
      } else {
        len += 2;
      }
    } else {
      len += 2;
    }
  }
  return len;
}

/** Writes `s` (whose UTF-8 length is `len`) at buf[off..off+len). */
export function writeUtf8(buf: Uint8Array, off: number, s: string, len: number): void {
  if (len === s.length && len <= 64) {
    for (let i = 0; i < len; i++) buf[off + i] = s.charCodeAt(i);
    return;
  }
  encoder.encodeInto(s, buf.subarray(off, off + len));
}

/** Decodes buf[start..end) (invalid sequences become U+FFFD, like TextDecoder). */
export function readUtf8(buf: Uint8Array, start: number, end: number): string {
  if (end - start <= 12) {
    // Short ASCII: appending one-character strings beats any call into the platform decoder.
    let s = "";
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      if (c >= 0x80) return decoder.decode(buf.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return decoder.decode(buf.subarray(start, end));
}
