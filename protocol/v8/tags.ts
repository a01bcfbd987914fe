// Byte constants of the V8 value format (version 15, with header) and of workerd's host-object
// framing. Everything that reads or writes the format names its bytes through this module, so the
// numbers live in one place. Facts come from V8's value serializer and workerd's
// `worker-interface.capnp` / `jsg/ser.c++`; the names here are ours.

/** Format version we write, and the newest we read. */
export const FORMAT_VERSION = 15;
/** Oldest version we read: 13 introduced the explicit host-object tag (workerd's minimum too). */
export const MIN_READ_VERSION = 13;

/** Value tags (one byte each). */
export const T_VERSION = 0xff;
export const T_PADDING = 0x00;
export const T_VERIFY_OBJECT_COUNT = 0x3f; // '?'
export const T_THE_HOLE = 0x2d; // '-'
export const T_UNDEFINED = 0x5f; // '_'
export const T_NULL = 0x30; // '0'
export const T_TRUE = 0x54; // 'T'
export const T_FALSE = 0x46; // 'F'
export const T_INT32 = 0x49; // 'I' zigzag varint
export const T_UINT32 = 0x55; // 'U' varint
export const T_DOUBLE = 0x4e; // 'N' 8 bytes little-endian
export const T_BIGINT = 0x5a; // 'Z' bitfield varint + digits
export const T_UTF8_STRING = 0x53; // 'S' (legacy; read only)
export const T_ONE_BYTE_STRING = 0x22; // '"' latin1
export const T_TWO_BYTE_STRING = 0x63; // 'c' UTF-16LE, even offset
export const T_OBJECT_REFERENCE = 0x5e; // '^' id varint
export const T_BEGIN_OBJECT = 0x6f; // 'o'
export const T_END_OBJECT = 0x7b; // '{' count varint
export const T_BEGIN_SPARSE_ARRAY = 0x61; // 'a' length varint
export const T_END_SPARSE_ARRAY = 0x40; // '@' count varint, length varint
export const T_BEGIN_DENSE_ARRAY = 0x41; // 'A' length varint
export const T_END_DENSE_ARRAY = 0x24; // '$' count varint, length varint
export const T_DATE = 0x44; // 'D' double
export const T_TRUE_OBJECT = 0x79; // 'y'
export const T_FALSE_OBJECT = 0x78; // 'x'
export const T_NUMBER_OBJECT = 0x6e; // 'n' double
export const T_BIGINT_OBJECT = 0x7a; // 'z'
export const T_STRING_OBJECT = 0x73; // 's' then a string value
export const T_REGEXP = 0x52; // 'R' string value, flags varint
export const T_BEGIN_MAP = 0x3b; // ';'
export const T_END_MAP = 0x3a; // ':' 2*size varint
export const T_BEGIN_SET = 0x27; // "'"
export const T_END_SET = 0x2c; // ',' size varint
export const T_ARRAY_BUFFER = 0x42; // 'B' byteLength varint, bytes
export const T_RESIZABLE_ARRAY_BUFFER = 0x7e; // '~' byteLength, maxByteLength, bytes
export const T_ARRAY_BUFFER_TRANSFER = 0x74; // 't' (not supported)
export const T_ARRAY_BUFFER_VIEW = 0x56; // 'V' subtag, byteOffset, byteLength, flags (v14+)
export const T_SHARED_ARRAY_BUFFER = 0x75; // 'u' (not supported)
export const T_SHARED_OBJECT = 0x70; // 'p' (not supported)
export const T_WASM_MODULE_TRANSFER = 0x77; // 'w' (not supported)
export const T_HOST_OBJECT = 0x5c; // '\' then host payload
export const T_WASM_MEMORY_TRANSFER = 0x6d; // 'm' (not supported)
export const T_ERROR = 0x72; // 'r' then error sub-tags

/** Sub-tags after 'V'. */
export const VT_INT8 = 0x62; // 'b'
export const VT_UINT8 = 0x42; // 'B'
export const VT_UINT8_CLAMPED = 0x43; // 'C'
export const VT_INT16 = 0x77; // 'w'
export const VT_UINT16 = 0x57; // 'W'
export const VT_INT32 = 0x64; // 'd'
export const VT_UINT32 = 0x44; // 'D'
export const VT_FLOAT16 = 0x68; // 'h'
export const VT_FLOAT32 = 0x66; // 'f'
export const VT_FLOAT64 = 0x46; // 'F'
export const VT_BIGINT64 = 0x71; // 'q'
export const VT_BIGUINT64 = 0x51; // 'Q'
export const VT_DATA_VIEW = 0x3f; // '?'

/** View flag bits (version 14+). */
export const VIEW_LENGTH_TRACKING = 1;
export const VIEW_BACKED_BY_RAB = 2;

/** Sub-tags of V8's own error form ('r'), each written as a one-byte varint. */
export const ET_EVAL_ERROR = 0x45; // 'E'
export const ET_RANGE_ERROR = 0x52; // 'R'
export const ET_REFERENCE_ERROR = 0x46; // 'F'
export const ET_SYNTAX_ERROR = 0x53; // 'S'
export const ET_TYPE_ERROR = 0x54; // 'T'
export const ET_URI_ERROR = 0x55; // 'U'
export const ET_MESSAGE = 0x6d; // 'm'
export const ET_CAUSE = 0x63; // 'c'
export const ET_STACK = 0x73; // 's'
export const ET_END = 0x2e; // '.'

/** workerd's host-object tags (`SerializationTag` in worker-interface.capnp). */
export const HostTag = {
  invalid: 0,
  jsRpcStub: 1,
  writableStream: 2,
  readableStream: 3,
  headers: 4,
  request: 5,
  response: 6,
  domException: 7,
  domExceptionV2: 8,
  abortSignal: 9,
  nativeError: 10,
  serviceStub: 11,
  actorClass: 12,
  r2Bucket: 13,
  kvNamespace: 14,
  blob: 15,
  socket: 16,
  wrappedBinding: 17,
} as const;

/** workerd's ErrorTag, the varint after host tag 10. Index = tag; 0 means "name follows". */
export const WORKERD_ERROR_NAMES: readonly string[] = [
  "", // UNKNOWN
  "Error",
  "TypeError",
  "RangeError",
  "ReferenceError",
  "SyntaxError",
  "WasmCompileError",
  "WasmLinkError",
  "WasmRuntimeError",
  "WasmSuspendError",
  "EvalError",
  "URIError",
  "AggregateError",
  "SuppressedError",
];

/** Regular-expression flag bits as V8 stores them, in the order JS prints flags. */
export const REGEXP_FLAGS: readonly (readonly [string, number])[] = [
  ["d", 128], // hasIndices
  ["g", 1],
  ["i", 2],
  ["m", 4],
  ["s", 32], // dotAll
  ["u", 16],
  ["v", 256], // unicodeSets
  ["y", 8], // sticky
];
/** V8's experimental linear-engine flag ('l'): refused on read, never written. */
export const REGEXP_FLAG_LINEAR = 64;
