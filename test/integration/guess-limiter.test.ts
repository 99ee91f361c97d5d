import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisGuessLimiter } from '../../src/storage/redis/redis-guess-limiter.ts';
import { CONTRACT_GUESS_LIMIT, describeGuessLimiterContract } from '../contracts/guess-limiter.contract.ts';
import { InMemoryGuessLimiter } from '../fakes/in-memory-guess-limiter.ts';
import { createRedisPrefix, scanKeys } from '../support/services.ts';

let space: ReturnType<typeof createRedisPrefix>;

beforeAll(() => {
  space = createRedisPrefix();
});
afterAll(async () => {
  await space.cleanup();
});

describeGuessLimiterContract('Redis', async () => ({
  limiter: createRedisGuessLimiter({ redis: space.redis, prefix: space.prefix, ...CONTRACT_GUESS_LIMIT }),
  close: async () => {},
}));

describeGuessLimiterContract('in-memory fake', async () => ({
  limiter: new InMemoryGuessLimiter(CONTRACT_GUESS_LIMIT),
  close: async () => {},
}));

describe('Redis guess counters', () => {
  it('live under the configured prefix and expire shortly after their window', async () => {
    const limiter = createRedisGuessLimiter({ redis: space.redis, prefix: space.prefix });
    const now = new Date();
    await limiter.miss('client-hash', now);
    const keys = await scanKeys(space.redis, `${space.prefix}:share-guess:client-hash:*`);
    expect(keys).toHaveLength(1);
    const ttl = await space.redis.pttl(keys[0] ?? '');
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(11 * 60_000);
  });
});
