import { type RateBucket, type RateLimiter, spacingOf } from '../../src/queues/rate-limiter.ts';

/**
 * A working in-memory {@link RateLimiter} for tests, on an injected clock; passes the same contract as the
 * Redis one. One instance stands for the shared store: every "process" of a test uses the same instance.
 */
export class InMemoryRateLimiter implements RateLimiter {
  /** The last send taken through the gate, per bucket. */
  readonly #last = new Map<string, number>();
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  async acquire(buckets: readonly RateBucket[]): Promise<number> {
    const now = this.#now();
    const wait = Math.max(
      0,
      ...buckets.map((bucket) => {
        const spacing = spacingOf(bucket.limit);
        const last = this.#last.get(bucket.key);
        return last === undefined ? 0 : last + spacing - now;
      }),
    );
    if (wait > 0) return Math.ceil(wait);
    for (const bucket of buckets) this.#last.set(bucket.key, now);
    return 0;
  }
}
