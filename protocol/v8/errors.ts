// The errors the value codec throws, with the exact wording workerd uses where a caller may see
// them. Encoding refusals are `DOMException`s named "DataCloneError" (as workerd throws them);
// malformed input on decode is a `ValueFormatError` that names the byte offset and the problem, so
// the RPC layer can tell "the peer sent garbage" from any other failure with one `instanceof`.

/** Thrown by `decodeValue` for any input it cannot read: truncated, malformed, over a limit. */
export class ValueFormatError extends Error {
  /** Byte offset in the input where the problem was found. */
  readonly offset: number;
  constructor(offset: number, problem: string) {
    super(`Invalid V8 value data at byte ${offset}: ${problem}`);
    this.name = "ValueFormatError";
    this.offset = offset;
  }
}

/**
 * A DataCloneError as workerd throws it: a `DOMException` named "DataCloneError" (global on Node,
 * Deno and Bun). Falls back to an Error with that name where `DOMException` is missing.
 */
export function dataCloneError(message: string): Error {
  if (typeof DOMException === "function") return new DOMException(message, "DataCloneError");
  const err = new Error(message);
  err.name = "DataCloneError";
  return err;
}

/** The size refusal, worded as workerd words it (the limit is printed in MiB). */
export function sizeLimitError(limit: number, size: number): Error {
  const shown = limit % 2 ** 20 === 0 ? `${limit / 2 ** 20}MiB` : `${limit} bytes`;
  return new Error(
    `Serialized RPC arguments or return values are limited to ${shown}, ` +
      `but the size of this value was: ${size} bytes.`,
  );
}

/** What V8 throws when serialization recurses too deep; we throw it at `maxDepth`. */
export function stackOverflowError(): RangeError {
  return new RangeError("Maximum call stack size exceeded");
}
