# edgebind's copy of workerd's `src/workerd/jsg/exception-metadata.capnp`.
#
# workerd attaches this struct, serialized, as a detail of an RPC exception
# (`Exception.details[].data`), under a detail id equal to this file's id, 0xa9ae63464030fcef.
# It carries the callee's JS error type and full V8 stack string. workerd's own JS layer never
# shows it to the caller; we decode it for diagnostics only.

@0xa9ae63464030fcef;

struct JsExceptionMetadata {
  errorType @0 :Text;
  # Constructor name of the thrown error, e.g. "TypeError".

  stackTrace @1 :Text;
  # `error.stack` as V8 formatted it on the callee.
}
