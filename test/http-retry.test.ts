import { describe, expect, it } from "vitest";
import { retryDelayMs } from "../src/http/client";

describe("retryDelayMs", () => {
  const now = 1_800_000_000_000;
  it("honours Retry-After, then X-RateLimit-Reset as seconds to wait or as an epoch time", () => {
    expect(retryDelayMs({ "retry-after": "2" }, 0, now)).toBe(2050);
    expect(retryDelayMs({ "x-ratelimit-reset": "3" }, 0, now)).toBe(3050);
    expect(retryDelayMs({ "x-ratelimit-reset": String(now / 1000 + 7) }, 0, now)).toBe(7050);
    // A reset already past (clock skew) is no instruction: back off instead of hammering.
    expect(retryDelayMs({ "x-ratelimit-reset": String(now / 1000 - 5) }, 0, now)).toBeGreaterThanOrEqual(125);
  });
  it("backs off exponentially without headers", () => {
    expect(retryDelayMs({}, 0, now)).toBeGreaterThanOrEqual(125);
    expect(retryDelayMs({}, 0, now)).toBeLessThanOrEqual(250);
    expect(retryDelayMs({}, 3, now)).toBeGreaterThanOrEqual(1000);
    expect(retryDelayMs(undefined, 3, now)).toBeLessThanOrEqual(2000);
    expect(retryDelayMs(undefined, 30, now)).toBeLessThanOrEqual(20_000); // capped
  });
});
