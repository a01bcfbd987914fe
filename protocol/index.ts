// `edgebind/protocol`: the wire-level building blocks. A plain barrel; each area adds its exports.

// V8 value format (JsValue.v8Serialized): encodeValue / decodeValue and their hook types.
export * from "./v8/index.ts";
