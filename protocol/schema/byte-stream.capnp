# edgebind's copy of Cap'n Proto's `capnp/compat/byte-stream.capnp` (capnproto `v2`, the branch
# workerd pins). workerd uses `ByteStream` as the sink half of streams sent over RPC
# (`JsValue.External.writableStream`, `ExternalPusher.pushByteStream`).
#
# Wire-compatibility rules for this file:
# - The file id below is capnproto's. `ByteStream` has no explicit id upstream: its id,
#   0xd2e7d8a0dc0a9766, is derived from the file id and the name, so neither may change, and
#   `SubstreamCallback` must stay nested inside `ByteStream`.
# - Method and field ordinals, types and defaults (`limit`'s all-ones default is XOR-encoded on
#   the wire) are upstream's.
# - Upstream declares `write` and `startTls` as `-> stream`, which makes the capnp compiler import
#   the system's /capnp/stream.capnp and use its `StreamResult`. We declare that struct here
#   instead, with capnproto's id (0x995f9a3377c0b16e), and name it explicitly. The wire is the same:
#   a streaming method simply returns this empty struct. Why not a separate stream.capnp: capnp-es
#   0.0.16 re-emits a method's result struct in the interface's own file, so a result struct from
#   another file ends up declared twice in the generated code.

@0x8f5d14e1c273738d;

struct StreamResult @0x995f9a3377c0b16e {
  # No fields. The Return of a streaming call carries this empty struct; the caller uses it only
  # as flow control ("the receiver took the chunk, you may send more"), never for data.
}

interface ByteStream {
  write @0 (bytes :Data) -> StreamResult;
  # Appends one chunk. Streaming: the sender keeps a bounded number of writes in flight and uses
  # each (empty) return as back-pressure.

  end @1 ();
  # Normal end of data. Dropping the capability without calling end() means the stream was
  # aborted and the receiver must not treat what it got as complete.

  getSubstream @2 (callback :SubstreamCallback, limit :UInt64 = 0xffffffffffffffff)
      -> (substream :ByteStream);
  # Path-shortening helper for pumps: hands out a stream that writes to the same destination
  # until `limit` bytes or end(), then reports back through `callback`. The parent must not be
  # written to while a substream is open.

  startTls @3 (expectedServerHostname :Text) -> StreamResult;
  # Asks the far end to switch the underlying connection to TLS; the stream stays usable.

  interface SubstreamCallback {
    ended @0 (byteCount :UInt64);
    # The substream was ended after `byteCount` bytes; the parent stream itself stays open.

    reachedLimit @1 () -> (next :ByteStream);
    # The substream hit its limit; it forwards from now on to `next`.
  }
}
