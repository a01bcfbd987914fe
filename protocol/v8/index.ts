// The V8 value codec's public surface: encode/decode values exactly as workerd puts them in
// `JsValue.v8Serialized`, the host-object hook interfaces for the RPC engine, and the errors.
export { encodeValue, encodeLoneHostObject, offeredWholeToHost, DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH } from "./encode.ts";
export { decodeValue, loneHostObjectTag, DEFAULT_MAX_INPUT_BYTES, DEFAULT_MAX_OBJECTS } from "./decode.ts";
export { ValueFormatError, dataCloneError } from "./errors.ts";
export { HostTag, FORMAT_VERSION } from "./tags.ts";
export type { EncodeOptions, DecodeOptions, HostEncoder, HostDecoder, HostWriter, HostReader } from "./host.ts";
