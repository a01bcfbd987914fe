// One Cap'n Proto two-party RPC connection (level 1): the four tables, the message handlers,
// pipelining, Resolve for promises we export, Release accounting and embargoes.
// The structure follows the reference implementation's rpc.c++: questions (calls we made:
// questions.ts), answers (calls we serve: answers.ts), imports (capabilities the peer hosts:
// imports.ts), exports (ours). This module owns the four tables and every message; the entries'
// own lifecycles live in those modules and reach back through the connection's @internal methods.

import type {
  CapDescriptor,
  IncomingMessage,
  MessageTarget,
  OutgoingMessage,
  RpcException,
} from "../../protocol/rpc-model.ts";
import type { Transport } from "../transport.ts";
import { Answer } from "./answers.ts";
import { capabilityContent } from "./content.ts";
import { RpcError, ProtocolViolation, connectionLost, toException } from "./errors.ts";
import {
  BrokenHook,
  type CallHandle,
  type Hook as HookType,
  type InCall,
  LocalResults,
  mostResolved,
  NullHook,
  type OutCall,
  QueueHook,
  releaseAll,
  RESOLVED,
  Results,
} from "./hooks.ts";
import { IdMap, IdTable } from "./id-table.ts";
import { ImportHook, PromiseImportHook } from "./imports.ts";
import { PipelineHook, PipelineOnlyQuestion, Question } from "./questions.ts";
import { type FrameLimits, MessageStream, OutputQueue, encodeMessage } from "./wire.ts";

export interface ConnectionOptions {
  /** The capability the peer gets for Bootstrap; the connection takes this reference. */
  bootstrap?: HookType | null;
  limits?: FrameLimits;
  /** Told about protocol errors and aborts (for logging). */
  onError?(error: Error): void;
}

export interface ConnectionStats {
  questions: number;
  answers: number;
  imports: number;
  exports: number;
}

interface ExportEntry {
  hook: HookType;
  refcount: number;
  /** For an exported promise: the onResolved callback that will send its Resolve. */
  onResolved: (() => void) | null;
}

interface ImportEntry {
  hook: ImportHook | null;
  /** How many times the peer has sent us this id; the count we give back in Release. */
  remoteRefs: number;
}

export class RpcConnection {
  private readonly questions = new IdTable<Question | PipelineOnlyQuestion>();
  private readonly answers = new IdMap<Answer>();
  private readonly imports = new IdMap<ImportEntry>();
  private readonly exports = new IdTable<ExportEntry>();
  private readonly exportIds = new ExportIndex(this);
  private readonly embargoes = new IdTable<{ queue: QueueHook; target: HookType }>();
  private readonly reader: MessageStream;
  private bootstrapHook: HookType | null;
  private readonly outbox = new OutputQueue();
  /** Calls (and Bootstraps) the peer made that we have not returned yet. */
  private unanswered = 0;
  /** Handling a received chunk; `sentEagerly`: a message that is not lazy was queued meanwhile. */
  private receiving = false;
  private sentEagerly = false;
  private flushQueued = false;
  /** A large message went to the transport since the last flush that let it write at once. */
  private largeHeld = false;
  private lazyTimer: ReturnType<typeof setTimeout> | null = null;
  private closedWith: RpcError | null = null;
  private readonly closedWaiters: ((error: RpcError) => void)[] = [];

  constructor(
    private readonly transport: Transport,
    private readonly options: ConnectionOptions = {},
  ) {
    this.bootstrapHook = options.bootstrap ?? null;
    this.reader = new MessageStream(options.limits);
    transport.start({
      data: (chunk, transient) => this.receive(chunk, transient),
      closed: (error) => this.shutdown(error ? connectionLost(error) : connectionLost()),
    });
  }

  get isClosed(): boolean {
    return this.closedWith !== null;
  }

  /** The error the connection closed with, or null while open. */
  get closeError(): RpcError | null {
    return this.closedWith;
  }

  /** Settles when the connection closes, with the reason. */
  closed(): Promise<RpcError> {
    if (this.closedWith) return Promise.resolve(this.closedWith);
    return new Promise((resolve) => this.closedWaiters.push(resolve));
  }

  stats(): ConnectionStats {
    return {
      questions: this.questions.size,
      answers: this.answers.size,
      imports: this.imports.size,
      exports: this.exports.size,
    };
  }

  /** A new reference to the peer's bootstrap capability (one Bootstrap message per call). */
  bootstrap(): HookType {
    if (this.closedWith) return new BrokenHook(this.closedWith);
    const question = new Question(this);
    question.id = this.questions.add(question);
    this.send({ type: "bootstrap", questionId: question.id });
    const cap = question.handle.pipeline([]);
    question.handle.release();
    return cap;
  }

  /** Closes the connection: pending calls fail, every table is emptied. */
  close(error?: Error): void {
    if (this.closedWith) return;
    this.flush();
    this.shutdown(connectionLost(error));
    this.transport.close(error);
  }

  // -------------------------------------------------------------------------------------------
  // Sending

  /** Queues a message. Everything queued in one turn goes out in one write. */
  send(message: OutgoingMessage, lazy = false): void {
    if (this.closedWith) return;
    encodeMessage(message, this.outbox);
    if (this.receiving) {
      // Decided once the whole chunk is handled (receive), when it is known what is pending.
      if (!lazy) this.sentEagerly = true;
      return;
    }
    this.queued(lazy);
  }

  /** What to do about the outbox after queuing a message (eagerly or lazily). */
  private queued(lazy: boolean): void {
    if (this.unanswered > 0 && !this.flushQueued) {
      // Calls are still being answered: hand the messages to the transport now, which writes
      // the turn's messages at its end or with the last Return (settled, below). No flush to
      // schedule per Return, and a Finish or Release among them needs no timer.
      this.flush();
    } else if (!lazy) {
      if (!this.flushQueued) {
        this.flushQueued = true;
        void RESOLVED.then(this.flushNow);
      }
    } else if (this.lazyTimer === null && !this.flushQueued) {
      // Finish and Release need not go out alone: they ride with the next write, or this timer.
      // A flush leaves the timer running (it then finds nothing, or a later lazy message, to
      // send): a sequential caller sets one timer per millisecond instead of one per call.
      this.lazyTimer = setTimeout(this.lazyFlush, 0);
    }
  }

  private readonly flushNow = (): void => this.flush();

  private readonly lazyFlush = (): void => {
    this.lazyTimer = null;
    this.flush();
  };

  private flush(): void {
    this.flushQueued = false;
    if (this.outbox.isEmpty || this.closedWith) return;
    // With every call answered, nothing else is coming this turn: the transport may write now.
    // Small messages wait for the end of the turn while the peer is part-way through a message
    // (a large one spans reads): its rest most likely arrives in this same turn, often a call
    // whose Return can share the write (a session's first two Returns and then its call's
    // would otherwise wake the peer twice). Large messages go at once, with what the transport
    // already holds: with many large calls in flight the peer is nearly always part-way
    // through the next one.
    const large = this.outbox.holdsLarge || this.largeHeld;
    const settled = this.unanswered === 0 && (large || !this.reader.midMessage);
    this.largeHeld = large && !settled;
    this.transport.send(this.outbox.take(), settled);
  }

  sendCall(target: MessageTarget, call: OutCall): CallHandle {
    if (this.closedWith) {
      releaseAll(call.params.caps);
      return new BrokenHook(this.closedWith).call({ ...call, params: { content: null, caps: [] } });
    }
    const question = new Question(this);
    question.id = this.questions.add(question);
    const capTable = this.describeAll(call.params.caps);
    question.paramTable = capTable;
    this.sendCallMessage(question.id, target, call, capTable);
    // Only now: releasing first could send Release for an import this very Call still names
    // (receiverHosted) ahead of it.
    releaseAll(call.params.caps);
    return question.handle;
  }

  /**
   * Asks a question only to pipeline on (see PipelineOnlyQuestion). The call carries no
   * capabilities; `target` is on this connection (the caller checked: askToPipeline).
   */
  askToPipeline(target: MessageTarget, call: OutCall): PipelineOnlyQuestion {
    const question = new PipelineOnlyQuestion(this);
    question.id = this.questions.add(question);
    this.sendCallMessage(question.id, target, call, []);
    return question;
  }

  private sendCallMessage(questionId: number, target: MessageTarget, call: OutCall, capTable: CapDescriptor[]): void {
    this.send({
      type: "call",
      questionId,
      target,
      interfaceId: call.interfaceId,
      methodId: call.methodId,
      params: { content: call.params.content, capTable },
      sendResultsTo: "caller",
    });
  }

  /**
   * The cap table for `caps`. Its senderHosted and senderPromise entries are the references it
   * exports: kept with the question or answer, they are what releaseParamCaps or
   * releaseResultCaps gives back (releaseExported). Built at its size: a table grown by push
   * allocates room for 17.
   */
  private describeAll(caps: readonly (HookType | null)[]): CapDescriptor[] {
    const n = caps.length;
    if (n === 0) return [];
    if (n === 1) return [this.describe(caps[0]!)];
    const table: CapDescriptor[] = [];
    for (let i = 0; i < n; i++) table.push(this.describe(caps[i]!));
    return table;
  }

  /** Releases the references a cap table we sent exported (see describeAll). */
  private releaseExported(table: readonly CapDescriptor[]): void {
    for (let i = 0; i < table.length; i++) {
      const d = table[i]!;
      if (d.type === "senderHosted" || d.type === "senderPromise") this.releaseExport(d.id, 1);
    }
  }

  /** Writes a capability into a cap table, exporting it if it is not the peer's own. */
  private describe(cap: HookType | null): CapDescriptor {
    if (!cap) return { type: "none" };
    const hook = mostResolved(cap);
    if (hook instanceof NullHook) return { type: "none" };
    if (hook.brand === this) {
      if (hook instanceof ImportHook) return { type: "receiverHosted", id: hook.importId };
      if (hook instanceof PipelineHook) {
        return { type: "receiverAnswer", promisedAnswer: { questionId: hook.question.id, transform: [...hook.ops] } };
      }
    }
    return this.exportHook(hook);
  }

  /** Exports `hook` (or counts one more reference to its existing export). */
  private exportHook(hook: HookType): CapDescriptor {
    let id = this.exportIds.get(hook);
    if (id !== undefined) {
      this.exports.get(id)!.refcount++;
    } else {
      id = this.exports.add({ hook: hook.addRef(), refcount: 1, onResolved: null });
      this.exportIds.set(hook, id);
      if (hook.isPromise) this.resolveExportLater(id, hook);
    }
    return hook.isPromise ? { type: "senderPromise", id } : { type: "senderHosted", id };
  }

  /** When a promise we exported settles, tell the peer what it became (Resolve). */
  private resolveExportLater(id: number, promise: HookType): void {
    // Checked by entry, not by hook: if the peer released this export and the same promise was
    // exported again under the reused id, the newer registration sends the (one) Resolve.
    const exported = this.exports.get(id)!;
    promise.onResolved((exported.onResolved = () => {
      const entry = this.exports.get(id);
      if (!entry || entry !== exported || this.closedWith) return;
      const target = mostResolved(promise);
      if (target instanceof NullHook) {
        // Resolve may not carry `none` (peers abort on it): the null capability is exported
        // like any other, and calls on it fail.
        this.send({ type: "resolve", promiseId: id, resolution: { type: "cap", cap: this.exportHook(target) } });
      } else if (target instanceof BrokenHook) {
        this.send({ type: "resolve", promiseId: id, resolution: { type: "exception", exception: toException(target.error) } });
      } else {
        const cap = this.describe(target);
        this.send({ type: "resolve", promiseId: id, resolution: { type: "cap", cap } });
      }
    }));
  }

  // -------------------------------------------------------------------------------------------
  // Receiving

  private receive(chunk: Uint8Array, transient = false): void {
    if (this.closedWith) return;
    this.receiving = true;
    try {
      this.reader.push(chunk, this.onMessage, transient);
    } catch (err) {
      this.receiving = false;
      this.sentEagerly = false;
      this.abort(err);
      return;
    }
    this.receiving = false;
    const eager = this.sentEagerly;
    this.sentEagerly = false;
    if (!this.outbox.isEmpty && !this.closedWith) this.queued(!eager);
  }

  /** Aborts the connection because the peer broke the protocol (or sent bytes we refuse). */
  private abort(err: unknown): void {
    if (this.closedWith) return;
    const reason = err instanceof Error ? err.message : String(err);
    this.options.onError?.(err instanceof Error ? err : new Error(reason));
    this.send({ type: "abort", exception: { reason, type: "failed" } });
    this.flush();
    const error = new RpcError(`RPC protocol error: ${reason}`, "failed");
    this.shutdown(error);
    this.transport.close(error);
  }

  private readonly onMessage = (message: IncomingMessage): boolean => this.handle(message);

  /**
   * Handles one message. True if nothing reads its content after this (a message read in place
   * from a transient chunk is then not copied: MessageStream.push); false if something may.
   */
  private handle(message: IncomingMessage): boolean {
    switch (message.type) {
      case "call": return this.handleCall(message);
      case "return": return this.handleReturn(message);
      case "finish": this.handleFinish(message); return true;
      case "release": this.releaseExport(message.id, message.referenceCount); return true;
      case "resolve": this.handleResolve(message); return true;
      case "disembargo": this.handleDisembargo(message); return true;
      case "bootstrap": this.handleBootstrap(message.questionId); return true;
      case "abort": {
        const error = RpcError.fromException(message.exception);
        this.options.onError?.(new Error(`peer aborted: ${message.exception.reason}`));
        this.shutdown(error);
        this.transport.close();
        return true;
      }
      case "unimplemented": this.handleUnimplemented(message.message); return false;
      case "other":
        // Echo what we do not implement, as the protocol asks (the codec copies it verbatim).
        this.send({ type: "unimplemented", message });
        return false;
    }
  }

  private handleBootstrap(questionId: number): void {
    const answer = this.newAnswer(questionId);
    const cap = this.bootstrapHook;
    if (!cap) {
      this.answerWithError(answer, new RpcError("This peer offers no bootstrap capability."));
      return;
    }
    const results = new LocalResults({
      content: capabilityContent(0),
      caps: [cap.addRef()],
      pipelineCap: (ops) => (ops.every((op) => op.type === "noop") ? 0 : null),
    });
    this.answerWithResults(answer, results);
  }

  private newAnswer(id: number): Answer {
    if (this.answers.has(id)) throw new ProtocolViolation(`questionId ${id} is already in use.`);
    const answer = new Answer(id, this);
    this.answers.set(id, answer);
    this.unanswered++;
    return answer;
  }

  /** True if the call's content is read already (handle()). */
  private handleCall(message: Extract<IncomingMessage, { type: "call" }>): boolean {
    const answer = this.newAnswer(message.questionId);
    const caps = this.receiveCaps(message.params.capTable);
    if (message.sendResultsTo !== "caller") {
      releaseAll(caps);
      this.answerWithError(answer, new RpcError("Call.sendResultsTo other than caller is not supported (level 1, two-party).", "unimplemented"));
      return true;
    }
    const call: InCall = {
      interfaceId: message.interfaceId,
      methodId: message.methodId,
      params: { content: message.params.content, caps },
      origin: this,
    };
    const to = message.target;
    if (to.type === "promisedAnswer") {
      // Pipelined on a call we are still computing here: queued on that answer, in order.
      const on = this.answers.get(to.promisedAnswer.questionId);
      if (on !== undefined && on.pending) {
        on.queue(to.promisedAnswer.transform, call, answer);
        return call.params.content === null; // the call's server-to-be may read it at once (Answer.queue)
      }
    }
    let target: HookType;
    try {
      target = this.targetHook(to);
    } catch (err) {
      releaseAll(caps); // the connection aborts: drop what the cap table referenced
      throw err;
    }
    this.deliverTo(target, call, answer);
    return call.params.content === null; // a served call's server may read it at once (Answer.serve)
  }

  /**
   * @internal (Answer) Delivers the peer's call to `target` (taking that reference) as `answer`. A local object
   * is served by the answer itself; anything else (a capability forwarded elsewhere, a promise)
   * gets the call through its own deliver().
   */
  deliverTo(target: HookType, call: InCall, answer: Answer): void {
    const server = target.localServer;
    if (server !== null) {
      // Released after the dispatch, as deliver() then release() would (an immediate server
      // answers within serve(); others run later in any case).
      answer.serve(server, call);
      target.release();
      return;
    }
    const handle = target.deliver(call);
    target.release();
    answer.attach(handle);
  }

  /** The hook a message targets (a new reference); throws ProtocolViolation if there is none. */
  private targetHook(target: MessageTarget): HookType {
    if (target.type === "importedCap") {
      const entry = this.exports.get(target.importedCap);
      if (!entry) throw new ProtocolViolation(`Message target ${target.importedCap} is not a current export ID.`);
      return entry.hook.addRef();
    }
    const { questionId, transform } = target.promisedAnswer;
    const answer = this.answers.get(questionId);
    if (!answer) throw new ProtocolViolation(`Pipelined call on unknown question ${questionId}.`);
    return answer.pipeline(transform);
  }

  /** @internal (Answer's listener) */
  answerWithResults(answer: Answer, results: Results): void {
    if (answer.returned || this.closedWith) {
      results.release();
      return;
    }
    this.markReturned(answer);
    // The caps stay with `results` (kept until the Finish): describing takes its own references.
    const out = results.outgoing();
    const capTable = this.describeAll(out.caps);
    answer.resultTable = capTable;
    answer.results = results;
    this.send({
      type: "return",
      answerId: answer.id,
      releaseParamCaps: false,
      body: { type: "results", results: { content: out.content, capTable } },
    });
    results.returned();
    if (answer.finished) this.dropAnswer(answer);
  }

  /** @internal (Answer's listener) */
  answerWithError(answer: Answer, err: unknown): void {
    if (answer.returned || this.closedWith) return;
    this.markReturned(answer);
    answer.error = err;
    this.send({
      type: "return",
      answerId: answer.id,
      releaseParamCaps: false,
      body: { type: "exception", exception: toException(err) },
    });
    if (answer.finished) this.dropAnswer(answer);
  }

  private markReturned(answer: Answer): void {
    answer.returned = true;
    this.unanswered--;
  }

  private handleFinish(message: Extract<IncomingMessage, { type: "finish" }>): void {
    const answer = this.answers.get(message.questionId);
    if (!answer || answer.finished) throw new ProtocolViolation(`'Finish' for invalid question ID ${message.questionId}.`);
    answer.finished = true;
    if (message.releaseResultCaps) {
      this.releaseExported(answer.resultTable);
      answer.resultTable = [];
    }
    if (!answer.returned) {
      // Canceled before it returned: the caller stops waiting, so we answer now.
      this.markReturned(answer);
      this.send({ type: "return", answerId: answer.id, releaseParamCaps: false, body: { type: "canceled" } });
    }
    this.dropAnswer(answer);
  }

  private dropAnswer(answer: Answer): void {
    this.answers.delete(answer.id);
    answer.results?.release();
    answer.results = null;
    answer.handle?.release();
    answer.handle = null;
  }

  /** True if the question no longer holds the results' content (handle()). */
  private handleReturn(message: Extract<IncomingMessage, { type: "return" }>): boolean {
    const question = this.questions.get(message.answerId);
    if (!question || question.returned) throw new ProtocolViolation(`Return for unknown question ${message.answerId}.`);
    if (message.releaseParamCaps) this.releaseExported(question.paramTable);
    question.paramTable = [];
    if (message.noFinishNeeded) question.finishSent = true;
    const body = message.body;
    if (question instanceof PipelineOnlyQuestion) {
      if (body.type === "results") question.returnResults(this.checkedUnimported(body.results.capTable));
      else question.returnError();
      if (body.type === "takeFromOtherQuestion") throw new ProtocolViolation("Return.takeFromOtherQuestion without a tail call.");
      return true;
    }
    switch (body.type) {
      case "results": {
        // A table of capabilities the peer hosts, and nothing else, is imported only if the
        // results are read for them (most hold plain data: the one capability they carry, the
        // result's pipeline target, is then given back with a Release and never becomes a hook).
        const table = body.results.capTable;
        if (table.length > 0 && onlyPeerHosted(table)) question.returnResults(body.results.content, [], table);
        else question.returnResults(body.results.content, this.receiveCaps(table));
        break;
      }
      case "exception":
        question.returnError(RpcError.fromException(body.exception));
        break;
      case "canceled":
        question.returnError(new RpcError("The call was canceled."));
        break;
      default:
        question.returnError(new RpcError(`Return of kind '${body.type}' is not supported (level 1, two-party).`, "unimplemented"));
        if (body.type === "takeFromOtherQuestion") throw new ProtocolViolation("Return.takeFromOtherQuestion without a tail call.");
    }
    // A caller waiting for the results has read them already, and released them if it is done.
    return question.resultsContent === null;
  }

  /**
   * A PipelineOnlyQuestion's results table, which will never be imported: the descriptors that
   * name something of ours are checked as receiveCap would, without taking references.
   */
  private checkedUnimported(table: readonly CapDescriptor[]): readonly CapDescriptor[] {
    for (const d of table) {
      if (d.type === "receiverHosted") this.namedExport(d.id);
      else if (d.type === "receiverAnswer") this.namedAnswer(d.promisedAnswer.questionId);
      else if (d.type === "thirdPartyHosted") throw thirdPartyRefused();
    }
    return table;
  }

  /**
   * @internal (questions) Gives back a received cap table that was never imported: each
   * capability the peer exported to us in it is one reference, returned with a Release of
   * count 1 (no hook holds it).
   */
  giveBack(table: readonly CapDescriptor[]): void {
    for (const d of table) {
      if (d.type === "senderHosted" || d.type === "senderPromise") this.send({ type: "release", id: d.id, referenceCount: 1 }, true);
    }
  }

  /** Called by a Question when nobody needs it any more. */
  finishQuestion(question: Question | PipelineOnlyQuestion, releaseResultCaps: boolean): void {
    if (!question.finishSent) {
      question.finishSent = true;
      this.send({ type: "finish", questionId: question.id, releaseResultCaps, requireEarlyCancellationWorkaround: false }, true);
    }
    if (question.returned) this.questions.delete(question.id);
  }

  releaseExport(id: number, count: number): void {
    const entry = this.exports.get(id);
    if (!entry) throw new ProtocolViolation(`Release of unknown export ID ${id}.`);
    if (count > entry.refcount) throw new ProtocolViolation(`Release count ${count} exceeds the reference count of export ${id}.`);
    entry.refcount -= count;
    if (entry.refcount === 0) {
      this.exports.delete(id);
      this.exportIds.delete(entry.hook);
      // Its Resolve would find the entry gone: withdraw it (the promise may be dropped at once).
      if (entry.onResolved !== null) entry.hook.offResolved(entry.onResolved);
      entry.hook.release();
    }
  }

  private handleResolve(message: Extract<IncomingMessage, { type: "resolve" }>): void {
    const r = message.resolution;
    const resolution = r.type === "cap" ? this.receiveCap(r.cap) : new BrokenHook(RpcError.fromException(r.exception));
    const hook = this.imports.get(message.promiseId)?.hook;
    if (hook instanceof PromiseImportHook) hook.resolveTo(resolution);
    else resolution?.release(); // we released the promise already: drop what it became
  }

  private handleDisembargo(message: Extract<IncomingMessage, { type: "disembargo" }>): void {
    const context = message.context;
    if (context.type === "senderLoopback") {
      const target = this.targetHook(message.target);
      const hook = mostResolved(target);
      target.release();
      if (hook.brand !== this || !(hook instanceof ImportHook)) {
        throw new ProtocolViolation("'Disembargo' of type 'senderLoopback' sent to an object that does not point back to the sender.");
      }
      // Calls that arrived earlier on this target were already forwarded (forwarding is
      // synchronous), so the reply goes out behind them.
      this.send({
        type: "disembargo",
        target: { type: "importedCap", importedCap: hook.importId },
        context: { type: "receiverLoopback", embargoId: context.embargoId },
      });
    } else if (context.type === "receiverLoopback") {
      const embargo = this.embargoes.delete(context.embargoId);
      if (!embargo) throw new ProtocolViolation(`Disembargo for unknown embargo ${context.embargoId}.`);
      embargo.queue.resolve(embargo.target);
      embargo.queue.release();
    } else {
      throw new ProtocolViolation(`Disembargo of type '${context.type}' is level 3 and not supported.`);
    }
  }

  private handleUnimplemented(original: IncomingMessage): void {
    if (original.type === "resolve" && original.resolution.type === "cap") {
      const cap = original.resolution.cap;
      if (cap.type === "senderHosted" || cap.type === "senderPromise") this.releaseExport(cap.id, 1);
    } else if (original.type === "call") {
      const question = this.questions.get(original.questionId);
      if (question && !question.returned) {
        this.releaseExported(question.paramTable);
        question.paramTable = [];
        question.finishSent = true;
        question.returnError(new RpcError("The peer does not implement this call.", "unimplemented"));
      }
    }
  }

  /**
   * A whole cap table; if one descriptor is refused, the references already taken are dropped.
   * @internal (Question, for a table it kept unimported)
   */
  receiveCaps(table: readonly CapDescriptor[]): (HookType | null)[] {
    const caps: (HookType | null)[] = [];
    try {
      for (const d of table) caps.push(this.receiveCap(d));
    } catch (err) {
      releaseAll(caps);
      throw err;
    }
    return caps;
  }

  /** Turns a received CapDescriptor into a hook (a new reference), or null for `none`. */
  private receiveCap(d: CapDescriptor): HookType | null {
    switch (d.type) {
      case "none": return null;
      case "senderHosted":
      case "senderPromise": {
        let entry = this.imports.get(d.id);
        if (!entry) {
          entry = { hook: null, remoteRefs: 0 };
          this.imports.set(d.id, entry);
        }
        entry.remoteRefs++;
        if (entry.hook) return entry.hook.addRef();
        const hook = d.type === "senderPromise" ? new PromiseImportHook(this, d.id) : new ImportHook(this, d.id);
        entry.hook = hook;
        return hook;
      }
      case "receiverHosted":
        return this.namedExport(d.id).hook.addRef();
      case "receiverAnswer":
        return this.namedAnswer(d.promisedAnswer.questionId).pipeline(d.promisedAnswer.transform);
      case "thirdPartyHosted":
        throw thirdPartyRefused();
    }
  }

  /** The export a received CapDescriptor.receiverHosted names; the peer broke the protocol if none. */
  private namedExport(id: number): ExportEntry {
    const entry = this.exports.get(id);
    if (!entry) throw new ProtocolViolation(`CapDescriptor.receiverHosted names unknown export ${id}.`);
    return entry;
  }

  /** The answer a received CapDescriptor.receiverAnswer names; the peer broke the protocol if none. */
  private namedAnswer(questionId: number): Answer {
    const answer = this.answers.get(questionId);
    if (!answer) throw new ProtocolViolation(`CapDescriptor.receiverAnswer names unknown question ${questionId}.`);
    return answer;
  }

  /** An ImportHook's last local reference is gone: tell the peer how many refs we drop. */
  releaseImport(id: number, hook: ImportHook): void {
    const entry = this.imports.get(id);
    if (!entry || entry.hook !== hook) return;
    this.imports.delete(id);
    this.send({ type: "release", id, referenceCount: entry.remoteRefs }, true);
  }

  /**
   * A promise that pointed at the peer resolved to `target`. If calls were already sent to
   * the promise and the target is not on this connection, new calls must wait until those
   * have come back around (Disembargo), or they could overtake them.
   */
  embargo(promiseTarget: MessageTarget, target: HookType): HookType {
    const queue = new QueueHook();
    const id = this.embargoes.add({ queue: queue.addRef(), target });
    this.send({ type: "disembargo", target: promiseTarget, context: { type: "senderLoopback", embargoId: id } });
    return queue;
  }

  private shutdown(error: RpcError): void {
    if (this.closedWith) return;
    this.closedWith = error;
    if (this.lazyTimer !== null) clearTimeout(this.lazyTimer);
    this.lazyTimer = null;
    this.outbox.take(); // never written
    for (const [, question] of this.questions.entries()) {
      if (!question.returned) question.returnError(error);
    }
    this.questions.clear();
    for (const answer of this.answers.values()) this.dropAnswer(answer);
    const exports = [...this.exports.entries()];
    this.exports.clear();
    for (const [, entry] of exports) this.exportIds.delete(entry.hook);
    for (const [, entry] of exports) entry.hook.release();
    for (const entry of this.imports.values()) entry.hook?.breakWith(error);
    this.imports.clear();
    for (const [, embargo] of this.embargoes.entries()) {
      embargo.target.release();
      embargo.queue.reject(error);
      embargo.queue.release();
    }
    this.embargoes.clear();
    this.bootstrapHook?.release();
    this.bootstrapHook = null;
    for (const w of this.closedWaiters.splice(0)) w(error);
  }
}

const thirdPartyRefused = (): ProtocolViolation => new ProtocolViolation("Third-party capabilities (level 3) are not supported.");

/**
 * True if every descriptor is `none` or `senderHosted`: importing such a table can wait, because
 * nothing can change under it meanwhile (no Resolve is coming for it, and no export or answer
 * of ours that the peer might release first is named).
 */
function onlyPeerHosted(table: readonly CapDescriptor[]): boolean {
  for (let i = 0; i < table.length; i++) {
    const type = table[i]!.type;
    if (type !== "senderHosted" && type !== "none") return false;
  }
  return true;
}

/**
 * The export id of each hook this connection exports. A hook is nearly always exported on one
 * connection at a time, so the id is kept on the hook itself (Hook.exportOwner/exportSlot): a
 * call that exports four capabilities costs no Map that grows and shrinks. A hook exported on
 * another connection at the same time has its id here in a Map instead.
 */
class ExportIndex {
  private readonly spill = new Map<HookType, number>();

  constructor(private readonly owner: RpcConnection) {}

  get(hook: HookType): number | undefined {
    return hook.exportOwner === this.owner ? hook.exportSlot : this.spill.get(hook);
  }

  set(hook: HookType, id: number): void {
    if (hook.exportOwner === null) {
      hook.exportOwner = this.owner;
      hook.exportSlot = id;
    } else {
      this.spill.set(hook, id);
    }
  }

  delete(hook: HookType): void {
    if (hook.exportOwner === this.owner) {
      hook.exportOwner = null;
      hook.exportSlot = -1;
    } else {
      this.spill.delete(hook);
    }
  }
}

export type { RpcException };
