import type { Redis } from 'ioredis';
import type { RateLimit } from '../messaging/channel-adapter.ts';
import { AppError } from '../shared/errors.ts';

/**
 * One sending limit to respect, under a name shared by every process that sends (e.g. `twilio-sms` for the
 * whole channel, `twilio-sms:<keyed hash of the recipient>` for one recipient). The key is stored in Redis as
 * is: it must never contain personal data such as a phone number in clear.
 */
export interface RateBucket {
  readonly key: string;
  readonly limit: RateLimit;
}

/**
 * Outbound sending limits enforced across all worker processes. Each bucket spaces messages evenly,
 * `intervalMs / limit` apart: `acquire` is the gate at the moment of sending (no two sends of a bucket closer
 * than its spacing, in any process). The send job handles one recipient's messages one at a time, so the gate
 * alone keeps both their order and their pace. Contract (test/contracts/rate-limiter.contract.ts):
 * - a bucket never used (or idle for its spacing) lets a send go now;
 * - the next send of a bucket waits one spacing from the last one taken; several buckets at once wait for the
 *   slowest, and a refused send takes nothing;
 * - of many sends asked at once from any number of processes, exactly one goes.
 */
export interface RateLimiter {
  /**
   * Takes the right to send now if, in every bucket, the last send taken is at least one spacing ago: records
   * now as each bucket's last send and resolves 0. Otherwise takes nothing and resolves the ms to wait before
   * asking again. An empty list resolves 0.
   */
  acquire(buckets: readonly RateBucket[]): Promise<number>;
}

/**
 * The spacing in ms between two messages of `limit`. Throws `AppError('BAD_RATE_LIMIT')` for a limit or
 * interval that is not a positive number.
 */
export function spacingOf(limit: RateLimit): number {
  const { limit: count, intervalMs } = limit;
  if (!Number.isFinite(count) || !Number.isFinite(intervalMs) || count <= 0 || intervalMs <= 0) {
    throw new AppError('BAD_RATE_LIMIT', 'a rate limit needs a positive limit and interval', {
      context: { limit: count, intervalMs },
    });
  }
  return intervalMs / count;
}

// KEYS: one per bucket, holding the time of its last send (ms, server clock).
// ARGV: spacing and interval of each bucket. Returns 0 after recording the send, else the whole ms to wait.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local wait = 0
for i = 1, #KEYS do
  local last = tonumber(redis.call('GET', KEYS[i]) or '')
  if last then
    local w = last + tonumber(ARGV[2 * i - 1]) - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return math.ceil(wait) end
for i = 1, #KEYS do
  redis.call('SET', KEYS[i], now, 'PX', math.ceil(tonumber(ARGV[2 * i - 1]) + tonumber(ARGV[2 * i])))
end
return 0
`;

/**
 * The Redis {@link RateLimiter}: one key per bucket (`${prefix}:gate:${key}`) holding its last send, all read and
 * set in one Lua script timed by the Redis server clock, so every process shares one schedule. Each key expires
 * one spacing and a whole interval after its last send.
 */
export function createRedisRateLimiter(redis: Redis, prefix: string): RateLimiter {
  return {
    async acquire(buckets) {
      if (buckets.length === 0) return 0;
      const keys = buckets.map((bucket) => `${prefix}:gate:${bucket.key}`);
      const args = buckets.flatMap((bucket) => [spacingOf(bucket.limit), bucket.limit.intervalMs]);
      return Math.max(0, Number(await redis.eval(ACQUIRE, keys.length, ...keys, ...args)));
    },
  };
}
