import * as $ from "capnp-es";
export declare const _capnpFileId = 12226819191733288175n;
export declare class JsExceptionMetadata extends $.Struct {
  static readonly _capnp: {
    displayName: string;
    id: string;
    size: $.ObjectSize;
  };
  /**
* Constructor name of the thrown error, e.g. "TypeError".
*
*/
  get errorType(): string;
  set errorType(value: string);
  /**
* `error.stack` as V8 formatted it on the callee.
*
*/
  get stackTrace(): string;
  set stackTrace(value: string);
  toString(): string;
}
