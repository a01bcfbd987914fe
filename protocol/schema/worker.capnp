# edgebind's schema for workerd's worker interface: the subset of workerd's
# `src/workerd/io/worker-interface.capnp` (snapshot 6552d999c, release 2026-08-22) that a peer
# needs to deliver and receive Workers RPC ("JSRPC") events over Cap'n Proto two-party RPC.
#
# How workerd uses it: the bootstrap capability of a capnp connection is a `WorkerdBootstrap`.
# A caller pipelines, in one flight, startEvent() -> EventDispatcher.jsRpcSession() ->
# JsRpcTarget.call() on `topLevel`, with the JS arguments V8-serialized inside a `JsValue`.
# See /work/shared/reference/workers-rpc-semantics.md section (c) for the captured exchange.
#
# WIRE-COMPATIBILITY RULES -- read before editing:
# - The file id is workerd's. Most types here have no explicit id upstream, so their ids are
#   derived from (parent id, name): keep every type's NAME and NESTING exactly as upstream
#   (e.g. `JsValue.ExternalPusher.InputStream`), or its interface id changes and workerd's calls
#   to it fail with "unimplemented".
# - Method ordinals, field ordinals, field types, union membership and defaults are upstream's;
#   the compiler derives the struct layout (offsets, union tag slots) from them. Obsolete members
#   (`obsolete7`, `obsolete4`, `obsolete3`, EventDispatcher's obsolete5..7) are kept because
#   their ordinals take part in layout and numbering.
# - Annotations (`$Cxx.*`) and doc comments are dropped: they never reach the wire.
# - Types we do not implement are declared with a wire-identical placeholder instead of
#   upstream's type; each is marked "PLACEHOLDER" below. A placeholder always occupies the same
#   kind of slot (a struct/list pointer stays a pointer, a capability stays a capability), so
#   every layout and ordinal is unchanged; only the static type is weaker.
# - Left out entirely (not reachable from the types below, so nothing else moves): tracing types
#   (Trace, TraceId, SpanContext, ...), hibernatable WebSocket events, `Handle`.
#
# Verified by scripts/verify-worker-schema.mjs (compiles workerd's and capnproto's originals and
# ours with `capnp compile -o-`): every type id, struct size, field offset, union tag and method
# ordinal below equals upstream's; only the PLACEHOLDER field types differ. Re-run it after edits.

@0xf7958855f6746344;

using import "byte-stream.capnp".ByteStream;
using import "outcome.capnp".EventOutcome;
using import "frankenvalue.capnp".Frankenvalue;

# ---------------------------------------------------------------------------------------------
# Connection bootstrap and event dispatch

interface WorkerdBootstrap {
  # What a workerd capnp listener hands out as the bootstrap capability (and what we hand out).

  startEvent @0 (cfBlobJson :Text, fromPersistentStub :Bool) -> (dispatcher :EventDispatcher);
  # Begins one event; deliver exactly one event to `dispatcher`. `cfBlobJson` is the optional
  # JSON `request.cf` (workerd sends null for JSRPC). `fromPersistentStub` says the channel was
  # rebuilt from a stored stub; the target re-checks that it still allows that.
}

interface EventDispatcher @0xf20697475ec1752d {
  # One event per dispatcher. For Workers RPC only jsRpcSession@9 matters; the others are
  # declared so that the ordinals are right and the types can be decoded if they ever arrive.

  getHttpService @0 () -> (http :Capability);
  # PLACEHOLDER: upstream's result type is capnp's `HttpService` (compat/http-over-capnp.capnp).
  # workerd sends fetch() as plain HTTP, not over capnp, so we never implement it.

  sendTraces @1 (traces :AnyPointer) -> (result :SendTracesRun);
  # PLACEHOLDER: upstream `traces :List(Trace)`; tail/trace workers are out of scope.

  prewarm @2 (url :Text);

  runScheduled @3 (scheduledTime :Int64, cron :Text) -> (result :ScheduledRun);

  runAlarm @4 (scheduledTime :Int64, retryCount :UInt32) -> (result :AlarmRun);

  obsolete5 @5 ();
  obsolete6 @6 ();
  obsolete7 @7 ();
  # Retired upstream; the numbers must never be reused.

  queue @8 (messages :List(QueueMessage), queueName :Text, metadata :MessageBatchMetadata)
      -> (result :QueueResponse);

  jsRpcSession @9 () -> (topLevel :JsRpcTarget, session :JsRpcSession);
  # Opens a Workers RPC session. `topLevel` accepts exactly one call (always pipelined by the
  # caller). `session` is a promise capability: holding it keeps the session alive, dropping it
  # cancels the session, and the callee resolves it (to null) once `topLevel` and every stub
  # handed out through it are released.

  tailStreamSession @10 () -> (topLevel :TailStreamTarget, result :EventOutcome);

  abandonAlarm @11 (scheduledTimeMs :Int64) -> (storedAlarmTimeMs :Int64);

  restoreService @12 (params :Frankenvalue) -> (service :WorkerdBootstrap);
  restoreRpcStub @13 (params :Frankenvalue) -> (target :JsRpcTarget, session :JsRpcSession);
  # Supervisor-only: re-create a stub from stored `[restore]()` params.
}

interface WorkerdDebugPort {
  # Bootstrap of workerd's optional debug RPC port (used by miniflare): reach any entrypoint or
  # actor with caller-chosen props. Handy for testing against a local workerd.

  getEntrypoint @0 (service :Text, entrypoint :Text, props :Frankenvalue)
      -> (entrypoint :WorkerdBootstrap);
  getActor @1 (service :Text, entrypoint :Text, actorId :Text) -> (actor :WorkerdBootstrap);
}

interface TailStreamTarget {
  # Streaming tail delivery (result of tailStreamSession); out of scope for edgebind.
  struct TailStreamParams {
    events @0 :AnyPointer;
    # PLACEHOLDER: upstream `List(Trace.TailEvent)`.
  }
  struct TailStreamResults {
    stop @0 :Bool;
  }
  report @0 TailStreamParams -> TailStreamResults;
}

# Result structs of the non-RPC events (small, so declared for real).

struct SendTracesRun @0xde913ebe8e1b82a5 {
  outcome @0 :EventOutcome;
}

struct ScheduledRun @0xd98fc1ae5c8095d0 {
  outcome @0 :EventOutcome;
  retry @1 :Bool;
}

struct AlarmRun @0xfa8ea4e97e23b03d {
  outcome @0 :EventOutcome;
  retry @1 :Bool;
  retryCountsAgainstLimit @2 :Bool = true;
  errorDescription @3 :Text;
}

struct QueueMessage @0x944adb18c0352295 {
  id @0 :Text;
  timestampNs @1 :Int64;
  data @2 :Data;
  contentType @3 :Text;
  attempts @4 :UInt16;
}

struct QueueRetryBatch {
  retry @0 :Bool;
  union {
    undefined @1 :Void;
    delaySeconds @2 :Int32;
  }
}

struct QueueRetryMessage {
  msgId @0 :Text;
  union {
    undefined @1 :Void;
    delaySeconds @2 :Int32;
  }
}

struct QueueResponse @0x90e98932c0bfc0de {
  outcome @0 :EventOutcome;
  ackAll @1 :Bool;
  retryBatch @2 :QueueRetryBatch;
  explicitAcks @3 :List(Text);
  retryMessages @4 :List(QueueRetryMessage);
}

struct MessageBatchMetrics {
  backlogCount @0 :Float64;
  backlogBytes @1 :Float64;
  oldestMessageTimestamp @2 :Float64;
}

struct MessageBatchMetadata {
  metrics @0 :MessageBatchMetrics;
}

# ---------------------------------------------------------------------------------------------
# JS values on the wire

enum SerializationTag {
  # Tag of each workerd host object inside V8-serialized data: after V8's host-object marker
  # (0x5c) comes a varint of one of these values, then the type's own payload. Zero is never
  # written on purpose.
  invalid @0;
  jsRpcStub @1;
  writableStream @2;
  readableStream @3;
  headers @4;
  request @5;
  response @6;
  domException @7;
  domExceptionV2 @8;
  abortSignal @9;
  nativeError @10;
  serviceStub @11;
  actorClass @12;
  r2Bucket @13;
  kvNamespace @14;
  blob @15;
  socket @16;
  wrappedBinding @17;
}

enum StreamEncoding {
  # Content-encoding of the bytes a stream external carries (lets a pump skip a
  # decompress/recompress round trip).
  identity @0;
  gzip @1;
  brotli @2;
}

struct JsValue {
  # One JS value in transit: V8 ValueSerializer bytes (version 15, with the FF 0F header) plus
  # the capabilities and other out-of-band things the bytes refer to.

  v8Serialized @0 :Data;

  externals @1 :List(External);
  # Host objects in `v8Serialized` that need more than bytes (stubs, streams, signals...) are
  # written as a reference to an entry of this list, in order of appearance.

  struct External {
    enum SecureTransport {
      off @0;
      starttls @1;
      on @2;
    }

    union {
      invalid @0 :Void;
      # Default value; a well-formed message never contains it.

      rpcTarget :group {
        # A stub: the receiver gets an RpcStub for `cap`.
        cap @1 :JsRpcTarget;
        union {
          channelToken @14 :Data;
          # Set only on stubs made by `ctx.restore()`: lets the stub be stored and restored.
          delayedChannelToken @15 :ExternalPusher.DelayedChannelToken;
          # Same, but the token is pushed later with pushDelayedChannelToken().
        }
      }

      writableStream :group {
        # A WritableStream: the receiver writes into `byteStream`.
        byteStream @2 :ByteStream;
        encoding @3 :StreamEncoding;
      }

      readableStream :group {
        # A ReadableStream whose bytes were pushed into the receiver with pushByteStream().
        stream @10 :ExternalPusher.InputStream;
        encoding @4 :StreamEncoding;
        expectedLength :union {
          # Obsolete once `stream` is used: the length travels with pushByteStream().
          unknown @5 :Void;
          known @6 :UInt64;
        }
      }

      obsolete7 @7 :Void;

      abortSignal @11 :ExternalPusher.AbortSignal;
      # An AbortSignal, created earlier in the receiver with pushAbortSignal().

      subrequestChannelToken @8 :Data;
      actorClassChannelToken @9 :Data;
      # Serialized channel tokens (service stubs / actor classes).

      delayedSubrequestChannelToken @12 :ExternalPusher.DelayedChannelToken;
      delayedActorClassChannelToken @13 :ExternalPusher.DelayedChannelToken;
      # Tokens the sender could not compute before sending the call; they follow through
      # pushDelayedChannelToken() so the call itself is not held back.

      socket :group {
        # A transferred Socket (its byte streams follow as separate stream externals).
        remoteAddress @16 :Text;
        secureTransport @17 :SecureTransport;
        isDefaultFetchPort @18 :Bool;
        localAddress @19 :Text;
        allowHalfOpen @20 :Bool;
      }
    }
  }

  interface ExternalPusher {
    # Lets a sender create objects *inside the receiver* ahead of (or alongside) the value that
    # references them, so e.g. stream bytes can start flowing without a round trip. The returned
    # capabilities have no methods: they are only ever passed back to the same receiver inside
    # an External, and the receiver maps them back to its own local objects. A receiver must
    # cope with the push arriving after the value that references it.

    pushByteStream @0 (lengthPlusOne :UInt64 = 0) -> (source :InputStream, sink :ByteStream);
    # New stream in the receiver: write bytes into `sink`, reference `source` from a
    # readableStream External. `lengthPlusOne` is the known length + 1, or 0 if unknown.

    interface InputStream {}

    pushAbortSignal @1 () -> (signal :AbortSignal, trigger :AbortTrigger);
    # New AbortSignal in the receiver: reference `signal` from an abortSignal External, and fire
    # or retire it through `trigger`.

    interface AbortSignal {}

    pushDelayedChannelToken @2 (token :Data) -> (cap :DelayedChannelToken);
    # Supplies a token promised earlier by a delayed*ChannelToken External.

    interface DelayedChannelToken {}
  }
}

interface AbortTrigger {
  # Held by the side that owns the original AbortSignal; served by the receiver's clone.

  abort @0 (reason :JsValue) -> ();
  # The original signal aborted with `reason`; abort the clone with it.

  release @1 () -> ();
  # The original signal will never abort. Without this, dropping the trigger counts as an abort.
}

# ---------------------------------------------------------------------------------------------
# RPC targets

interface JsRpcTarget extends(JsValue.ExternalPusher) {
  # Every RPC stub is one of these, including a session's `topLevel`. It is also an
  # ExternalPusher so that externals used by a call can be pushed to the same capability, and
  # thus arrive in order before the call.

  struct CallParams {
    union {
      methodName @0 :Text;
      # Shorthand for a one-element `methodPath`.
      methodPath @2 :List(Text);
      # Property names to walk from the target to the method; empty means "call the target".
    }

    operation :union {
      callWithArgs @1 :JsValue;
      # Call it. The value is always a JS Array of the arguments; a null pointer (while this
      # member is selected) means no arguments.
      getProperty @3 :Void;
      # Only read the property (`await stub.prop`).
    }

    resultsStreamHandler :union {
      obsolete4 @4 :Capability;
      # Retired mechanism; never sent any more.
      externalPusher @5 :JsValue.ExternalPusher;
      # Pushes into the caller, for externals inside the result. Always present.
    }
  }

  struct CallResults {
    result @0 :JsValue;

    callPipeline @1 :JsRpcTarget;
    # A target standing for the result, so the caller can pipeline calls on it before the
    # result arrives (even when the result is plain data).

    hasDisposer @2 :Bool;
    # The result is plain data whose callee-side object has a disposer; the caller keeps
    # `callPipeline` until its own disposer runs, and dropping it runs the callee's.

    obsolete3 @3 :Capability;
    # Retired mechanism; never sent any more.
  }

  call @0 CallParams -> CallResults;
}

interface JsRpcSession {
  # No methods: a lifetime handle (see EventDispatcher.jsRpcSession).
}
