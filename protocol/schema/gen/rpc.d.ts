import * as $ from "capnp-es";
export declare const _capnpFileId = 12903543124727603792n;
export declare const Message_Which: {
  readonly UNIMPLEMENTED: 0;
  readonly ABORT: 1;
  readonly BOOTSTRAP: 8;
  readonly CALL: 2;
  readonly RETURN: 3;
  readonly FINISH: 4;
  readonly RESOLVE: 5;
  readonly RELEASE: 6;
  readonly DISEMBARGO: 13;
  readonly OBSOLETE_SAVE: 7;
  readonly OBSOLETE_DELETE: 9;
  readonly PROVIDE: 10;
  readonly ACCEPT: 11;
  readonly THIRD_PARTY_ANSWER: 14;
  readonly JOIN: 12;
};
export type Message_Which = (typeof Message_Which)[keyof typeof Message_Which];
export declare class Message extends $.Struct {
  static readonly UNIMPLEMENTED: 0;
  static readonly ABORT: 1;
  static readonly BOOTSTRAP: 8;
  static readonly CALL: 2;
  static readonly RETURN: 3;
  static readonly FINISH: 4;
  static readonly RESOLVE: 5;
  static readonly RELEASE: 6;
  static readonly DISEMBARGO: 13;
  static readonly OBSOLETE_SAVE: 7;
  static readonly OBSOLETE_DELETE: 9;
  static readonly PROVIDE: 10;
  static readonly ACCEPT: 11;
  static readonly THIRD_PARTY_ANSWER: 14;
  static readonly JOIN: 12;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  _adoptUnimplemented(value: $.Orphan<Message>): void;
  _disownUnimplemented(): $.Orphan<Message>;
  get unimplemented(): Message;
  _hasUnimplemented(): boolean;
  _initUnimplemented(): Message;
  get _isUnimplemented(): boolean;
  set unimplemented(value: Message);
  _adoptAbort(value: $.Orphan<Exception>): void;
  _disownAbort(): $.Orphan<Exception>;
  get abort(): Exception;
  _hasAbort(): boolean;
  _initAbort(): Exception;
  get _isAbort(): boolean;
  set abort(value: Exception);
  _adoptBootstrap(value: $.Orphan<Bootstrap>): void;
  _disownBootstrap(): $.Orphan<Bootstrap>;
  get bootstrap(): Bootstrap;
  _hasBootstrap(): boolean;
  _initBootstrap(): Bootstrap;
  get _isBootstrap(): boolean;
  set bootstrap(value: Bootstrap);
  _adoptCall(value: $.Orphan<Call>): void;
  _disownCall(): $.Orphan<Call>;
  get call(): Call;
  _hasCall(): boolean;
  _initCall(): Call;
  get _isCall(): boolean;
  set call(value: Call);
  _adoptReturn(value: $.Orphan<Return>): void;
  _disownReturn(): $.Orphan<Return>;
  get return(): Return;
  _hasReturn(): boolean;
  _initReturn(): Return;
  get _isReturn(): boolean;
  set return(value: Return);
  _adoptFinish(value: $.Orphan<Finish>): void;
  _disownFinish(): $.Orphan<Finish>;
  get finish(): Finish;
  _hasFinish(): boolean;
  _initFinish(): Finish;
  get _isFinish(): boolean;
  set finish(value: Finish);
  _adoptResolve(value: $.Orphan<Resolve>): void;
  _disownResolve(): $.Orphan<Resolve>;
  get resolve(): Resolve;
  _hasResolve(): boolean;
  _initResolve(): Resolve;
  get _isResolve(): boolean;
  set resolve(value: Resolve);
  _adoptRelease(value: $.Orphan<Release>): void;
  _disownRelease(): $.Orphan<Release>;
  get release(): Release;
  _hasRelease(): boolean;
  _initRelease(): Release;
  get _isRelease(): boolean;
  set release(value: Release);
  _adoptDisembargo(value: $.Orphan<Disembargo>): void;
  _disownDisembargo(): $.Orphan<Disembargo>;
  get disembargo(): Disembargo;
  _hasDisembargo(): boolean;
  _initDisembargo(): Disembargo;
  get _isDisembargo(): boolean;
  set disembargo(value: Disembargo);
  _adoptObsoleteSave(value: $.Orphan<$.Pointer>): void;
  _disownObsoleteSave(): $.Orphan<$.Pointer>;
  get obsoleteSave(): $.Pointer;
  _hasObsoleteSave(): boolean;
  get _isObsoleteSave(): boolean;
  set obsoleteSave(value: $.Pointer);
  _adoptObsoleteDelete(value: $.Orphan<$.Pointer>): void;
  _disownObsoleteDelete(): $.Orphan<$.Pointer>;
  get obsoleteDelete(): $.Pointer;
  _hasObsoleteDelete(): boolean;
  get _isObsoleteDelete(): boolean;
  set obsoleteDelete(value: $.Pointer);
  _adoptProvide(value: $.Orphan<Provide>): void;
  _disownProvide(): $.Orphan<Provide>;
  get provide(): Provide;
  _hasProvide(): boolean;
  _initProvide(): Provide;
  get _isProvide(): boolean;
  set provide(value: Provide);
  _adoptAccept(value: $.Orphan<Accept>): void;
  _disownAccept(): $.Orphan<Accept>;
  get accept(): Accept;
  _hasAccept(): boolean;
  _initAccept(): Accept;
  get _isAccept(): boolean;
  set accept(value: Accept);
  _adoptThirdPartyAnswer(value: $.Orphan<ThirdPartyAnswer>): void;
  _disownThirdPartyAnswer(): $.Orphan<ThirdPartyAnswer>;
  get thirdPartyAnswer(): ThirdPartyAnswer;
  _hasThirdPartyAnswer(): boolean;
  _initThirdPartyAnswer(): ThirdPartyAnswer;
  get _isThirdPartyAnswer(): boolean;
  set thirdPartyAnswer(value: ThirdPartyAnswer);
  _adoptJoin(value: $.Orphan<Join>): void;
  _disownJoin(): $.Orphan<Join>;
  get join(): Join;
  _hasJoin(): boolean;
  _initJoin(): Join;
  get _isJoin(): boolean;
  set join(value: Join);
  toString(): string;
  which(): Message_Which;
}
export declare class Bootstrap extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get questionId(): number;
  set questionId(value: number);
  _adoptDeprecatedObjectId(value: $.Orphan<$.Pointer>): void;
  _disownDeprecatedObjectId(): $.Orphan<$.Pointer>;
  get deprecatedObjectId(): $.Pointer;
  _hasDeprecatedObjectId(): boolean;
  set deprecatedObjectId(value: $.Pointer);
  toString(): string;
}
export declare const Call_SendResultsTo_Which: {
  readonly CALLER: 0;
  readonly YOURSELF: 1;
  readonly THIRD_PARTY: 2;
};
export type Call_SendResultsTo_Which = (typeof Call_SendResultsTo_Which)[keyof typeof Call_SendResultsTo_Which];
export declare class Call_SendResultsTo extends $.Struct {
  static readonly CALLER: 0;
  static readonly YOURSELF: 1;
  static readonly THIRD_PARTY: 2;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get _isCaller(): boolean;
  set caller(_: true);
  get _isYourself(): boolean;
  set yourself(_: true);
  _adoptThirdParty(value: $.Orphan<$.Pointer>): void;
  _disownThirdParty(): $.Orphan<$.Pointer>;
  get thirdParty(): $.Pointer;
  _hasThirdParty(): boolean;
  get _isThirdParty(): boolean;
  set thirdParty(value: $.Pointer);
  toString(): string;
  which(): Call_SendResultsTo_Which;
}
export declare class Call extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
    defaultAllowThirdPartyTailCall: DataView<ArrayBufferLike>;
    defaultNoPromisePipelining: DataView<ArrayBufferLike>;
    defaultOnlyPromisePipeline: DataView<ArrayBufferLike>;
  };
  get questionId(): number;
  set questionId(value: number);
  _adoptTarget(value: $.Orphan<MessageTarget>): void;
  _disownTarget(): $.Orphan<MessageTarget>;
  get target(): MessageTarget;
  _hasTarget(): boolean;
  _initTarget(): MessageTarget;
  set target(value: MessageTarget);
  get interfaceId(): bigint;
  set interfaceId(value: bigint);
  get methodId(): number;
  set methodId(value: number);
  get allowThirdPartyTailCall(): boolean;
  set allowThirdPartyTailCall(value: boolean);
  get noPromisePipelining(): boolean;
  set noPromisePipelining(value: boolean);
  get onlyPromisePipeline(): boolean;
  set onlyPromisePipeline(value: boolean);
  _adoptParams(value: $.Orphan<Payload>): void;
  _disownParams(): $.Orphan<Payload>;
  get params(): Payload;
  _hasParams(): boolean;
  _initParams(): Payload;
  set params(value: Payload);
  get sendResultsTo(): Call_SendResultsTo;
  _initSendResultsTo(): Call_SendResultsTo;
  toString(): string;
}
export declare const Return_Which: {
  readonly RESULTS: 0;
  readonly EXCEPTION: 1;
  readonly CANCELED: 2;
  readonly RESULTS_SENT_ELSEWHERE: 3;
  readonly TAKE_FROM_OTHER_QUESTION: 4;
  readonly AWAIT_FROM_THIRD_PARTY: 5;
};
export type Return_Which = (typeof Return_Which)[keyof typeof Return_Which];
export declare class Return extends $.Struct {
  static readonly RESULTS: 0;
  static readonly EXCEPTION: 1;
  static readonly CANCELED: 2;
  static readonly RESULTS_SENT_ELSEWHERE: 3;
  static readonly TAKE_FROM_OTHER_QUESTION: 4;
  static readonly AWAIT_FROM_THIRD_PARTY: 5;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
    defaultReleaseParamCaps: DataView<ArrayBufferLike>;
    defaultNoFinishNeeded: DataView<ArrayBufferLike>;
  };
  get answerId(): number;
  set answerId(value: number);
  get releaseParamCaps(): boolean;
  set releaseParamCaps(value: boolean);
  get noFinishNeeded(): boolean;
  set noFinishNeeded(value: boolean);
  _adoptResults(value: $.Orphan<Payload>): void;
  _disownResults(): $.Orphan<Payload>;
  get results(): Payload;
  _hasResults(): boolean;
  _initResults(): Payload;
  get _isResults(): boolean;
  set results(value: Payload);
  _adoptException(value: $.Orphan<Exception>): void;
  _disownException(): $.Orphan<Exception>;
  get exception(): Exception;
  _hasException(): boolean;
  _initException(): Exception;
  get _isException(): boolean;
  set exception(value: Exception);
  get _isCanceled(): boolean;
  set canceled(_: true);
  get _isResultsSentElsewhere(): boolean;
  set resultsSentElsewhere(_: true);
  get takeFromOtherQuestion(): number;
  get _isTakeFromOtherQuestion(): boolean;
  set takeFromOtherQuestion(value: number);
  _adoptAwaitFromThirdParty(value: $.Orphan<$.Pointer>): void;
  _disownAwaitFromThirdParty(): $.Orphan<$.Pointer>;
  get awaitFromThirdParty(): $.Pointer;
  _hasAwaitFromThirdParty(): boolean;
  get _isAwaitFromThirdParty(): boolean;
  set awaitFromThirdParty(value: $.Pointer);
  toString(): string;
  which(): Return_Which;
}
export declare class Finish extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
    defaultReleaseResultCaps: DataView<ArrayBufferLike>;
    defaultRequireEarlyCancellationWorkaround: DataView<ArrayBufferLike>;
  };
  get questionId(): number;
  set questionId(value: number);
  get releaseResultCaps(): boolean;
  set releaseResultCaps(value: boolean);
  get requireEarlyCancellationWorkaround(): boolean;
  set requireEarlyCancellationWorkaround(value: boolean);
  toString(): string;
}
export declare const Resolve_Which: {
  readonly CAP: 0;
  readonly EXCEPTION: 1;
};
export type Resolve_Which = (typeof Resolve_Which)[keyof typeof Resolve_Which];
export declare class Resolve extends $.Struct {
  static readonly CAP: 0;
  static readonly EXCEPTION: 1;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get promiseId(): number;
  set promiseId(value: number);
  _adoptCap(value: $.Orphan<CapDescriptor>): void;
  _disownCap(): $.Orphan<CapDescriptor>;
  get cap(): CapDescriptor;
  _hasCap(): boolean;
  _initCap(): CapDescriptor;
  get _isCap(): boolean;
  set cap(value: CapDescriptor);
  _adoptException(value: $.Orphan<Exception>): void;
  _disownException(): $.Orphan<Exception>;
  get exception(): Exception;
  _hasException(): boolean;
  _initException(): Exception;
  get _isException(): boolean;
  set exception(value: Exception);
  toString(): string;
  which(): Resolve_Which;
}
export declare class Release extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get id(): number;
  set id(value: number);
  get referenceCount(): number;
  set referenceCount(value: number);
  toString(): string;
}
export declare const Disembargo_Context_Which: {
  readonly SENDER_LOOPBACK: 0;
  readonly RECEIVER_LOOPBACK: 1;
  readonly ACCEPT: 2;
};
export type Disembargo_Context_Which = (typeof Disembargo_Context_Which)[keyof typeof Disembargo_Context_Which];
export declare class Disembargo_Context extends $.Struct {
  static readonly SENDER_LOOPBACK: 0;
  static readonly RECEIVER_LOOPBACK: 1;
  static readonly ACCEPT: 2;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get senderLoopback(): number;
  get _isSenderLoopback(): boolean;
  set senderLoopback(value: number);
  get receiverLoopback(): number;
  get _isReceiverLoopback(): boolean;
  set receiverLoopback(value: number);
  _adoptAccept(value: $.Orphan<$.Data>): void;
  _disownAccept(): $.Orphan<$.Data>;
  get accept(): $.Data;
  _hasAccept(): boolean;
  _initAccept(length: number): $.Data;
  get _isAccept(): boolean;
  set accept(value: $.Data);
  toString(): string;
  which(): Disembargo_Context_Which;
}
export declare class Disembargo extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  _adoptTarget(value: $.Orphan<MessageTarget>): void;
  _disownTarget(): $.Orphan<MessageTarget>;
  get target(): MessageTarget;
  _hasTarget(): boolean;
  _initTarget(): MessageTarget;
  set target(value: MessageTarget);
  get context(): Disembargo_Context;
  _initContext(): Disembargo_Context;
  toString(): string;
}
export declare class Provide extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get questionId(): number;
  set questionId(value: number);
  _adoptTarget(value: $.Orphan<MessageTarget>): void;
  _disownTarget(): $.Orphan<MessageTarget>;
  get target(): MessageTarget;
  _hasTarget(): boolean;
  _initTarget(): MessageTarget;
  set target(value: MessageTarget);
  _adoptRecipient(value: $.Orphan<$.Pointer>): void;
  _disownRecipient(): $.Orphan<$.Pointer>;
  get recipient(): $.Pointer;
  _hasRecipient(): boolean;
  set recipient(value: $.Pointer);
  toString(): string;
}
export declare class Accept extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get questionId(): number;
  set questionId(value: number);
  _adoptProvision(value: $.Orphan<$.Pointer>): void;
  _disownProvision(): $.Orphan<$.Pointer>;
  get provision(): $.Pointer;
  _hasProvision(): boolean;
  set provision(value: $.Pointer);
  _adoptEmbargo(value: $.Orphan<$.Data>): void;
  _disownEmbargo(): $.Orphan<$.Data>;
  get embargo(): $.Data;
  _hasEmbargo(): boolean;
  _initEmbargo(length: number): $.Data;
  set embargo(value: $.Data);
  toString(): string;
}
export declare class ThirdPartyAnswer extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  _adoptCompletion(value: $.Orphan<$.Pointer>): void;
  _disownCompletion(): $.Orphan<$.Pointer>;
  get completion(): $.Pointer;
  _hasCompletion(): boolean;
  set completion(value: $.Pointer);
  get answerId(): number;
  set answerId(value: number);
  toString(): string;
}
export declare class Join extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get questionId(): number;
  set questionId(value: number);
  _adoptTarget(value: $.Orphan<MessageTarget>): void;
  _disownTarget(): $.Orphan<MessageTarget>;
  get target(): MessageTarget;
  _hasTarget(): boolean;
  _initTarget(): MessageTarget;
  set target(value: MessageTarget);
  _adoptKeyPart(value: $.Orphan<$.Pointer>): void;
  _disownKeyPart(): $.Orphan<$.Pointer>;
  get keyPart(): $.Pointer;
  _hasKeyPart(): boolean;
  set keyPart(value: $.Pointer);
  toString(): string;
}
export declare const MessageTarget_Which: {
  readonly IMPORTED_CAP: 0;
  readonly PROMISED_ANSWER: 1;
};
export type MessageTarget_Which = (typeof MessageTarget_Which)[keyof typeof MessageTarget_Which];
export declare class MessageTarget extends $.Struct {
  static readonly IMPORTED_CAP: 0;
  static readonly PROMISED_ANSWER: 1;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get importedCap(): number;
  get _isImportedCap(): boolean;
  set importedCap(value: number);
  _adoptPromisedAnswer(value: $.Orphan<PromisedAnswer>): void;
  _disownPromisedAnswer(): $.Orphan<PromisedAnswer>;
  get promisedAnswer(): PromisedAnswer;
  _hasPromisedAnswer(): boolean;
  _initPromisedAnswer(): PromisedAnswer;
  get _isPromisedAnswer(): boolean;
  set promisedAnswer(value: PromisedAnswer);
  toString(): string;
  which(): MessageTarget_Which;
}
export declare class Payload extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  static _CapTable: $.ListCtor<CapDescriptor>;
  _adoptContent(value: $.Orphan<$.Pointer>): void;
  _disownContent(): $.Orphan<$.Pointer>;
  get content(): $.Pointer;
  _hasContent(): boolean;
  set content(value: $.Pointer);
  _adoptCapTable(value: $.Orphan<$.List<CapDescriptor>>): void;
  _disownCapTable(): $.Orphan<$.List<CapDescriptor>>;
  get capTable(): $.List<CapDescriptor>;
  _hasCapTable(): boolean;
  _initCapTable(length: number): $.List<CapDescriptor>;
  set capTable(value: $.List<CapDescriptor>);
  toString(): string;
}
export declare const CapDescriptor_Which: {
  readonly NONE: 0;
  readonly SENDER_HOSTED: 1;
  readonly SENDER_PROMISE: 2;
  readonly RECEIVER_HOSTED: 3;
  readonly RECEIVER_ANSWER: 4;
  readonly THIRD_PARTY_HOSTED: 5;
};
export type CapDescriptor_Which = (typeof CapDescriptor_Which)[keyof typeof CapDescriptor_Which];
export declare class CapDescriptor extends $.Struct {
  static readonly NONE: 0;
  static readonly SENDER_HOSTED: 1;
  static readonly SENDER_PROMISE: 2;
  static readonly RECEIVER_HOSTED: 3;
  static readonly RECEIVER_ANSWER: 4;
  static readonly THIRD_PARTY_HOSTED: 5;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
    defaultAttachedFd: DataView<ArrayBufferLike>;
  };
  get _isNone(): boolean;
  set none(_: true);
  get senderHosted(): number;
  get _isSenderHosted(): boolean;
  set senderHosted(value: number);
  get senderPromise(): number;
  get _isSenderPromise(): boolean;
  set senderPromise(value: number);
  get receiverHosted(): number;
  get _isReceiverHosted(): boolean;
  set receiverHosted(value: number);
  _adoptReceiverAnswer(value: $.Orphan<PromisedAnswer>): void;
  _disownReceiverAnswer(): $.Orphan<PromisedAnswer>;
  get receiverAnswer(): PromisedAnswer;
  _hasReceiverAnswer(): boolean;
  _initReceiverAnswer(): PromisedAnswer;
  get _isReceiverAnswer(): boolean;
  set receiverAnswer(value: PromisedAnswer);
  _adoptThirdPartyHosted(value: $.Orphan<ThirdPartyCapDescriptor>): void;
  _disownThirdPartyHosted(): $.Orphan<ThirdPartyCapDescriptor>;
  get thirdPartyHosted(): ThirdPartyCapDescriptor;
  _hasThirdPartyHosted(): boolean;
  _initThirdPartyHosted(): ThirdPartyCapDescriptor;
  get _isThirdPartyHosted(): boolean;
  set thirdPartyHosted(value: ThirdPartyCapDescriptor);
  get attachedFd(): number;
  set attachedFd(value: number);
  toString(): string;
  which(): CapDescriptor_Which;
}
export declare const PromisedAnswer_Op_Which: {
  readonly NOOP: 0;
  readonly GET_POINTER_FIELD: 1;
};
export type PromisedAnswer_Op_Which = (typeof PromisedAnswer_Op_Which)[keyof typeof PromisedAnswer_Op_Which];
export declare class PromisedAnswer_Op extends $.Struct {
  static readonly NOOP: 0;
  static readonly GET_POINTER_FIELD: 1;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get _isNoop(): boolean;
  set noop(_: true);
  get getPointerField(): number;
  get _isGetPointerField(): boolean;
  set getPointerField(value: number);
  toString(): string;
  which(): PromisedAnswer_Op_Which;
}
export declare class PromisedAnswer extends $.Struct {
  static readonly Op: typeof PromisedAnswer_Op;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  static _Transform: $.ListCtor<PromisedAnswer_Op>;
  get questionId(): number;
  set questionId(value: number);
  _adoptTransform(value: $.Orphan<$.List<PromisedAnswer_Op>>): void;
  _disownTransform(): $.Orphan<$.List<PromisedAnswer_Op>>;
  get transform(): $.List<PromisedAnswer_Op>;
  _hasTransform(): boolean;
  _initTransform(length: number): $.List<PromisedAnswer_Op>;
  set transform(value: $.List<PromisedAnswer_Op>);
  toString(): string;
}
export declare class ThirdPartyCapDescriptor extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  _adoptId(value: $.Orphan<$.Pointer>): void;
  _disownId(): $.Orphan<$.Pointer>;
  get id(): $.Pointer;
  _hasId(): boolean;
  set id(value: $.Pointer);
  get vineId(): number;
  set vineId(value: number);
  toString(): string;
}
export declare const Exception_Type: {
  readonly FAILED: 0;
  readonly OVERLOADED: 1;
  readonly DISCONNECTED: 2;
  readonly UNIMPLEMENTED: 3;
};
export type Exception_Type = (typeof Exception_Type)[keyof typeof Exception_Type];
export declare class Exception_Detail extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get detailId(): bigint;
  set detailId(value: bigint);
  _adoptData(value: $.Orphan<$.Data>): void;
  _disownData(): $.Orphan<$.Data>;
  get data(): $.Data;
  _hasData(): boolean;
  _initData(length: number): $.Data;
  set data(value: $.Data);
  toString(): string;
}
export declare class Exception extends $.Struct {
  static readonly Type: {
    readonly FAILED: 0;
    readonly OVERLOADED: 1;
    readonly DISCONNECTED: 2;
    readonly UNIMPLEMENTED: 3;
  };
  static readonly Detail: typeof Exception_Detail;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  static _Details: $.ListCtor<Exception_Detail>;
  get reason(): string;
  set reason(value: string);
  get type(): Exception_Type;
  set type(value: Exception_Type);
  get obsoleteIsCallersFault(): boolean;
  set obsoleteIsCallersFault(value: boolean);
  get obsoleteDurability(): number;
  set obsoleteDurability(value: number);
  get trace(): string;
  set trace(value: string);
  _adoptDetails(value: $.Orphan<$.List<Exception_Detail>>): void;
  _disownDetails(): $.Orphan<$.List<Exception_Detail>>;
  get details(): $.List<Exception_Detail>;
  _hasDetails(): boolean;
  _initDetails(length: number): $.List<Exception_Detail>;
  set details(value: $.List<Exception_Detail>);
  toString(): string;
}
