import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataCipher } from '../../src/shared/crypto.ts';
import { createRedisConversationStore } from '../../src/storage/redis/redis-conversation-store.ts';
import {
  conversationDoc,
  describeConversationStoreContract,
} from '../contracts/conversation-store.contract.ts';
import { InMemoryConversationStore } from '../fakes/in-memory-conversation-store.ts';
import { PrivateRedis } from '../support/private-redis.ts';
import { createRedisPrefix, scanKeys, sleep } from '../support/services.ts';

const cipher = createDataCipher(randomBytes(32));
let space: ReturnType<typeof createRedisPrefix>;

beforeAll(() => {
  space = createRedisPrefix();
});
afterAll(async () => {
  await space.cleanup();
});

/** Every key under this file's prefix. */
const keysUnderPrefix = (pattern = `${space.prefix}:*`) => scanKeys(space.redis, pattern);

describeConversationStoreContract('Redis', async () => ({
  store: createRedisConversationStore({ redis: space.redis, cipher, prefix: space.prefix, ttlSeconds: 1 }),
  advance: sleep,
  async corrupt(key, how) {
    const [stored, ...others] = await keysUnderPrefix(`${space.prefix}:*${key}`);
    if (!stored || others.length > 0) throw new Error(`expected one Redis key for ${key}`);
    const doc =
      how === 'garbage' ? 'not-a-ciphertext' : cipher.encrypt(JSON.stringify({ v: 2, active: 'x' }));
    await space.redis.hset(stored, 'doc', doc);
  },
  close: async () => {},
}));

describeConversationStoreContract(
  'in-memory fake',
  async () => {
    let now = Date.UTC(2025, 5, 1);
    return {
      store: new InMemoryConversationStore({ ttlSeconds: 1, now: () => now }),
      advance: async (ms) => {
        now += ms;
      },
      close: async () => {},
    };
  },
  { corruptible: false },
);

describe('Redis conversation store at rest', () => {
  it('keeps no name or CCCD in clear in any key under its prefix', async () => {
    const store = createRedisConversationStore({
      redis: space.redis,
      cipher,
      prefix: space.prefix,
      ttlSeconds: 60,
    });
    const doc = conversationDoc({ step: 'confirm', fullName: 'Nguyễn Văn An', cccd: '048090001234' }, 'SM9');
    await expect(store.save('twilio-sms:dump-check', doc, 0)).resolves.toBe(true);

    const dump: Record<string, Record<string, string>> = {};
    for (const key of await keysUnderPrefix()) dump[key] = await space.redis.hgetall(key);
    const text = JSON.stringify(dump);
    expect(Object.keys(dump).length).toBeGreaterThan(0);
    expect(text).not.toContain('Nguyễn Văn An');
    expect(text).not.toContain('Nguyen Van An');
    expect(text).not.toContain('048090001234');

    // The data is there, only sealed: the document decrypts back to what was saved.
    const stored = Object.entries(dump).find(([key]) => key.endsWith('twilio-sms:dump-check'))?.[1];
    expect(stored?.rev).toBe('1');
    expect(JSON.parse(cipher.decrypt(stored?.doc ?? ''))).toEqual(doc);
  });
});

describe('Redis conversation store after Redis lost its scripts', () => {
  it('still saves with compare-and-set when Redis no longer knows the script (a restart, SCRIPT FLUSH)', async () => {
    // A server of this test's own: flushing the scripts of the shared one would disturb other tests.
    const server = await PrivateRedis.start();
    const redis = new Redis(server.url);
    try {
      const store = createRedisConversationStore({ redis, cipher, prefix: 'flush', ttlSeconds: 60 });
      await expect(store.save('twilio-sms:flushed', conversationDoc({ step: 1 }), 0)).resolves.toBe(true);
      await redis.script('FLUSH');
      await expect(store.save('twilio-sms:flushed', conversationDoc({ step: 2 }), 1)).resolves.toBe(true);
      await redis.script('FLUSH');
      await expect(store.save('twilio-sms:flushed', conversationDoc({ step: 3 }), 1)).resolves.toBe(false);
      await expect(store.load('twilio-sms:flushed')).resolves.toEqual({
        doc: conversationDoc({ step: 2 }),
        revision: 2,
      });
    } finally {
      redis.disconnect();
      await server.destroy();
    }
  });
});
