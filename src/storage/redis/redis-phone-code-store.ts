import type { Redis } from 'ioredis';
import {
  type CheckResult,
  CODE_TTL_MS,
  codeHashOf,
  deriveCode,
  ISSUE_WINDOW_MS,
  type IssueResult,
  MAX_CODES_PER_HOUR,
  MAX_TRIES,
  normalizeTypedCode,
  type PhoneCodeStore,
  phoneKeyOf,
} from '../../domain/contacts/phone-codes.ts';
import type { DataCipher } from '../../shared/crypto.ts';
import { AppError } from '../../shared/errors.ts';

/** How long a code's record outlives its expiry, so a late answer is told `expired` rather than `none`. */
const RECORD_MARGIN_MS = 10 * 60_000;

// KEYS: the phone's code (hash) and its issues (sorted set of refs scored by issue time, ms).
// ARGV: ref, code hash, now, expires at, window start (issues at or before it no longer count), max codes,
// record TTL, issues TTL. Returns {'replay', issued at} for a known ref, {'limited', oldest issue} when the
// window is full, else stores the new code (replacing any other, tries 0) and returns {'issued'}.
const ISSUE = `
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[5])
local seen = redis.call('ZSCORE', KEYS[2], ARGV[1])
if seen then return {'replay', seen} end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[6]) then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {'limited', oldest[2]}
end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[8])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'ref', ARGV[1], 'codeHash', ARGV[2], 'expiresAt', ARGV[4], 'tries', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[7])
return {'issued'}
`;

// KEYS: the phone's code. ARGV: hash of the typed code ('' when it is not 6 digits), now, max tries.
// Returns {'none'}, {'expired'}, {'locked'}, {'ok'} (and deletes the code) or {'wrong', tries left}.
const CHECK = `
local rec = redis.call('HMGET', KEYS[1], 'codeHash', 'expiresAt', 'tries')
local expires_at = tonumber(rec[2])
local tries = tonumber(rec[3])
if not rec[1] or not expires_at or not tries then return {'none'} end
if tonumber(ARGV[2]) >= expires_at then return {'expired'} end
local max = tonumber(ARGV[3])
if tries >= max then return {'locked'} end
if ARGV[1] ~= '' and ARGV[1] == rec[1] then
  redis.call('DEL', KEYS[1])
  return {'ok'}
end
tries = redis.call('HINCRBY', KEYS[1], 'tries', 1)
if tries >= max then return {'locked'} end
return {'wrong', max - tries}
`;

/**
 * The Redis {@link PhoneCodeStore}. Per phone, under `${prefix}:otp:<keyed hash of the phone>`: a hash
 * {ref, codeHash, expiresAt, tries} of the waiting code (the code itself is never stored, only its keyed
 * hash), and beside it (`…:issues`) a sorted set of the refs issued in the last hour, scored by issue time.
 * Each operation is one Lua script, so concurrent requests and guesses are counted exactly. Time is the `now`
 * passed in; Redis expiry only clears what can no longer matter.
 */
export function createRedisPhoneCodeStore(options: {
  redis: Redis;
  cipher: DataCipher;
  prefix: string;
}): PhoneCodeStore {
  const { redis, cipher } = options;
  const hash = (purpose: string, value: string) => cipher.keyedHash(purpose, value);
  const codeKey = (phone: string) => `${options.prefix}:otp:${phoneKeyOf(hash, phone)}`;

  return {
    async issue(phone, ref, now): Promise<IssueResult> {
      const at = now.getTime();
      const code = deriveCode(hash, phone, ref);
      const key = codeKey(phone);
      const reply = await redis.eval(
        ISSUE,
        2,
        key,
        `${key}:issues`,
        ref,
        codeHashOf(hash, phone, code),
        at,
        at + CODE_TTL_MS,
        at - ISSUE_WINDOW_MS,
        MAX_CODES_PER_HOUR,
        CODE_TTL_MS + RECORD_MARGIN_MS,
        ISSUE_WINDOW_MS,
      );
      const [outcome, time] = replyOf(reply);
      switch (outcome) {
        case 'issued':
          return { type: 'issued', code, expiresAt: new Date(at + CODE_TTL_MS), fresh: true };
        case 'replay':
          return { type: 'issued', code, expiresAt: new Date(Number(time) + CODE_TTL_MS), fresh: false };
        case 'limited':
          return { type: 'rate_limited', retryAt: new Date(Number(time) + ISSUE_WINDOW_MS) };
        default:
          throw unexpected(outcome);
      }
    },

    async check(phone, typed, now): Promise<CheckResult> {
      const code = normalizeTypedCode(typed);
      const candidate = code === null ? '' : codeHashOf(hash, phone, code);
      const reply = await redis.eval(CHECK, 1, codeKey(phone), candidate, now.getTime(), MAX_TRIES);
      const [outcome, triesLeft] = replyOf(reply);
      switch (outcome) {
        case 'ok':
        case 'expired':
        case 'none':
        case 'locked':
          return { type: outcome };
        case 'wrong':
          return { type: 'wrong', triesLeft: Number(triesLeft) };
        default:
          throw unexpected(outcome);
      }
    },
  };
}

/** The outcome and value of a script's reply, as strings. */
function replyOf(reply: unknown): [string, string | undefined] {
  if (!Array.isArray(reply) || reply.length === 0) throw unexpected(typeof reply);
  const [outcome, value] = reply.map(String);
  return [outcome ?? '', value];
}

function unexpected(what: string | undefined): AppError {
  return new AppError('REDIS_UNEXPECTED_REPLY', 'a phone-code script replied something unexpected', {
    retryable: true,
    context: { reply: what ?? 'nothing' },
  });
}
