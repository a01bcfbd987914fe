// The API every bench server offers, over whichever base classes the system has (edgebind's
// WorkerEntrypoint and RpcTarget from cloudflare:workers, capnweb's RpcTarget): add, echo,
// `a().b().c()` for chain3, heap and cpu. bench/fixtures/bench-worker.js is the same in plain
// JavaScript, for the hosts and for workerd.
import { localCpu, localHeap } from "./peer.ts";

type Ctor = new (...args: any[]) => object;

export function benchApi<E extends Ctor>(Entry: E, Target: Ctor) {
  class C extends Target {
    c() {
      return 3;
    }
  }
  class B extends Target {
    b() {
      return new C();
    }
  }
  return class extends Entry {
    add(a: number, b: number) {
      return a + b;
    }
    echo(bytes: Uint8Array) {
      return bytes;
    }
    a() {
      return new B();
    }
    heap() {
      return localHeap();
    }
    cpu() {
      return localCpu();
    }
  };
}
