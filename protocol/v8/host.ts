// The interfaces between the value codec and whoever owns host objects (the RPC engine): how an
// encoder hands over functions and non-plain objects, how a decoder hands over host tags, and the
// options and limits of both directions. Types only; no code runs from here.
//
// Framing (workerd's): a host object is the byte `\` (0x5C), then a varint tag (workerd's
// `SerializationTag`: 1 stub, 2/3 streams, 4 Headers, 5 Request, 6 Response, 8 DOMException, 9
// AbortSignal, 10 native error, ...), then a tag-specific payload. Payloads are built from varints,
// raw bytes, length-delimited bytes (varint length + bytes) and nested V8 values written inline.
// Capability-bearing objects (stubs, streams, AbortSignal) write only their tag and take the next
// entry of the message's externals table, in serialization order: the hook keeps that table.

/** Writes a host object's payload. The encoder has already written `\` when the hook runs. */
export interface HostWriter {
  /** The host tag (varint). Call it first, exactly once. */
  writeTag(tag: number): void;
  /** An unsigned varint; numbers up to 2^53, or a bigint up to 2^64 - 1 (workerd's writeRawUint64). */
  writeVarint(value: number | bigint): void;
  /** Raw bytes, copied. */
  writeRawBytes(bytes: Uint8Array): void;
  /** A varint byte length, then the bytes; a string is written as UTF-8 (workerd's writeLengthDelimited). */
  writeLengthDelimited(bytes: Uint8Array | string): void;
  /** A nested V8 value written inline (it shares object ids and back-references with the outer value). */
  writeValue(value: unknown): void;
}

/** Reads a host object's payload after the decoder has read `\` and the tag. */
export interface HostReader {
  /** Current byte offset in the input. */
  readonly offset: number;
  /** An unsigned varint up to 2^53 - 1 (larger is a ValueFormatError). */
  readVarint(): number;
  /** An unsigned varint up to 2^64 - 1, as a bigint. */
  readVarint64(): bigint;
  /** `length` raw bytes: a view into the input, valid only until decodeValue returns; copy to keep. */
  readRawBytes(length: number): Uint8Array;
  /** A varint length, then that many bytes (same lifetime rule as readRawBytes). */
  readLengthDelimited(): Uint8Array;
  /** A varint length, then that many bytes decoded as UTF-8. */
  readLengthDelimitedString(): string;
  /** A nested V8 value read inline. */
  readValue(): unknown;
}

/** The encoder's hook for host objects. */
export interface HostEncoder {
  /**
   * Called for every function and every object that is not a plain object, array or known
   * built-in (class instances, null-prototype objects, Request/Response/Headers, streams, RpcTarget
   * instances, DOMException...). Return true after writing the host object through `w` (tag first),
   * or false having written nothing: the encoder then refuses the value with a DataCloneError.
   */
  write(value: object, w: HostWriter): boolean;
}

/** The decoder's hook for host objects. Tag 10 (native error) is handled by the codec itself. */
export interface HostDecoder {
  /** Read the payload of host tag `tag` and return the object it stands for (any object or function). */
  read(tag: number, r: HostReader): object;
}

export interface EncodeOptions {
  /** Takes functions and non-plain objects. Without it those are refused. */
  host?: HostEncoder;
  /** Refuse results larger than this many bytes (workerd's limit, 32 MiB = 2^25, is the default). */
  maxBytes?: number;
  /** Refuse nesting deeper than this with RangeError "Maximum call stack size exceeded" (default 2000). */
  maxDepth?: number;
  /**
   * How Errors are written: "workerd" (default) is workerd's host form, tag 10 with its ErrorTag,
   * message and a plain object of the other own properties (what workerd writes with
   * `enhanced_error_serialization`); "v8" is V8's own 'r' form (type, message, cause, stack only).
   */
  errors?: "workerd" | "v8";
  /** Include `stack` among an Error's properties (workerd does; receivers drop it). Default true. */
  errorStack?: boolean;
}

export interface DecodeOptions {
  /** Reads host tags other than 10. Without it any other host object is a ValueFormatError. */
  host?: HostDecoder;
  /** Refuse inputs longer than this (default 2^25 + 2^20 bytes). */
  maxBytes?: number;
  /** Refuse nesting deeper than this (default 2000). */
  maxDepth?: number;
  /** Refuse inputs that create more objects than this (default 2^21). */
  maxObjects?: number;
  /** Keep a serialized `stack` on errors of workerd's host form (workerd drops it: default false). */
  preserveErrorStack?: boolean;
}
