import * as $ from "capnp-es";
export declare const _capnpFileId = 14716393988899740346n;
/**
* The value is entry `capIndex` of the capability table; `tag` is a workerd
* SerializationTag saying what kind of binding it is (service stub, actor class, ...).
*
*/
export declare class Frankenvalue_Capability extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  get capIndex(): number;
  set capIndex(value: number);
  get tag(): number;
  set tag(value: number);
  /**
* For wrapped bindings: the module that wraps the capability.
*
*/
  get wrapperModule(): string;
  set wrapperModule(value: string);
  toString(): string;
}
export declare const Frankenvalue_Which: {
  /**
* `{}`; the usual value when nothing was given.
*
*/
  readonly EMPTY_OBJECT: 0;
  readonly JSON: 1;
  readonly V8SERIALIZED: 2;
  readonly ARRAY_BUFFER: 4;
  /**
* The value is entry `capIndex` of the capability table; `tag` is a workerd
* SerializationTag saying what kind of binding it is (service stub, actor class, ...).
*
*/
  readonly CAPABILITY: 3;
};
export type Frankenvalue_Which = (typeof Frankenvalue_Which)[keyof typeof Frankenvalue_Which];
export declare class Frankenvalue extends $.Struct {
  static readonly EMPTY_OBJECT: 0;
  static readonly JSON: 1;
  static readonly V8SERIALIZED: 2;
  static readonly ARRAY_BUFFER: 4;
  static readonly CAPABILITY: 3;
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
    defaultCapTableSize: DataView<ArrayBufferLike>;
  };
  static _Properties: $.ListCtor<Frankenvalue>;
  get _isEmptyObject(): boolean;
  set emptyObject(_: true);
  get json(): string;
  get _isJson(): boolean;
  set json(value: string);
  _adoptV8Serialized(value: $.Orphan<$.Data>): void;
  _disownV8Serialized(): $.Orphan<$.Data>;
  get v8Serialized(): $.Data;
  _hasV8Serialized(): boolean;
  _initV8Serialized(length: number): $.Data;
  get _isV8Serialized(): boolean;
  set v8Serialized(value: $.Data);
  _adoptArrayBuffer(value: $.Orphan<$.Data>): void;
  _disownArrayBuffer(): $.Orphan<$.Data>;
  get arrayBuffer(): $.Data;
  _hasArrayBuffer(): boolean;
  _initArrayBuffer(length: number): $.Data;
  get _isArrayBuffer(): boolean;
  set arrayBuffer(value: $.Data);
  /**
* The value is entry `capIndex` of the capability table; `tag` is a workerd
* SerializationTag saying what kind of binding it is (service stub, actor class, ...).
*
*/
  get capability(): Frankenvalue_Capability;
  _initCapability(): Frankenvalue_Capability;
  get _isCapability(): boolean;
  set capability(_: true);
  _adoptProperties(value: $.Orphan<$.List<Frankenvalue>>): void;
  _disownProperties(): $.Orphan<$.List<Frankenvalue>>;
  /**
* Extra properties merged onto the base value; each entry must carry a `name`.
*
*/
  get properties(): $.List<Frankenvalue>;
  _hasProperties(): boolean;
  _initProperties(length: number): $.List<Frankenvalue>;
  set properties(value: $.List<Frankenvalue>);
  /**
* Property name, only meaningful for entries of a parent's `properties`.
*
*/
  get name(): string;
  set name(value: string);
  get capTableSize(): number;
  set capTableSize(value: number);
  _adoptCapTable(value: $.Orphan<$.Pointer>): void;
  _disownCapTable(): $.Orphan<$.Pointer>;
  /**
* On the wire between processes the table is a List(Capability) (see workerd).
*
*/
  get capTable(): $.Pointer;
  _hasCapTable(): boolean;
  set capTable(value: $.Pointer);
  toString(): string;
  which(): Frankenvalue_Which;
}
