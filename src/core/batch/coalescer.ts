// Coalesces calls that arrive close together into one batch call. The engine deletes resources
// concurrently (up to --parallel at a time) and each delete is its own provider call; a coalescer
// turns those into a few bulk API calls while every caller still gets its own result or error.
import { currentScope, inMergedScope, type AuditScope } from "../util/call-scope";

export interface CoalescerOptions<T, R> {
  /** A batch goes out once no item has arrived for this long (a quiet gap)… */
  windowMs: number;
  /**
   * …or once its first item has waited this long (default: windowMs, a fixed window from the
   * first item). Items that trickle in — the engine hands a removal over as a worker frees up,
   * at the pace of the other platform's rate limit — keep a batch open until it is full, up to
   * this wait.
   */
  maxWaitMs?: number;
  /** Largest batch; a full batch is sent at once. */
  maxBatch: number;
  /** Sends one batch. Returns a result per item (same order), or throws to fail the whole batch. */
  sendBatch: (items: T[]) => Promise<R[]>;
  /** When a batch fails as a whole, each item is retried alone so each caller gets a precise outcome. */
  sendOne: (item: T) => Promise<R>;
}

interface Pending<T, R> {
  item: T;
  /** Who asked, so the audit trail attributes the batch call to everyone in it. */
  scope?: AuditScope;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

export class Coalescer<T, R> {
  private queue: Pending<T, R>[] = [];
  /** The quiet-gap timer, restarted by every item. */
  private timer?: NodeJS.Timeout;
  /** The longest-wait timer, started by a batch's first item. */
  private deadline?: NodeJS.Timeout;
  /** Batches sent and items retried alone, for tests and progress reporting. */
  readonly stats = { batches: 0, fallbacks: 0 };

  constructor(private readonly options: CoalescerOptions<T, R>) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject, scope: currentScope() });
      if (this.queue.length >= this.options.maxBatch) this.flush();
      else this.arm();
    });
  }

  private arm(): void {
    const { windowMs, maxWaitMs = windowMs } = this.options;
    // A quiet gap restarts with every item; a fixed window (no longer wait) runs from the first.
    if (maxWaitMs > windowMs || !this.timer) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.flush(), windowMs);
    }
    this.deadline ??= setTimeout(() => this.flush(), maxWaitMs);
  }

  private flush(): void {
    clearTimeout(this.timer);
    clearTimeout(this.deadline);
    this.timer = this.deadline = undefined;
    const batch = this.queue.splice(0, this.options.maxBatch);
    if (this.queue.length) this.arm();
    if (batch.length) void this.send(batch);
  }

  private async send(batch: Pending<T, R>[]): Promise<void> {
    this.stats.batches++;
    try {
      const results = await inMergedScope(
        batch.map((p) => p.scope),
        () => this.options.sendBatch(batch.map((p) => p.item)),
      );
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch {
      // The batch failed as a whole: retry each item alone so each resource gets its own outcome.
      this.stats.fallbacks += batch.length;
      await Promise.all(batch.map((p) => inMergedScope([p.scope], () => this.options.sendOne(p.item)).then(p.resolve, p.reject)));
    }
  }
}
