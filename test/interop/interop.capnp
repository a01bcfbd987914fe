# Test interface shared by the C++ interop peers (server.c++, client.c++) and the TypeScript
# side (capnp-es code in gen/, and edgebind's own RPC engine). It exercises what a two-party
# Cap'n Proto RPC implementation must get right against the reference C++ implementation:
# plain calls, capabilities returned and passed in both directions, pipelining on an answer
# that has not returned yet, promise capabilities resolved later (Resolve), exceptions, and
# Release (the C++ server logs every Counter's creation and destruction).
#
# See README.md in this directory for the exact scenario and the output lines.

@0xef5f8f37378ef8e2;

interface Calculator {
  # The bootstrap capability of server.c++ (a fresh instance per connection).

  add @0 (a :Int32, b :Int32) -> (sum :Int32);

  makeCounter @1 (start :Int32) -> (counter :Counter);
  # A new server-side Counter starting at `start`.

  callBack @2 (cb :Callback, value :Text) -> (result :Text);
  # Calls `cb.call(value)` during this call and returns what it returned.

  getName @3 () -> (name :Text);
  # Always "edgebind-interop-cxx".

  fail @4 (message :Text) -> ();
  # Always throws: a capnp exception of type `failed` whose reason is exactly `message`.

  makeCounterLater @5 (start :Int32, delayMs :UInt32) -> (counter :Counter);
  # Returns at once, but `counter` is a promise capability (senderPromise) that the server
  # resolves (Resolve message) to a new Counter after `delayMs`.

  incrementCounter @6 (counter :Counter, by :Int32) -> (value :Int32);
  # Calls `counter.increment(by)` and returns its value. Pass one of the server's own counters
  # (it comes back as receiverHosted) or a Counter the client implements (the server calls it).

  holdCallback @7 (cb :Callback) -> ();
  # Keeps `cb` after the call returns (replacing any held one).

  callHeld @8 (value :Text) -> (result :Text);
  # Calls the held callback; fails if none is held.

  dropHeld @9 () -> ();
  # Drops the held callback: the server then sends Release for it.

  getStats @10 () -> (countersAlive :UInt32, countersCreated :UInt32, callbackHeld :Bool);
  # Process-wide Counter bookkeeping: a client that released its counters sees countersAlive
  # drop while still connected (Release is processed in order with calls).
}

interface Counter {
  increment @0 (by :Int32) -> (value :Int32);
  # Adds `by` and returns the new value.
}

interface Callback {
  call @0 (value :Text) -> (result :Text);
}
