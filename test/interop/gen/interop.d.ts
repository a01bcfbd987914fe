import * as $ from "capnp-es";
export declare const _capnpFileId = 17248662565170378978n;
export declare class Calculator_Add$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get a(): number;
  set a(value: number);
  get b(): number;
  set b(value: number);
  toString(): string;
}
export declare class Calculator_Add$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get sum(): number;
  set sum(value: number);
  toString(): string;
}
export declare class Calculator_Add$Results$Promise {
  pipeline: $.Pipeline<any, any, Calculator_Add$Results>;
  constructor(pipeline: $.Pipeline<any, any, Calculator_Add$Results>);
  promise(): Promise<Calculator_Add$Results>;
}
export declare class Calculator_MakeCounter$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get start(): number;
  set start(value: number);
  toString(): string;
}
export declare class Calculator_MakeCounter$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get counter(): Counter$Client;
  set counter(value: Counter$Client);
  toString(): string;
}
export declare class Calculator_MakeCounter$Results$Promise {
  pipeline: $.Pipeline<any, any, Calculator_MakeCounter$Results>;
  constructor(pipeline: $.Pipeline<any, any, Calculator_MakeCounter$Results>);
  getCounter(): Counter$Client;
  promise(): Promise<Calculator_MakeCounter$Results>;
}
export declare class Calculator_CallBack$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get cb(): Callback$Client;
  set cb(value: Callback$Client);
  get value(): string;
  set value(value: string);
  toString(): string;
}
export declare class Calculator_CallBack$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get result(): string;
  set result(value: string);
  toString(): string;
}
export declare class Calculator_CallBack$Results$Promise {
  pipeline: $.Pipeline<any, any, Calculator_CallBack$Results>;
  constructor(pipeline: $.Pipeline<any, any, Calculator_CallBack$Results>);
  promise(): Promise<Calculator_CallBack$Results>;
}
export declare class Calculator_GetName$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class Calculator_GetName$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get name(): string;
  set name(value: string);
  toString(): string;
}
export declare class Calculator_GetName$Results$Promise {
  pipeline: $.Pipeline<any, any, Calculator_GetName$Results>;
  constructor(pipeline: $.Pipeline<any, any, Calculator_GetName$Results>);
  promise(): Promise<Calculator_GetName$Results>;
}
export declare class Calculator_Fail$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get message(): string;
  set message(value: string);
  toString(): string;
}
export declare class Calculator_Fail$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class Calculator_Fail$Results$Promise {
  pipeline: $.Pipeline<any, any, Calculator_Fail$Results>;
  constructor(pipeline: $.Pipeline<any, any, Calculator_Fail$Results>);
  promise(): Promise<Calculator_Fail$Results>;
}
export declare class Calculator_MakeCounterLater$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get start(): number;
  set start(value: number);
  get delayMs(): number;
  set delayMs(value: number);
  toString(): string;
}
export declare class Calculator_MakeCounterLater$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get counter(): Counter$Client;
  set counter(value: Counter$Client);
  toString(): string;
}
export declare class Calculator_MakeCounterLater$Results$Promise {
  pipeline: $.Pipeline<any, any, Calculator_MakeCounterLater$Results>;
  constructor(pipeline: $.Pipeline<any, any, Calculator_MakeCounterLater$Results>);
  getCounter(): Counter$Client;
  promise(): Promise<Calculator_MakeCounterLater$Results>;
}
export declare class Calculator_IncrementCounter$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get counter(): Counter$Client;
  set counter(value: Counter$Client);
  get by(): number;
  set by(value: number);
  toString(): string;
}
export declare class Calculator_IncrementCounter$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get value(): number;
  set value(value: number);
  toString(): string;
}
export declare class Calculator_IncrementCounter$Results$Promise {
  pipeline: $.Pipeline<any, any, Calculator_IncrementCounter$Results>;
  constructor(pipeline: $.Pipeline<any, any, Calculator_IncrementCounter$Results>);
  promise(): Promise<Calculator_IncrementCounter$Results>;
}
export declare class Calculator_HoldCallback$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get cb(): Callback$Client;
  set cb(value: Callback$Client);
  toString(): string;
}
export declare class Calculator_HoldCallback$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class Calculator_HoldCallback$Results$Promise {
  pipeline: $.Pipeline<any, any, Calculator_HoldCallback$Results>;
  constructor(pipeline: $.Pipeline<any, any, Calculator_HoldCallback$Results>);
  promise(): Promise<Calculator_HoldCallback$Results>;
}
export declare class Calculator_CallHeld$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get value(): string;
  set value(value: string);
  toString(): string;
}
export declare class Calculator_CallHeld$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get result(): string;
  set result(value: string);
  toString(): string;
}
export declare class Calculator_CallHeld$Results$Promise {
  pipeline: $.Pipeline<any, any, Calculator_CallHeld$Results>;
  constructor(pipeline: $.Pipeline<any, any, Calculator_CallHeld$Results>);
  promise(): Promise<Calculator_CallHeld$Results>;
}
export declare class Calculator_DropHeld$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class Calculator_DropHeld$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class Calculator_DropHeld$Results$Promise {
  pipeline: $.Pipeline<any, any, Calculator_DropHeld$Results>;
  constructor(pipeline: $.Pipeline<any, any, Calculator_DropHeld$Results>);
  promise(): Promise<Calculator_DropHeld$Results>;
}
export declare class Calculator_GetStats$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class Calculator_GetStats$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get countersAlive(): number;
  set countersAlive(value: number);
  get countersCreated(): number;
  set countersCreated(value: number);
  get callbackHeld(): boolean;
  set callbackHeld(value: boolean);
  toString(): string;
}
export declare class Calculator_GetStats$Results$Promise {
  pipeline: $.Pipeline<any, any, Calculator_GetStats$Results>;
  constructor(pipeline: $.Pipeline<any, any, Calculator_GetStats$Results>);
  promise(): Promise<Calculator_GetStats$Results>;
}
export declare class Calculator$Client {
  client: $.Client;
  static readonly interfaceId: bigint;
  constructor(client: $.Client);
  static readonly methods: [
    $.Method<Calculator_Add$Params, Calculator_Add$Results>,
    $.Method<Calculator_MakeCounter$Params, Calculator_MakeCounter$Results>,
    $.Method<Calculator_CallBack$Params, Calculator_CallBack$Results>,
    $.Method<Calculator_GetName$Params, Calculator_GetName$Results>,
    $.Method<Calculator_Fail$Params, Calculator_Fail$Results>,
    $.Method<Calculator_MakeCounterLater$Params, Calculator_MakeCounterLater$Results>,
    $.Method<Calculator_IncrementCounter$Params, Calculator_IncrementCounter$Results>,
    $.Method<Calculator_HoldCallback$Params, Calculator_HoldCallback$Results>,
    $.Method<Calculator_CallHeld$Params, Calculator_CallHeld$Results>,
    $.Method<Calculator_DropHeld$Params, Calculator_DropHeld$Results>,
    $.Method<Calculator_GetStats$Params, Calculator_GetStats$Results>
  ];
  add(paramsFunc?: (params: Calculator_Add$Params) => void): Calculator_Add$Results$Promise;
  /**
* A new server-side Counter starting at `start`.
*
*/
  makeCounter(paramsFunc?: (params: Calculator_MakeCounter$Params) => void): Calculator_MakeCounter$Results$Promise;
  /**
* Calls `cb.call(value)` during this call and returns what it returned.
*
*/
  callBack(paramsFunc?: (params: Calculator_CallBack$Params) => void): Calculator_CallBack$Results$Promise;
  /**
* Always "edgebind-interop-cxx".
*
*/
  getName(paramsFunc?: (params: Calculator_GetName$Params) => void): Calculator_GetName$Results$Promise;
  /**
* Always throws: a capnp exception of type `failed` whose reason is exactly `message`.
*
*/
  fail(paramsFunc?: (params: Calculator_Fail$Params) => void): Calculator_Fail$Results$Promise;
  /**
* Returns at once, but `counter` is a promise capability (senderPromise) that the server
* resolves (Resolve message) to a new Counter after `delayMs`.
*
*/
  makeCounterLater(paramsFunc?: (params: Calculator_MakeCounterLater$Params) => void): Calculator_MakeCounterLater$Results$Promise;
  /**
* Calls `counter.increment(by)` and returns its value. Pass one of the server's own counters
* (it comes back as receiverHosted) or a Counter the client implements (the server calls it).
*
*/
  incrementCounter(paramsFunc?: (params: Calculator_IncrementCounter$Params) => void): Calculator_IncrementCounter$Results$Promise;
  /**
* Keeps `cb` after the call returns (replacing any held one).
*
*/
  holdCallback(paramsFunc?: (params: Calculator_HoldCallback$Params) => void): Calculator_HoldCallback$Results$Promise;
  /**
* Calls the held callback; fails if none is held.
*
*/
  callHeld(paramsFunc?: (params: Calculator_CallHeld$Params) => void): Calculator_CallHeld$Results$Promise;
  /**
* Drops the held callback: the server then sends Release for it.
*
*/
  dropHeld(paramsFunc?: (params: Calculator_DropHeld$Params) => void): Calculator_DropHeld$Results$Promise;
  /**
* Process-wide Counter bookkeeping: a client that released its counters sees countersAlive
* drop while still connected (Release is processed in order with calls).
*
*/
  getStats(paramsFunc?: (params: Calculator_GetStats$Params) => void): Calculator_GetStats$Results$Promise;
}
export interface Calculator$Server$Target {
  add(params: Calculator_Add$Params, results: Calculator_Add$Results): Promise<void>;
  makeCounter(params: Calculator_MakeCounter$Params, results: Calculator_MakeCounter$Results): Promise<void>;
  callBack(params: Calculator_CallBack$Params, results: Calculator_CallBack$Results): Promise<void>;
  getName(params: Calculator_GetName$Params, results: Calculator_GetName$Results): Promise<void>;
  fail(params: Calculator_Fail$Params, results: Calculator_Fail$Results): Promise<void>;
  makeCounterLater(params: Calculator_MakeCounterLater$Params, results: Calculator_MakeCounterLater$Results): Promise<void>;
  incrementCounter(params: Calculator_IncrementCounter$Params, results: Calculator_IncrementCounter$Results): Promise<void>;
  holdCallback(params: Calculator_HoldCallback$Params, results: Calculator_HoldCallback$Results): Promise<void>;
  callHeld(params: Calculator_CallHeld$Params, results: Calculator_CallHeld$Results): Promise<void>;
  dropHeld(params: Calculator_DropHeld$Params, results: Calculator_DropHeld$Results): Promise<void>;
  getStats(params: Calculator_GetStats$Params, results: Calculator_GetStats$Results): Promise<void>;
}
export declare class Calculator$Server extends $.Server {
  readonly target: Calculator$Server$Target;
  constructor(target: Calculator$Server$Target);
  client(): Calculator$Client;
}
/**
* The bootstrap capability of server.c++ (a fresh instance per connection).
*
*/
export declare class Calculator extends $.Interface {
  static readonly Client: typeof Calculator$Client;
  static readonly Server: typeof Calculator$Server;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class Counter_Increment$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get by(): number;
  set by(value: number);
  toString(): string;
}
export declare class Counter_Increment$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get value(): number;
  set value(value: number);
  toString(): string;
}
export declare class Counter_Increment$Results$Promise {
  pipeline: $.Pipeline<any, any, Counter_Increment$Results>;
  constructor(pipeline: $.Pipeline<any, any, Counter_Increment$Results>);
  promise(): Promise<Counter_Increment$Results>;
}
export declare class Counter$Client {
  client: $.Client;
  static readonly interfaceId: bigint;
  constructor(client: $.Client);
  static readonly methods: [
    $.Method<Counter_Increment$Params, Counter_Increment$Results>
  ];
  /**
* Adds `by` and returns the new value.
*
*/
  increment(paramsFunc?: (params: Counter_Increment$Params) => void): Counter_Increment$Results$Promise;
}
export interface Counter$Server$Target {
  increment(params: Counter_Increment$Params, results: Counter_Increment$Results): Promise<void>;
}
export declare class Counter$Server extends $.Server {
  readonly target: Counter$Server$Target;
  constructor(target: Counter$Server$Target);
  client(): Counter$Client;
}
export declare class Counter extends $.Interface {
  static readonly Client: typeof Counter$Client;
  static readonly Server: typeof Counter$Server;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class Callback_Call$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get value(): string;
  set value(value: string);
  toString(): string;
}
export declare class Callback_Call$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get result(): string;
  set result(value: string);
  toString(): string;
}
export declare class Callback_Call$Results$Promise {
  pipeline: $.Pipeline<any, any, Callback_Call$Results>;
  constructor(pipeline: $.Pipeline<any, any, Callback_Call$Results>);
  promise(): Promise<Callback_Call$Results>;
}
export declare class Callback$Client {
  client: $.Client;
  static readonly interfaceId: bigint;
  constructor(client: $.Client);
  static readonly methods: [
    $.Method<Callback_Call$Params, Callback_Call$Results>
  ];
  call(paramsFunc?: (params: Callback_Call$Params) => void): Callback_Call$Results$Promise;
}
export interface Callback$Server$Target {
  call(params: Callback_Call$Params, results: Callback_Call$Results): Promise<void>;
}
export declare class Callback$Server extends $.Server {
  readonly target: Callback$Server$Target;
  constructor(target: Callback$Server$Target);
  client(): Callback$Client;
}
export declare class Callback extends $.Interface {
  static readonly Client: typeof Callback$Client;
  static readonly Server: typeof Callback$Server;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
