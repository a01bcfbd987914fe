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

/**
 * Short ASCII strings decoded lately, by a hash of their bytes. A peer sends the same few
 * method names over and over: handing back the same string saves building it, and property
 * lookups with a string V8 has seen as a key before are cheaper than with a fresh one.
 */
const recent: (string | undefined)[] = new Array(64);

/** Decodes buf[start..end) (invalid sequences become U+FFFD, like TextDecoder). */
export function readUtf8(buf: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= 24) {
    let h = n;
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      if (c >= 0x80) return decoder.decode(buf.subarray(start, end));
      h = (Math.imul(h, 31) + c) | 0;
    }
    const slot = h & 63;
    const known = recent[slot];
    if (known !== undefined && known.length === n && sameAscii(known, buf, start)) return known;
    let s: string;
    if (n <= 12) {
      // Short ASCII: appending one-character strings beats any call into the platform decoder.
      s = "";
      for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]!);
    } else {
      s = decoder.decode(buf.subarray(start, end));
    }
    recent[slot] = s;
    return s;
  }
  return decoder.decode(buf.subarray(start, end));
}

function sameAscii(s: string, buf: Uint8Array, start: number): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== buf[start + i]) return false;
  return true;
}
