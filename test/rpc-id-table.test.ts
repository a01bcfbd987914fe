// The connection's tables: IdTable hands out the smallest free id (questions, exports), IdMap
// holds entries under ids the peer chose (answers, imports), small ones in an array and the rare
// large ones in a Map, with the same behaviour either way.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { IdMap, IdTable } from "../core/rpc/id-table.ts";

describe("IdTable", () => {
  it("reuses the smallest free id first and counts entries", () => {
    const t = new IdTable<string>();
    assert.deepEqual([t.add("a"), t.add("b"), t.add("c"), t.add("d")], [0, 1, 2, 3]);
    assert.equal(t.delete(2), "c");
    assert.equal(t.delete(0), "a");
    assert.equal(t.delete(0), undefined);
    assert.equal(t.size, 2);
    assert.equal(t.add("e"), 0);
    assert.equal(t.add("f"), 2);
    assert.equal(t.add("g"), 4);
    assert.deepEqual([...t.entries()], [[0, "e"], [1, "b"], [2, "f"], [3, "d"], [4, "g"]]);
    t.clear();
    assert.equal(t.size, 0);
    assert.equal(t.add("h"), 0);
  });

  it("after the top ids are deleted, ids start again from the lowest free one", () => {
    const t = new IdTable<number>();
    for (let i = 0; i < 10; i++) t.add(i);
    for (let i = 9; i >= 3; i--) t.delete(i);
    t.delete(1);
    assert.deepEqual([t.add(100), t.add(101), t.add(102)], [1, 3, 4]);
  });

  it("always hands out the smallest id not in use, through random churn that grows and shrinks the table", () => {
    const t = new IdTable<number>();
    const used = new Set<number>();
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    for (let step = 0; step < 50_000; step++) {
      // Phases of growth and of shrinking, as calls in flight rise and fall.
      const grow = Math.floor(step / 2500) % 2 === 0;
      if (used.size === 0 || rand(100) < (grow ? 60 : 35)) {
        let expected = 0;
        while (used.has(expected)) expected++;
        assert.equal(t.add(step), expected, `step ${step}`);
        used.add(expected);
      } else {
        const ids = [...used];
        const id = rand(4) === 0 ? Math.max(...ids) : ids[rand(ids.length)]!;
        assert.notEqual(t.delete(id), undefined);
        used.delete(id);
      }
      assert.equal(t.size, used.size);
    }
    assert.deepEqual([...t.entries()].map(([id]) => id), [...used].sort((x, y) => x - y));
  });
});

describe("IdMap", () => {
  it("gets, sets, replaces and deletes small and large ids alike", () => {
    const m = new IdMap<string>();
    const ids = [0, 5, 3, 65535, 65536, 2 ** 32 - 1, 70000];
    for (const id of ids) m.set(id, `v${id}`);
    assert.equal(m.size, ids.length);
    for (const id of ids) assert.equal(m.get(id), `v${id}`);
    assert.equal(m.has(4), false);
    assert.equal(m.get(1), undefined);
    m.set(5, "again");
    m.set(2 ** 32 - 1, "again");
    assert.equal(m.size, ids.length, "replacing does not count twice");
    assert.deepEqual(m.values(), ["v0", "v3", "again", "v65535", "v65536", "v70000", "again"]);
    m.delete(65535);
    m.delete(70000);
    m.delete(4); // absent: no effect
    m.delete(70000);
    assert.equal(m.size, ids.length - 2);
    assert.equal(m.get(65535), undefined);
    assert.equal(m.get(70000), undefined);
    m.clear();
    assert.equal(m.size, 0);
    assert.deepEqual(m.values(), []);
  });

  it("values() is a snapshot: entries may be deleted while iterating it", () => {
    const m = new IdMap<number>();
    for (let i = 0; i < 6; i++) m.set(i * 2, i);
    const seen: number[] = [];
    for (const v of m.values()) {
      seen.push(v);
      m.delete(v * 2);
    }
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 5]);
    assert.equal(m.size, 0);
  });

  it("keeps ids that only grow out of the array: no gap refilled per message", () => {
    const m = new IdMap<number>();
    const slots = () => (m as unknown as { slots: unknown[] }).slots.length;
    m.set(0, 0); // an entry that stays, as the bootstrap import does
    for (let id = 1; id < 20_000; id += 4) {
      for (let i = 0; i < 4; i++) m.set(id + i, id + i);
      for (let i = 0; i < 4; i++) assert.equal(m.get(id + i), id + i);
      assert.ok(slots() <= 1 + 1024 + 4, `the array holds ${slots()} slots at id ${id}`);
      for (let i = 3; i >= 0; i--) m.delete(id + i);
    }
    assert.equal(m.size, 1);
    assert.deepEqual(m.values(), [0]);
  });

  it("an id in the Map stays there, alone, when the array later reaches it", () => {
    const m = new IdMap<string>();
    m.set(3000, "far");
    for (let id = 0; id < 3100; id++) if (id !== 3000) m.set(id, `d${id}`);
    assert.equal(m.get(3000), "far");
    m.set(3000, "replaced");
    assert.equal(m.size, 3100, "replacing does not count twice");
    assert.equal(m.get(3000), "replaced");
    assert.equal(m.values().filter((v) => v === "replaced").length, 1);
    m.delete(3000);
    assert.equal(m.get(3000), undefined);
    assert.equal(m.size, 3099);
    m.set(3000, "in the array now");
    assert.equal(m.get(3000), "in the array now");
    assert.equal(m.values()[3000], "in the array now", "in id order");
  });

  it("the array shrinks back when the highest ids go (no growth from churn)", () => {
    const m = new IdMap<number>();
    for (let round = 0; round < 1000; round++) {
      for (let i = 0; i < 4; i++) m.set(i, i);
      for (let i = 3; i >= 0; i--) m.delete(i);
    }
    assert.equal(m.size, 0);
    assert.equal((m as unknown as { slots: unknown[] }).slots.length, 0);
  });
});
