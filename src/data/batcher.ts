import { isStatementRefusal } from './failures.js';

/**
 * Group commit for a hot statement: calls that arrive while earlier ones are on their way to the
 * database wait for the next round trip and go in one statement together. At low load every call
 * goes at once on its own (nothing waits for a timer); under load each round trip carries many,
 * and a round trip costs far more than a row. Each caller still awaits its own result, so nothing
 * is held in memory past the request that asked for it.
 *
 * One call must not fail the others: when the database refuses a statement of several calls for
 * what is in it, the batch is split in halves and each half runs again, down to the call that fails
 * on its own, which gets its own error while the rest commit. One bad call among n costs about
 * 2·log2(n) more statements. A failure of the database or the connection (isStatementRefusal) would
 * fail every half alike, so it fails the batch at once instead of multiplying into retries.
 */
export interface BatchOptions {
  /** Most calls in one statement. */
  maxBatch: number;
  /** Statements on their way at once; further calls queue for the next. */
  maxInFlight: number;
}

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

export class Batcher<I, O> {
  private queue: Pending<I, O>[] = [];
  private inFlight = 0;
  private scheduled = false;

  /** `run` answers one result per item, in the items' order. */
  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly options: BatchOptions,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Waits one microtask, so the calls of the same tick share a statement. */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.queue.length === 0 || this.inFlight >= this.options.maxInFlight) return;
    const batch = this.queue.splice(0, this.options.maxBatch);
    this.inFlight += 1;
    try {
      await this.settle(batch);
    } finally {
      this.inFlight -= 1;
      if (this.queue.length > 0) this.schedule();
    }
  }

  /** Runs a batch and answers each of its calls; a refused batch of several is split (see above). */
  private async settle(batch: Pending<I, O>[]): Promise<void> {
    try {
      const results = await this.run(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (err) {
      if (batch.length === 1 || !isStatementRefusal(err)) {
        for (const p of batch) p.reject(err);
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await this.settle(batch.slice(0, half));
      await this.settle(batch.slice(half));
    }
  }
}

/** One batcher per database handle, made on first use. */
export function batcherFor<K extends object, I, O>(cache: WeakMap<K, Batcher<I, O>>, key: K, make: () => Batcher<I, O>): Batcher<I, O> {
  let batcher = cache.get(key);
  if (!batcher) cache.set(key, (batcher = make()));
  return batcher;
}
