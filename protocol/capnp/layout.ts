// The Cap'n Proto layout layer in one import: the in-place reader (reader.ts), the builder
// (builder.ts), and the two types through which the RPC message model carries a Payload's content
// without interpreting it.
//
//  - AnyPointerReader: a handle on a pointer inside a received message. Read the content through
//    it (`.struct()`, `.list()`, `.text()`, `.data()`, `.cap()`), with every limit of the message
//    it came from still applying. Capability pointers read as indexes into the Payload's capTable.
//  - AnyPointerWriter: a function that writes the content into the message being built, given the
//    pointer slot; capabilities are written as capTable indexes with `setCap`. Or a ContentWriter
//    (flat.ts), which can also lay itself out without the builder, for the hot path.
//
// docs/WIRE.md shows how to hand-write a codec for a struct on top of these.

import type { PointerBuilder } from "./builder.ts";
import type { ContentWriter } from "./flat.ts";
import type { PointerReader } from "./reader.ts";

export type AnyPointerReader = PointerReader;
export type AnyPointerWriter = ((p: PointerBuilder) => void) | ContentWriter;

/** Writes content of either form at pointer p. */
export function writeContent(content: AnyPointerWriter, p: PointerBuilder): void {
  if (typeof content === "function") content(p);
  else content.write(p);
}

/**
 * A writer that deep-copies received content (e.g. to forward a payload, or to echo a message in
 * Unimplemented). `mapCap` renumbers capability pointers for the new message's cap table.
 */
export function copyOf(src: AnyPointerReader | null, mapCap?: (index: number) => number): AnyPointerWriter | null {
  return src === null ? null : (p) => p.copyFrom(src, mapCap);
}

export {
  DEFAULT_NESTING_LIMIT,
  DEFAULT_TRAVERSAL_LIMIT_WORDS,
  ElementSize,
  ListReader,
  MessageReader,
  PointerReader,
  StructReader,
} from "./reader.ts";
export type { PointerKind, ReaderOptions } from "./reader.ts";
export { ListBuilder, MessageBuilder, PointerBuilder, StructBuilder, StructListBuilder } from "./builder.ts";
export type { BuilderOptions } from "./builder.ts";
export { CapnpFormatError } from "./errors.ts";
export type { ContentWriter } from "./flat.ts";
export type { CapnpErrorCode } from "./errors.ts";
