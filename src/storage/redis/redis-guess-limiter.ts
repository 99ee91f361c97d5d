import type { Redis } from 'ioredis';
import {
  GUESS_LIMIT,
  type GuessLimiter,
  guessState,
  guessWindow,
} from '../../domain/shares/guess-limiter.ts';

// KEYS: the client's counter for the window. ARGV: ms until Redis may drop it. Counts one miss, sets the
// expiry with the first one, and returns the count.
const MISS = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
`;

/** Keeps a counter a little past its window, so clocks a few seconds apart still agree on it. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * The Redis {@link GuessLimiter}: one counter per client and fixed window, `${prefix}:<name>:<client>:<n>` (the
 * client is already a keyed hash, of the IP address for share lookups), counted with INCR and given an expiry with the
 * first miss, in one script. Time is the `at` passed in; Redis expiry only clears windows that are over.
 */
export function createRedisGuessLimiter(options: {
  redis: Redis;
  prefix: string;
  misses?: number;
  windowMs?: number;
  /** What is counted, naming the keys (default `share-guess`: share-token lookups). */
  name?: string;
}): GuessLimiter {
  const limit = options.misses ?? GUESS_LIMIT.misses;
  const windowMs = options.windowMs ?? GUESS_LIMIT.windowMs;
  const keyOf = (client: string, index: number) =>
    `${options.prefix}:${options.name ?? 'share-guess'}:${client}:${index}`;

  return {
    async check(client, at) {
      const { index, endsAt } = guessWindow(at, windowMs);
      const count = Number((await options.redis.get(keyOf(client, index))) ?? 0);
      return guessState(count, limit, endsAt, at);
    },
    async miss(client, at) {
      const { index, endsAt } = guessWindow(at, windowMs);
      const ttl = Math.max(1, endsAt - at.getTime()) + EXPIRY_MARGIN_MS;
      const count = Number(await options.redis.eval(MISS, 1, keyOf(client, index), ttl));
      return guessState(count, limit, endsAt, at);
    },
  };
}
