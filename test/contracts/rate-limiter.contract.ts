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
 * the first reservation of the series): a real clock moves on between calls, and delays count from each call.
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
      await expect(limiter().reserve([bucket({ limit: 5, intervalMs: 1000 })])).resolves.toBe(0);
    });

    it('lets a message with no bucket go now', async () => {
      await expect(limiter().reserve([])).resolves.toBe(0);
    });

    it('spaces the messages of a bucket evenly: five at 5 a second go 200 ms apart', async () => {
      const fivePerSecond = bucket({ limit: 5, intervalMs: 1000 });
      const since = performance.now();
      const delays: number[] = [];
      for (let i = 0; i < 5; i++) delays.push(await limiter().reserve([fivePerSecond]));
      expect(delays[0]).toBe(0);
      delays.forEach((delay, i) => {
        expectDelay(delay, i * 200, since);
      });
    });

    it('takes the slot the slowest bucket allows and moves every bucket on from it', async () => {
      const overall = bucket({ limit: 10, intervalMs: 1000 }); // 100 ms apart
      const chat = bucket({ limit: 1, intervalMs: 1000 }); // 1000 ms apart
      const since = performance.now();
      await expect(limiter().reserve([overall, chat])).resolves.toBe(0);
      expectDelay(await limiter().reserve([overall, chat]), 1000, since);
      // The overall bucket moved on from the slot at 1000, not from its own 100...
      expectDelay(await limiter().reserve([overall]), 1100, since);
      // ...and the chat bucket from the same slot: 1000 + 1000.
      expectDelay(await limiter().reserve([chat]), 2000, since);
      // Now the overall bucket is the slowest for a new chat.
      expectDelay(await limiter().reserve([overall, bucket({ limit: 1, intervalMs: 1000 })]), 1200, since);
    });

    it('keeps buckets of different keys independent', async () => {
      const limit = { limit: 1, intervalMs: 60_000 };
      const first = bucket(limit);
      const since = performance.now();
      await limiter().reserve([first]);
      expectDelay(await limiter().reserve([first]), 60_000, since);
      await expect(limiter().reserve([bucket(limit)])).resolves.toBe(0);
      await expect(limiter().reserve([bucket(limit, `${first.key}-other`)])).resolves.toBe(0);
    });

    it('lets messages go now again once the reserved slots have passed', async () => {
      const everyHundredMs = bucket({ limit: 5, intervalMs: 500 });
      for (let i = 0; i < 3; i++) await limiter().reserve([everyHundredMs]); // slots at 0, 100, 200
      await fixture.advance(400);
      const since = performance.now();
      await expect(limiter().reserve([everyHundredMs])).resolves.toBe(0);
      expectDelay(await limiter().reserve([everyHundredMs]), 100, since);
    });

    it('gives 50 reservations made at once from 5 connections 50 distinct slots, one spacing apart', async () => {
      const connections = await Promise.all(Array.from({ length: 5 }, () => fixture.connect()));
      const tenPerSecond = bucket({ limit: 10, intervalMs: 1000 }); // 100 ms apart
      const delays = await Promise.all(
        Array.from({ length: 10 }).flatMap(() => connections.map((c) => c.reserve([tenPerSecond]))),
      );
      const sorted = [...delays].sort((a, b) => a - b);
      expect(new Set(sorted).size).toBe(50);
      expect(sorted[0]).toBe(0);
      // Each delay counts from the moment its own call ran, and on a busy machine the 50 calls run some
      // milliseconds apart: a gap near 100 is the next slot, a shared slot would show as a gap near 0.
      for (let i = 1; i < sorted.length; i++) {
        expect((sorted[i] ?? 0) - (sorted[i - 1] ?? 0)).toBeGreaterThanOrEqual(100 - 20);
      }
      // No slot is wasted either: the last of 50 is 49 spacings away.
      expect(sorted[49]).toBeLessThanOrEqual(49 * 100 + 1);
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

    it('gates independently of reservations, and opens again once the spacing has passed', async () => {
      const fivePerSecond = bucket({ limit: 5, intervalMs: 1000 }); // 200 ms apart
      for (let i = 0; i < 3; i++) await limiter().reserve([fivePerSecond]);
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
      await expect(limiter().reserve([bucket({ limit: 0, intervalMs: 1000 })])).rejects.toMatchObject({
        code: 'BAD_RATE_LIMIT',
      });
      await expect(limiter().reserve([bucket({ limit: 1, intervalMs: -5 })])).rejects.toMatchObject({
        code: 'BAD_RATE_LIMIT',
      });
    });
  });
}
