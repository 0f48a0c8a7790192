import { describe, expect, it } from "vitest";
import { RequestBudget } from "../src/core/http/budget";
import { HttpClient, retryDelayMs } from "../src/core/http/client";
import { SimulatorServer } from "../src/sim/harness";

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

describe("HttpClient retries through undici's retry interceptor", () => {
  it("repeats a 503 and a connection reset with the rule's waits, and gives a 429 given up on to the caller with its body", async () => {
    const s = new SimulatorServer("Test", { idleTimeoutSeconds: 60 });
    s.route("GET", "/things", () => ({ status: 200, body: { ok: true } }));
    await s.start();
    const waits: { status: number | string; attempt: number }[] = [];
    const c = new HttpClient({
      platform: "Test",
      baseUrl: s.url,
      budget: new RequestBudget({ maxConcurrent: 2, requestsPerSecond: 1000 }),
      retry: { baseDelayMs: 10, maxDelayMs: 20, maxAttempts: 3 },
      onRetry: (w) => waits.push({ status: w.status, attempt: w.attempt }),
    });
    try {
      s.injectFault({ path: "^/things$", status: 503 });
      s.injectFault({ path: "^/things$", kind: "reset" });
      expect((await c.call({ method: "GET", path: "/things" })).body).toEqual({ ok: true });
      expect(s.requests.map((r) => r.status)).toEqual([503, 0, 200]);
      expect(waits.map((w) => [typeof w.status === "number" ? w.status : "connection", w.attempt])).toEqual([
        [503, 1],
        ["connection", 2],
      ]);
      s.injectFault({ path: "^/things$", status: 429, body: { message: "Too many requests" }, times: 3 });
      await expect(c.call({ method: "POST", path: "/things", idempotent: false })).rejects.toThrow(
        /POST http:\S+ failed: HTTP 429: Too many requests\. Still rate-limited or unavailable after 3 attempts/,
      );
    } finally {
      await c.close();
      await s.stop();
    }
  });
});
