// When to retry a platform call and how long to wait: the one rule both platforms use. Rate limits
// (429, and the 503 with an empty body Anypoint sends "when a rate limit is reached") and gateway
// failures (502, 504) are retried for any method: the platform did not act. Connection failures and
// timeouts are retried only for idempotent calls: a POST that create may have landed.

export interface RetryPolicy {
  /** Keep retrying until this much time has passed since the first attempt (default 120 s: longer than Anypoint's one-minute window). */
  retryForMs: number;
  /** First backoff step (default 250 ms); doubles each attempt, with jitter. */
  baseDelayMs: number;
  /** Upper bound for one wait (default 20 s). */
  maxDelayMs: number;
  /** Optional cap on attempts (tests); by default time decides. */
  maxAttempts?: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retryForMs: 120_000, baseDelayMs: 250, maxDelayMs: 20_000 };

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

type Headers = Record<string, string | string[] | undefined> | undefined;

/**
 * How long the platform asked us to wait, if it did: Retry-After (seconds), else X-RateLimit-Reset —
 * the window's end in UTC epoch seconds as Anypoint sends it, or a small number of seconds to wait.
 * A reset already past (clock skew) counts as no instruction.
 */
export function platformDelayMs(headers: Headers, now = Date.now()): number | undefined {
  const header = (name: string) => (headers?.[name] === undefined ? NaN : Number(headers[name]));
  const retryAfter = header("retry-after");
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
  const reset = header("x-ratelimit-reset");
  if (!Number.isFinite(reset) || reset < 0) return undefined;
  const ms = reset >= 1e9 ? reset * 1000 - now : reset * 1000;
  return ms > 0 ? ms : undefined;
}

/** Exponential backoff with "equal jitter": half fixed, half random, so concurrent callers spread out. */
export function backoffMs(attempt: number, policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs"> = DEFAULT_RETRY, random = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(step / 2 + random() * (step / 2));
}

/** The wait before retry number `attempt + 1`: the platform's instruction (plus a little), else backoff. */
export function retryDelayMs(headers: Headers, attempt: number, now = Date.now(), policy: RetryPolicy = DEFAULT_RETRY): number {
  const told = platformDelayMs(headers, now);
  if (told !== undefined) return told + 50;
  return backoffMs(attempt, policy);
}
