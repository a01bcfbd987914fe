import { describe, it } from "node:test";
import assert from "node:assert/strict";

describe("smoke", () => {
  it("adds", () => assert.equal(1 + 1, 2));
  it("nested async", async () => { await new Promise((r) => setTimeout(r, 1)); assert.ok(true); });
});
it("top level", () => assert.ok(true));
