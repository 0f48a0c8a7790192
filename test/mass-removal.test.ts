import { describe, expect, it } from "vitest";
import { massRemovalError } from "../src/safety/mass-removal";

describe("massRemovalError", () => {
  const before = { controlRoom: ["a", "b", "c"], anypoint: ["a.acme", "b.acme"] };
  it("allows removals up to the limit, and anything on a first deployment", () => {
    expect(massRemovalError(before, { controlRoom: ["a"], anypoint: ["A.ACME", "b.acme"] }, 2)).toBeUndefined();
    expect(massRemovalError(undefined, {}, 0)).toBeUndefined();
  });
  it("refuses more, saying how many, who, and how to allow it", () => {
    expect(massRemovalError(before, { controlRoom: ["a"] }, 2)).toBe(
      "This change removes 2 Control Room and 2 Anypoint users (b, c, a.acme, b.acme), more than rollcall:maxRemovals (2); nothing was sent. If that is intended, allow it for this run with ROLLCALL_MAX_REMOVALS=4 pulumi up, or set it with `pulumi config set rollcall:maxRemovals 4`.",
    );
  });
});
