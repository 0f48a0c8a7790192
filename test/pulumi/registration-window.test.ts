// The registration window: resources are constructed only while fewer than the limit await the
// engine's answer, and a failed registration frees its place like an answered one.
import { describe, expect, it } from "vitest";
import { interleave, registerInWindow } from "../../src/pulumi/registration-window";
import type * as pulumi from "@pulumi/pulumi";

/** A stand-in resource whose URN the test settles, as the engine would answer RegisterResource. */
function resources(count: number) {
  const pending: { resolve: () => void; reject: (e: Error) => void }[] = [];
  let constructed = 0;
  function* declarations(): Generator<pulumi.CustomResource> {
    for (let i = 0; i < count; i++) {
      constructed++;
      const urn = new Promise<string>((resolve, reject) => pending.push({ resolve: () => resolve(`urn:${i}`), reject }));
      urn.catch(() => {});
      yield { urn: { promise: () => urn } } as unknown as pulumi.CustomResource;
    }
  }
  return { declarations, pending, constructed: () => constructed };
}

const turn = () => new Promise((r) => setImmediate(r));

describe("registerInWindow", () => {
  it("constructs no more than the limit ahead of the engine's answers, then the rest as answers come", async () => {
    const r = resources(10);
    const done = registerInWindow(r.declarations(), 4);
    await turn();
    expect(r.constructed()).toBe(4);
    r.pending[0]!.resolve();
    await turn();
    expect(r.constructed()).toBe(5);
    r.pending[1]!.reject(new Error("registration failed")); // a failure frees its place too
    r.pending[2]!.resolve();
    await turn();
    expect(r.constructed()).toBe(7);
    for (let i = 3; i < 7; i++) r.pending[i]!.resolve();
    expect(await done).toBe(10);
    expect(r.constructed()).toBe(10);
  });

  it("lets the SDK forget a resource once its registration is answered (the stack's child set)", async () => {
    const children = new Set<unknown>();
    let answer!: (urn: string) => void;
    const urn = new Promise<string>((r) => (answer = r));
    const resource = { urn: { promise: () => urn }, __parentResource: { __childResources: children } } as unknown as pulumi.CustomResource;
    children.add(resource);
    await registerInWindow([resource], 10);
    expect(children.has(resource)).toBe(true); // still registering
    answer("urn:p1");
    await turn();
    expect(children.has(resource)).toBe(false);
  });

  it("declares everything at once when the limit is above the count", async () => {
    const r = resources(3);
    expect(await registerInWindow(r.declarations(), 100)).toBe(3);
  });
});

describe("interleave", () => {
  it("takes one of each in turn until every source is empty", () => {
    expect([...interleave(["c1", "c2", "c3"], ["a1"], [])]).toEqual(["c1", "a1", "c2", "c3"]);
  });
});

describe("the default window", () => {
  it("is 1,024 whatever --parallel the engine runs with (the engine's workers above it serve refresh reads and deletions)", async () => {
    const previous = process.env.PULUMI_NODEJS_PARALLEL;
    process.env.PULUMI_NODEJS_PARALLEL = "4096"; // what the Pulumi runner passes the program under rollcall's settings
    try {
      const r = resources(1100);
      const done = registerInWindow(r.declarations());
      await turn();
      expect(r.constructed()).toBe(1024);
      for (const p of r.pending) p.resolve();
      await turn();
      for (const p of r.pending) p.resolve();
      expect(await done).toBe(1100);
    } finally {
      if (previous === undefined) delete process.env.PULUMI_NODEJS_PARALLEL;
      else process.env.PULUMI_NODEJS_PARALLEL = previous;
    }
  });
});
