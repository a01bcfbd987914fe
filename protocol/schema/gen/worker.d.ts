import * as $ from "capnp-es";
import { ByteStream$Client } from "./byte-stream.js";
import { Frankenvalue } from "./frankenvalue.js";
import { EventOutcome } from "./outcome.js";
export declare const _capnpFileId = 17840315401686508356n;
export declare class WorkerdBootstrap_StartEvent$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get cfBlobJson(): string;
  set cfBlobJson(value: string);
  get fromPersistentStub(): boolean;
  set fromPersistentStub(value: boolean);
  toString(): string;
}
export declare class WorkerdBootstrap_StartEvent$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get dispatcher(): EventDispatcher$Client;
  set dispatcher(value: EventDispatcher$Client);
  toString(): string;
}
export declare class WorkerdBootstrap_StartEvent$Results$Promise {
  pipeline: $.Pipeline<any, any, WorkerdBootstrap_StartEvent$Results>;
  constructor(pipeline: $.Pipeline<any, any, WorkerdBootstrap_StartEvent$Results>);
  getDispatcher(): EventDispatcher$Client;
  promise(): Promise<WorkerdBootstrap_StartEvent$Results>;
}
export declare class WorkerdBootstrap$Client {
  client: $.Client;
  static readonly interfaceId: bigint;
  constructor(client: $.Client);
  static readonly methods: [
    $.Method<WorkerdBootstrap_StartEvent$Params, WorkerdBootstrap_StartEvent$Results>
  ];
  /**
* Begins one event; deliver exactly one event to `dispatcher`. `cfBlobJson` is the optional
* JSON `request.cf` (workerd sends null for JSRPC). `fromPersistentStub` says the channel was
* rebuilt from a stored stub; the target re-checks that it still allows that.
*
*/
  startEvent(paramsFunc?: (params: WorkerdBootstrap_StartEvent$Params) => void): WorkerdBootstrap_StartEvent$Results$Promise;
}
export interface WorkerdBootstrap$Server$Target {
  startEvent(params: WorkerdBootstrap_StartEvent$Params, results: WorkerdBootstrap_StartEvent$Results): Promise<void>;
}
export declare class WorkerdBootstrap$Server extends $.Server {
  readonly target: WorkerdBootstrap$Server$Target;
  constructor(target: WorkerdBootstrap$Server$Target);
  client(): WorkerdBootstrap$Client;
}
/**
* What a workerd capnp listener hands out as the bootstrap capability (and what we hand out).
*
*/
export declare class WorkerdBootstrap extends $.Interface {
  static readonly Client: typeof WorkerdBootstrap$Client;
  static readonly Server: typeof WorkerdBootstrap$Server;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class EventDispatcher_GetHttpService$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class EventDispatcher_GetHttpService$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  _adoptHttp(value: $.Orphan<$.Pointer>): void;
  _disownHttp(): $.Orphan<$.Pointer>;
  get http(): $.Pointer;
  _hasHttp(): boolean;
  set http(value: $.Pointer);
  toString(): string;
}
export declare class EventDispatcher_GetHttpService$Results$Promise {
  pipeline: $.Pipeline<any, any, EventDispatcher_GetHttpService$Results>;
  constructor(pipeline: $.Pipeline<any, any, EventDispatcher_GetHttpService$Results>);
  promise(): Promise<EventDispatcher_GetHttpService$Results>;
}
export declare class EventDispatcher_SendTraces$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  _adoptTraces(value: $.Orphan<$.Pointer>): void;
  _disownTraces(): $.Orphan<$.Pointer>;
  get traces(): $.Pointer;
  _hasTraces(): boolean;
  set traces(value: $.Pointer);
  toString(): string;
}
export declare class EventDispatcher_SendTraces$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  _adoptResult(value: $.Orphan<SendTracesRun>): void;
  _disownResult(): $.Orphan<SendTracesRun>;
  get result(): SendTracesRun;
  _hasResult(): boolean;
  _initResult(): SendTracesRun;
  set result(value: SendTracesRun);
  toString(): string;
}
export declare class EventDispatcher_SendTraces$Results$Promise {
  pipeline: $.Pipeline<any, any, EventDispatcher_SendTraces$Results>;
  constructor(pipeline: $.Pipeline<any, any, EventDispatcher_SendTraces$Results>);
  promise(): Promise<EventDispatcher_SendTraces$Results>;
}
export declare class EventDispatcher_Prewarm$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get url(): string;
  set url(value: string);
  toString(): string;
}
export declare class EventDispatcher_Prewarm$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class EventDispatcher_Prewarm$Results$Promise {
  pipeline: $.Pipeline<any, any, EventDispatcher_Prewarm$Results>;
  constructor(pipeline: $.Pipeline<any, any, EventDispatcher_Prewarm$Results>);
  promise(): Promise<EventDispatcher_Prewarm$Results>;
}
export declare class EventDispatcher_RunScheduled$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get scheduledTime(): bigint;
  set scheduledTime(value: bigint);
  get cron(): string;
  set cron(value: string);
  toString(): string;
}
export declare class EventDispatcher_RunScheduled$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  _adoptResult(value: $.Orphan<ScheduledRun>): void;
  _disownResult(): $.Orphan<ScheduledRun>;
  get result(): ScheduledRun;
  _hasResult(): boolean;
  _initResult(): ScheduledRun;
  set result(value: ScheduledRun);
  toString(): string;
}
export declare class EventDispatcher_RunScheduled$Results$Promise {
  pipeline: $.Pipeline<any, any, EventDispatcher_RunScheduled$Results>;
  constructor(pipeline: $.Pipeline<any, any, EventDispatcher_RunScheduled$Results>);
  promise(): Promise<EventDispatcher_RunScheduled$Results>;
}
export declare class EventDispatcher_RunAlarm$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get scheduledTime(): bigint;
  set scheduledTime(value: bigint);
  get retryCount(): number;
  set retryCount(value: number);
  toString(): string;
}
export declare class EventDispatcher_RunAlarm$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  _adoptResult(value: $.Orphan<AlarmRun>): void;
  _disownResult(): $.Orphan<AlarmRun>;
  get result(): AlarmRun;
  _hasResult(): boolean;
  _initResult(): AlarmRun;
  set result(value: AlarmRun);
  toString(): string;
}
export declare class EventDispatcher_RunAlarm$Results$Promise {
  pipeline: $.Pipeline<any, any, EventDispatcher_RunAlarm$Results>;
  constructor(pipeline: $.Pipeline<any, any, EventDispatcher_RunAlarm$Results>);
  promise(): Promise<EventDispatcher_RunAlarm$Results>;
}
export declare class EventDispatcher_Obsolete5$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class EventDispatcher_Obsolete5$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class EventDispatcher_Obsolete5$Results$Promise {
  pipeline: $.Pipeline<any, any, EventDispatcher_Obsolete5$Results>;
  constructor(pipeline: $.Pipeline<any, any, EventDispatcher_Obsolete5$Results>);
  promise(): Promise<EventDispatcher_Obsolete5$Results>;
}
export declare class EventDispatcher_Obsolete6$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class EventDispatcher_Obsolete6$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class EventDispatcher_Obsolete6$Results$Promise {
  pipeline: $.Pipeline<any, any, EventDispatcher_Obsolete6$Results>;
  constructor(pipeline: $.Pipeline<any, any, EventDispatcher_Obsolete6$Results>);
  promise(): Promise<EventDispatcher_Obsolete6$Results>;
}
export declare class EventDispatcher_Obsolete7$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class EventDispatcher_Obsolete7$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class EventDispatcher_Obsolete7$Results$Promise {
  pipeline: $.Pipeline<any, any, EventDispatcher_Obsolete7$Results>;
  constructor(pipeline: $.Pipeline<any, any, EventDispatcher_Obsolete7$Results>);
  promise(): Promise<EventDispatcher_Obsolete7$Results>;
}
export declare class EventDispatcher_Queue$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  static _Messages: $.ListCtor<QueueMessage>;
  _adoptMessages(value: $.Orphan<$.List<QueueMessage>>): void;
  _disownMessages(): $.Orphan<$.List<QueueMessage>>;
  get messages(): $.List<QueueMessage>;
  _hasMessages(): boolean;
  _initMessages(length: number): $.List<QueueMessage>;
  set messages(value: $.List<QueueMessage>);
  get queueName(): string;
  set queueName(value: string);
  _adoptMetadata(value: $.Orphan<MessageBatchMetadata>): void;
  _disownMetadata(): $.Orphan<MessageBatchMetadata>;
  get metadata(): MessageBatchMetadata;
  _hasMetadata(): boolean;
  _initMetadata(): MessageBatchMetadata;
  set metadata(value: MessageBatchMetadata);
  toString(): string;
}
export declare class EventDispatcher_Queue$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  _adoptResult(value: $.Orphan<QueueResponse>): void;
  _disownResult(): $.Orphan<QueueResponse>;
  get result(): QueueResponse;
  _hasResult(): boolean;
  _initResult(): QueueResponse;
  set result(value: QueueResponse);
  toString(): string;
}
export declare class EventDispatcher_Queue$Results$Promise {
  pipeline: $.Pipeline<any, any, EventDispatcher_Queue$Results>;
  constructor(pipeline: $.Pipeline<any, any, EventDispatcher_Queue$Results>);
  promise(): Promise<EventDispatcher_Queue$Results>;
}
export declare class EventDispatcher_JsRpcSession$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class EventDispatcher_JsRpcSession$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get topLevel(): JsRpcTarget$Client;
  set topLevel(value: JsRpcTarget$Client);
  get session(): JsRpcSession$Client;
  set session(value: JsRpcSession$Client);
  toString(): string;
}
export declare class EventDispatcher_JsRpcSession$Results$Promise {
  pipeline: $.Pipeline<any, any, EventDispatcher_JsRpcSession$Results>;
  constructor(pipeline: $.Pipeline<any, any, EventDispatcher_JsRpcSession$Results>);
  getTopLevel(): JsRpcTarget$Client;
  getSession(): JsRpcSession$Client;
  promise(): Promise<EventDispatcher_JsRpcSession$Results>;
}
export declare class EventDispatcher_TailStreamSession$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class EventDispatcher_TailStreamSession$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get topLevel(): TailStreamTarget$Client;
  set topLevel(value: TailStreamTarget$Client);
  get result(): EventOutcome;
  set result(value: EventOutcome);
  toString(): string;
}
export declare class EventDispatcher_TailStreamSession$Results$Promise {
  pipeline: $.Pipeline<any, any, EventDispatcher_TailStreamSession$Results>;
  constructor(pipeline: $.Pipeline<any, any, EventDispatcher_TailStreamSession$Results>);
  getTopLevel(): TailStreamTarget$Client;
  promise(): Promise<EventDispatcher_TailStreamSession$Results>;
}
export declare class EventDispatcher_AbandonAlarm$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get scheduledTimeMs(): bigint;
  set scheduledTimeMs(value: bigint);
  toString(): string;
}
export declare class EventDispatcher_AbandonAlarm$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get storedAlarmTimeMs(): bigint;
  set storedAlarmTimeMs(value: bigint);
  toString(): string;
}
export declare class EventDispatcher_AbandonAlarm$Results$Promise {
  pipeline: $.Pipeline<any, any, EventDispatcher_AbandonAlarm$Results>;
  constructor(pipeline: $.Pipeline<any, any, EventDispatcher_AbandonAlarm$Results>);
  promise(): Promise<EventDispatcher_AbandonAlarm$Results>;
}
export declare class EventDispatcher_RestoreService$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  _adoptParams(value: $.Orphan<Frankenvalue>): void;
  _disownParams(): $.Orphan<Frankenvalue>;
  get params(): Frankenvalue;
  _hasParams(): boolean;
  _initParams(): Frankenvalue;
  set params(value: Frankenvalue);
  toString(): string;
}
export declare class EventDispatcher_RestoreService$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get service(): WorkerdBootstrap$Client;
  set service(value: WorkerdBootstrap$Client);
  toString(): string;
}
export declare class EventDispatcher_RestoreService$Results$Promise {
  pipeline: $.Pipeline<any, any, EventDispatcher_RestoreService$Results>;
  constructor(pipeline: $.Pipeline<any, any, EventDispatcher_RestoreService$Results>);
  getService(): WorkerdBootstrap$Client;
  promise(): Promise<EventDispatcher_RestoreService$Results>;
}
export declare class EventDispatcher_RestoreRpcStub$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  _adoptParams(value: $.Orphan<Frankenvalue>): void;
  _disownParams(): $.Orphan<Frankenvalue>;
  get params(): Frankenvalue;
  _hasParams(): boolean;
  _initParams(): Frankenvalue;
  set params(value: Frankenvalue);
  toString(): string;
}
export declare class EventDispatcher_RestoreRpcStub$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get target(): JsRpcTarget$Client;
  set target(value: JsRpcTarget$Client);
  get session(): JsRpcSession$Client;
  set session(value: JsRpcSession$Client);
  toString(): string;
}
export declare class EventDispatcher_RestoreRpcStub$Results$Promise {
  pipeline: $.Pipeline<any, any, EventDispatcher_RestoreRpcStub$Results>;
  constructor(pipeline: $.Pipeline<any, any, EventDispatcher_RestoreRpcStub$Results>);
  getTarget(): JsRpcTarget$Client;
  getSession(): JsRpcSession$Client;
  promise(): Promise<EventDispatcher_RestoreRpcStub$Results>;
}
export declare class EventDispatcher$Client {
  client: $.Client;
  static readonly interfaceId: bigint;
  constructor(client: $.Client);
  static readonly methods: [
    $.Method<EventDispatcher_GetHttpService$Params, EventDispatcher_GetHttpService$Results>,
    $.Method<EventDispatcher_SendTraces$Params, EventDispatcher_SendTraces$Results>,
    $.Method<EventDispatcher_Prewarm$Params, EventDispatcher_Prewarm$Results>,
    $.Method<EventDispatcher_RunScheduled$Params, EventDispatcher_RunScheduled$Results>,
    $.Method<EventDispatcher_RunAlarm$Params, EventDispatcher_RunAlarm$Results>,
    $.Method<EventDispatcher_Obsolete5$Params, EventDispatcher_Obsolete5$Results>,
    $.Method<EventDispatcher_Obsolete6$Params, EventDispatcher_Obsolete6$Results>,
    $.Method<EventDispatcher_Obsolete7$Params, EventDispatcher_Obsolete7$Results>,
    $.Method<EventDispatcher_Queue$Params, EventDispatcher_Queue$Results>,
    $.Method<EventDispatcher_JsRpcSession$Params, EventDispatcher_JsRpcSession$Results>,
    $.Method<EventDispatcher_TailStreamSession$Params, EventDispatcher_TailStreamSession$Results>,
    $.Method<EventDispatcher_AbandonAlarm$Params, EventDispatcher_AbandonAlarm$Results>,
    $.Method<EventDispatcher_RestoreService$Params, EventDispatcher_RestoreService$Results>,
    $.Method<EventDispatcher_RestoreRpcStub$Params, EventDispatcher_RestoreRpcStub$Results>
  ];
  /**
* PLACEHOLDER: upstream's result type is capnp's `HttpService` (compat/http-over-capnp.capnp).
* workerd sends fetch() as plain HTTP, not over capnp, so we never implement it.
*
*/
  getHttpService(paramsFunc?: (params: EventDispatcher_GetHttpService$Params) => void): EventDispatcher_GetHttpService$Results$Promise;
  /**
* PLACEHOLDER: upstream `traces :List(Trace)`; tail/trace workers are out of scope.
*
*/
  sendTraces(paramsFunc?: (params: EventDispatcher_SendTraces$Params) => void): EventDispatcher_SendTraces$Results$Promise;
  prewarm(paramsFunc?: (params: EventDispatcher_Prewarm$Params) => void): EventDispatcher_Prewarm$Results$Promise;
  runScheduled(paramsFunc?: (params: EventDispatcher_RunScheduled$Params) => void): EventDispatcher_RunScheduled$Results$Promise;
  runAlarm(paramsFunc?: (params: EventDispatcher_RunAlarm$Params) => void): EventDispatcher_RunAlarm$Results$Promise;
  obsolete5(paramsFunc?: (params: EventDispatcher_Obsolete5$Params) => void): EventDispatcher_Obsolete5$Results$Promise;
  obsolete6(paramsFunc?: (params: EventDispatcher_Obsolete6$Params) => void): EventDispatcher_Obsolete6$Results$Promise;
  /**
* Retired upstream; the numbers must never be reused.
*
*/
  obsolete7(paramsFunc?: (params: EventDispatcher_Obsolete7$Params) => void): EventDispatcher_Obsolete7$Results$Promise;
  queue(paramsFunc?: (params: EventDispatcher_Queue$Params) => void): EventDispatcher_Queue$Results$Promise;
  /**
* Opens a Workers RPC session. `topLevel` accepts exactly one call (always pipelined by the
* caller). `session` is a promise capability: holding it keeps the session alive, dropping it
* cancels the session, and the callee resolves it (to null) once `topLevel` and every stub
* handed out through it are released.
*
*/
  jsRpcSession(paramsFunc?: (params: EventDispatcher_JsRpcSession$Params) => void): EventDispatcher_JsRpcSession$Results$Promise;
  tailStreamSession(paramsFunc?: (params: EventDispatcher_TailStreamSession$Params) => void): EventDispatcher_TailStreamSession$Results$Promise;
  abandonAlarm(paramsFunc?: (params: EventDispatcher_AbandonAlarm$Params) => void): EventDispatcher_AbandonAlarm$Results$Promise;
  restoreService(paramsFunc?: (params: EventDispatcher_RestoreService$Params) => void): EventDispatcher_RestoreService$Results$Promise;
  /**
* Supervisor-only: re-create a stub from stored `[restore]()` params.
*
*/
  restoreRpcStub(paramsFunc?: (params: EventDispatcher_RestoreRpcStub$Params) => void): EventDispatcher_RestoreRpcStub$Results$Promise;
}
export interface EventDispatcher$Server$Target {
  getHttpService(params: EventDispatcher_GetHttpService$Params, results: EventDispatcher_GetHttpService$Results): Promise<void>;
  sendTraces(params: EventDispatcher_SendTraces$Params, results: EventDispatcher_SendTraces$Results): Promise<void>;
  prewarm(params: EventDispatcher_Prewarm$Params, results: EventDispatcher_Prewarm$Results): Promise<void>;
  runScheduled(params: EventDispatcher_RunScheduled$Params, results: EventDispatcher_RunScheduled$Results): Promise<void>;
  runAlarm(params: EventDispatcher_RunAlarm$Params, results: EventDispatcher_RunAlarm$Results): Promise<void>;
  obsolete5(params: EventDispatcher_Obsolete5$Params, results: EventDispatcher_Obsolete5$Results): Promise<void>;
  obsolete6(params: EventDispatcher_Obsolete6$Params, results: EventDispatcher_Obsolete6$Results): Promise<void>;
  obsolete7(params: EventDispatcher_Obsolete7$Params, results: EventDispatcher_Obsolete7$Results): Promise<void>;
  queue(params: EventDispatcher_Queue$Params, results: EventDispatcher_Queue$Results): Promise<void>;
  jsRpcSession(params: EventDispatcher_JsRpcSession$Params, results: EventDispatcher_JsRpcSession$Results): Promise<void>;
  tailStreamSession(params: EventDispatcher_TailStreamSession$Params, results: EventDispatcher_TailStreamSession$Results): Promise<void>;
  abandonAlarm(params: EventDispatcher_AbandonAlarm$Params, results: EventDispatcher_AbandonAlarm$Results): Promise<void>;
  restoreService(params: EventDispatcher_RestoreService$Params, results: EventDispatcher_RestoreService$Results): Promise<void>;
  restoreRpcStub(params: EventDispatcher_RestoreRpcStub$Params, results: EventDispatcher_RestoreRpcStub$Results): Promise<void>;
}
export declare class EventDispatcher$Server extends $.Server {
  readonly target: EventDispatcher$Server$Target;
  constructor(target: EventDispatcher$Server$Target);
  client(): EventDispatcher$Client;
}
/**
* One event per dispatcher. For Workers RPC only jsRpcSession@9 matters; the others are
* declared so that the ordinals are right and the types can be decoded if they ever arrive.
*
*/
export declare class EventDispatcher extends $.Interface {
  static readonly Client: typeof EventDispatcher$Client;
  static readonly Server: typeof EventDispatcher$Server;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class WorkerdDebugPort_GetEntrypoint$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get service(): string;
  set service(value: string);
  get entrypoint(): string;
  set entrypoint(value: string);
  _adoptProps(value: $.Orphan<Frankenvalue>): void;
  _disownProps(): $.Orphan<Frankenvalue>;
  get props(): Frankenvalue;
  _hasProps(): boolean;
  _initProps(): Frankenvalue;
  set props(value: Frankenvalue);
  toString(): string;
}
export declare class WorkerdDebugPort_GetEntrypoint$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get entrypoint(): WorkerdBootstrap$Client;
  set entrypoint(value: WorkerdBootstrap$Client);
  toString(): string;
}
export declare class WorkerdDebugPort_GetEntrypoint$Results$Promise {
  pipeline: $.Pipeline<any, any, WorkerdDebugPort_GetEntrypoint$Results>;
  constructor(pipeline: $.Pipeline<any, any, WorkerdDebugPort_GetEntrypoint$Results>);
  getEntrypoint(): WorkerdBootstrap$Client;
  promise(): Promise<WorkerdDebugPort_GetEntrypoint$Results>;
}
export declare class WorkerdDebugPort_GetActor$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get service(): string;
  set service(value: string);
  get entrypoint(): string;
  set entrypoint(value: string);
  get actorId(): string;
  set actorId(value: string);
  toString(): string;
}
export declare class WorkerdDebugPort_GetActor$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get actor(): WorkerdBootstrap$Client;
  set actor(value: WorkerdBootstrap$Client);
  toString(): string;
}
export declare class WorkerdDebugPort_GetActor$Results$Promise {
  pipeline: $.Pipeline<any, any, WorkerdDebugPort_GetActor$Results>;
  constructor(pipeline: $.Pipeline<any, any, WorkerdDebugPort_GetActor$Results>);
  getActor(): WorkerdBootstrap$Client;
  promise(): Promise<WorkerdDebugPort_GetActor$Results>;
}
export declare class WorkerdDebugPort$Client {
  client: $.Client;
  static readonly interfaceId: bigint;
  constructor(client: $.Client);
  static readonly methods: [
    $.Method<WorkerdDebugPort_GetEntrypoint$Params, WorkerdDebugPort_GetEntrypoint$Results>,
    $.Method<WorkerdDebugPort_GetActor$Params, WorkerdDebugPort_GetActor$Results>
  ];
  getEntrypoint(paramsFunc?: (params: WorkerdDebugPort_GetEntrypoint$Params) => void): WorkerdDebugPort_GetEntrypoint$Results$Promise;
  getActor(paramsFunc?: (params: WorkerdDebugPort_GetActor$Params) => void): WorkerdDebugPort_GetActor$Results$Promise;
}
export interface WorkerdDebugPort$Server$Target {
  getEntrypoint(params: WorkerdDebugPort_GetEntrypoint$Params, results: WorkerdDebugPort_GetEntrypoint$Results): Promise<void>;
  getActor(params: WorkerdDebugPort_GetActor$Params, results: WorkerdDebugPort_GetActor$Results): Promise<void>;
}
export declare class WorkerdDebugPort$Server extends $.Server {
  readonly target: WorkerdDebugPort$Server$Target;
  constructor(target: WorkerdDebugPort$Server$Target);
  client(): WorkerdDebugPort$Client;
}
/**
* Bootstrap of workerd's optional debug RPC port (used by miniflare): reach any entrypoint or
* actor with caller-chosen props. Handy for testing against a local workerd.
*
*/
export declare class WorkerdDebugPort extends $.Interface {
  static readonly Client: typeof WorkerdDebugPort$Client;
  static readonly Server: typeof WorkerdDebugPort$Server;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class TailStreamTarget_TailStreamParams extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  _adoptEvents(value: $.Orphan<$.Pointer>): void;
  _disownEvents(): $.Orphan<$.Pointer>;
  /**
* PLACEHOLDER: upstream `List(Trace.TailEvent)`.
*
*/
  get events(): $.Pointer;
  _hasEvents(): boolean;
  set events(value: $.Pointer);
  toString(): string;
}
export declare class TailStreamTarget_TailStreamResults extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get stop(): boolean;
  set stop(value: boolean);
  toString(): string;
}
export declare class TailStreamTarget_TailStreamResults$Promise {
  pipeline: $.Pipeline<any, any, TailStreamTarget_TailStreamResults>;
  constructor(pipeline: $.Pipeline<any, any, TailStreamTarget_TailStreamResults>);
  promise(): Promise<TailStreamTarget_TailStreamResults>;
}
export declare class TailStreamTarget$Client {
  client: $.Client;
  static readonly interfaceId: bigint;
  constructor(client: $.Client);
  static readonly methods: [
    $.Method<TailStreamTarget_TailStreamParams, TailStreamTarget_TailStreamResults>
  ];
  report(paramsFunc?: (params: TailStreamTarget_TailStreamParams) => void): TailStreamTarget_TailStreamResults$Promise;
}
export interface TailStreamTarget$Server$Target {
  report(params: TailStreamTarget_TailStreamParams, results: TailStreamTarget_TailStreamResults): Promise<void>;
}
export declare class TailStreamTarget$Server extends $.Server {
  readonly target: TailStreamTarget$Server$Target;
  constructor(target: TailStreamTarget$Server$Target);
  client(): TailStreamTarget$Client;
}
/**
* Streaming tail delivery (result of tailStreamSession); out of scope for edgebind.
*
*/
export declare class TailStreamTarget extends $.Interface {
  static readonly TailStreamParams: typeof TailStreamTarget_TailStreamParams;
  static readonly TailStreamResults: typeof TailStreamTarget_TailStreamResults;
  static readonly Client: typeof TailStreamTarget$Client;
  static readonly Server: typeof TailStreamTarget$Server;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class SendTracesRun extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get outcome(): EventOutcome;
  set outcome(value: EventOutcome);
  toString(): string;
}
export declare class ScheduledRun extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get outcome(): EventOutcome;
  set outcome(value: EventOutcome);
  get retry(): boolean;
  set retry(value: boolean);
  toString(): string;
}
export declare class AlarmRun extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
    defaultRetryCountsAgainstLimit: DataView<ArrayBufferLike>;
  };
  get outcome(): EventOutcome;
  set outcome(value: EventOutcome);
  get retry(): boolean;
  set retry(value: boolean);
  get retryCountsAgainstLimit(): boolean;
  set retryCountsAgainstLimit(value: boolean);
  get errorDescription(): string;
  set errorDescription(value: string);
  toString(): string;
}
export declare class QueueMessage extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get id(): string;
  set id(value: string);
  get timestampNs(): bigint;
  set timestampNs(value: bigint);
  _adoptData(value: $.Orphan<$.Data>): void;
  _disownData(): $.Orphan<$.Data>;
  get data(): $.Data;
  _hasData(): boolean;
  _initData(length: number): $.Data;
  set data(value: $.Data);
  get contentType(): string;
  set contentType(value: string);
  get attempts(): number;
  set attempts(value: number);
  toString(): string;
}
export declare const QueueRetryBatch_Which: {
  readonly UNDEFINED: 0;
  readonly DELAY_SECONDS: 1;
};
export type QueueRetryBatch_Which = (typeof QueueRetryBatch_Which)[keyof typeof QueueRetryBatch_Which];
export declare class QueueRetryBatch extends $.Struct {
  static readonly UNDEFINED: 0;
  static readonly DELAY_SECONDS: 1;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get retry(): boolean;
  set retry(value: boolean);
  get _isUndefined(): boolean;
  set undefined(_: true);
  get delaySeconds(): number;
  get _isDelaySeconds(): boolean;
  set delaySeconds(value: number);
  toString(): string;
  which(): QueueRetryBatch_Which;
}
export declare const QueueRetryMessage_Which: {
  readonly UNDEFINED: 0;
  readonly DELAY_SECONDS: 1;
};
export type QueueRetryMessage_Which = (typeof QueueRetryMessage_Which)[keyof typeof QueueRetryMessage_Which];
export declare class QueueRetryMessage extends $.Struct {
  static readonly UNDEFINED: 0;
  static readonly DELAY_SECONDS: 1;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get msgId(): string;
  set msgId(value: string);
  get _isUndefined(): boolean;
  set undefined(_: true);
  get delaySeconds(): number;
  get _isDelaySeconds(): boolean;
  set delaySeconds(value: number);
  toString(): string;
  which(): QueueRetryMessage_Which;
}
export declare class QueueResponse extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  static _RetryMessages: $.ListCtor<QueueRetryMessage>;
  get outcome(): EventOutcome;
  set outcome(value: EventOutcome);
  get ackAll(): boolean;
  set ackAll(value: boolean);
  _adoptRetryBatch(value: $.Orphan<QueueRetryBatch>): void;
  _disownRetryBatch(): $.Orphan<QueueRetryBatch>;
  get retryBatch(): QueueRetryBatch;
  _hasRetryBatch(): boolean;
  _initRetryBatch(): QueueRetryBatch;
  set retryBatch(value: QueueRetryBatch);
  _adoptExplicitAcks(value: $.Orphan<$.List<string>>): void;
  _disownExplicitAcks(): $.Orphan<$.List<string>>;
  get explicitAcks(): $.List<string>;
  _hasExplicitAcks(): boolean;
  _initExplicitAcks(length: number): $.List<string>;
  set explicitAcks(value: $.List<string>);
  _adoptRetryMessages(value: $.Orphan<$.List<QueueRetryMessage>>): void;
  _disownRetryMessages(): $.Orphan<$.List<QueueRetryMessage>>;
  get retryMessages(): $.List<QueueRetryMessage>;
  _hasRetryMessages(): boolean;
  _initRetryMessages(length: number): $.List<QueueRetryMessage>;
  set retryMessages(value: $.List<QueueRetryMessage>);
  toString(): string;
}
export declare class MessageBatchMetrics extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get backlogCount(): number;
  set backlogCount(value: number);
  get backlogBytes(): number;
  set backlogBytes(value: number);
  get oldestMessageTimestamp(): number;
  set oldestMessageTimestamp(value: number);
  toString(): string;
}
export declare class MessageBatchMetadata extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  _adoptMetrics(value: $.Orphan<MessageBatchMetrics>): void;
  _disownMetrics(): $.Orphan<MessageBatchMetrics>;
  get metrics(): MessageBatchMetrics;
  _hasMetrics(): boolean;
  _initMetrics(): MessageBatchMetrics;
  set metrics(value: MessageBatchMetrics);
  toString(): string;
}
/**
* Tag of each workerd host object inside V8-serialized data: after V8's host-object marker
* (0x5c) comes a varint of one of these values, then the type's own payload. Zero is never
* written on purpose.
*
*/
export declare const SerializationTag: {
  readonly INVALID: 0;
  readonly JS_RPC_STUB: 1;
  readonly WRITABLE_STREAM: 2;
  readonly READABLE_STREAM: 3;
  readonly HEADERS: 4;
  readonly REQUEST: 5;
  readonly RESPONSE: 6;
  readonly DOM_EXCEPTION: 7;
  readonly DOM_EXCEPTION_V2: 8;
  readonly ABORT_SIGNAL: 9;
  readonly NATIVE_ERROR: 10;
  readonly SERVICE_STUB: 11;
  readonly ACTOR_CLASS: 12;
  readonly R2BUCKET: 13;
  readonly KV_NAMESPACE: 14;
  readonly BLOB: 15;
  readonly SOCKET: 16;
  readonly WRAPPED_BINDING: 17;
};
export type SerializationTag = (typeof SerializationTag)[keyof typeof SerializationTag];
/**
* Content-encoding of the bytes a stream external carries (lets a pump skip a
* decompress/recompress round trip).
*
*/
export declare const StreamEncoding: {
  readonly IDENTITY: 0;
  readonly GZIP: 1;
  readonly BROTLI: 2;
};
export type StreamEncoding = (typeof StreamEncoding)[keyof typeof StreamEncoding];
export declare const JsValue_External_SecureTransport: {
  readonly OFF: 0;
  readonly STARTTLS: 1;
  readonly ON: 2;
};
export type JsValue_External_SecureTransport = (typeof JsValue_External_SecureTransport)[keyof typeof JsValue_External_SecureTransport];
/**
* A stub: the receiver gets an RpcStub for `cap`.
*
*/
export declare const JsValue_External_RpcTarget_Which: {
  /**
* Set only on stubs made by `ctx.restore()`: lets the stub be stored and restored.
*
*/
  readonly CHANNEL_TOKEN: 0;
  /**
* Same, but the token is pushed later with pushDelayedChannelToken().
*
*/
  readonly DELAYED_CHANNEL_TOKEN: 1;
};
export type JsValue_External_RpcTarget_Which = (typeof JsValue_External_RpcTarget_Which)[keyof typeof JsValue_External_RpcTarget_Which];
/**
* A stub: the receiver gets an RpcStub for `cap`.
*
*/
export declare class JsValue_External_RpcTarget extends $.Struct {
  static readonly CHANNEL_TOKEN: 0;
  static readonly DELAYED_CHANNEL_TOKEN: 1;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get cap(): JsRpcTarget$Client;
  set cap(value: JsRpcTarget$Client);
  _adoptChannelToken(value: $.Orphan<$.Data>): void;
  _disownChannelToken(): $.Orphan<$.Data>;
  /**
* Set only on stubs made by `ctx.restore()`: lets the stub be stored and restored.
*
*/
  get channelToken(): $.Data;
  _hasChannelToken(): boolean;
  _initChannelToken(length: number): $.Data;
  get _isChannelToken(): boolean;
  set channelToken(value: $.Data);
  /**
* Same, but the token is pushed later with pushDelayedChannelToken().
*
*/
  get delayedChannelToken(): JsValue_ExternalPusher_DelayedChannelToken$Client;
  get _isDelayedChannelToken(): boolean;
  set delayedChannelToken(value: JsValue_ExternalPusher_DelayedChannelToken$Client);
  toString(): string;
  which(): JsValue_External_RpcTarget_Which;
}
/**
* A WritableStream: the receiver writes into `byteStream`.
*
*/
export declare class JsValue_External_WritableStream extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get byteStream(): ByteStream$Client;
  set byteStream(value: ByteStream$Client);
  get encoding(): StreamEncoding;
  set encoding(value: StreamEncoding);
  toString(): string;
}
/**
* Obsolete once `stream` is used: the length travels with pushByteStream().
*
*/
export declare const JsValue_External_ReadableStream_ExpectedLength_Which: {
  readonly UNKNOWN: 0;
  readonly KNOWN: 1;
};
export type JsValue_External_ReadableStream_ExpectedLength_Which = (typeof JsValue_External_ReadableStream_ExpectedLength_Which)[keyof typeof JsValue_External_ReadableStream_ExpectedLength_Which];
/**
* Obsolete once `stream` is used: the length travels with pushByteStream().
*
*/
export declare class JsValue_External_ReadableStream_ExpectedLength extends $.Struct {
  static readonly UNKNOWN: 0;
  static readonly KNOWN: 1;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get _isUnknown(): boolean;
  set unknown(_: true);
  get known(): bigint;
  get _isKnown(): boolean;
  set known(value: bigint);
  toString(): string;
  which(): JsValue_External_ReadableStream_ExpectedLength_Which;
}
/**
* A ReadableStream whose bytes were pushed into the receiver with pushByteStream().
*
*/
export declare class JsValue_External_ReadableStream extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get stream(): JsValue_ExternalPusher_InputStream$Client;
  set stream(value: JsValue_ExternalPusher_InputStream$Client);
  get encoding(): StreamEncoding;
  set encoding(value: StreamEncoding);
  /**
* Obsolete once `stream` is used: the length travels with pushByteStream().
*
*/
  get expectedLength(): JsValue_External_ReadableStream_ExpectedLength;
  _initExpectedLength(): JsValue_External_ReadableStream_ExpectedLength;
  toString(): string;
}
/**
* A transferred Socket (its byte streams follow as separate stream externals).
*
*/
export declare class JsValue_External_Socket extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get remoteAddress(): string;
  set remoteAddress(value: string);
  get secureTransport(): JsValue_External_SecureTransport;
  set secureTransport(value: JsValue_External_SecureTransport);
  get isDefaultFetchPort(): boolean;
  set isDefaultFetchPort(value: boolean);
  get localAddress(): string;
  set localAddress(value: string);
  get allowHalfOpen(): boolean;
  set allowHalfOpen(value: boolean);
  toString(): string;
}
export declare const JsValue_External_Which: {
  /**
* Default value; a well-formed message never contains it.
*
*/
  readonly INVALID: 0;
  /**
* A stub: the receiver gets an RpcStub for `cap`.
*
*/
  readonly RPC_TARGET: 1;
  /**
* A WritableStream: the receiver writes into `byteStream`.
*
*/
  readonly WRITABLE_STREAM: 2;
  /**
* A ReadableStream whose bytes were pushed into the receiver with pushByteStream().
*
*/
  readonly READABLE_STREAM: 3;
  readonly OBSOLETE7: 4;
  /**
* An AbortSignal, created earlier in the receiver with pushAbortSignal().
*
*/
  readonly ABORT_SIGNAL: 7;
  readonly SUBREQUEST_CHANNEL_TOKEN: 5;
  /**
* Serialized channel tokens (service stubs / actor classes).
*
*/
  readonly ACTOR_CLASS_CHANNEL_TOKEN: 6;
  readonly DELAYED_SUBREQUEST_CHANNEL_TOKEN: 8;
  /**
* Tokens the sender could not compute before sending the call; they follow through
* pushDelayedChannelToken() so the call itself is not held back.
*
*/
  readonly DELAYED_ACTOR_CLASS_CHANNEL_TOKEN: 9;
  /**
* A transferred Socket (its byte streams follow as separate stream externals).
*
*/
  readonly SOCKET: 10;
};
export type JsValue_External_Which = (typeof JsValue_External_Which)[keyof typeof JsValue_External_Which];
export declare class JsValue_External extends $.Struct {
  static readonly INVALID: 0;
  static readonly RPC_TARGET: 1;
  static readonly WRITABLE_STREAM: 2;
  static readonly READABLE_STREAM: 3;
  static readonly OBSOLETE7: 4;
  static readonly ABORT_SIGNAL: 7;
  static readonly SUBREQUEST_CHANNEL_TOKEN: 5;
  static readonly ACTOR_CLASS_CHANNEL_TOKEN: 6;
  static readonly DELAYED_SUBREQUEST_CHANNEL_TOKEN: 8;
  static readonly DELAYED_ACTOR_CLASS_CHANNEL_TOKEN: 9;
  static readonly SOCKET: 10;
  static readonly SecureTransport: {
    readonly OFF: 0;
    readonly STARTTLS: 1;
    readonly ON: 2;
  };
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get _isInvalid(): boolean;
  set invalid(_: true);
  /**
* A stub: the receiver gets an RpcStub for `cap`.
*
*/
  get rpcTarget(): JsValue_External_RpcTarget;
  _initRpcTarget(): JsValue_External_RpcTarget;
  get _isRpcTarget(): boolean;
  set rpcTarget(_: true);
  /**
* A WritableStream: the receiver writes into `byteStream`.
*
*/
  get writableStream(): JsValue_External_WritableStream;
  _initWritableStream(): JsValue_External_WritableStream;
  get _isWritableStream(): boolean;
  set writableStream(_: true);
  /**
* A ReadableStream whose bytes were pushed into the receiver with pushByteStream().
*
*/
  get readableStream(): JsValue_External_ReadableStream;
  _initReadableStream(): JsValue_External_ReadableStream;
  get _isReadableStream(): boolean;
  set readableStream(_: true);
  get _isObsolete7(): boolean;
  set obsolete7(_: true);
  /**
* An AbortSignal, created earlier in the receiver with pushAbortSignal().
*
*/
  get abortSignal(): JsValue_ExternalPusher_AbortSignal$Client;
  get _isAbortSignal(): boolean;
  set abortSignal(value: JsValue_ExternalPusher_AbortSignal$Client);
  _adoptSubrequestChannelToken(value: $.Orphan<$.Data>): void;
  _disownSubrequestChannelToken(): $.Orphan<$.Data>;
  get subrequestChannelToken(): $.Data;
  _hasSubrequestChannelToken(): boolean;
  _initSubrequestChannelToken(length: number): $.Data;
  get _isSubrequestChannelToken(): boolean;
  set subrequestChannelToken(value: $.Data);
  _adoptActorClassChannelToken(value: $.Orphan<$.Data>): void;
  _disownActorClassChannelToken(): $.Orphan<$.Data>;
  /**
* Serialized channel tokens (service stubs / actor classes).
*
*/
  get actorClassChannelToken(): $.Data;
  _hasActorClassChannelToken(): boolean;
  _initActorClassChannelToken(length: number): $.Data;
  get _isActorClassChannelToken(): boolean;
  set actorClassChannelToken(value: $.Data);
  get delayedSubrequestChannelToken(): JsValue_ExternalPusher_DelayedChannelToken$Client;
  get _isDelayedSubrequestChannelToken(): boolean;
  set delayedSubrequestChannelToken(value: JsValue_ExternalPusher_DelayedChannelToken$Client);
  /**
* Tokens the sender could not compute before sending the call; they follow through
* pushDelayedChannelToken() so the call itself is not held back.
*
*/
  get delayedActorClassChannelToken(): JsValue_ExternalPusher_DelayedChannelToken$Client;
  get _isDelayedActorClassChannelToken(): boolean;
  set delayedActorClassChannelToken(value: JsValue_ExternalPusher_DelayedChannelToken$Client);
  /**
* A transferred Socket (its byte streams follow as separate stream externals).
*
*/
  get socket(): JsValue_External_Socket;
  _initSocket(): JsValue_External_Socket;
  get _isSocket(): boolean;
  set socket(_: true);
  toString(): string;
  which(): JsValue_External_Which;
}
export declare class JsValue_ExternalPusher_InputStream$Client {
  client: $.Client;
  static readonly interfaceId: bigint;
  constructor(client: $.Client);
  static readonly methods: [
  ];
}
export interface JsValue_ExternalPusher_InputStream$Server$Target {
}
export declare class JsValue_ExternalPusher_InputStream$Server extends $.Server {
  readonly target: JsValue_ExternalPusher_InputStream$Server$Target;
  constructor(target: JsValue_ExternalPusher_InputStream$Server$Target);
  client(): JsValue_ExternalPusher_InputStream$Client;
}
export declare class JsValue_ExternalPusher_InputStream extends $.Interface {
  static readonly Client: typeof JsValue_ExternalPusher_InputStream$Client;
  static readonly Server: typeof JsValue_ExternalPusher_InputStream$Server;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class JsValue_ExternalPusher_AbortSignal$Client {
  client: $.Client;
  static readonly interfaceId: bigint;
  constructor(client: $.Client);
  static readonly methods: [
  ];
}
export interface JsValue_ExternalPusher_AbortSignal$Server$Target {
}
export declare class JsValue_ExternalPusher_AbortSignal$Server extends $.Server {
  readonly target: JsValue_ExternalPusher_AbortSignal$Server$Target;
  constructor(target: JsValue_ExternalPusher_AbortSignal$Server$Target);
  client(): JsValue_ExternalPusher_AbortSignal$Client;
}
export declare class JsValue_ExternalPusher_AbortSignal extends $.Interface {
  static readonly Client: typeof JsValue_ExternalPusher_AbortSignal$Client;
  static readonly Server: typeof JsValue_ExternalPusher_AbortSignal$Server;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class JsValue_ExternalPusher_DelayedChannelToken$Client {
  client: $.Client;
  static readonly interfaceId: bigint;
  constructor(client: $.Client);
  static readonly methods: [
  ];
}
export interface JsValue_ExternalPusher_DelayedChannelToken$Server$Target {
}
export declare class JsValue_ExternalPusher_DelayedChannelToken$Server extends $.Server {
  readonly target: JsValue_ExternalPusher_DelayedChannelToken$Server$Target;
  constructor(target: JsValue_ExternalPusher_DelayedChannelToken$Server$Target);
  client(): JsValue_ExternalPusher_DelayedChannelToken$Client;
}
export declare class JsValue_ExternalPusher_DelayedChannelToken extends $.Interface {
  static readonly Client: typeof JsValue_ExternalPusher_DelayedChannelToken$Client;
  static readonly Server: typeof JsValue_ExternalPusher_DelayedChannelToken$Server;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class JsValue_ExternalPusher_PushByteStream$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
    defaultLengthPlusOne: DataView<ArrayBufferLike>;
  };
  get lengthPlusOne(): bigint;
  set lengthPlusOne(value: bigint);
  toString(): string;
}
export declare class JsValue_ExternalPusher_PushByteStream$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get source(): JsValue_ExternalPusher_InputStream$Client;
  set source(value: JsValue_ExternalPusher_InputStream$Client);
  get sink(): ByteStream$Client;
  set sink(value: ByteStream$Client);
  toString(): string;
}
export declare class JsValue_ExternalPusher_PushByteStream$Results$Promise {
  pipeline: $.Pipeline<any, any, JsValue_ExternalPusher_PushByteStream$Results>;
  constructor(pipeline: $.Pipeline<any, any, JsValue_ExternalPusher_PushByteStream$Results>);
  getSource(): JsValue_ExternalPusher_InputStream$Client;
  getSink(): ByteStream$Client;
  promise(): Promise<JsValue_ExternalPusher_PushByteStream$Results>;
}
export declare class JsValue_ExternalPusher_PushAbortSignal$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class JsValue_ExternalPusher_PushAbortSignal$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get signal(): JsValue_ExternalPusher_AbortSignal$Client;
  set signal(value: JsValue_ExternalPusher_AbortSignal$Client);
  get trigger(): AbortTrigger$Client;
  set trigger(value: AbortTrigger$Client);
  toString(): string;
}
export declare class JsValue_ExternalPusher_PushAbortSignal$Results$Promise {
  pipeline: $.Pipeline<any, any, JsValue_ExternalPusher_PushAbortSignal$Results>;
  constructor(pipeline: $.Pipeline<any, any, JsValue_ExternalPusher_PushAbortSignal$Results>);
  getSignal(): JsValue_ExternalPusher_AbortSignal$Client;
  getTrigger(): AbortTrigger$Client;
  promise(): Promise<JsValue_ExternalPusher_PushAbortSignal$Results>;
}
export declare class JsValue_ExternalPusher_PushDelayedChannelToken$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  _adoptToken(value: $.Orphan<$.Data>): void;
  _disownToken(): $.Orphan<$.Data>;
  get token(): $.Data;
  _hasToken(): boolean;
  _initToken(length: number): $.Data;
  set token(value: $.Data);
  toString(): string;
}
export declare class JsValue_ExternalPusher_PushDelayedChannelToken$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get cap(): JsValue_ExternalPusher_DelayedChannelToken$Client;
  set cap(value: JsValue_ExternalPusher_DelayedChannelToken$Client);
  toString(): string;
}
export declare class JsValue_ExternalPusher_PushDelayedChannelToken$Results$Promise {
  pipeline: $.Pipeline<any, any, JsValue_ExternalPusher_PushDelayedChannelToken$Results>;
  constructor(pipeline: $.Pipeline<any, any, JsValue_ExternalPusher_PushDelayedChannelToken$Results>);
  getCap(): JsValue_ExternalPusher_DelayedChannelToken$Client;
  promise(): Promise<JsValue_ExternalPusher_PushDelayedChannelToken$Results>;
}
export declare class JsValue_ExternalPusher$Client {
  client: $.Client;
  static readonly interfaceId: bigint;
  constructor(client: $.Client);
  static readonly methods: [
    $.Method<JsValue_ExternalPusher_PushByteStream$Params, JsValue_ExternalPusher_PushByteStream$Results>,
    $.Method<JsValue_ExternalPusher_PushAbortSignal$Params, JsValue_ExternalPusher_PushAbortSignal$Results>,
    $.Method<JsValue_ExternalPusher_PushDelayedChannelToken$Params, JsValue_ExternalPusher_PushDelayedChannelToken$Results>
  ];
  /**
* New stream in the receiver: write bytes into `sink`, reference `source` from a
* readableStream External. `lengthPlusOne` is the known length + 1, or 0 if unknown.
*
*/
  pushByteStream(paramsFunc?: (params: JsValue_ExternalPusher_PushByteStream$Params) => void): JsValue_ExternalPusher_PushByteStream$Results$Promise;
  /**
* New AbortSignal in the receiver: reference `signal` from an abortSignal External, and fire
* or retire it through `trigger`.
*
*/
  pushAbortSignal(paramsFunc?: (params: JsValue_ExternalPusher_PushAbortSignal$Params) => void): JsValue_ExternalPusher_PushAbortSignal$Results$Promise;
  /**
* Supplies a token promised earlier by a delayed*ChannelToken External.
*
*/
  pushDelayedChannelToken(paramsFunc?: (params: JsValue_ExternalPusher_PushDelayedChannelToken$Params) => void): JsValue_ExternalPusher_PushDelayedChannelToken$Results$Promise;
}
export interface JsValue_ExternalPusher$Server$Target {
  pushByteStream(params: JsValue_ExternalPusher_PushByteStream$Params, results: JsValue_ExternalPusher_PushByteStream$Results): Promise<void>;
  pushAbortSignal(params: JsValue_ExternalPusher_PushAbortSignal$Params, results: JsValue_ExternalPusher_PushAbortSignal$Results): Promise<void>;
  pushDelayedChannelToken(params: JsValue_ExternalPusher_PushDelayedChannelToken$Params, results: JsValue_ExternalPusher_PushDelayedChannelToken$Results): Promise<void>;
}
export declare class JsValue_ExternalPusher$Server extends $.Server {
  readonly target: JsValue_ExternalPusher$Server$Target;
  constructor(target: JsValue_ExternalPusher$Server$Target);
  client(): JsValue_ExternalPusher$Client;
}
/**
* Lets a sender create objects *inside the receiver* ahead of (or alongside) the value that
* references them, so e.g. stream bytes can start flowing without a round trip. The returned
* capabilities have no methods: they are only ever passed back to the same receiver inside
* an External, and the receiver maps them back to its own local objects. A receiver must
* cope with the push arriving after the value that references it.
*
*/
export declare class JsValue_ExternalPusher extends $.Interface {
  static readonly InputStream: typeof JsValue_ExternalPusher_InputStream;
  static readonly AbortSignal: typeof JsValue_ExternalPusher_AbortSignal;
  static readonly DelayedChannelToken: typeof JsValue_ExternalPusher_DelayedChannelToken;
  static readonly Client: typeof JsValue_ExternalPusher$Client;
  static readonly Server: typeof JsValue_ExternalPusher$Server;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
/**
* One JS value in transit: V8 ValueSerializer bytes (version 15, with the FF 0F header) plus
* the capabilities and other out-of-band things the bytes refer to.
*
*/
export declare class JsValue extends $.Struct {
  static readonly External: typeof JsValue_External;
  static readonly ExternalPusher: typeof JsValue_ExternalPusher;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  static _Externals: $.ListCtor<JsValue_External>;
  _adoptV8Serialized(value: $.Orphan<$.Data>): void;
  _disownV8Serialized(): $.Orphan<$.Data>;
  get v8Serialized(): $.Data;
  _hasV8Serialized(): boolean;
  _initV8Serialized(length: number): $.Data;
  set v8Serialized(value: $.Data);
  _adoptExternals(value: $.Orphan<$.List<JsValue_External>>): void;
  _disownExternals(): $.Orphan<$.List<JsValue_External>>;
  /**
* Host objects in `v8Serialized` that need more than bytes (stubs, streams, signals...) are
* written as a reference to an entry of this list, in order of appearance.
*
*/
  get externals(): $.List<JsValue_External>;
  _hasExternals(): boolean;
  _initExternals(length: number): $.List<JsValue_External>;
  set externals(value: $.List<JsValue_External>);
  toString(): string;
}
export declare class AbortTrigger_Abort$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  _adoptReason(value: $.Orphan<JsValue>): void;
  _disownReason(): $.Orphan<JsValue>;
  get reason(): JsValue;
  _hasReason(): boolean;
  _initReason(): JsValue;
  set reason(value: JsValue);
  toString(): string;
}
export declare class AbortTrigger_Abort$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class AbortTrigger_Abort$Results$Promise {
  pipeline: $.Pipeline<any, any, AbortTrigger_Abort$Results>;
  constructor(pipeline: $.Pipeline<any, any, AbortTrigger_Abort$Results>);
  promise(): Promise<AbortTrigger_Abort$Results>;
}
export declare class AbortTrigger_Release$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class AbortTrigger_Release$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class AbortTrigger_Release$Results$Promise {
  pipeline: $.Pipeline<any, any, AbortTrigger_Release$Results>;
  constructor(pipeline: $.Pipeline<any, any, AbortTrigger_Release$Results>);
  promise(): Promise<AbortTrigger_Release$Results>;
}
export declare class AbortTrigger$Client {
  client: $.Client;
  static readonly interfaceId: bigint;
  constructor(client: $.Client);
  static readonly methods: [
    $.Method<AbortTrigger_Abort$Params, AbortTrigger_Abort$Results>,
    $.Method<AbortTrigger_Release$Params, AbortTrigger_Release$Results>
  ];
  /**
* The original signal aborted with `reason`; abort the clone with it.
*
*/
  abort(paramsFunc?: (params: AbortTrigger_Abort$Params) => void): AbortTrigger_Abort$Results$Promise;
  /**
* The original signal will never abort. Without this, dropping the trigger counts as an abort.
*
*/
  release(paramsFunc?: (params: AbortTrigger_Release$Params) => void): AbortTrigger_Release$Results$Promise;
}
export interface AbortTrigger$Server$Target {
  abort(params: AbortTrigger_Abort$Params, results: AbortTrigger_Abort$Results): Promise<void>;
  release(params: AbortTrigger_Release$Params, results: AbortTrigger_Release$Results): Promise<void>;
}
export declare class AbortTrigger$Server extends $.Server {
  readonly target: AbortTrigger$Server$Target;
  constructor(target: AbortTrigger$Server$Target);
  client(): AbortTrigger$Client;
}
/**
* Held by the side that owns the original AbortSignal; served by the receiver's clone.
*
*/
export declare class AbortTrigger extends $.Interface {
  static readonly Client: typeof AbortTrigger$Client;
  static readonly Server: typeof AbortTrigger$Server;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare const JsRpcTarget_CallParams_Operation_Which: {
  /**
* Call it. The value is always a JS Array of the arguments; a null pointer (while this
* member is selected) means no arguments.
*
*/
  readonly CALL_WITH_ARGS: 0;
  /**
* Only read the property (`await stub.prop`).
*
*/
  readonly GET_PROPERTY: 1;
};
export type JsRpcTarget_CallParams_Operation_Which = (typeof JsRpcTarget_CallParams_Operation_Which)[keyof typeof JsRpcTarget_CallParams_Operation_Which];
export declare class JsRpcTarget_CallParams_Operation extends $.Struct {
  static readonly CALL_WITH_ARGS: 0;
  static readonly GET_PROPERTY: 1;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  _adoptCallWithArgs(value: $.Orphan<JsValue>): void;
  _disownCallWithArgs(): $.Orphan<JsValue>;
  /**
* Call it. The value is always a JS Array of the arguments; a null pointer (while this
* member is selected) means no arguments.
*
*/
  get callWithArgs(): JsValue;
  _hasCallWithArgs(): boolean;
  _initCallWithArgs(): JsValue;
  get _isCallWithArgs(): boolean;
  set callWithArgs(value: JsValue);
  get _isGetProperty(): boolean;
  set getProperty(_: true);
  toString(): string;
  which(): JsRpcTarget_CallParams_Operation_Which;
}
export declare const JsRpcTarget_CallParams_ResultsStreamHandler_Which: {
  /**
* Retired mechanism; never sent any more.
*
*/
  readonly OBSOLETE4: 0;
  /**
* Pushes into the caller, for externals inside the result. Always present.
*
*/
  readonly EXTERNAL_PUSHER: 1;
};
export type JsRpcTarget_CallParams_ResultsStreamHandler_Which = (typeof JsRpcTarget_CallParams_ResultsStreamHandler_Which)[keyof typeof JsRpcTarget_CallParams_ResultsStreamHandler_Which];
export declare class JsRpcTarget_CallParams_ResultsStreamHandler extends $.Struct {
  static readonly OBSOLETE4: 0;
  static readonly EXTERNAL_PUSHER: 1;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  _adoptObsolete4(value: $.Orphan<$.Pointer>): void;
  _disownObsolete4(): $.Orphan<$.Pointer>;
  /**
* Retired mechanism; never sent any more.
*
*/
  get obsolete4(): $.Pointer;
  _hasObsolete4(): boolean;
  get _isObsolete4(): boolean;
  set obsolete4(value: $.Pointer);
  /**
* Pushes into the caller, for externals inside the result. Always present.
*
*/
  get externalPusher(): JsValue_ExternalPusher$Client;
  get _isExternalPusher(): boolean;
  set externalPusher(value: JsValue_ExternalPusher$Client);
  toString(): string;
  which(): JsRpcTarget_CallParams_ResultsStreamHandler_Which;
}
export declare const JsRpcTarget_CallParams_Which: {
  /**
* Shorthand for a one-element `methodPath`.
*
*/
  readonly METHOD_NAME: 0;
  /**
* Property names to walk from the target to the method; empty means "call the target".
*
*/
  readonly METHOD_PATH: 1;
};
export type JsRpcTarget_CallParams_Which = (typeof JsRpcTarget_CallParams_Which)[keyof typeof JsRpcTarget_CallParams_Which];
export declare class JsRpcTarget_CallParams extends $.Struct {
  static readonly METHOD_NAME: 0;
  static readonly METHOD_PATH: 1;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  /**
* Shorthand for a one-element `methodPath`.
*
*/
  get methodName(): string;
  get _isMethodName(): boolean;
  set methodName(value: string);
  _adoptMethodPath(value: $.Orphan<$.List<string>>): void;
  _disownMethodPath(): $.Orphan<$.List<string>>;
  /**
* Property names to walk from the target to the method; empty means "call the target".
*
*/
  get methodPath(): $.List<string>;
  _hasMethodPath(): boolean;
  _initMethodPath(length: number): $.List<string>;
  get _isMethodPath(): boolean;
  set methodPath(value: $.List<string>);
  get operation(): JsRpcTarget_CallParams_Operation;
  _initOperation(): JsRpcTarget_CallParams_Operation;
  get resultsStreamHandler(): JsRpcTarget_CallParams_ResultsStreamHandler;
  _initResultsStreamHandler(): JsRpcTarget_CallParams_ResultsStreamHandler;
  toString(): string;
  which(): JsRpcTarget_CallParams_Which;
}
export declare class JsRpcTarget_CallResults extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  _adoptResult(value: $.Orphan<JsValue>): void;
  _disownResult(): $.Orphan<JsValue>;
  get result(): JsValue;
  _hasResult(): boolean;
  _initResult(): JsValue;
  set result(value: JsValue);
  /**
* A target standing for the result, so the caller can pipeline calls on it before the
* result arrives (even when the result is plain data).
*
*/
  get callPipeline(): JsRpcTarget$Client;
  set callPipeline(value: JsRpcTarget$Client);
  /**
* The result is plain data whose callee-side object has a disposer; the caller keeps
* `callPipeline` until its own disposer runs, and dropping it runs the callee's.
*
*/
  get hasDisposer(): boolean;
  set hasDisposer(value: boolean);
  _adoptObsolete3(value: $.Orphan<$.Pointer>): void;
  _disownObsolete3(): $.Orphan<$.Pointer>;
  /**
* Retired mechanism; never sent any more.
*
*/
  get obsolete3(): $.Pointer;
  _hasObsolete3(): boolean;
  set obsolete3(value: $.Pointer);
  toString(): string;
}
export declare class JsRpcTarget_CallResults$Promise {
  pipeline: $.Pipeline<any, any, JsRpcTarget_CallResults>;
  constructor(pipeline: $.Pipeline<any, any, JsRpcTarget_CallResults>);
  getCallPipeline(): JsRpcTarget$Client;
  promise(): Promise<JsRpcTarget_CallResults>;
}
export declare class JsRpcTarget$Client {
  client: $.Client;
  static readonly interfaceId: bigint;
  constructor(client: $.Client);
  static readonly methods: [
    $.Method<JsRpcTarget_CallParams, JsRpcTarget_CallResults>
  ];
  call(paramsFunc?: (params: JsRpcTarget_CallParams) => void): JsRpcTarget_CallResults$Promise;
}
export interface JsRpcTarget$Server$Target {
  call(params: JsRpcTarget_CallParams, results: JsRpcTarget_CallResults): Promise<void>;
}
export declare class JsRpcTarget$Server extends $.Server {
  readonly target: JsRpcTarget$Server$Target;
  constructor(target: JsRpcTarget$Server$Target);
  client(): JsRpcTarget$Client;
}
/**
* Every RPC stub is one of these, including a session's `topLevel`. It is also an
* ExternalPusher so that externals used by a call can be pushed to the same capability, and
* thus arrive in order before the call.
*
*/
export declare class JsRpcTarget extends $.Interface {
  static readonly CallParams: typeof JsRpcTarget_CallParams;
  static readonly CallResults: typeof JsRpcTarget_CallResults;
  static readonly Client: typeof JsRpcTarget$Client;
  static readonly Server: typeof JsRpcTarget$Server;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class JsRpcSession$Client {
  client: $.Client;
  static readonly interfaceId: bigint;
  constructor(client: $.Client);
  static readonly methods: [
  ];
}
export interface JsRpcSession$Server$Target {
}
export declare class JsRpcSession$Server extends $.Server {
  readonly target: JsRpcSession$Server$Target;
  constructor(target: JsRpcSession$Server$Target);
  client(): JsRpcSession$Client;
}
/**
* No methods: a lifetime handle (see EventDispatcher.jsRpcSession).
*
*/
export declare class JsRpcSession extends $.Interface {
  static readonly Client: typeof JsRpcSession$Client;
  static readonly Server: typeof JsRpcSession$Server;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
