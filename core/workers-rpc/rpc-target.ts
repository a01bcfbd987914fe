// RpcTarget: the marker base class for objects passed by reference. Only its presence on the
// prototype chain matters (a Proxy that fakes the chain counts too), as in workerd.

export class RpcTarget {}

const objectPrototype = Object.prototype;

/** True if RpcTarget.prototype is on the value's (possibly Proxy-reported) prototype chain. */
export function isRpcTarget(value: object): boolean {
  for (let p = Object.getPrototypeOf(value); p !== null; p = Object.getPrototypeOf(p)) {
    if (p === RpcTarget.prototype) return true;
  }
  return false;
}

export function isPlainObject(value: object): boolean {
  return Object.getPrototypeOf(value) === objectPrototype;
}

/** A value that Workers RPC passes as a function stub (RpcProperty and RpcPromise excluded by the caller). */
export function isFunction(value: unknown): value is (...args: unknown[]) => unknown {
  return typeof value === "function";
}

/** Runs a user-supplied disposer later; its errors are reported, never sent to a caller. */
export function runDisposerLater(dispose: () => unknown, label: string): void {
  Promise.resolve()
    .then(dispose)
    .catch((err: unknown) => console.error(`Uncaught error in ${label}:`, err));
}
