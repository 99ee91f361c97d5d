import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { createRedisRecipientLock } from '../../src/queues/recipient-lock.ts';
import { describeRecipientLockContract } from '../contracts/recipient-lock.contract.ts';
import { InMemoryRecipientLock } from '../fakes/in-memory-recipient-lock.ts';
import { createRedisPrefix, REDIS_URL, sleep } from '../support/services.ts';

let space: ReturnType<typeof createRedisPrefix>;
const TTL_MS = 200;

beforeAll(() => {
  space = createRedisPrefix();
});
afterAll(async () => {
  await space.cleanup();
});

describeRecipientLockContract('Redis', async () => {
  const connections: Redis[] = [];
  return {
    lock: createRedisRecipientLock(space.redis, space.prefix, TTL_MS),
    ttlMs: TTL_MS,
    async connect() {
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
      connections.push(redis);
      return createRedisRecipientLock(redis, space.prefix, TTL_MS);
    },
    advance: sleep,
    async close() {
      for (const redis of connections) redis.disconnect();
    },
  };
});

describeRecipientLockContract('in-memory fake', async () => {
  let now = Date.UTC(2025, 5, 1);
  const lock = new InMemoryRecipientLock({ ttlMs: TTL_MS, now: () => now });
  return {
    lock,
    ttlMs: TTL_MS,
    connect: async () => lock,
    advance: async (ms) => {
      now += ms;
    },
    close: async () => {},
  };
});
