// A table keyed by small integer ids that reuses the smallest free id first, as Cap'n Proto's
// reference implementation does for questions and exports (ids stay small and dense, so an
// array beats a Map, and a peer can never make us grow without bound by churning ids). IdMap
// (below) holds entries under ids the peer chose.

export class IdTable<T> {
  private readonly slots: (T | undefined)[] = [];
  /**
   * Min-heap of free ids. Ids at or past slots.length are stale (the array shrank past them
   * since) and are dropped when they reach the top: taking them out when the array shrinks cost
   * a search of the heap per id, which a table churning with many calls in flight paid on
   * nearly every delete. Each id is in the heap at most once: the array grows only when the
   * heap is empty.
   */
  private readonly free: number[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Stores `value` under the smallest free id and returns that id. */
  add(value: T): number {
    let id = this.slots.length;
    while (this.free.length > 0) {
      const free = this.popFree();
      if (free < id) {
        id = free;
        break;
      }
    }
    if (id === this.slots.length) this.slots.push(value);
    else this.slots[id] = value;
    this.count++;
    return id;
  }

  get(id: number): T | undefined {
    return this.slots[id];
  }

  /** Removes the entry for `id`; returns it (undefined if there was none). */
  delete(id: number): T | undefined {
    const value = this.slots[id];
    if (value === undefined) return undefined;
    this.count--;
    if (id === this.slots.length - 1) {
      // The array shrinks past trailing free ids; their heap entries become stale (see `free`).
      this.slots.pop();
      while (this.slots.length > 0 && this.slots[this.slots.length - 1] === undefined) this.slots.pop();
      // If even the smallest is stale, they all are (the usual case once a call's ids are back).
      if (this.free.length > 0 && this.free[0]! >= this.slots.length) this.free.length = 0;
    } else {
      this.slots[id] = undefined;
      this.pushFree(id);
    }
    return value;
  }

  *entries(): IterableIterator<[number, T]> {
    for (let id = 0; id < this.slots.length; id++) {
      const value = this.slots[id];
      if (value !== undefined) yield [id, value];
    }
  }

  clear(): void {
    this.slots.length = 0;
    this.free.length = 0;
    this.count = 0;
  }

  private pushFree(id: number): void {
    const heap = this.free;
    let i = heap.push(id) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]! <= id) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = id;
  }

  private popFree(): number {
    const heap = this.free;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) this.siftDown(0, last);
    return top;
  }

  private siftDown(start: number, value: number): void {
    const heap = this.free;
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= heap.length) break;
      if (child + 1 < heap.length && heap[child + 1]! < heap[child]!) child++;
      if (heap[child]! >= value) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = value;
  }
}

/**
 * A map keyed by ids the peer chooses (its question ids, its export ids). A well-behaved peer
 * keeps them small and dense (it reuses the smallest free id), so they index an array: no hash
 * table that grows and shrinks with every call. An id far past the array's end (or too large)
 * goes to a Map instead: filling the gap would cost O(id) per message for a peer whose ids
 * only grow, since the array shrinks again whenever its highest ids are deleted.
 */
export class IdMap<T> {
  private readonly slots: (T | undefined)[] = [];
  /** Entries the array does not hold (far or large ids); null while there are none. */
  private large: Map<number, T> | null = null;
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(id: number): T | undefined {
    if (this.large !== null) {
      const value = this.large.get(id);
      if (value !== undefined) return value;
    }
    return id < this.slots.length ? this.slots[id] : undefined;
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  /** Stores `value` (not undefined) under `id`, replacing what was there. */
  set(id: number, value: T): void {
    const large = this.large;
    if (large !== null && large.has(id)) {
      large.set(id, value);
      return;
    }
    const slots = this.slots;
    if (id < slots.length) {
      if (slots[id] === undefined) this.count++;
      slots[id] = value;
    } else if (id < DENSE_IDS && id - slots.length < DENSE_GAP) {
      while (slots.length < id) slots.push(undefined); // no holes: the array stays packed
      slots.push(value);
      this.count++;
    } else {
      (this.large ??= new Map()).set(id, value);
      this.count++;
    }
  }

  delete(id: number): void {
    const large = this.large;
    if (large !== null && large.delete(id)) {
      this.count--;
      if (large.size === 0) this.large = null;
      return;
    }
    const slots = this.slots;
    if (id >= slots.length || slots[id] === undefined) return;
    this.count--;
    slots[id] = undefined;
    while (slots.length > 0 && slots[slots.length - 1] === undefined) slots.pop();
  }

  /** The values, in id order (the array's first, then the rest); a snapshot, safe to modify the map meanwhile. */
  values(): T[] {
    const out: T[] = [];
    for (const v of this.slots) if (v !== undefined) out.push(v);
    if (this.large) for (const id of [...this.large.keys()].sort((a, b) => a - b)) out.push(this.large.get(id)!);
    return out;
  }

  clear(): void {
    this.slots.length = 0;
    this.large = null;
    this.count = 0;
  }
}

/** How far past the array's end an id may be and still be put in the array. */
const DENSE_GAP = 1024;
/** Ids below this index IdMap's array. */
const DENSE_IDS = 1 << 16;
