// Reference Cap'n Proto RPC server for edgebind's interop tests, built on the C++ implementation
// (Debian's libcapnp 0.9.2). Serves a fresh `Calculator` (interop.capnp) as the bootstrap
// capability of every connection.
//
//   interop-server <address>      address: unix:/path/to.sock | 127.0.0.1:PORT (PORT may be 0)
//
// stdout, one line per event, flushed at once (tests parse it):
//   READY <address>               listening; the actual port is filled in when 0 was given
//   CONNECTED <conn>              a client connected (conn = 1, 2, ...)
//   COUNTER_CREATED <id>          a Counter came to life (id = 1, 2, ... over the process)
//   COUNTER_DESTROYED <id>        ... and was destroyed, i.e. its last reference was released
//   EOF <conn>                    the client's side of the stream ended (printed the moment the
//                                 read returns EOF, before the RPC system reacts to it)
//   DISCONNECTED <conn>           the RPC system has torn the connection down
// The release oracle: a client that releases its capabilities properly makes every
// COUNTER_DESTROYED appear before its connection's EOF line. Caps it leaked are destroyed only
// by the teardown, after EOF.
//
// It runs until killed (SIGTERM/SIGINT end it quietly).

#include "interop.capnp.h"

#include <capnp/rpc-twoparty.h>
#include <kj/async-io.h>
#include <kj/debug.h>
#include <kj/main.h>

#include <csignal>
#include <cstdio>

namespace {

// Prints one line and flushes it, so a parent process sees it immediately.
template <typename... Params>
void emit(Params&&... params) {
  auto line = kj::str(kj::fwd<Params>(params)..., '\n');
  fwrite(line.begin(), 1, line.size(), stdout);
  fflush(stdout);
}

struct Stats {
  uint32_t created = 0;
  uint32_t alive = 0;
  bool callbackHeld = false;
};
Stats stats;

class CounterImpl final: public Counter::Server {
public:
  explicit CounterImpl(int32_t start): id(++stats.created), value(start) {
    ++stats.alive;
    emit("COUNTER_CREATED ", id);
  }
  ~CounterImpl() noexcept(false) {
    --stats.alive;
    emit("COUNTER_DESTROYED ", id);
  }

  kj::Promise<void> increment(IncrementContext context) override {
    value += context.getParams().getBy();
    context.getResults().setValue(value);
    return kj::READY_NOW;
  }

private:
  uint32_t id;
  int32_t value;
};

class CalculatorImpl final: public Calculator::Server {
public:
  explicit CalculatorImpl(kj::Timer& timer): timer(timer) {}
  ~CalculatorImpl() noexcept(false) { stats.callbackHeld = false; }

  kj::Promise<void> add(AddContext context) override {
    auto params = context.getParams();
    context.getResults().setSum(params.getA() + params.getB());
    return kj::READY_NOW;
  }

  kj::Promise<void> makeCounter(MakeCounterContext context) override {
    context.getResults().setCounter(kj::heap<CounterImpl>(context.getParams().getStart()));
    return kj::READY_NOW;
  }

  kj::Promise<void> callBack(CallBackContext context) override {
    auto params = context.getParams();
    auto request = params.getCb().callRequest();
    request.setValue(params.getValue());
    return request.send().then([context](auto response) mutable {
      context.getResults().setResult(response.getResult());
    });
  }

  kj::Promise<void> getName(GetNameContext context) override {
    context.getResults().setName("edgebind-interop-cxx");
    return kj::READY_NOW;
  }

  kj::Promise<void> fail(FailContext context) override {
    // The description travels as the capnp Exception's reason, unchanged. (KJ_EXCEPTION would
    // prefix it with the expression's source text.)
    kj::throwFatalException(kj::Exception(kj::Exception::Type::FAILED, __FILE__, __LINE__,
                                          kj::str(context.getParams().getMessage())));
  }

  kj::Promise<void> makeCounterLater(MakeCounterLaterContext context) override {
    auto params = context.getParams();
    int32_t start = params.getStart();
    // A Client built from a promise is sent as a senderPromise and resolved later.
    Counter::Client later = timer.afterDelay(params.getDelayMs() * kj::MILLISECONDS)
        .then([start]() -> Counter::Client { return kj::heap<CounterImpl>(start); });
    context.getResults().setCounter(kj::mv(later));
    return kj::READY_NOW;
  }

  kj::Promise<void> incrementCounter(IncrementCounterContext context) override {
    auto params = context.getParams();
    auto request = params.getCounter().incrementRequest();
    request.setBy(params.getBy());
    return request.send().then([context](auto response) mutable {
      context.getResults().setValue(response.getValue());
    });
  }

  kj::Promise<void> holdCallback(HoldCallbackContext context) override {
    held = context.getParams().getCb();
    stats.callbackHeld = true;
    return kj::READY_NOW;
  }

  kj::Promise<void> callHeld(CallHeldContext context) override {
    KJ_IF_MAYBE(cb, held) {
      auto request = cb->callRequest();
      request.setValue(context.getParams().getValue());
      return request.send().then([context](auto response) mutable {
        context.getResults().setResult(response.getResult());
      });
    }
    KJ_FAIL_REQUIRE("no callback is held");
  }

  kj::Promise<void> dropHeld(DropHeldContext context) override {
    held = nullptr;
    stats.callbackHeld = false;
    return kj::READY_NOW;
  }

  kj::Promise<void> getStats(GetStatsContext context) override {
    auto results = context.getResults();
    results.setCountersAlive(stats.alive);
    results.setCountersCreated(stats.created);
    results.setCallbackHeld(stats.callbackHeld);
    return kj::READY_NOW;
  }

private:
  kj::Timer& timer;
  kj::Maybe<Callback::Client> held;
};

// Passes everything through to the socket, but reports EOF on the read side the moment it is
// seen, before the RPC system processes it (see the release oracle above).
class EofReportingStream final: public kj::AsyncIoStream {
public:
  EofReportingStream(kj::Own<kj::AsyncIoStream> inner, uint32_t conn)
      : inner(kj::mv(inner)), conn(conn) {}

  kj::Promise<size_t> tryRead(void* buffer, size_t minBytes, size_t maxBytes) override {
    return inner->tryRead(buffer, minBytes, maxBytes).then([this, minBytes](size_t n) {
      if (n < minBytes && !reported) {
        reported = true;
        emit("EOF ", conn);
      }
      return n;
    });
  }
  kj::Promise<void> write(const void* buffer, size_t size) override {
    return inner->write(buffer, size);
  }
  kj::Promise<void> write(kj::ArrayPtr<const kj::ArrayPtr<const kj::byte>> pieces) override {
    return inner->write(pieces);
  }
  kj::Promise<void> whenWriteDisconnected() override { return inner->whenWriteDisconnected(); }
  void shutdownWrite() override { inner->shutdownWrite(); }
  void abortRead() override { inner->abortRead(); }

private:
  kj::Own<kj::AsyncIoStream> inner;
  uint32_t conn;
  bool reported = false;
};

// One accepted connection: its stream, its two-party network and its RPC system.
struct Connection {
  Connection(kj::Own<kj::AsyncIoStream> socket, uint32_t id, kj::Timer& timer)
      : stream(kj::mv(socket), id),
        network(stream, capnp::rpc::twoparty::Side::SERVER),
        rpc(capnp::makeRpcServer(network, kj::heap<CalculatorImpl>(timer))) {}

  EofReportingStream stream;
  capnp::TwoPartyVatNetwork network;
  capnp::RpcSystem<capnp::rpc::twoparty::VatId> rpc;
};

class ErrorLogger final: public kj::TaskSet::ErrorHandler {
public:
  void taskFailed(kj::Exception&& exception) override {
    KJ_LOG(ERROR, "connection task failed", exception);
  }
};

kj::Promise<void> acceptLoop(kj::ConnectionReceiver& listener, kj::TaskSet& tasks,
                             kj::Timer& timer, uint32_t& nextConn) {
  return listener.accept().then([&](kj::Own<kj::AsyncIoStream> socket) {
    uint32_t id = ++nextConn;
    emit("CONNECTED ", id);
    auto conn = kj::heap<Connection>(kj::mv(socket), id, timer);
    auto done = conn->network.onDisconnect();
    // Keep the connection alive until it ends; only then tear it down and say so.
    tasks.add(done.attach(kj::mv(conn)).then([id]() { emit("DISCONNECTED ", id); }));
    return acceptLoop(listener, tasks, timer, nextConn);
  });
}

void onSignal(int) { _exit(0); }

}  // namespace

int main(int argc, char* argv[]) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s unix:/path/to.sock | 127.0.0.1:PORT\n", argv[0]);
    return 2;
  }
  signal(SIGTERM, onSignal);
  signal(SIGINT, onSignal);
  signal(SIGPIPE, SIG_IGN);

  auto io = kj::setupAsyncIo();
  kj::StringPtr requested = argv[1];
  auto address = io.provider->getNetwork().parseAddress(requested).wait(io.waitScope);
  auto listener = address->listen();

  // Report the address a client should use; for TCP with port 0, the port we actually got.
  kj::String actual = kj::str(requested);
  if (!requested.startsWith("unix:")) {
    KJ_IF_MAYBE(colon, requested.findLast(':')) {
      actual = kj::str(requested.slice(0, *colon), ':', listener->getPort());
    }
  }
  emit("READY ", actual);

  ErrorLogger errorLogger;
  kj::TaskSet tasks(errorLogger);
  uint32_t nextConn = 0;
  acceptLoop(*listener, tasks, io.provider->getTimer(), nextConn).wait(io.waitScope);
  return 0;
}
