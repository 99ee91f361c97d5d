import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveCode, normalizeTypedCode } from '../../src/domain/contacts/phone-codes.ts';
import { createDataCipher } from '../../src/shared/crypto.ts';
import { createRedisPhoneCodeStore } from '../../src/storage/redis/redis-phone-code-store.ts';
import { codeOf, describePhoneCodeStoreContract, newPhone } from '../contracts/phone-code-store.contract.ts';
import { InMemoryPhoneCodeStore } from '../fakes/in-memory-phone-code-store.ts';
import { createRedisPrefix, scanKeys } from '../support/services.ts';

const cipher = createDataCipher(randomBytes(32));
const keyedHash = (purpose: string, value: string) => cipher.keyedHash(purpose, value);
let space: ReturnType<typeof createRedisPrefix>;

beforeAll(() => {
  space = createRedisPrefix();
});
afterAll(async () => {
  await space.cleanup();
});

describePhoneCodeStoreContract('Redis', async () => ({
  store: createRedisPhoneCodeStore({ redis: space.redis, cipher, prefix: space.prefix }),
  close: async () => {},
}));

describePhoneCodeStoreContract('in-memory fake', async () => ({
  store: new InMemoryPhoneCodeStore({ keyedHash }),
  close: async () => {},
}));

/** Every key under `prefix`, with its value as text (hash fields, sorted-set members and scores). */
async function dumpPrefix(prefix: string): Promise<Record<string, string>> {
  const dump: Record<string, string> = {};
  for (const key of await scanKeys(space.redis, `${prefix}:*`)) {
    const type = await space.redis.type(key);
    const value =
      type === 'hash'
        ? await space.redis.hgetall(key)
        : type === 'zset'
          ? await space.redis.zrange(key, 0, '-1', 'WITHSCORES')
          : await space.redis.get(key);
    dump[key] = JSON.stringify({ type, value });
  }
  return dump;
}

describe('Redis phone codes at rest', () => {
  it('keeps neither the phone number nor the code in any key or value', async () => {
    const prefix = `${space.prefix}:rest`;
    const store = createRedisPhoneCodeStore({ redis: space.redis, cipher, prefix });
    const phone = '+84905123456';
    const now = new Date();
    const code = codeOf(await store.issue(phone, 'SM-rest-1', now));
    await store.check(phone, code === '000000' ? '111111' : '000000', now); // a wrong try is stored too

    const dump = await dumpPrefix(prefix);
    const types = Object.values(dump).map((entry) => JSON.parse(entry).type);
    expect(types.sort()).toEqual(['hash', 'zset']); // the code, and the hour's requests
    const text = `${Object.keys(dump).join('\n')}\n${Object.values(dump).join('\n')}`;
    for (const clear of [phone, '84905123456', '0905123456', '905123456', code]) {
      expect(text).not.toContain(clear);
    }
    // The code is there, only hashed: it is still accepted.
    await expect(store.check(phone, code, now)).resolves.toEqual({ type: 'ok' });
  });

  it('lets Redis drop a code some minutes after it expires, and the requests after an hour', async () => {
    const prefix = `${space.prefix}:ttl`;
    const store = createRedisPhoneCodeStore({ redis: space.redis, cipher, prefix });
    await store.issue(newPhone(), 'SM-ttl-1', new Date());
    const ttls: Record<string, number> = {};
    for (const [key, entry] of Object.entries(await dumpPrefix(prefix))) {
      ttls[JSON.parse(entry).type] = await space.redis.pttl(key);
    }
    expect(Object.keys(ttls).sort()).toEqual(['hash', 'zset']);
    expect(ttls.hash).toBeGreaterThan(5 * 60_000);
    expect(ttls.hash).toBeLessThanOrEqual(30 * 60_000);
    expect(ttls.zset).toBeGreaterThan(59 * 60_000);
    expect(ttls.zset).toBeLessThanOrEqual(60 * 60_000);
  });
});

describe('deriveCode', () => {
  it('gives 6 digits, the same for the same phone and request', () => {
    const code = deriveCode(keyedHash, '+84905123456', 'SM1');
    expect(code).toMatch(/^[0-9]{6}$/);
    expect(deriveCode(keyedHash, '+84905123456', 'SM1')).toBe(code);
  });

  it('gives codes that depend on the phone, the request and the key', () => {
    const codes = new Set<string>();
    for (let i = 0; i < 200; i++) codes.add(deriveCode(keyedHash, '+84905123456', `SM${i}`));
    for (let i = 0; i < 200; i++)
      codes.add(deriveCode(keyedHash, `+8490512${String(i).padStart(4, '0')}`, 'SM1'));
    // 400 draws from a million codes: a handful of collisions at most.
    expect(codes.size).toBeGreaterThan(395);
    const otherKey = createDataCipher(randomBytes(32));
    const elsewhere = Array.from({ length: 20 }, (_, i) =>
      deriveCode((p, v) => otherKey.keyedHash(p, v), '+84905123456', `SM${i}`),
    );
    const here = Array.from({ length: 20 }, (_, i) => deriveCode(keyedHash, '+84905123456', `SM${i}`));
    expect(elsewhere).not.toEqual(here);
  });

  it('zero-pads small values and spreads codes over all first digits', () => {
    expect(deriveCode(() => `${'0'.repeat(11)}50${'f'.repeat(51)}`, 'p', 'r')).toBe('000080');
    expect(deriveCode(() => '0'.repeat(64), 'p', 'r')).toBe('000000');
    const firstDigits = new Set(
      Array.from({ length: 300 }, (_, i) => deriveCode(keyedHash, '+84905123456', `ref-${i}`)[0]),
    );
    expect(firstDigits.size).toBe(10);
  });
});

describe('normalizeTypedCode', () => {
  it('keeps the 6 digits of a code typed with spaces or dashes, and refuses anything else', () => {
    expect(normalizeTypedCode(' 123 456 ')).toBe('123456');
    expect(normalizeTypedCode('123-456')).toBe('123456');
    expect(normalizeTypedCode('123–456')).toBe('123456');
    expect(normalizeTypedCode('12345')).toBeNull();
    expect(normalizeTypedCode('1234567')).toBeNull();
    expect(normalizeTypedCode('12a456')).toBeNull();
    expect(normalizeTypedCode('١٢٣٤٥٦')).toBeNull();
  });
});
