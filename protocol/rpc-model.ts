// The Cap'n Proto RPC messages (rpc.capnp, level 1, two-party) as plain TypeScript data.
// The engine in core/ speaks only these objects; protocol/capnp/rpc-codec.ts turns them into
// bytes and back. A Payload's content is the one part the engine does not interpret: on the way
// in it is a reader into the received message, on the way out a function that writes it.

import type { AnyPointerReader, AnyPointerWriter } from "./capnp/layout.ts";

export type ExceptionType = "failed" | "overloaded" | "disconnected" | "unimplemented";

export interface ExceptionDetail {
  id: bigint;
  data: Uint8Array;
}

export interface RpcException {
  reason: string;
  type: ExceptionType;
  trace?: string;
  details?: ExceptionDetail[];
}

export type PromisedAnswerOp = { type: "noop" } | { type: "getPointerField"; index: number };

export interface PromisedAnswer {
  questionId: number;
  transform: PromisedAnswerOp[];
}

export type MessageTarget =
  | { type: "importedCap"; importedCap: number }
  | { type: "promisedAnswer"; promisedAnswer: PromisedAnswer };

export type CapDescriptor =
  | { type: "none" }
  | { type: "senderHosted"; id: number }
  | { type: "senderPromise"; id: number }
  | { type: "receiverHosted"; id: number }
  | { type: "receiverAnswer"; promisedAnswer: PromisedAnswer }
  /** Level 3 only: decoded so that we can refuse it clearly, never sent. */
  | { type: "thirdPartyHosted" };

export interface Payload<C> {
  content: C;
  capTable: CapDescriptor[];
}

export type SendResultsTo = "caller" | "yourself" | "thirdParty";

export type ReturnBody<C> =
  | { type: "results"; results: Payload<C> }
  | { type: "exception"; exception: RpcException }
  | { type: "canceled" }
  | { type: "resultsSentElsewhere" }
  | { type: "takeFromOtherQuestion"; questionId: number }
  | { type: "acceptFromThirdParty" };

export type DisembargoContext =
  | { type: "senderLoopback"; embargoId: number }
  | { type: "receiverLoopback"; embargoId: number }
  | { type: "accept" }
  | { type: "provide"; questionId: number };

export type RpcMessage<C> =
  | { type: "unimplemented"; message: RpcMessage<C> }
  | { type: "abort"; exception: RpcException }
  | { type: "bootstrap"; questionId: number }
  | {
      type: "call";
      questionId: number;
      target: MessageTarget;
      interfaceId: bigint;
      methodId: number;
      params: Payload<C>;
      sendResultsTo: SendResultsTo;
      allowThirdPartyTailCall?: boolean;
      noPromisePipelining?: boolean;
      onlyPromisePipeline?: boolean;
    }
  | {
      type: "return";
      answerId: number;
      /** Defaults to true on the wire. */
      releaseParamCaps: boolean;
      noFinishNeeded?: boolean;
      body: ReturnBody<C>;
    }
  | {
      type: "finish";
      questionId: number;
      /** Defaults to true on the wire. */
      releaseResultCaps: boolean;
      /** Defaults to true on the wire. */
      requireEarlyCancellationWorkaround?: boolean;
    }
  | {
      type: "resolve";
      promiseId: number;
      resolution: { type: "cap"; cap: CapDescriptor } | { type: "exception"; exception: RpcException };
    }
  | { type: "release"; id: number; referenceCount: number }
  | { type: "disembargo"; target: MessageTarget; context: DisembargoContext }
  /** A message kind we do not implement (provide, accept, join, obsolete ones): answered with Unimplemented. */
  | { type: "other"; which: number; raw: AnyPointerReader };

export type IncomingMessage = RpcMessage<AnyPointerReader | null>;
export type OutgoingMessage = RpcMessage<AnyPointerWriter | null>;
