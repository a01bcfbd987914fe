# edgebind's copy of workerd's `src/workerd/io/frankenvalue.capnp`. A Frankenvalue is workerd's
# encoding of `ctx.props`-like values: a JSON or V8-serialized base value whose properties may be
# further Frankenvalues, plus a table of capabilities the value refers to by index. worker.capnp
# needs it for EventDispatcher.restoreService / restoreRpcStub and WorkerdDebugPort.
#
# File id, ordinals, types and the `capTableSize` default are workerd's (the struct id follows
# from the file id and the name).

@0xcc3b225cb3101aba;

struct Frankenvalue {
  union {
    emptyObject @0 :Void;
    # `{}`; the usual value when nothing was given.

    json @1 :Text;
    v8Serialized @2 :Data;
    arrayBuffer @9 :Data;

    capability :group {
      # The value is entry `capIndex` of the capability table; `tag` is a workerd
      # SerializationTag saying what kind of binding it is (service stub, actor class, ...).
      capIndex @7 :UInt32;
      tag @8 :UInt16;
      wrapperModule @10 :Text;
      # For wrapped bindings: the module that wraps the capability.
    }
  }

  properties @3 :List(Frankenvalue);
  # Extra properties merged onto the base value; each entry must carry a `name`.

  name @4 :Text;
  # Property name, only meaningful for entries of a parent's `properties`.

  capTableSize @5 :UInt32 = 0;
  capTable @6 :AnyPointer;
  # On the wire between processes the table is a List(Capability) (see workerd).
}
