// Coalesces calls that arrive close together into one batch call. The engine deletes resources
// concurrently (up to --parallel at a time) and each delete is its own provider call; a coalescer
// turns those into a few bulk API calls while every caller still gets its own result or error.
import { currentScope, inMergedScope, type AuditScope } from "../audit/context";

export interface CoalescerOptions<T, R> {
  /** How long to wait for more items after the first one arrives. */
  windowMs: number;
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
  private timer?: NodeJS.Timeout;
  /** Batches sent and items retried alone, for tests and progress reporting. */
  readonly stats = { batches: 0, fallbacks: 0 };

  constructor(private readonly options: CoalescerOptions<T, R>) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject, scope: currentScope() });
      if (this.queue.length >= this.options.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.windowMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue.splice(0, this.options.maxBatch);
    if (this.queue.length) this.timer = setTimeout(() => this.flush(), this.options.windowMs);
    if (batch.length) void this.send(batch);
  }

  private async send(batch: Pending<T, R>[]): Promise<void> {
    this.stats.batches++;
    try {
      const results = await inMergedScope(batch.map((p) => p.scope), () => this.options.sendBatch(batch.map((p) => p.item)));
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch {
      // The batch failed as a whole: retry each item alone so each resource gets its own outcome.
      this.stats.fallbacks += batch.length;
      await Promise.all(batch.map((p) => inMergedScope([p.scope], () => this.options.sendOne(p.item)).then(p.resolve, p.reject)));
    }
  }
}
