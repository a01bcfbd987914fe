// Structural equality for values that went through the V8 codec, identical on Node, Deno and Bun
// (their node:assert deep-equality differs in details such as errors and holes). Checks what the
// format carries: types, holes, key order, Map/Set order, -0 and NaN, typed-array kind and bytes,
// buffer sharing, resizable buffers, error type/message/cause/props, and the identity structure
// (shared references and cycles). Returns null if equal, else the path of the first difference.

const ENGINE_ERROR_PROPS = new Set(["stack", "message", "name", "line", "column", "sourceURL", "originalLine", "originalColumn"]);

function tag(v: object): string {
  return Object.prototype.toString.call(v);
}

function errorProps(e: object): string[] {
  return Object.getOwnPropertyNames(e).filter((k) => !ENGINE_ERROR_PROPS.has(k)).sort();
}

export function diffValues(a: unknown, b: unknown, path = "$", seen = new Map<object, object>()): string | null {
  if (typeof a !== typeof b) return `${path}: ${typeof a} vs ${typeof b}`;
  if (typeof a !== "object" || a === null || b === null) {
    return Object.is(a, b) ? null : `${path}: ${String(a)} vs ${String(b)}`;
  }
  const bo = b as object;
  const prior = seen.get(a);
  if (prior !== undefined) return prior === bo ? null : `${path}: shared reference not preserved`;
  seen.set(a, bo);
  if (tag(a) !== tag(bo)) return `${path}: ${tag(a)} vs ${tag(bo)}`;
  if (Array.isArray(a) !== Array.isArray(bo)) return `${path}: array vs non-array`;

  if (a instanceof Date) return Object.is(a.getTime(), (bo as Date).getTime()) ? null : `${path}: date`;
  if (a instanceof RegExp) {
    const r = bo as RegExp;
    return a.source === r.source && a.flags === r.flags ? null : `${path}: /${a.source}/${a.flags} vs /${r.source}/${r.flags}`;
  }
  if (a instanceof ArrayBuffer) {
    const x = bo as ArrayBuffer;
    const ra = a as ArrayBuffer & { resizable?: boolean; maxByteLength?: number };
    const rb = x as ArrayBuffer & { resizable?: boolean; maxByteLength?: number };
    if (ra.resizable !== rb.resizable || ra.maxByteLength !== rb.maxByteLength) return `${path}: resizability`;
    return bytesEqual(new Uint8Array(a), new Uint8Array(x)) ? null : `${path}: buffer bytes`;
  }
  if (ArrayBuffer.isView(a)) {
    const x = bo as ArrayBufferView;
    if (a.constructor.name !== x.constructor.name) return `${path}: ${a.constructor.name} vs ${x.constructor.name}`;
    if (a.byteOffset !== x.byteOffset || a.byteLength !== x.byteLength) return `${path}: view range`;
    return diffValues(a.buffer, x.buffer, `${path}.buffer`, seen);
  }
  if (a instanceof Map) {
    const ea = [...a];
    const eb = [...(bo as Map<unknown, unknown>)];
    if (ea.length !== eb.length) return `${path}: map size`;
    for (let i = 0; i < ea.length; i++) {
      const d = diffValues(ea[i]![0], eb[i]![0], `${path}<key ${i}>`, seen) ?? diffValues(ea[i]![1], eb[i]![1], `${path}<value ${i}>`, seen);
      if (d) return d;
    }
    return null;
  }
  if (a instanceof Set) {
    const ea = [...a];
    const eb = [...(bo as Set<unknown>)];
    if (ea.length !== eb.length) return `${path}: set size`;
    for (let i = 0; i < ea.length; i++) {
      const d = diffValues(ea[i], eb[i], `${path}<${i}>`, seen);
      if (d) return d;
    }
    return null;
  }
  if (a instanceof Boolean || a instanceof Number || a instanceof String || a instanceof BigInt) {
    return Object.is(a.valueOf(), (bo as { valueOf(): unknown }).valueOf()) ? null : `${path}: wrapper value`;
  }
  if (a instanceof Error) {
    const e = bo as Error;
    if (String(a.name) !== String(e.name)) return `${path}: error name ${a.name} vs ${e.name}`;
    if (a.message !== e.message) return `${path}: error message`;
    const ka = errorProps(a);
    const kb = errorProps(e);
    if (ka.join() !== kb.join()) return `${path}: error props [${ka}] vs [${kb}]`;
    for (const k of ka) {
      const d = diffValues((a as unknown as Record<string, unknown>)[k], (e as unknown as Record<string, unknown>)[k], `${path}.${k}`, seen);
      if (d) return d;
    }
    return null;
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(bo) && !Array.isArray(a)) return `${path}: prototype`;
  const ra = a as Record<string, unknown>;
  const rb = bo as Record<string, unknown>;
  if (Array.isArray(a) && a.length !== (bo as unknown[]).length) return `${path}: length ${a.length} vs ${(bo as unknown[]).length}`;
  const ka = Object.keys(ra);
  const kb = Object.keys(rb);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return `${path}: keys [${ka.slice(0, 8)}] vs [${kb.slice(0, 8)}]`;
  for (const k of ka) {
    const d = diffValues(ra[k], rb[k], `${path}.${k}`, seen);
    if (d) return d;
  }
  return null;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[]);
  return btoa(s);
}

export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += (b | 0x100).toString(16).slice(1);
  return s;
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, "");
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}
