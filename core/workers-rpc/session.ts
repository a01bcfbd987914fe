// Workers RPC sessions on top of the engine, exactly as workerd layers them:
//   caller: bootstrap → WorkerdBootstrap.startEvent → EventDispatcher.jsRpcSession → topLevel.call
//           (all pipelined, no waiting), keeping `topLevel` and `session` while anything derived
//           from the call is alive;
//   callee: the bootstrap serves startEvent; each jsRpcSession starts a new event (a new
//           entrypoint instance) and returns `topLevel` plus `session`, a promise resolved (to
//           null) once the call has returned and every capability of the session is released.

import type { PromisedAnswerOp } from "../../protocol/rpc-model.ts";
import { askToPipeline } from "../rpc/questions.ts";
import {
  callPipelined,
  type CapServer,
  Hook,
  LocalHook,
  type OutCall,
  type OutPayload,
  PipelinedCalls,
  QueueHook,
  type ServerCall,
} from "../rpc/hooks.ts";
import { RpcError } from "../rpc/errors.ts";
import { Lease } from "./lease.ts";
import {
  EMPTY_STRUCT,
  EVENT_DISPATCHER,
  JS_RPC_SESSION,
  START_EVENT,
  START_EVENT_PARAMS,
  WORKERD_BOOTSTRAP,
  writeCapStruct,
} from "./schema.ts";
import type { CallRoot } from "./stubs.ts";
import { CalleeContext, JsTargetServer, TOP_LEVEL_RESERVED, prepareJsRpcCall } from "./target.ts";

const field = (index: number): PromisedAnswerOp[] => [{ type: "getPointerField", index }];

function fieldIndex(ops: readonly PromisedAnswerOp[], count: number): number | null {
  let index: number | null = null;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op.type === "noop") continue;
    if (index !== null || op.type !== "getPointerField" || op.index >= count) return null;
    index = op.index;
  }
  return index;
}

// ---------------------------------------------------------------------------------------------
// Caller side

/** Something that hands out the peer's bootstrap capability (a new reference each time). */
export interface BootstrapSource {
  bootstrap(): Hook;
}

/**
 * Opens a new session: a fresh `topLevel` for exactly one call, and the lease that owns it.
 * The lease holds the jsRpcSession question itself: its results (`topLevel` and `session`)
 * stay held until every stub and result derived from the call is released, and are released
 * (with the question's Finish) then. Calls are pipelined straight onto the promised answers,
 * without a pipelined hook per link.
 */
export function openSession(source: BootstrapSource): { hook: Hook; lease: Lease } {
  const bootstrap = source.bootstrap();
  // The usual case, a connected peer: the two questions are asked only to pipeline on, and
  // what they return is given back without becoming hooks (PipelineOnlyQuestion).
  const asked = askToPipeline(bootstrap, START_EVENT_CALL);
  if (asked !== null) {
    bootstrap.release();
    const session = asked.ask(FIELD_0, JS_RPC_SESSION_CALL);
    asked.release();
    // `topLevel`, for the session's one call: the lease holds the question, the hook nothing.
    return { hook: new PipelinedCalls(session, FIELD_0), lease: new Lease(() => session.release()) };
  }
  const started = bootstrap.call(START_EVENT_CALL);
  bootstrap.release();
  const opened = callPipelined(started, FIELD_0, JS_RPC_SESSION_CALL);
  started.release();
  return { hook: new PipelinedCalls(opened, FIELD_0), lease: new Lease(() => opened.release()) };
}

const FIELD_0 = field(0);
// The two calls that open a session carry no capabilities and are the same every time.
const START_EVENT_CALL: OutCall = {
  interfaceId: WORKERD_BOOTSTRAP,
  methodId: START_EVENT,
  params: { content: START_EVENT_PARAMS, caps: [] },
};
const JS_RPC_SESSION_CALL: OutCall = {
  interfaceId: EVENT_DISPATCHER,
  methodId: JS_RPC_SESSION,
  params: { content: EMPTY_STRUCT, caps: [] },
};

/** The CallRoot of a service binding: every call opens a new session (a new instance). */
export class SessionRoot implements CallRoot {
  constructor(private readonly source: BootstrapSource) {}

  hookForCall(): { hook: Hook; lease: Lease } {
    return openSession(this.source);
  }
}

// ---------------------------------------------------------------------------------------------
// Callee side

/** One event on the hosted Worker, as the hosting layer starts it. */
export interface HostedEvent {
  /** The object RPC calls reach: an entrypoint instance, or the default-export object handler. */
  readonly handler: object;
  /** "object" handlers get (arg, env, ctx) and expose their own properties. */
  readonly kind: "class" | "object";
  readonly env: unknown;
  readonly ctx: unknown;
  /** Runs user code with this event as the current context (module-level waitUntil). */
  run?<R>(fn: () => R): R;
  /**
   * The session is done (call returned, all capabilities released): drain waitUntil etc.,
   * then call `onFinished`.
   */
  finish(onFinished: () => void): unknown;
}

/** What the hosting layer offers the engine (core/worker's Worker fits this shape). */
export interface EntrypointHost {
  /** Starts an event for `entrypoint` ("default": the default export). Throws if there is none. */
  startEvent(entrypoint: string, props?: Readonly<Record<string, unknown>>): HostedEvent;
}

/**
 * The bootstrap capability an edgebind Worker offers on a connection: every session reaches
 * `entrypoint`, with `props` as its `ctx.props` (a binding's props, sent by the caller).
 */
export function workerBootstrap(host: EntrypointHost, entrypoint: string, props: Readonly<Record<string, unknown>> = {}): Hook {
  return new LocalHook(new WorkerdBootstrapServer(host, entrypoint, props));
}

// The two results' contents and pipelining, the same for every session (no closures per call).
const DISPATCHER_RESULTS = writeCapStruct(1);
const SESSION_RESULTS = writeCapStruct(2);
const pipelineOnDispatcherResults = (ops: readonly PromisedAnswerOp[]) => fieldIndex(ops, 1);
const pipelineOnSessionResults = (ops: readonly PromisedAnswerOp[]) => fieldIndex(ops, 2);

class WorkerdBootstrapServer implements CapServer {
  // startEvent runs no user code: answered on delivery, so the pipelined jsRpcSession reaches
  // its EventDispatcher directly instead of through a queued promise.
  readonly immediate = true;

  constructor(
    private readonly host: EntrypointHost,
    private readonly entrypoint: string,
    private readonly props: Readonly<Record<string, unknown>>,
  ) {}

  dispatch(call: ServerCall): OutPayload {
    if (call.interfaceId !== WORKERD_BOOTSTRAP || call.methodId !== START_EVENT) {
      throw new RpcError(`WorkerdBootstrap method ${call.methodId} is not implemented.`, "unimplemented");
    }
    const dispatcher = new LocalHook(new EventDispatcherServer(this.host, this.entrypoint, this.props));
    return { content: DISPATCHER_RESULTS, caps: [dispatcher], pipelineCap: pipelineOnDispatcherResults };
  }
}

/** What a finished `session` resolves to: a capability with no methods. */
const SESSION_DONE: CapServer = {
  dispatch() {
    throw new RpcError("JsRpcSession has no methods.", "unimplemented");
  },
};

class EventDispatcherServer implements CapServer {
  private used = false;

  constructor(
    private readonly host: EntrypointHost,
    private readonly entrypoint: string,
    private readonly props: Readonly<Record<string, unknown>>,
  ) {}

  dispatch(call: ServerCall): OutPayload {
    if (call.interfaceId !== EVENT_DISPATCHER || call.methodId !== JS_RPC_SESSION) {
      throw new RpcError(`EventDispatcher method ${call.methodId} is not implemented by edgebind.`, "unimplemented");
    }
    if (this.used) throw new RpcError("EventDispatcher can deliver only one event.");
    this.used = true;
    const event = this.host.startEvent(this.entrypoint, this.props);
    const session = new QueueHook();
    const context = new CalleeContext(() => {
      // The session ends after the event's waitUntil work: until then that work may still use
      // stubs the caller passed (workerd's caller revokes them once the session is done).
      // It resolves to a real (method-less) capability: Cap'n Proto peers, workerd included,
      // refuse a Resolve that carries CapDescriptor.none and drop the whole connection.
      event.finish(() => {
        if (session.isPromise) session.resolve(new LocalHook(SESSION_DONE));
      });
    }, event.run ? (fn) => event.run!(fn) : null, call.origin ?? null);
    const object = event.kind === "object";
    const topLevel = context.track(
      new LocalHook(
        new JsTargetServer(event.handler, {
          mode: object ? "own" : "prototype",
          reserved: TOP_LEVEL_RESERVED,
          context,
          envCtx: object ? { env: event.env, ctx: event.ctx } : undefined,
          onShutdown: null,
        }),
      ),
    );
    return { content: SESSION_RESULTS, caps: [topLevel, session], pipelineCap: pipelineOnSessionResults };
  }

  /** The session's one call, on `topLevel` (a JsTargetServer), waits for the session: read its params now. */
  preparePipelined(ops: readonly PromisedAnswerOp[], call: ServerCall): boolean {
    return pipelineOnSessionResults(ops) === 0 && prepareJsRpcCall(call);
  }
}
