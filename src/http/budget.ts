// One request budget per platform per process: at most `maxConcurrent` calls in flight and at most
// `requestsPerSecond` started (a token bucket holding up to `burst`), shared by every client of the
// same platform and base URL in the process — every resource of the provider, and the program's
// reads. A rate-limit answer pauses the whole budget until the platform's reset, so concurrent
// callers wait together instead of each spending its retries against a closed window.

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

  /** Runs `fn` when the budget allows, holding one concurrency slot while it runs. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.inFlight--;
      this.pump();
    }
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
