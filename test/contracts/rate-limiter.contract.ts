import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateLimit } from '../../src/messaging/channel-adapter.ts';
import type { RateBucket, RateLimiter } from '../../src/queues/rate-limiter.ts';

/** What a contract run needs. */
export interface RateLimiterFixture {
  limiter: RateLimiter;
  /** Another limiter on the same shared schedule, as another worker process has (Redis: its own connection). */
  connect(): Promise<RateLimiter>;
  /** Lets `ms` milliseconds pass for the limiter (a real wait, or an injected clock moved on). */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Expects `delay` to be `expected`, less whatever time passed since `since` (`performance.now()` just before
 * the first call of the series): a real clock moves on between calls, and delays count from each call.
 * One ms either way is rounding.
 */
function expectDelay(delay: number, expected: number, since: number): void {
  const drift = performance.now() - since;
  expect(delay).toBeLessThanOrEqual(expected + 1);
  expect(delay).toBeGreaterThanOrEqual(expected - drift - 1);
}

/**
 * The behaviour every {@link RateLimiter} (Redis, the in-memory fake) must show; see the contract in
 * src/queues/rate-limiter.ts. Call it once per implementation.
 */
export function describeRateLimiterContract(name: string, factory: () => Promise<RateLimiterFixture>): void {
  describe(`RateLimiter contract: ${name}`, () => {
    let fixture: RateLimiterFixture;
    const limiter = () => fixture.limiter;
    const bucket = (limit: RateLimit, key = `chan-${randomUUID()}`): RateBucket => ({ key, limit });

    beforeAll(async () => {
      fixture = await factory();
    });
    afterAll(async () => {
      await fixture.close();
    });

    it('lets the first message of an unused bucket go now', async () => {
      await expect(limiter().acquire([bucket({ limit: 5, intervalMs: 1000 })])).resolves.toBe(0);
    });

    it('lets a message with no bucket go now', async () => {
      await expect(limiter().acquire([])).resolves.toBe(0);
    });

    it('keeps buckets of different keys independent', async () => {
      const limit = { limit: 1, intervalMs: 60_000 };
      const first = bucket(limit);
      const since = performance.now();
      await expect(limiter().acquire([first])).resolves.toBe(0);
      expectDelay(await limiter().acquire([first]), 60_000, since);
      await expect(limiter().acquire([bucket(limit)])).resolves.toBe(0);
      await expect(limiter().acquire([bucket(limit, `${first.key}-other`)])).resolves.toBe(0);
    });

    it('gates sends: the first goes now, the next waits one spacing from the last send, in every bucket', async () => {
      const overall = bucket({ limit: 10, intervalMs: 1000 }); // 100 ms apart
      const chat = bucket({ limit: 1, intervalMs: 1000 });
      const since = performance.now();
      await expect(limiter().acquire([overall, chat])).resolves.toBe(0);
      expectDelay(await limiter().acquire([overall, chat]), 1000, since);
      // A refused acquire takes nothing: another chat only waits for the overall spacing.
      expectDelay(await limiter().acquire([overall, bucket({ limit: 1, intervalMs: 1000 })]), 100, since);
      await expect(limiter().acquire([])).resolves.toBe(0);
    });

    it('opens again once the spacing has passed', async () => {
      const fivePerSecond = bucket({ limit: 5, intervalMs: 1000 }); // 200 ms apart
      await expect(limiter().acquire([fivePerSecond])).resolves.toBe(0);
      await fixture.advance(210);
      await expect(limiter().acquire([fivePerSecond])).resolves.toBe(0);
    });

    it('lets exactly one of many simultaneous acquires from several connections through', async () => {
      const connections = await Promise.all(Array.from({ length: 5 }, () => fixture.connect()));
      const slow = bucket({ limit: 1, intervalMs: 60_000 });
      const waits = await Promise.all(
        Array.from({ length: 25 }, (_, i) => (connections[i % 5] ?? limiter()).acquire([slow])),
      );
      expect(waits.filter((wait) => wait === 0)).toHaveLength(1);
      expect(waits.filter((wait) => wait > 59_000)).toHaveLength(24);
    });

    it('refuses a bucket whose limit or interval is not positive', async () => {
      await expect(limiter().acquire([bucket({ limit: 0, intervalMs: 1000 })])).rejects.toMatchObject({
        code: 'BAD_RATE_LIMIT',
      });
      await expect(limiter().acquire([bucket({ limit: 1, intervalMs: -5 })])).rejects.toMatchObject({
        code: 'BAD_RATE_LIMIT',
      });
    });
  });
}
