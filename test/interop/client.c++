// Reference Cap'n Proto RPC client for edgebind's interop tests, built on the C++ implementation
// (Debian's libcapnp 0.9.2, EzRpcClient). Connects to a `Calculator` (interop.capnp) and runs a
// fixed scenario against it, printing one line per passed check:
//
//   interop-client <address>      address: unix:/path/to.sock | HOST:PORT
//
//   OK getName edgebind-interop-cxx
//   OK add 3                        add(1, 2)
//   OK pipelined 7                  makeCounter(5).counter.increment(2), sent before
//                                   makeCounter's answer has returned (promise pipelining)
//   OK increment 10                 increment(3) on the counter once makeCounter returned
//   OK passCounterBack 11           incrementCounter(<that server counter>, 1)
//   OK callBack client:hello        callBack(<our Callback>, "hello"): the server calls us
//   OK clientCounter 42             incrementCounter(<our Counter at 40>, 2)
//   OK fail boom                    fail("boom") throws, reason contains "boom"
//   OK promiseCap 21                makeCounterLater(20, 50).counter.increment(1), pipelined
//                                   on a capability the server resolves later
//   OK held client:later            holdCallback(<our Callback>); callHeld("later")
//   OK heldReleased                 after dropHeld(), the server released our Callback
//   OK released                     after we dropped every Counter, getStats() reports
//                                   countersAlive == 0 on the still-open connection
//   OK done
//
// Exit status 0 when every check passed. On the first failure it prints `FAIL <check> <detail>`
// and exits 1 (2 for bad usage).

#include "interop.capnp.h"

#include <capnp/ez-rpc.h>
#include <kj/async-io.h>
#include <kj/debug.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

template <typename... Params>
void emit(Params&&... params) {
  auto line = kj::str(kj::fwd<Params>(params)..., '\n');
  fwrite(line.begin(), 1, line.size(), stdout);
  fflush(stdout);
}

[[noreturn]] void failCheck(kj::StringPtr check, kj::StringPtr detail) {
  emit("FAIL ", check, ' ', detail);
  exit(1);
}

// Compares and prints `OK <check> <actual>`, or fails the run.
template <typename T>
void expectEqual(kj::StringPtr check, const T& actual, const T& expected) {
  if (actual == expected) {
    emit("OK ", check, ' ', actual);
  } else {
    failCheck(check, kj::str("got ", actual, ", expected ", expected));
  }
}

// Objects we export to the server. `alive` lets us observe when the server released them.
int callbacksAlive = 0;

class CallbackImpl final: public Callback::Server {
public:
  CallbackImpl() { ++callbacksAlive; }
  ~CallbackImpl() noexcept(false) { --callbacksAlive; }

  kj::Promise<void> call(CallContext context) override {
    context.getResults().setResult(kj::str("client:", context.getParams().getValue()));
    return kj::READY_NOW;
  }
};

class ClientCounter final: public Counter::Server {
public:
  explicit ClientCounter(int32_t start): value(start) {}

  kj::Promise<void> increment(IncrementContext context) override {
    value += context.getParams().getBy();
    context.getResults().setValue(value);
    return kj::READY_NOW;
  }

private:
  int32_t value;
};

}  // namespace

int main(int argc, char* argv[]) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s unix:/path/to.sock | HOST:PORT\n", argv[0]);
    return 2;
  }

  KJ_IF_MAYBE(exception, kj::runCatchingExceptions([&]() {
    capnp::EzRpcClient client(argv[1]);
    auto& ws = client.getWaitScope();
    auto& timer = client.getIoProvider().getTimer();
    Calculator::Client calc = client.getMain<Calculator>();

    expectEqual<kj::StringPtr>("getName",
        calc.getNameRequest().send().wait(ws).getName(), "edgebind-interop-cxx");

    {
      auto req = calc.addRequest();
      req.setA(1);
      req.setB(2);
      expectEqual("add", req.send().wait(ws).getSum(), 3);
    }

    {
      // Send makeCounter and, without waiting, call increment on its not-yet-returned result.
      auto make = calc.makeCounterRequest();
      make.setStart(5);
      auto made = make.send();
      auto inc = made.getCounter().incrementRequest();
      inc.setBy(2);
      auto pipelined = inc.send();
      expectEqual("pipelined", pipelined.wait(ws).getValue(), 7);

      Counter::Client counter = made.wait(ws).getCounter();
      auto inc2 = counter.incrementRequest();
      inc2.setBy(3);
      expectEqual("increment", inc2.send().wait(ws).getValue(), 10);

      // The server's own counter goes back to it (a receiverHosted capability).
      auto back = calc.incrementCounterRequest();
      back.setCounter(counter);
      back.setBy(1);
      expectEqual("passCounterBack", back.send().wait(ws).getValue(), 11);
    }

    {
      auto req = calc.callBackRequest();
      req.setCb(kj::heap<CallbackImpl>());
      req.setValue("hello");
      expectEqual<kj::StringPtr>("callBack", req.send().wait(ws).getResult(), "client:hello");
    }

    {
      auto req = calc.incrementCounterRequest();
      req.setCounter(kj::heap<ClientCounter>(40));
      req.setBy(2);
      expectEqual("clientCounter", req.send().wait(ws).getValue(), 42);
    }

    {
      auto req = calc.failRequest();
      req.setMessage("boom");
      auto result = req.send().then(
          [](auto&&) -> kj::Maybe<kj::Exception> { return nullptr; },
          [](kj::Exception&& e) -> kj::Maybe<kj::Exception> { return kj::mv(e); })
          .wait(ws);
      KJ_IF_MAYBE(e, result) {
        if (strstr(e->getDescription().cStr(), "boom") != nullptr) {
          emit("OK fail boom");
        } else {
          failCheck("fail", kj::str("unexpected description: ", e->getDescription()));
        }
      } else {
        failCheck("fail", "call succeeded");
      }
    }

    {
      auto req = calc.makeCounterLaterRequest();
      req.setStart(20);
      req.setDelayMs(50);
      auto inc = req.send().getCounter().incrementRequest();
      inc.setBy(1);
      expectEqual("promiseCap", inc.send().wait(ws).getValue(), 21);
    }

    {
      auto hold = calc.holdCallbackRequest();
      hold.setCb(kj::heap<CallbackImpl>());
      hold.send().wait(ws);
      auto call = calc.callHeldRequest();
      call.setValue("later");
      expectEqual<kj::StringPtr>("held", call.send().wait(ws).getResult(), "client:later");
      calc.dropHeldRequest().send().wait(ws);
      // The server's Release for our callback may trail its Return; give it a moment.
      for (int i = 0; callbacksAlive != 0 && i < 100; ++i) {
        timer.afterDelay(10 * kj::MILLISECONDS).wait(ws);
      }
      if (callbacksAlive != 0) {
        failCheck("heldReleased", kj::str(callbacksAlive, " callback(s) still referenced"));
      }
      emit("OK heldReleased");
    }

    {
      // Every Counter reference we held is gone by now; our Release messages travel ahead of
      // this call on the same connection.
      auto stats = calc.getStatsRequest().send().wait(ws);
      if (stats.getCountersAlive() != 0) {
        failCheck("released", kj::str(stats.getCountersAlive(), " of ",
                                      stats.getCountersCreated(), " counters still alive"));
      }
      emit("OK released");
    }
    emit("OK done");
  })) {
    failCheck("exception", exception->getDescription());
  }
  return 0;
}
