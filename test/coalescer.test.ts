import { describe, expect, it } from "vitest";
import { Coalescer } from "../src/batch/coalescer";

describe("Coalescer", () => {
  it("sends items that arrive within the window as one batch, and full batches at once", async () => {
    const batches: number[][] = [];
    const c = new Coalescer<number, string>({ windowMs: 20, maxBatch: 3, sendBatch: async (xs) => (batches.push(xs), xs.map((x) => `ok${x}`)), sendOne: async () => "single" });
    const results = await Promise.all([1, 2, 3, 4, 5].map((x) => c.submit(x)));
    expect(results).toEqual(["ok1", "ok2", "ok3", "ok4", "ok5"]);
    expect(batches).toEqual([[1, 2, 3], [4, 5]]);
  });

  it("falls back to one call per item when a batch fails, so each caller gets its own outcome", async () => {
    const c = new Coalescer<number, string>({
      windowMs: 10,
      maxBatch: 10,
      sendBatch: async () => {
        throw new Error("bulk refused");
      },
      sendOne: async (x) => {
        if (x === 2) throw new Error("user 2: 403");
        return `alone${x}`;
      },
    });
    const settled = await Promise.allSettled([1, 2, 3].map((x) => c.submit(x)));
    expect(settled.map((s) => (s.status === "fulfilled" ? s.value : (s.reason as Error).message))).toEqual(["alone1", "user 2: 403", "alone3"]);
    expect(c.stats).toEqual({ batches: 1, fallbacks: 3 });
  });
});
