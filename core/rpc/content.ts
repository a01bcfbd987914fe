// Moving a Payload's content between its two shapes: a writer (built locally, to be sent) and a
// reader (received). The engine needs this only off the hot path: when a local call reaches a
// local server (writer → reader: build a message and read it back) and when a received call is
// forwarded to another peer (reader → writer: a deep copy into the outgoing message).

import {
  type AnyPointerReader,
  type AnyPointerWriter,
  MessageBuilder,
  MessageReader,
  type PointerBuilder,
  writeContent,
} from "../../protocol/capnp/layout.ts";
import type { PromisedAnswerOp } from "../../protocol/rpc-model.ts";
import type { InPayload, OutPayload } from "./hooks.ts";

/** Content that is just a capability pointer to caps[index] (Bootstrap's results). */
export function capabilityContent(index: number): AnyPointerWriter {
  return (p: PointerBuilder) => p.setCap(index);
}

/** Follows a PromisedAnswer transform through received content to a cap-table index. */
export function pipelineCapIndex(content: AnyPointerReader | null, ops: readonly PromisedAnswerOp[]): number | null {
  if (content === null) return null;
  let p = content;
  for (const op of ops) {
    if (op.type === "noop") continue;
    const s = p.struct();
    if (s === null) return null;
    p = s.ptr(op.index);
  }
  return p.kind() === "capability" ? p.cap() : null;
}

let scratch: MessageBuilder | null = null;

/** Writer → reader. The caps move to the result (no new references). */
export function outToIn(out: { content: AnyPointerWriter | null; caps: InPayload["caps"] }): InPayload {
  if (out.content === null) return { content: null, caps: out.caps };
  const builder = (scratch ??= new MessageBuilder());
  writeContent(out.content, builder.root());
  const reader = MessageReader.from(builder.finishBytes());
  return { content: reader.root(), caps: out.caps };
}

/** Reader → writer (a deep copy when written). The caps move to the result. */
export function inToOut(input: InPayload): OutPayload {
  const content = input.content;
  return {
    content: content === null ? null : (p: PointerBuilder) => p.copyFrom(content),
    caps: input.caps,
    pipelineCap: (ops) => pipelineCapIndex(content, ops),
  };
}
