# edgebind's copy of workerd's `src/workerd/io/outcome.capnp`: how an event ended. Referenced by
# the result structs of EventDispatcher methods in worker.capnp. Only the file id and the
# enumerant ordinals matter on the wire (an enum is a UInt16); both are workerd's.

@0xe27bb9203d5e02a8;

enum EventOutcome {
  unknown @0;
  ok @1;
  exception @2;
  exceededCpu @3;
  killSwitch @4;
  daemonDown @5;
  scriptNotFound @6;
  canceled @7;
  exceededMemory @8;
  loadShed @9;
  responseStreamDisconnected @10;
  internalError @11;
  exceededWallTime @12;
  aborted @13;
}
