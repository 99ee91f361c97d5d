import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRateLimiter } from '../../src/queues/rate-limiter.ts';
import { describeRateLimiterContract } from '../contracts/rate-limiter.contract.ts';
import { InMemoryRateLimiter } from '../fakes/in-memory-rate-limiter.ts';
import { createRedisPrefix, REDIS_URL, sleep } from '../support/services.ts';

let space: ReturnType<typeof createRedisPrefix>;

beforeAll(() => {
  space = createRedisPrefix();
});
afterAll(async () => {
  await space.cleanup();
});

describeRateLimiterContract('Redis', async () => {
  const connections: Redis[] = [];
  return {
    limiter: createRedisRateLimiter(space.redis, space.prefix),
    async connect() {
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
      connections.push(redis);
      return createRedisRateLimiter(redis, space.prefix);
    },
    advance: sleep,
    async close() {
      for (const redis of connections) redis.disconnect();
    },
  };
});

describeRateLimiterContract('in-memory fake', async () => {
  let now = Date.UTC(2025, 5, 1);
  const limiter = new InMemoryRateLimiter({ now: () => now });
  return {
    limiter,
    connect: async () => limiter,
    advance: async (ms) => {
      now += ms;
    },
    close: async () => {},
  };
});

describe('Redis rate limiter keys', () => {
  it('keeps one key per bucket under the prefix, expiring one spacing and one interval after the last send', async () => {
    const limiter = createRedisRateLimiter(space.redis, space.prefix);
    const limit = { limit: 2, intervalMs: 10_000 }; // 5 s apart
    await limiter.acquire([{ key: 'ttl-check', limit }]);

    const key = `${space.prefix}:gate:ttl-check`;
    await expect(space.redis.exists(key)).resolves.toBe(1);
    const ttl = await space.redis.pttl(key);
    // One spacing (5 s) plus one interval (10 s), less the little time the call took.
    expect(ttl).toBeGreaterThan(14_000);
    expect(ttl).toBeLessThanOrEqual(15_001);
  });
});
