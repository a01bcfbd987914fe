// Node's own V8 as the oracle for the value codec (Node only: imports node:v8). Typed arrays and
// DataViews go through a base v8.Serializer, because v8.serialize (Node's DefaultSerializer)
// writes them as Node-specific host objects; every other value must equal v8.serialize exactly.

import v8 from "node:v8";
import { containsView } from "./v8-gen.ts";

export function v8Encode(value: unknown): Uint8Array {
  if (!containsView(value)) return new Uint8Array(v8.serialize(value));
  const ser = new v8.Serializer();
  ser.writeHeader();
  ser.writeValue(value);
  return new Uint8Array(ser.releaseBuffer());
}

export function v8Decode(bytes: Uint8Array): unknown {
  const des = new v8.Deserializer(bytes);
  des.readHeader();
  return des.readValue();
}
