// Answers: the calls the peer made on this side, after rpc.c++'s answer table. The connection
// owns the table and the messages; an Answer serves its call, holds what is pipelined on it
// while it is computed, and hands its outcome to the connection for the Return.

import type { CapDescriptor, PromisedAnswerOp } from "../../protocol/rpc-model.ts";
import type { RpcConnection } from "./connection.ts";
import { RpcError } from "./errors.ts";
import {
  BrokenHook,
  type CallHandle,
  type CapServer,
  dispatchLater,
  dispatchNow,
  type Hook,
  type InCall,
  LocalResults,
  type OutcomeListener,
  type OutPayload,
  QueueHook,
  releaseAll,
  RESOLVED,
  Results,
  type SettleListener,
  settleCall,
} from "./hooks.ts";

/** A call pipelined on an answer still being computed here, or a hook that waits for it. */
type Pipelined =
  | { ops: readonly PromisedAnswerOp[]; call: InCall; answer: Answer; hook: null }
  | { ops: readonly PromisedAnswerOp[]; call: null; answer: null; hook: QueueHook };

/**
 * A call the peer made to us. A call on a local object is served by the answer itself (serve):
 * it yields, dispatches, and settles as LocalHook.deliver would, with no call handle between,
 * and calls pipelined on it meanwhile wait in the answer (queue). Any other call hears its
 * outcome through its handle (the answer is the SettleListener).
 */
export class Answer implements SettleListener, OutcomeListener {
  returned = false;
  finished = false;
  handle: CallHandle | null = null;
  results: Results | null = null;
  error: unknown = null;
  /** The cap table the Return was sent with (its exports are ours to give back: connection.ts). */
  resultTable: readonly CapDescriptor[] = [];
  /**
   * Calls pipelined on this answer wait in it (queue): a local server is computing it (serve),
   * or the call itself is waiting in another answer for its target.
   */
  pending = false;
  /** What was pipelined on the answer while it was pending, in arrival order. */
  private waiting: Pipelined[] | null = null;
  /** The call a local server is computing (serve), and that server, until it settles. */
  private served: InCall | null = null;
  private server: CapServer | null = null;

  constructor(
    readonly id: number,
    private readonly connection: RpcConnection,
  ) {}

  onResults(results: Results): void {
    this.connection.answerWithResults(this, results);
  }

  onError(error: unknown): void {
    this.connection.answerWithError(this, error);
  }

  /**
   * Dispatches `call` to `server` with exactly LocalHook.deliver's timing: at once for an
   * `immediate` server, otherwise after one yield (as workerd does, so that the caller's
   * synchronous code finishes first), settling one step after a synchronous answer or when
   * the server's promise settles.
   */
  serve(server: CapServer, call: InCall): void {
    if (server.immediate === true) {
      const outcome = dispatchNow(server, call);
      if ("results" in outcome) this.settle(outcome.results, null);
      else this.settle(null, outcome.error);
      return;
    }
    this.pending = true;
    this.served = call;
    this.server = server;
    // Params read in place from a transient read are read now if the server can (else copied).
    if (server.prepare !== undefined && call.params.content?.msg.lent === true && server.prepare(call)) call.params.content = null;
    void RESOLVED.then(() => dispatchLater(server, call, this));
  }

  /** OutcomeListener: the served call's results. */
  answered(out: OutPayload): void {
    releaseAll(this.served!.params.caps);
    this.served = null;
    this.server = null;
    this.settle(new LocalResults(out), null);
  }

  /** OutcomeListener: the served call failed. */
  failed(error: unknown): void {
    releaseAll(this.served!.params.caps);
    this.served = null;
    this.server = null;
    this.settle(null, error);
  }

  /** A call pipelined on this answer while it is pending: delivered once it is known where. */
  queue(ops: readonly PromisedAnswerOp[], call: InCall, answer: Answer): void {
    answer.pending = true;
    // As in serve(), on behalf of the server the results will lead the call to (CapServer.preparePipelined).
    const server = this.server;
    if (server?.preparePipelined !== undefined && call.params.content?.msg.lent === true && server.preparePipelined(ops, call)) {
      call.params.content = null;
    }
    (this.waiting ??= []).push({ ops, call, answer, hook: null });
  }

  /** The call went to a capability that is not served here: it settles through `handle`. */
  attach(handle: CallHandle): void {
    this.pending = false;
    this.handle = handle;
    this.sendOnWaiting(handle, null);
    settleCall(handle, this);
  }

  /** The served call settled: what was pipelined on it goes on, then the Return. */
  private settle(results: Results | null, error: unknown): void {
    this.pending = false;
    // Known before the pipelined calls go on, for anything they pipeline on this answer.
    if (results !== null) this.results = results;
    else this.error = error;
    this.sendOnWaiting(results, error);
    if (results !== null) this.connection.answerWithResults(this, results);
    else this.connection.answerWithError(this, error);
  }

  /** What waited in this answer goes, in order, to where its path now leads (`to`, or `error`). */
  private sendOnWaiting(to: Results | CallHandle | null, error: unknown): void {
    const waiting = this.waiting;
    if (waiting === null) return;
    this.waiting = null;
    for (const p of waiting) {
      if (p.hook === null && p.answer.finished) {
        // Cancelled while it waited here (the caller's Finish came first, and was answered):
        // it never runs, and what waited in it in turn fails.
        p.answer.dropCancelled(p.call);
        continue;
      }
      const target = to === null ? new BrokenHook(error) : to instanceof Results ? to.pipelineCap(p.ops) : to.pipeline(p.ops);
      if (p.hook !== null) {
        p.hook.resolve(target);
        p.hook.release();
      } else {
        this.connection.deliverTo(target, p.call, p.answer);
      }
    }
  }

  /** This answer's call was cancelled before it could be delivered: drop it, fail what waits. */
  private dropCancelled(call: InCall): void {
    releaseAll(call.params.caps);
    this.pending = false;
    this.sendOnWaiting(null, new RpcError("The call was canceled."));
  }

  /** A new reference to the capability at `ops` in this answer's results (maybe not yet known). */
  pipeline(ops: readonly PromisedAnswerOp[]): Hook {
    if (this.results) return this.results.pipelineCap(ops);
    if (this.error !== null) return new BrokenHook(this.error);
    if (this.pending) {
      const hook = new QueueHook();
      (this.waiting ??= []).push({ ops, call: null, answer: null, hook: hook.addRef() });
      return hook;
    }
    if (this.handle) return this.handle.pipeline(ops);
    return new BrokenHook(new RpcError("Pipelined call on an answer that has no results."));
  }
}
