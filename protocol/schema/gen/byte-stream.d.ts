import * as $ from "capnp-es";
export declare const _capnpFileId = 10330436080120329101n;
/**
* No fields. The Return of a streaming call carries this empty struct; the caller uses it only
* as flow control ("the receiver took the chunk, you may send more"), never for data.
*
*/
export declare class StreamResult extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class ByteStream_SubstreamCallback_Ended$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get byteCount(): bigint;
  set byteCount(value: bigint);
  toString(): string;
}
export declare class ByteStream_SubstreamCallback_Ended$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class ByteStream_SubstreamCallback_Ended$Results$Promise {
  pipeline: $.Pipeline<any, any, ByteStream_SubstreamCallback_Ended$Results>;
  constructor(pipeline: $.Pipeline<any, any, ByteStream_SubstreamCallback_Ended$Results>);
  promise(): Promise<ByteStream_SubstreamCallback_Ended$Results>;
}
export declare class ByteStream_SubstreamCallback_ReachedLimit$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class ByteStream_SubstreamCallback_ReachedLimit$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get next(): ByteStream$Client;
  set next(value: ByteStream$Client);
  toString(): string;
}
export declare class ByteStream_SubstreamCallback_ReachedLimit$Results$Promise {
  pipeline: $.Pipeline<any, any, ByteStream_SubstreamCallback_ReachedLimit$Results>;
  constructor(pipeline: $.Pipeline<any, any, ByteStream_SubstreamCallback_ReachedLimit$Results>);
  getNext(): ByteStream$Client;
  promise(): Promise<ByteStream_SubstreamCallback_ReachedLimit$Results>;
}
export declare class ByteStream_SubstreamCallback$Client {
  client: $.Client;
  static readonly interfaceId: bigint;
  constructor(client: $.Client);
  static readonly methods: [
    $.Method<ByteStream_SubstreamCallback_Ended$Params, ByteStream_SubstreamCallback_Ended$Results>,
    $.Method<ByteStream_SubstreamCallback_ReachedLimit$Params, ByteStream_SubstreamCallback_ReachedLimit$Results>
  ];
  /**
* The substream was ended after `byteCount` bytes; the parent stream itself stays open.
*
*/
  ended(paramsFunc?: (params: ByteStream_SubstreamCallback_Ended$Params) => void): ByteStream_SubstreamCallback_Ended$Results$Promise;
  /**
* The substream hit its limit; it forwards from now on to `next`.
*
*/
  reachedLimit(paramsFunc?: (params: ByteStream_SubstreamCallback_ReachedLimit$Params) => void): ByteStream_SubstreamCallback_ReachedLimit$Results$Promise;
}
export interface ByteStream_SubstreamCallback$Server$Target {
  ended(params: ByteStream_SubstreamCallback_Ended$Params, results: ByteStream_SubstreamCallback_Ended$Results): Promise<void>;
  reachedLimit(params: ByteStream_SubstreamCallback_ReachedLimit$Params, results: ByteStream_SubstreamCallback_ReachedLimit$Results): Promise<void>;
}
export declare class ByteStream_SubstreamCallback$Server extends $.Server {
  readonly target: ByteStream_SubstreamCallback$Server$Target;
  constructor(target: ByteStream_SubstreamCallback$Server$Target);
  client(): ByteStream_SubstreamCallback$Client;
}
export declare class ByteStream_SubstreamCallback extends $.Interface {
  static readonly Client: typeof ByteStream_SubstreamCallback$Client;
  static readonly Server: typeof ByteStream_SubstreamCallback$Server;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class ByteStream_Write$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  _adoptBytes(value: $.Orphan<$.Data>): void;
  _disownBytes(): $.Orphan<$.Data>;
  get bytes(): $.Data;
  _hasBytes(): boolean;
  _initBytes(length: number): $.Data;
  set bytes(value: $.Data);
  toString(): string;
}
export declare class StreamResult$Promise {
  pipeline: $.Pipeline<any, any, StreamResult>;
  constructor(pipeline: $.Pipeline<any, any, StreamResult>);
  promise(): Promise<StreamResult>;
}
export declare class ByteStream_End$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class ByteStream_End$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
export declare class ByteStream_End$Results$Promise {
  pipeline: $.Pipeline<any, any, ByteStream_End$Results>;
  constructor(pipeline: $.Pipeline<any, any, ByteStream_End$Results>);
  promise(): Promise<ByteStream_End$Results>;
}
export declare class ByteStream_GetSubstream$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
    defaultLimit: DataView<ArrayBufferLike>;
  };
  get callback(): ByteStream_SubstreamCallback$Client;
  set callback(value: ByteStream_SubstreamCallback$Client);
  get limit(): bigint;
  set limit(value: bigint);
  toString(): string;
}
export declare class ByteStream_GetSubstream$Results extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get substream(): ByteStream$Client;
  set substream(value: ByteStream$Client);
  toString(): string;
}
export declare class ByteStream_GetSubstream$Results$Promise {
  pipeline: $.Pipeline<any, any, ByteStream_GetSubstream$Results>;
  constructor(pipeline: $.Pipeline<any, any, ByteStream_GetSubstream$Results>);
  getSubstream(): ByteStream$Client;
  promise(): Promise<ByteStream_GetSubstream$Results>;
}
export declare class ByteStream_StartTls$Params extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get expectedServerHostname(): string;
  set expectedServerHostname(value: string);
  toString(): string;
}
export declare class ByteStream$Client {
  client: $.Client;
  static readonly interfaceId: bigint;
  constructor(client: $.Client);
  static readonly methods: [
    $.Method<ByteStream_Write$Params, StreamResult>,
    $.Method<ByteStream_End$Params, ByteStream_End$Results>,
    $.Method<ByteStream_GetSubstream$Params, ByteStream_GetSubstream$Results>,
    $.Method<ByteStream_StartTls$Params, StreamResult>
  ];
  /**
* Appends one chunk. Streaming: the sender keeps a bounded number of writes in flight and uses
* each (empty) return as back-pressure.
*
*/
  write(paramsFunc?: (params: ByteStream_Write$Params) => void): StreamResult$Promise;
  /**
* Normal end of data. Dropping the capability without calling end() means the stream was
* aborted and the receiver must not treat what it got as complete.
*
*/
  end(paramsFunc?: (params: ByteStream_End$Params) => void): ByteStream_End$Results$Promise;
  /**
* Path-shortening helper for pumps: hands out a stream that writes to the same destination
* until `limit` bytes or end(), then reports back through `callback`. The parent must not be
* written to while a substream is open.
*
*/
  getSubstream(paramsFunc?: (params: ByteStream_GetSubstream$Params) => void): ByteStream_GetSubstream$Results$Promise;
  /**
* Asks the far end to switch the underlying connection to TLS; the stream stays usable.
*
*/
  startTls(paramsFunc?: (params: ByteStream_StartTls$Params) => void): StreamResult$Promise;
}
export interface ByteStream$Server$Target {
  write(params: ByteStream_Write$Params, results: StreamResult): Promise<void>;
  end(params: ByteStream_End$Params, results: ByteStream_End$Results): Promise<void>;
  getSubstream(params: ByteStream_GetSubstream$Params, results: ByteStream_GetSubstream$Results): Promise<void>;
  startTls(params: ByteStream_StartTls$Params, results: StreamResult): Promise<void>;
}
export declare class ByteStream$Server extends $.Server {
  readonly target: ByteStream$Server$Target;
  constructor(target: ByteStream$Server$Target);
  client(): ByteStream$Client;
}
export declare class ByteStream extends $.Interface {
  static readonly SubstreamCallback: typeof ByteStream_SubstreamCallback;
  static readonly Client: typeof ByteStream$Client;
  static readonly Server: typeof ByteStream$Server;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  toString(): string;
}
