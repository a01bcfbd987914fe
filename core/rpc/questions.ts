// Questions: the calls this side made on the peer, after rpc.c++'s question table. A Question
// is also the handle its caller holds and what capabilities pipelined on its results point at
// (PipelineHook); a PipelineOnlyQuestion is asked only to pipeline on (Workers RPC's
// startEvent and jsRpcSession). The connection owns the table and the messages.

import type { AnyPointerReader } from "../../protocol/capnp/layout.ts";
import type { CapDescriptor, MessageTarget, PromisedAnswerOp } from "../../protocol/rpc-model.ts";
import type { RpcConnection } from "./connection.ts";
import { inToOut, pipelineCapIndex } from "./content.ts";
import { RpcError } from "./errors.ts";
import {
  BrokenHook,
  type CallHandle,
  Hook,
  type InCall,
  type InPayload,
  mostResolved,
  type OutCall,
  releaseAll,
  Results,
  type SettleListener,
  toOutCall,
} from "./hooks.ts";
import { ImportHook, Resolution } from "./imports.ts";

/** A call we made and its results; also the handle the caller holds. */
export class Question implements CallHandle {
  id = -1;
  returned = false;
  finishSent = false;
  /** The cap table the call was sent with (its exports are ours to give back: connection.ts). */
  paramTable: readonly CapDescriptor[] = [];
  private content: AnyPointerReader | null = null;
  private caps: (Hook | null)[] = [];
  /**
   * The results' cap table while it is not imported (only capabilities the peer hosts: see
   * handleReturn). Each entry is one reference the peer counts: importing it makes the hooks,
   * finishing without reading it gives each back with a Release.
   */
  private unimported: readonly CapDescriptor[] | null = null;
  private error: unknown = null;
  private handleHeld = true;
  private resultsHeld = false;
  private resultsTaken = false;
  /** PipelineHooks made before the Return (null: none yet). */
  private livePipelines: Set<PipelineHook> | null = null;
  /** Calls were sent with this question as their target: no Finish before its Return then. */
  pipelinedOn = false;
  /** Who waits for the Return: results()'s promise, or a settle() listener. */
  private waiter: SettleListener | null = null;

  constructor(readonly connection: RpcConnection) {}

  /** The CallHandle the caller holds: the question itself (no separate object per call). */
  get handle(): CallHandle {
    return this;
  }

  release(): void {
    if (!this.handleHeld) return;
    this.handleHeld = false;
    this.maybeFinish();
  }

  results(): Promise<Results> {
    if (this.resultsTaken) throw new Error("results() may be called once");
    return new Promise((resolve, reject) => this.settle({ onResults: resolve, onError: reject }));
  }

  /** Like results(), told synchronously when the Return is handled (no promise). */
  settle(listener: SettleListener): void {
    if (this.resultsTaken) throw new Error("results() may be called once");
    this.resultsTaken = true;
    if (!this.returned) {
      this.waiter = listener;
    } else if (this.error !== null) {
      listener.onError(this.error);
    } else {
      this.resultsHeld = true;
      listener.onResults(new RemoteResults(this));
    }
  }

  pipeline(ops: readonly PromisedAnswerOp[]): Hook {
    if (this.returned) return this.pipelineCap(ops);
    const hook = new PipelineHook(this, ops);
    (this.livePipelines ??= new Set()).add(hook);
    return hook;
  }

  // A call on a result capability that nobody else holds: sent straight to the promised
  // answer, without a PipelineHook (and its resolution) that would be released at once.
  pipelineCall(ops: readonly PromisedAnswerOp[], call: OutCall): CallHandle {
    if (this.returned) {
      const target = this.pipelineCap(ops);
      const result = target.call(call);
      target.release();
      return result;
    }
    this.pipelinedOn = true;
    return this.connection.sendCall({ type: "promisedAnswer", promisedAnswer: { questionId: this.id, transform: [...ops] } }, call);
  }

  pipelineCap(ops: readonly PromisedAnswerOp[]): Hook {
    if (this.error !== null) return new BrokenHook(this.error);
    const index = pipelineCapIndex(this.content, ops);
    const cap = index === null ? null : this.resultCaps[index];
    if (!cap) return new BrokenHook(new RpcError("Pipelined path does not lead to a capability."));
    return cap.addRef();
  }

  get resultsContent(): AnyPointerReader | null {
    return this.content;
  }

  /** The results' capabilities, imported now if they were not yet. */
  get resultCaps(): (Hook | null)[] {
    const table = this.unimported;
    if (table !== null) {
      this.unimported = null;
      const closed = this.connection.closeError;
      // After the connection closed there is nothing to import: each capability is broken.
      this.caps = closed === null ? this.connection.receiveCaps(table) : table.map((d) => (d.type === "none" ? null : new BrokenHook(closed)));
    }
    return this.caps;
  }

  /** `unimported`: instead of `caps`, a cap table of peer-hosted capabilities to import if read. */
  returnResults(content: AnyPointerReader | null, caps: (Hook | null)[], unimported: readonly CapDescriptor[] | null = null): void {
    this.returned = true;
    this.content = content;
    this.caps = caps;
    this.unimported = unimported;
    this.settlePipelines();
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = null;
      this.resultsHeld = true;
      waiter.onResults(new RemoteResults(this));
    }
    this.maybeFinish();
  }

  returnError(error: unknown): void {
    this.returned = true;
    this.error = error;
    this.settlePipelines();
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = null;
      waiter.onError(error);
    }
    this.maybeFinish();
  }

  private settlePipelines(): void {
    const pipelines = this.livePipelines;
    if (pipelines === null) return;
    this.livePipelines = null;
    for (const p of pipelines) p.settle(this.pipelineCap(p.ops));
  }

  pipelineDropped(hook: PipelineHook): void {
    this.livePipelines?.delete(hook);
    this.maybeFinish();
  }

  releaseResults(): void {
    if (!this.resultsHeld) return;
    this.resultsHeld = false;
    this.maybeFinish();
  }

  private maybeFinish(): void {
    if (this.handleHeld || this.resultsHeld || this.waiter) return;
    // Before the Return, Finish would cancel the call; calls pipelined on it still need it.
    if (!this.returned && ((this.livePipelines !== null && this.livePipelines.size > 0) || this.pipelinedOn)) return;
    if (this.returned) {
      releaseAll(this.caps);
      this.caps = [];
      this.content = null;
    }
    if (this.connection.isClosed) return;
    const table = this.unimported;
    this.unimported = null;
    if (table !== null) this.connection.giveBack(table);
    // We never keep result caps through the question: each one is an import we release.
    this.connection.finishQuestion(this, false);
  }
}

/** Results of a question; also their InPayload, whose caps are imported when first read. */
class RemoteResults extends Results implements InPayload {
  private released = false;

  constructor(private readonly question: Question) {
    super();
  }

  get in(): InPayload {
    return this;
  }

  get content(): AnyPointerReader | null {
    return this.question.resultsContent;
  }

  get caps(): (Hook | null)[] {
    return this.question.resultCaps;
  }

  outgoing() {
    return inToOut({ content: this.content, caps: this.caps });
  }

  pipelineCap(ops: readonly PromisedAnswerOp[]): Hook {
    return this.question.pipelineCap(ops);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.question.releaseResults();
  }
}

/**
 * A question asked only to pipeline on: Workers RPC's startEvent and jsRpcSession, whose
 * results nobody reads. What its Return exports to us is not imported as hooks: each id is
 * given back (Release, count 1) once the question is released and has returned, and Finish
 * follows. Everything else about it is a Question's: no Finish before the Return while calls
 * are pipelined on it, and releasing it before anything was pipelined cancels it.
 */
export class PipelineOnlyQuestion {
  id = -1;
  returned = false;
  finishSent = false;
  /** The cap table the call was sent with (its exports are ours to give back: connection.ts). */
  paramTable: readonly CapDescriptor[] = [];
  private held = true;
  private pipelinedOn = false;
  /** The results' cap table, never imported: given back (giveBack) with the Finish. */
  private unimported: readonly CapDescriptor[] | null = null;

  constructor(readonly connection: RpcConnection) {}

  /** Asks another pipeline-only question of the capability at `ops` in the results. */
  ask(ops: readonly PromisedAnswerOp[], call: OutCall): PipelineOnlyQuestion {
    this.pipelinedOn = true;
    return this.connection.askToPipeline(this.target(ops), call);
  }

  /** Makes `call` on the capability at `ops` in the results. */
  pipelineCall(ops: readonly PromisedAnswerOp[], call: OutCall): CallHandle {
    this.pipelinedOn = true;
    return this.connection.sendCall(this.target(ops), call);
  }

  private target(ops: readonly PromisedAnswerOp[]): MessageTarget {
    return { type: "promisedAnswer", promisedAnswer: { questionId: this.id, transform: ops as PromisedAnswerOp[] } };
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    this.maybeFinish();
  }

  /** @internal (the connection's Return handling) */
  returnResults(table: readonly CapDescriptor[]): void {
    this.returned = true;
    this.unimported = table;
    this.maybeFinish();
  }

  /** @internal (a Return without results, Unimplemented, or the connection closing) */
  returnError(_error?: unknown): void {
    this.returned = true;
    this.maybeFinish();
  }

  private maybeFinish(): void {
    if (this.held || (!this.returned && this.pipelinedOn)) return;
    if (this.connection.isClosed) return;
    const table = this.unimported;
    this.unimported = null;
    if (table !== null) this.connection.giveBack(table);
    this.connection.finishQuestion(this, false);
  }
}

/**
 * The connection and target for asking `hook` a pipeline-only question: a live capability the
 * peer hosts, not a promise. Null otherwise (the caller then calls it the general way).
 */
export function askToPipeline(hook: Hook, call: OutCall): PipelineOnlyQuestion | null {
  const h = mostResolved(hook);
  if (!(h instanceof ImportHook) || h.isPromise || !h.usable) return null;
  return h.connection.askToPipeline({ type: "importedCap", importedCap: h.importId }, call);
}

/** A capability that a not-yet-returned question's results will contain (pipelining). */
export class PipelineHook extends Hook {
  private readonly promised = new Resolution();

  constructor(
    readonly question: Question,
    readonly ops: readonly PromisedAnswerOp[],
  ) {
    super();
  }

  private target(): MessageTarget {
    return { type: "promisedAnswer", promisedAnswer: { questionId: this.question.id, transform: [...this.ops] } };
  }

  override get brand(): object | null {
    return this.promised.target ? null : this.question.connection;
  }

  override get isPromise(): boolean {
    return this.promised.target === null;
  }

  override get resolution(): Hook | null {
    return this.promised.target;
  }

  override whenResolved(): Promise<void> | null {
    return this.promised.whenSettled();
  }

  /** The question returned: this is what the path led to (takes the reference). */
  settle(target: Hook): void {
    this.promised.settle(this.question.connection, () => this.target(), target);
  }

  call(call: OutCall): CallHandle {
    const resolved = this.promised.target;
    if (resolved) return resolved.call(call);
    this.promised.callsSent = true;
    this.question.pipelinedOn = true;
    return this.question.connection.sendCall(this.target(), call);
  }

  deliver(call: InCall): CallHandle {
    const resolved = this.promised.target;
    if (resolved) return resolved.deliver(call);
    return this.call(toOutCall(call));
  }

  protected override destroy(): void {
    const resolved = this.promised.target;
    if (resolved) resolved.release();
    else this.question.pipelineDropped(this);
  }
}
