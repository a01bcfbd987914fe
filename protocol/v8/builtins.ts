// Telling built-in objects apart the way V8 does: by their internal slots ("brands"), not by their
// prototype, so a Map subclass is still a Map and `Object.create(Map.prototype)` is not. The
// encoder's hot path only looks up the prototype; the brand probes here run for the rest. Also the
// typed-array tables shared by encoder and decoder, and the DataCloneError wording of refusals.

import {
  VT_BIGINT64,
  VT_BIGUINT64,
  VT_FLOAT16,
  VT_FLOAT32,
  VT_FLOAT64,
  VT_INT16,
  VT_INT32,
  VT_INT8,
  VT_UINT16,
  VT_UINT32,
  VT_UINT8,
  VT_UINT8_CLAMPED,
} from "./tags.ts";

// Kinds of object the encoder writes (or refuses) by itself.
export const K_NONE = 0; // not a built-in we write: ask the host hook, else refuse (isUncloneable picks the words)
export const K_MAP = 1;
export const K_SET = 2;
export const K_DATE = 3;
export const K_REGEXP = 4;
export const K_ARRAY_BUFFER = 5;
export const K_VIEW = 6;
export const K_ERROR = 7;
export const K_BOOLEAN = 8;
export const K_NUMBER = 9;
export const K_STRING = 10;
export const K_BIGINT = 11;
export const K_SHARED_ARRAY_BUFFER = 12;
export const K_SYMBOL = 14; // a Symbol wrapper object

type Getter = (this: unknown, arg?: unknown) => unknown;
function getter(proto: object, name: PropertyKey): Getter {
  return Object.getOwnPropertyDescriptor(proto, name)!.get as Getter;
}

export const mapSize = getter(Map.prototype, "size");
export const setSize = getter(Set.prototype, "size");
export const dateValue = Date.prototype.getTime as (this: unknown) => number;
const regexpGlobal = getter(RegExp.prototype, "global");
export const regexpSource = getter(RegExp.prototype, "source") as (this: unknown) => string;
export const arrayBufferByteLength = getter(ArrayBuffer.prototype, "byteLength") as (this: unknown) => number;
const sabByteLength = typeof SharedArrayBuffer === "function" ? getter(SharedArrayBuffer.prototype, "byteLength") : undefined;
const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
/** The typed array's constructor name, or undefined for anything else (a brand check). */
export const typedArrayName = getter(TypedArrayPrototype, Symbol.toStringTag) as (this: unknown) => string | undefined;
export const typedArrayBuffer = getter(TypedArrayPrototype, "buffer") as (this: unknown) => ArrayBufferLike;
export const typedArrayByteOffset = getter(TypedArrayPrototype, "byteOffset") as (this: unknown) => number;
export const typedArrayByteLength = getter(TypedArrayPrototype, "byteLength") as (this: unknown) => number;
export const dataViewBuffer = getter(DataView.prototype, "buffer") as (this: unknown) => ArrayBufferLike;
export const dataViewByteOffset = getter(DataView.prototype, "byteOffset") as (this: unknown) => number;
export const dataViewByteLength = getter(DataView.prototype, "byteLength") as (this: unknown) => number;
export const booleanValue = Boolean.prototype.valueOf as (this: unknown) => boolean;
export const numberValue = Number.prototype.valueOf as (this: unknown) => number;
export const stringValue = String.prototype.valueOf as (this: unknown) => string;
export const bigintValue = BigInt.prototype.valueOf as (this: unknown) => bigint;
const symbolValue = Symbol.prototype.valueOf as (this: unknown) => symbol;

/** Regular-expression flag getters in the order of REGEXP_FLAGS (missing ones read as false). */
export const regexpFlagGetters: readonly (Getter | undefined)[] = [
  "hasIndices", "global", "ignoreCase", "multiline", "dotAll", "unicode", "unicodeSets", "sticky",
].map((name) => Object.getOwnPropertyDescriptor(RegExp.prototype, name)?.get as Getter | undefined);

const errorIsError = (Error as unknown as { isError?: (v: unknown) => boolean }).isError;
const objectToString = Object.prototype.toString;
/** True for native errors (anything with V8's/JSC's error internal slot). */
export function isNativeError(v: object): boolean {
  if (errorIsError !== undefined) return errorIsError(v);
  // Node 20 lacks Error.isError: "[object Error]" comes from the error slot unless a
  // Symbol.toStringTag says otherwise, which no built-in error does.
  return objectToString.call(v) === "[object Error]";
}

/** True if calling `fn` on `v` does not throw: a side-effect-free brand probe. */
function probe(fn: Getter | undefined, v: unknown, arg?: unknown): boolean {
  if (fn === undefined) return false;
  try {
    fn.call(v, arg);
    return true;
  } catch {
    return false;
  }
}

// Weak collections and friends: V8 refuses them with "#<Name> could not be cloned.".
const weakMapHas = WeakMap.prototype.has as Getter;
const weakSetHas = WeakSet.prototype.has as Getter;
const weakRefDeref = typeof WeakRef === "function" ? (WeakRef.prototype.deref as Getter) : undefined;
const registryUnregister =
  typeof FinalizationRegistry === "function" ? (FinalizationRegistry.prototype.unregister as Getter) : undefined;

type ErrorLimit = { stackTraceLimit?: number };

/**
 * Exact brand checks that do not throw: node:util's `types`, which Node, Deno and Bun all have.
 * protocol/ cannot import it, so the hosting layer installs it (setBrandChecks); without it the
 * portable probes below decide the same thing, only slower.
 */
export interface BrandChecks {
  isArrayBuffer(v: unknown): boolean;
  isMap(v: unknown): boolean;
  isSet(v: unknown): boolean;
  isDate(v: unknown): boolean;
  isRegExp(v: unknown): boolean;
  isNativeError(v: unknown): boolean;
  isBooleanObject(v: unknown): boolean;
  isNumberObject(v: unknown): boolean;
  isStringObject(v: unknown): boolean;
  isBigIntObject(v: unknown): boolean;
  isSymbolObject(v: unknown): boolean;
  isSharedArrayBuffer(v: unknown): boolean;
  isWeakMap(v: unknown): boolean;
  isWeakSet(v: unknown): boolean;
}

let brandChecks: BrandChecks | null = null;

/** Installs exact non-throwing brand checks (or removes them with null). */
export function setBrandChecks(checks: BrandChecks | null): void {
  brandChecks = checks;
}

/**
 * The kind of `v`, decided by brand checks alone (used when its prototype is not a known one,
 * e.g. every class instance, RpcTargets included). An ordinary object fails every check; as a
 * probe, each failure is a TypeError (3-8 µs on Node, a few less without a stack trace), so the
 * installed checks are used where they exist, the probes that remain run with no stack trace,
 * and those no check replaces (WeakRef, FinalizationRegistry) wait for isUncloneable.
 */
function kindByBrand(v: object): number {
  if (ArrayBuffer.isView(v)) return K_VIEW;
  return brandChecks === null ? withoutStackTraces(kindByProbes, v) : kindByChecks(v, brandChecks);
}

/** `probes(v)` with no stack trace captured for the TypeErrors failed probes throw. */
function withoutStackTraces<T>(probes: (v: object) => T, v: object): T {
  const E = Error as ErrorLimit;
  const limit = E.stackTraceLimit;
  try {
    E.stackTraceLimit = 0;
  } catch {
    // A frozen Error (a hardened realm): probe with stack traces.
  }
  try {
    return probes(v);
  } finally {
    if (E.stackTraceLimit !== limit) E.stackTraceLimit = limit;
  }
}

/**
 * True for objects V8 refuses with "#<Name> could not be cloned." (weak collections, WeakRef,
 * FinalizationRegistry, promises). Asked only for an object of kind K_NONE that the host hook
 * declined, to word the refusal: an RpcTarget, which the hook takes, is a K_NONE too, and the
 * WeakRef and FinalizationRegistry probes (no installed check replaces them) throw when they
 * fail: 3-6 µs each on Node even without a stack trace, two per RpcTarget sent if asked first.
 */
export function isUncloneable(v: object): boolean {
  return withoutStackTraces(uncloneableByProbes, v);
}

function uncloneableByProbes(v: object): boolean {
  const t = brandChecks;
  const weakCollection = t === null ? probe(weakMapHas, v, {}) || probe(weakSetHas, v, {}) : t.isWeakMap(v) || t.isWeakSet(v);
  return weakCollection || probe(weakRefDeref, v) || probe(registryUnregister, v, {}) || v instanceof Promise;
}

/**
 * kindByProbes, decided by the installed checks (same order, same answers). Written out rather
 * than looped over a table: `t[name](v)` with fourteen names is a megamorphic keyed load per
 * check, which a profile of a host returning RpcTargets showed.
 */
function kindByChecks(v: object, t: BrandChecks): number {
  if (t.isArrayBuffer(v)) return K_ARRAY_BUFFER;
  if (t.isMap(v)) return K_MAP;
  if (t.isSet(v)) return K_SET;
  if (t.isDate(v)) return K_DATE;
  if (t.isRegExp(v)) return K_REGEXP;
  if (t.isNativeError(v)) return K_ERROR;
  if (t.isBooleanObject(v)) return K_BOOLEAN;
  if (t.isNumberObject(v)) return K_NUMBER;
  if (t.isStringObject(v)) return K_STRING;
  if (t.isBigIntObject(v)) return K_BIGINT;
  if (t.isSymbolObject(v)) return K_SYMBOL;
  if (t.isSharedArrayBuffer(v)) return K_SHARED_ARRAY_BUFFER;
  return K_NONE;
}

function kindByProbes(v: object): number {
  if (probe(arrayBufferByteLength, v)) return K_ARRAY_BUFFER;
  if (probe(mapSize, v)) return K_MAP;
  if (probe(setSize, v)) return K_SET;
  if (probe(dateValue, v)) return K_DATE;
  if (v !== RegExp.prototype && probe(regexpGlobal, v)) return K_REGEXP;
  if (isNativeError(v)) return K_ERROR;
  if (probe(booleanValue, v)) return K_BOOLEAN;
  if (probe(numberValue, v)) return K_NUMBER;
  if (probe(stringValue, v)) return K_STRING;
  if (probe(bigintValue, v)) return K_BIGINT;
  if (probe(symbolValue, v)) return K_SYMBOL;
  if (probe(sabByteLength, v)) return K_SHARED_ARRAY_BUFFER;
  return K_NONE; // or one of isUncloneable's, told apart only if the host hook declines it
}

// Prototype -> kind for the common case of a direct instance; confirmed by a brand check.
const protoKinds = new Map<object, number>([
  [Map.prototype, K_MAP],
  [Set.prototype, K_SET],
  [Date.prototype, K_DATE],
  [RegExp.prototype, K_REGEXP],
  [ArrayBuffer.prototype, K_ARRAY_BUFFER],
  [DataView.prototype, K_VIEW],
  [Boolean.prototype, K_BOOLEAN],
  [Number.prototype, K_NUMBER],
  [String.prototype, K_STRING],
  [BigInt.prototype, K_BIGINT],
]);
for (const ctor of [Error, TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError, AggregateError]) {
  protoKinds.set(ctor.prototype, K_ERROR);
}

/** Classify a non-array object whose prototype is not Object.prototype. */
export function classify(v: object, proto: object | null): number {
  const kind = proto === null ? undefined : protoKinds.get(proto);
  if (kind !== undefined) {
    // Cheap confirmations for the direct-instance case; a prototype alone proves nothing.
    switch (kind) {
      case K_MAP: if (probe(mapSize, v)) return kind; break;
      case K_SET: if (probe(setSize, v)) return kind; break;
      case K_DATE: if (probe(dateValue, v)) return kind; break;
      case K_REGEXP: if (v !== RegExp.prototype && probe(regexpGlobal, v)) return kind; break;
      case K_ARRAY_BUFFER: if (probe(arrayBufferByteLength, v)) return kind; break;
      case K_VIEW: if (ArrayBuffer.isView(v)) return kind; break;
      case K_ERROR: if (isNativeError(v)) return kind; break;
      default: break;
    }
  }
  return kindByBrand(v);
}

/** A typed array kind: V8 sub-tag, element size, constructor (undefined if the runtime lacks it). */
export interface ViewKind {
  readonly tag: number;
  readonly size: number;
  readonly ctor: (new (buffer: ArrayBufferLike, byteOffset?: number, length?: number) => ArrayBufferView) | undefined;
}

const g = globalThis as unknown as Record<string, ViewKind["ctor"]>;
function kind(name: string, tag: number, size: number): [string, ViewKind] {
  return [name, { tag, size, ctor: g[name] }];
}
/** Typed arrays by constructor name (what the Symbol.toStringTag getter returns). */
export const viewKindsByName = new Map<string, ViewKind>([
  kind("Int8Array", VT_INT8, 1),
  kind("Uint8Array", VT_UINT8, 1),
  kind("Uint8ClampedArray", VT_UINT8_CLAMPED, 1),
  kind("Int16Array", VT_INT16, 2),
  kind("Uint16Array", VT_UINT16, 2),
  kind("Int32Array", VT_INT32, 4),
  kind("Uint32Array", VT_UINT32, 4),
  kind("Float16Array", VT_FLOAT16, 2),
  kind("Float32Array", VT_FLOAT32, 4),
  kind("Float64Array", VT_FLOAT64, 8),
  kind("BigInt64Array", VT_BIGINT64, 8),
  kind("BigUint64Array", VT_BIGUINT64, 8),
]);
/** The same, by V8 sub-tag, with the name for error messages. */
export const viewKindsByTag = new Map<number, ViewKind & { name: string }>(
  [...viewKindsByName].map(([name, k]) => [k.tag, { ...k, name }]),
);

/** V8's constructor name for an object (what workerd puts in its refusal), without running getters. */
export function constructorName(v: object): string {
  for (let p: object | null = v; p !== null; p = Object.getPrototypeOf(p)) {
    const desc = Object.getOwnPropertyDescriptor(p, "constructor");
    if (desc === undefined) continue;
    const ctor: unknown = desc.value;
    if (typeof ctor === "function" && typeof ctor.name === "string" && ctor.name !== "") return ctor.name;
    break;
  }
  return "Object";
}
