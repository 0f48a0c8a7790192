// The adaptive request budget (src/core/http/budget.ts) against a platform with a burst limit it does not
// announce: more than 10 calls in any second are answered 503 with an empty body (Anypoint's form
// "when a rate limit is reached"). The same 120 calls go through a budget of 20 a second, fixed and
// adaptive: both converge; the adaptive one sends the platform fewer refused calls. The figures
// (calls answered 503, wall time) are printed.
import { afterEach, describe, expect, it } from "vitest";
import { RequestBudget } from "../src/core/http/budget";
import { HttpClient } from "../src/core/http/client";
import { SimulatorServer } from "../src/sim/harness";

const LIMIT_PER_SECOND = 10;
const CALLS = 120;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function burstLimited(): Promise<SimulatorServer> {
  const s = new SimulatorServer("Test", { idleTimeoutSeconds: 60 });
  const started: number[] = [];
  s.route("GET", "/things", () => {
    const now = Date.now();
    while (started.length && started[0]! <= now - 1000) started.shift();
    if (started.length >= LIMIT_PER_SECOND) return { status: 503 };
    started.push(now);
    return { status: 200, body: { ok: true } };
  });
  await s.start();
  cleanup.push(() => s.stop());
  return s;
}

async function run(adaptive: boolean): Promise<{ refused: number; ok: number; seconds: number }> {
  const s = await burstLimited();
  const c = new HttpClient({
    platform: "Test",
    baseUrl: s.url,
    budget: new RequestBudget({ maxConcurrent: 8, requestsPerSecond: 20, adaptive }),
    retry: { baseDelayMs: 100, maxDelayMs: 2000 },
  });
  cleanup.push(() => c.close());
  const t0 = Date.now();
  const answers = await Promise.all(Array.from({ length: CALLS }, () => c.call({ method: "GET", path: "/things" })));
  return {
    refused: s.requests.filter((r) => r.status === 503).length,
    ok: answers.filter((a) => a.status === 200).length,
    seconds: (Date.now() - t0) / 1000,
  };
}

describe("adaptive request budget under an unannounced burst limit", () => {
  it("slows down after 503s and recovers: every call converges, with fewer refused than at a fixed rate", async () => {
    const fixed = await run(false);
    const adaptive = await run(true);
    process.stdout.write(
      `\n| budget (20/s, limit ${LIMIT_PER_SECOND}/s, ${CALLS} calls) | answered 503 | share refused | wall time (s) |\n| --- | --- | --- | --- |\n${(
        [
          ["fixed", fixed],
          ["adaptive", adaptive],
        ] as const
      )
        .map(
          ([name, r]) => `| ${name} | ${r.refused} | ${Math.round((r.refused * 100) / (r.refused + CALLS))}% | ${r.seconds.toFixed(1)} |`,
        )
        .join("\n")}\n`,
    );
    expect([fixed.ok, adaptive.ok]).toEqual([CALLS, CALLS]);
    expect(adaptive.refused).toBeLessThan(fixed.refused / 2);
  }, 120_000);
});
