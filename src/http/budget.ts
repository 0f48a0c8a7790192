// One request budget per platform per process: at most `maxConcurrent` calls in flight and at most
// `requestsPerSecond` started (a token bucket holding up to `burst`), shared by every client of the
// same platform and base URL in the process — every resource of the provider, and the program's
// reads. A rate-limit answer pauses the whole budget until the platform's reset, so concurrent
// callers wait together instead of each spending its retries against a closed window.
//
// `budgetInterceptor` puts the budget into undici's dispatch chain (src/http/client.ts composes it
// inside the retry interceptor), so every attempt, first or retried, takes its own slot.
import type { Dispatcher } from "undici";
import { RETRYABLE_STATUSES, platformDelayMs } from "./retry";

export interface BudgetSettings {
  maxConcurrent: number;
  requestsPerSecond: number;
  /** Requests that may start at once after a quiet period (default: one second's worth, at least 1). */
  burst?: number;
}

export class RequestBudget {
  private inFlight = 0;
  private tokens: number;
  private refilledAt = Date.now();
  private pausedUntil = 0;
  private readonly waiters: (() => void)[] = [];
  private timer?: NodeJS.Timeout;
  /** Highest number of calls seen in flight at once (tests and benchmarks read it). */
  peakInFlight = 0;

  constructor(readonly settings: BudgetSettings) {
    this.tokens = this.capacity;
  }

  private get capacity(): number {
    return Math.max(1, this.settings.burst ?? Math.ceil(this.settings.requestsPerSecond));
  }

  /** Waits for a slot; the returned function gives it back (once, however often it is called). */
  async slot(): Promise<() => void> {
    await this.acquire();
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.inFlight--;
      this.pump();
    };
  }

  /** No call starts before `until` (epoch ms): the platform said its window is closed. */
  pauseUntil(until: number): void {
    if (until > this.pausedUntil) this.pausedUntil = until;
  }

  private acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.pump();
    });
  }

  private refill(now: number): void {
    const rate = this.settings.requestsPerSecond;
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) / 1000) * rate);
    this.refilledAt = now;
  }

  private pump(): void {
    const now = Date.now();
    this.refill(now);
    while (this.waiters.length && this.inFlight < this.settings.maxConcurrent && this.tokens >= 1 && now >= this.pausedUntil) {
      this.tokens -= 1;
      this.inFlight++;
      this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
      this.waiters.shift()!();
    }
    if (!this.waiters.length || this.timer || this.inFlight >= this.settings.maxConcurrent) return;
    // Waiting for a token or the end of a pause: wake up when the next one is due.
    const tokenDue = this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.settings.requestsPerSecond) * 1000;
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
    budget.slot().then(
      (release) => {
        const h: Dispatcher.DispatchHandler = {
          onRequestStart: (c, ctx) => handler.onRequestStart?.(c, ctx),
          onRequestUpgrade: (c, status, headers, socket) => {
            release();
            handler.onRequestUpgrade?.(c, status, headers, socket);
          },
          onResponseStart: (c, status, headers, message) => {
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
          dispatch(opts, h);
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
