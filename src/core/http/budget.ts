// One request budget per platform per process: at most `maxConcurrent` calls in flight and at most
// `requestsPerSecond` started (a token bucket holding up to `burst`), shared by every client of the
// same platform and base URL in the process — every resource of the provider, and the program's
// reads. A rate-limit answer pauses the whole budget until the platform's reset, so concurrent
// callers wait together instead of each spending its retries against a closed window.
//
// `budgetInterceptor` puts the budget into undici's dispatch chain (src/core/http/client.ts composes it
// inside the retry interceptor), so every attempt, first or retried, takes its own slot.
import type { Dispatcher } from "undici";
import { RETRYABLE_STATUSES, markFinal, platformDelayMs } from "./retry";

/** What a call tells the budget (src/core/http/client.ts puts it in the dispatch options). */
export interface SlotOptions {
  /** Take an urgent slot (RequestBudget.slot). */
  urgent?: boolean;
  /**
   * Headers computed once the attempt holds its slot, e.g. a session token: a token taken before
   * the wait could expire while the call queues. Asked again for every attempt.
   */
  authorize?: () => Promise<Record<string, string>>;
  /** Told each answer's status before its slot is given back, so the next queued call can learn from it (a 401 starts a renewal). */
  onStatus?: (status: number) => void;
}

/** The dispatch option the budget reads its call's SlotOptions from. */
export const SLOT_OPTIONS = "rollcallSlot";

export interface BudgetSettings {
  maxConcurrent: number;
  requestsPerSecond: number;
  /** Requests that may start at once after a quiet period (default: one second's worth, at least 1). */
  burst?: number;
  /** Slow down when the platform says it is overloaded, and recover gradually (default true). */
  adaptive?: boolean;
}

// The adaptive rate: an overload answer (429, 502, 503, 504) halves the rate — once per half
// second, however many calls in flight meet the same burst — down to a tenth of the setting; each
// answered call gives back a twentieth of it. A platform with a burst limit it does not announce
// (a 503 with an empty body) then sees fewer refused calls than a fixed rate would send it.
const SLOWEST = 0.1;
const RECOVERY = 0.05;
const SLOWDOWN_EVERY_MS = 500;

export class RequestBudget {
  private inFlight = 0;
  private tokens: number;
  private refilledAt = Date.now();
  private pausedUntil = 0;
  private readonly waiters: (() => void)[] = [];
  /**
   * Calls the queued ones depend on (a session renewal): served first, and past the concurrency limit, since the slot holders wait on them.
   */
  private readonly urgent: (() => void)[] = [];
  private timer?: NodeJS.Timeout;
  /** Highest number of calls seen in flight at once (tests and benchmarks read it). */
  peakInFlight = 0;
  /** The share of the configured rate in use now (adaptive). */
  rateFactor = 1;
  private slowedAt = 0;

  constructor(readonly settings: BudgetSettings) {
    this.tokens = this.capacity;
  }

  private get capacity(): number {
    return Math.max(1, this.settings.burst ?? Math.ceil(this.settings.requestsPerSecond));
  }

  /**
   * Waits for a slot; the returned function gives it back (once, however often it is called). An
   * `urgent` slot goes ahead of every queued call and is not held back by the calls in flight (they
   * may be waiting on it), only by the rate and a pause.
   */
  async slot(urgent = false): Promise<() => void> {
    await this.acquire(urgent);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.inFlight--;
      this.pump();
    };
  }

  /** An answer's status: overload slows the rate down, anything else answered lets it recover. */
  observe(status: number): void {
    if (this.settings.adaptive === false) return;
    const now = Date.now();
    if (RETRYABLE_STATUSES.has(status)) {
      if (now - this.slowedAt < SLOWDOWN_EVERY_MS) return;
      this.slowedAt = now;
      this.refill(now);
      this.rateFactor = Math.max(SLOWEST, this.rateFactor / 2);
      // No saved-up burst right after the platform said it had too many.
      this.tokens = Math.min(this.tokens, 0);
    } else if (status < 500) {
      this.rateFactor = Math.min(1, this.rateFactor + RECOVERY);
    }
  }

  private get rate(): number {
    return this.settings.requestsPerSecond * this.rateFactor;
  }

  /** No call starts before `until` (epoch ms): the platform said its window is closed. */
  pauseUntil(until: number): void {
    if (until > this.pausedUntil) this.pausedUntil = until;
  }

  private acquire(urgent: boolean): Promise<void> {
    return new Promise((resolve) => {
      (urgent ? this.urgent : this.waiters).push(resolve);
      this.pump();
    });
  }

  private refill(now: number): void {
    const rate = this.rate;
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) / 1000) * rate);
    this.refilledAt = now;
  }

  private pump(): void {
    const now = Date.now();
    this.refill(now);
    while (this.urgent.length && this.tokens >= 1 && now >= this.pausedUntil) {
      this.tokens -= 1;
      this.inFlight++;
      this.urgent.shift()!();
    }
    while (
      !this.urgent.length &&
      this.waiters.length &&
      this.inFlight < this.settings.maxConcurrent &&
      this.tokens >= 1 &&
      now >= this.pausedUntil
    ) {
      this.tokens -= 1;
      this.inFlight++;
      this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
      this.waiters.shift()!();
    }
    if (this.timer || !(this.urgent.length || (this.waiters.length && this.inFlight < this.settings.maxConcurrent))) return;
    // Waiting for a token or the end of a pause: wake up when the next one is due.
    const tokenDue = this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.rate) * 1000;
    const wait = Math.max(tokenDue, this.pausedUntil - now, 1);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, wait);
  }
}

const budgets = new Map<string, RequestBudget>();

/** The process's budget for one platform at one base URL; the first caller's settings define it. */
export function sharedBudget(platform: string, baseUrl: string, settings: BudgetSettings): RequestBudget {
  const key = `${platform} ${baseUrl}`;
  let budget = budgets.get(key);
  if (!budget) budgets.set(key, (budget = new RequestBudget(settings)));
  return budget;
}

/**
 * The budget as an undici interceptor: each dispatch (each attempt) waits for a slot and holds it
 * until its answer is complete or fails. A rate-limit answer pauses the budget before the slot is
 * given back, so no queued attempt starts into a window the platform said is closed; an answer the
 * retry rule may wait on gives its slot back at once (the retry handler holds that response while
 * it waits, and the next attempt takes a slot of its own).
 */
export function budgetInterceptor(budget: RequestBudget): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => {
    const call = (opts as unknown as Record<string, SlotOptions | undefined>)[SLOT_OPTIONS] ?? {};
    budget.slot(call.urgent).then(
      async (release) => {
        let headers: Record<string, string> = {};
        try {
          if (call.authorize) headers = await call.authorize();
        } catch (err) {
          // Authentication failing is the call's answer (it says why); repeating the attempt cannot help.
          release();
          handler.onResponseError?.(undefined as never, markFinal(err as Error));
          return;
        }
        const h: Dispatcher.DispatchHandler = {
          onRequestStart: (c, ctx) => handler.onRequestStart?.(c, ctx),
          onRequestUpgrade: (c, status, headers, socket) => {
            release();
            handler.onRequestUpgrade?.(c, status, headers, socket);
          },
          onResponseStart: (c, status, headers, message) => {
            call.onStatus?.(status);
            budget.observe(status);
            if (RETRYABLE_STATUSES.has(status)) {
              const told = platformDelayMs(headers);
              if (told !== undefined) budget.pauseUntil(Date.now() + told);
              release();
            }
            handler.onResponseStart?.(c, status, headers, message);
          },
          onResponseData: (c, chunk) => handler.onResponseData?.(c, chunk),
          onResponseEnd: (c, trailers) => {
            release();
            handler.onResponseEnd?.(c, trailers);
          },
          onResponseError: (c, err) => {
            release();
            handler.onResponseError?.(c, err);
          },
          onBodySent: (chunk) => handler.onBodySent?.(chunk),
          onRequestSent: () => handler.onRequestSent?.(),
        };
        try {
          dispatch(call.authorize ? { ...opts, headers: { ...(opts.headers as Record<string, string>), ...headers } } : opts, h);
        } catch (err) {
          release();
          handler.onResponseError?.(undefined as never, err as Error);
        }
      },
      (err: Error) => handler.onResponseError?.(undefined as never, err),
    );
    return true;
  };
}
