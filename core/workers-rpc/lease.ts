// A reference count over a group of resources that must be released together, e.g. the
// `topLevel` and `session` capabilities of one Workers RPC session on the caller side: every
// stub, promise and result derived from the session holds one reference.

export class Lease {
  private refs = 1;

  constructor(private readonly onReleased: () => void) {}

  acquire(): Lease {
    if (this.refs <= 0) throw new Error("Lease acquired after release");
    this.refs++;
    return this;
  }

  release(): void {
    if (this.refs <= 0) return;
    if (--this.refs === 0) this.onReleased();
  }
}
