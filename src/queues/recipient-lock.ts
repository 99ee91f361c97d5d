import type { Redis } from 'ioredis';

/** A held lock; `release` frees it if it is still ours (a lock that expired meanwhile is left alone). */
export interface HeldLock {
  release(): Promise<void>;
}

/**
 * The sending lock of one recipient, shared by every process: whoever holds it is the only one sending to that
 * recipient (the send job, or a turn sending its own replies at once), so a pending message is never sent by two
 * senders and a recipient's messages leave in order. A lock held by a process that died frees itself after its
 * time to live. Contract (test/contracts/recipient-lock.contract.ts):
 * - a free key is taken at once; while held, `acquire` resolves the ms until it frees, at most the time to live;
 * - released, it can be taken again; a release after it expired and was taken by another frees nothing.
 */
export interface RecipientLock {
  /** Takes the lock of `key` (no personal data: a channel and a keyed hash), or resolves the ms it stays busy. */
  acquire(key: string): Promise<HeldLock | { readonly busyMs: number }>;
}

// KEYS[1]: the lock; ARGV: our token, the time to live in ms. Returns 0 when taken, else the ms it stays held.
const ACQUIRE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 1 then return 1 end
return ttl
`;
// KEYS[1]: the lock; ARGV[1]: our token. Deletes the key only if it still holds our token.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * The Redis {@link RecipientLock}: `${prefix}:send-lock:${key}` holding a random token, taken with `SET NX PX`
 * and released only by its holder, each in one Lua script (one round trip).
 */
export function createRedisRecipientLock(redis: Redis, prefix: string, ttlMs: number): RecipientLock {
  return {
    async acquire(key) {
      const lockKey = `${prefix}:send-lock:${key}`;
      const token = crypto.randomUUID();
      const busyMs = Number(await redis.eval(ACQUIRE, 1, lockKey, token, ttlMs));
      if (busyMs > 0) return { busyMs };
      return {
        async release() {
          await redis.eval(RELEASE, 1, lockKey, token);
        },
      };
    },
  };
}
