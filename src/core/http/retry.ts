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
export function backoffMs(
  attempt: number,
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs"> = DEFAULT_RETRY,
  random = Math.random,
): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(step / 2 + random() * (step / 2));
}

/** The wait before retry number `attempt + 1`: the platform's instruction (plus a little), else backoff. */
export function retryDelayMs(headers: Headers, attempt: number, now = Date.now(), policy: RetryPolicy = DEFAULT_RETRY): number {
  const told = platformDelayMs(headers, now);
  if (told !== undefined) return told + 50;
  return backoffMs(attempt, policy);
}

/** What the retry rule knows of one call (src/core/http/client.ts puts it in the dispatch options). */
export interface RetryCallContext {
  /** "GET /path", for the onRetry hook. */
  label: string;
  /** Safe to repeat after a connection failure or timeout. */
  idempotent: boolean;
  /** Statuses the caller handles itself: never retried. */
  accept: number[];
  /** When the call's first attempt was asked for (epoch ms). */
  startedAt: number;
  /** Attempts that failed so far (the rule counts them). */
  failures: number;
}

export type RetryHook = (info: { call: string; status: number | string; attempt: number; delayMs: number }) => void;

const FINAL = Symbol("rollcall.final");

/** Marks an error no retry can help (e.g. a refused login while authorizing an attempt). */
export function markFinal(err: Error): Error {
  return Object.assign(err, { [FINAL]: true });
}

/** The dispatch option the rule reads its call's context from. */
export const RETRY_CONTEXT = "rollcallRetry";

type UndiciRetry = (err: Error, context: { state: { counter: number }; opts: object }, callback: (err?: Error | null) => void) => unknown;

/**
 * The rule as undici's RetryHandler `retry` function (the interceptor runs with throwOnError:
 * false, so a status given up on reaches the caller with its body). `err` carries `statusCode` and
 * `headers` for an answer, neither for a connection failure or timeout.
 */
export function retryRule(policy: RetryPolicy, onRetry?: RetryHook): UndiciRetry {
  return (err, { opts }, callback) => {
    const ctx = (opts as Record<string, unknown>)[RETRY_CONTEXT] as RetryCallContext | undefined;
    if (!ctx || (err as unknown as Record<symbol, unknown>)[FINAL]) return callback(err);
    const attempt = ctx.failures++;
    const { statusCode: status, headers } = err as { statusCode?: number; headers?: Headers };
    const retryable = status === undefined ? ctx.idempotent : RETRYABLE_STATUSES.has(status) && !ctx.accept.includes(status);
    if (!retryable) return callback(err);
    const delayMs = retryDelayMs(status === undefined ? undefined : headers, attempt, Date.now(), policy);
    if (policy.maxAttempts !== undefined && attempt + 1 >= policy.maxAttempts) return callback(err);
    if (Date.now() + delayMs - ctx.startedAt > policy.retryForMs) return callback(err);
    onRetry?.({ call: ctx.label, status: status ?? err.message, attempt: attempt + 1, delayMs });
    return setTimeout(() => callback(null), delayMs);
  };
}
