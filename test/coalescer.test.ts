import { describe, expect, it } from "vitest";
import { Coalescer } from "../src/core/batch/coalescer";

describe("Coalescer", () => {
  it("sends items that arrive within the window as one batch, and full batches at once", async () => {
    const batches: number[][] = [];
    const c = new Coalescer<number, string>({
      windowMs: 20,
      maxBatch: 3,
      sendBatch: async (xs) => (batches.push(xs), xs.map((x) => `ok${x}`)),
      sendOne: async () => "single",
    });
    const results = await Promise.all([1, 2, 3, 4, 5].map((x) => c.submit(x)));
    expect(results).toEqual(["ok1", "ok2", "ok3", "ok4", "ok5"]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
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
    expect(settled.map((s) => (s.status === "fulfilled" ? s.value : (s.reason as Error).message))).toEqual([
      "alone1",
      "user 2: 403",
      "alone3",
    ]);
    expect(c.stats).toEqual({ batches: 1, fallbacks: 3 });
  });
});

describe("Coalescer with a longest wait (items that trickle in)", () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it("keeps a batch open while items keep coming less than a quiet gap apart, until it is full", async () => {
    const batches: number[][] = [];
    const c = new Coalescer<number, void>({
      windowMs: 40,
      maxWaitMs: 5_000,
      maxBatch: 4,
      sendBatch: async (xs) => (batches.push(xs), xs.map(() => undefined)),
      sendOne: async () => undefined,
    });
    const all: Promise<void>[] = [];
    for (let i = 1; i <= 6; i++) {
      all.push(c.submit(i));
      await sleep(15); // a trickle: each item well inside the quiet gap of the one before
    }
    await Promise.all(all);
    // A fixed 40 ms window from the first item would have sent [1,2,3] and then [4,5,6].
    expect(batches).toEqual([
      [1, 2, 3, 4],
      [5, 6],
    ]);
  });

  it("sends what it has once the first item has waited the longest wait, however steady the trickle", async () => {
    const batches: number[][] = [];
    const c = new Coalescer<number, void>({
      windowMs: 40,
      maxWaitMs: 100,
      maxBatch: 100,
      sendBatch: async (xs) => (batches.push(xs), xs.map(() => undefined)),
      sendOne: async () => undefined,
    });
    const all: Promise<void>[] = [];
    for (let i = 1; i <= 12; i++) {
      all.push(c.submit(i));
      await sleep(15);
    }
    await Promise.all(all);
    expect(batches.length).toBeGreaterThanOrEqual(2); // not one batch of 12 after 180 ms
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
});
