// The one error type the Cap'n Proto bytes layer throws for bad input. Everything that comes from
// the wire (frame headers, pointers, lists, text, union tags) is checked, and each failure becomes
// a CapnpFormatError with a stable `code`, so that the RPC engine can tell "the peer sent garbage"
// (abort the connection) from its own bugs (any other exception type).

export type CapnpErrorCode =
  /** A frame's header announces more bytes than the limit allows (refused before buffering). */
  | "FRAME_TOO_LARGE"
  /** A frame's header announces more segments than the limit allows. */
  | "TOO_MANY_SEGMENTS"
  /** A frame ends before its header or segments do, or a message has no root pointer. */
  | "TRUNCATED"
  /** A buffer said to hold exactly one frame holds more bytes after it. */
  | "TRAILING_BYTES"
  /** A pointer (or far-pointer landing pad) points outside its segment, or to a missing segment. */
  | "POINTER_OUT_OF_BOUNDS"
  /** Reading the message would visit more words than the traversal limit allows. */
  | "TRAVERSAL_LIMIT"
  /** Pointers are nested deeper than the nesting limit (or form a cycle). */
  | "DEPTH_LIMIT"
  /** A pointer of the wrong kind or shape (e.g. a list where a struct is expected). */
  | "BAD_POINTER"
  /** Text that is not NUL-terminated. */
  | "BAD_TEXT"
  /** A union tag, enum or transform this codec does not know, inside a message it does know. */
  | "UNKNOWN_UNION"
  /** An outgoing message that cannot be encoded (a level-3 form, an out-of-range number). */
  | "UNSUPPORTED"
  /** A message too large to be encoded in one segment. */
  | "MESSAGE_TOO_LARGE";

export class CapnpFormatError extends Error {
  readonly code: CapnpErrorCode;
  constructor(code: CapnpErrorCode, message: string) {
    super(`${message} [${code}]`);
    this.name = "CapnpFormatError";
    this.code = code;
  }
}
