// Turns any value a Workers RPC call can produce into plain JSON that says exactly what it was,
// so that reports from different runtimes can be compared with deep equality: -0, NaN, BigInt,
// undefined, holes, Map/Set/Date/RegExp, buffers and views, errors (own props, cause), stubs
// (by kind, never by identity), cycles and shared references (as paths to the first sighting).
// Plain JS with no imports: it runs inside the caller and callee Workers on workerd and on
// edgebind (Node, Deno, Bun), and in the test process.

const TYPED = [
  "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
  "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array",
];

function hex(bytes) {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

function protoName(v) {
  let p;
  try {
    p = Object.getPrototypeOf(v);
  } catch {
    return "?";
  }
  if (p === null) return "null";
  if (p === Object.prototype) return "Object";
  const ctor = Object.getOwnPropertyDescriptor(p, "constructor")?.value;
  return typeof ctor === "function" && ctor.name ? ctor.name : "anonymous";
}

/** What kind of RPC object (if any) `v` is, judged only by what a Worker can see. */
function rpcKind(v, cf) {
  if (!cf) return null;
  try {
    if (cf.RpcStub && v instanceof cf.RpcStub) return "RpcStub";
    if (cf.RpcPromise && v instanceof cf.RpcPromise) return "RpcPromise";
    if (cf.RpcProperty && v instanceof cf.RpcProperty) return "RpcProperty";
    if (cf.ServiceStub && v instanceof cf.ServiceStub) return "ServiceStub";
  } catch {
    return null;
  }
  return null;
}

const ENGINE_ERROR_PROPS = ["line", "column", "sourceURL", "originalLine", "originalColumn"];

const internalRef = /reference = [0-9a-z]+/g;

/** Normalises texts that legitimately vary between runs (internal error references). */
export function normText(s) {
  return typeof s === "string" ? s.replace(internalRef, "reference = <id>") : s;
}

/** Already-tagged JSON (e.g. what the callee reports about a value it saw) passes through. */
function isTagged(v) {
  return Object.getPrototypeOf(v) === Object.prototype && typeof Object.getOwnPropertyDescriptor(v, "$")?.value === "string";
}

/**
 * `tag(value, cf)`: `cf` is the `cloudflare:workers` module (to recognise stubs), optional.
 */
export function tag(value, cf, seen = new Map(), path = "$") {
  switch (typeof value) {
    case "undefined":
      return { $: "undefined" };
    case "boolean":
    case "string":
      return value;
    case "number":
      if (Number.isNaN(value)) return { $: "number", v: "NaN" };
      if (Object.is(value, -0)) return { $: "number", v: "-0" };
      if (!Number.isFinite(value)) return { $: "number", v: String(value) };
      return value;
    case "bigint":
      return { $: "bigint", v: value.toString() };
    case "symbol":
      return { $: "symbol", v: String(value) };
  }
  if (value === null) return null;
  const kind = rpcKind(value, cf);
  if (kind) return { $: kind, typeof: typeof value };
  if (seen.has(value)) return { $: "ref", to: seen.get(value) };
  if (isTagged(value)) return value;
  seen.set(value, path);
  if (typeof value === "function") {
    return { $: "function", props: ownProps(value, cf, seen, path, ["length", "name", "prototype", "arguments", "caller"]) };
  }
  const tagName = Object.prototype.toString.call(value).slice(8, -1);
  const props = (skip = []) => ownProps(value, cf, seen, path, skip);
  if (Array.isArray(value)) {
    const items = {};
    for (const key of Object.keys(value)) items[key] = tag(value[key], cf, seen, `${path}[${key}]`);
    return { $: "Array", length: value.length, items };
  }
  if (value instanceof Error || tagName === "Error" || (typeof DOMException !== "undefined" && value instanceof DOMException)) {
    return tagError(value, cf, seen, path);
  }
  if (value instanceof Map) {
    return { $: "Map", entries: [...value].map(([k, v], i) => [tag(k, cf, seen, `${path}.key${i}`), tag(v, cf, seen, `${path}.val${i}`)]), props: props() };
  }
  if (value instanceof Set) {
    return { $: "Set", values: [...value].map((v, i) => tag(v, cf, seen, `${path}.set${i}`)), props: props() };
  }
  if (value instanceof Date) {
    const t = value.getTime();
    return { $: "Date", v: Number.isNaN(t) ? "Invalid" : t };
  }
  if (value instanceof RegExp) return { $: "RegExp", source: value.source, flags: value.flags, lastIndex: value.lastIndex };
  if (value instanceof ArrayBuffer) {
    const out = { $: "ArrayBuffer", bytes: hex(new Uint8Array(value)) };
    if (value.resizable) out.maxByteLength = value.maxByteLength;
    return out;
  }
  if (typeof SharedArrayBuffer !== "undefined" && value instanceof SharedArrayBuffer) {
    return { $: "SharedArrayBuffer", bytes: hex(new Uint8Array(value)) };
  }
  if (ArrayBuffer.isView(value)) {
    const buffer = tag(value.buffer, cf, seen, `${path}.buffer`);
    const length = value instanceof DataView ? value.byteLength : value.length;
    return { $: TYPED.includes(tagName) || tagName === "DataView" ? tagName : "view:" + tagName, byteOffset: value.byteOffset, length, buffer };
  }
  if (tagName === "Number" || tagName === "String" || tagName === "Boolean" || tagName === "BigInt") {
    return { $: "wrapper:" + tagName, v: tag(value.valueOf(), cf, seen, path) };
  }
  return { $: "object", proto: protoName(value), props: props() };
}

function ownProps(value, cf, seen, path, skip) {
  const out = {};
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === "symbol" || skip.includes(key)) continue;
    const d = Object.getOwnPropertyDescriptor(value, key);
    if (!d) continue;
    const v = "value" in d ? d.value : { $: "accessor" };
    out[key] = d.enumerable ? tag(v, cf, seen, `${path}.${key}`) : { $: "nonEnumerable", v: tag(v, cf, seen, `${path}.${key}`) };
  }
  return out;
}

/** Errors: type, name, message, `remote` and the other own props (never the stack). */
export function tagError(err, cf, seen = new Map(), path = "$") {
  if (typeof err !== "object" || err === null) return { thrown: tag(err, cf, seen, path) };
  seen.set(err, path);
  const out = {
    $: "Error",
    ctor: protoName(err),
    name: normText(err.name),
    message: normText(err.message),
  };
  if (err.remote !== undefined) out.remote = err.remote;
  // DOMException keeps name and code as own props on workerd, on the prototype elsewhere: a
  // difference of the host, not of RPC. Record the code, ignore where it lives.
  const dom = typeof DOMException !== "undefined" && err instanceof DOMException;
  if (dom) out.code = err.code;
  const props = {};
  for (const key of Reflect.ownKeys(err)) {
    if (typeof key === "symbol" || key === "stack" || key === "message" || key === "remote") continue;
    if (dom && (key === "name" || key === "code")) continue;
    // JavaScriptCore (Bun) gives every error it creates these non-enumerable own props.
    if (ENGINE_ERROR_PROPS.includes(key) && !Object.prototype.propertyIsEnumerable.call(err, key)) continue;
    const d = Object.getOwnPropertyDescriptor(err, key);
    const v = "value" in d ? d.value : { $: "accessor" };
    props[key] = key === "name" ? normText(v) : tag(v, cf, seen, `${path}.${key}`);
  }
  if (Object.keys(props).length) out.props = props;
  return out;
}
