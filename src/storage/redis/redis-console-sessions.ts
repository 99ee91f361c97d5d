import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { DataCipher } from '../../shared/crypto.ts';

/** How long a console session lasts from sign-in: 12 hours (the cookie's Max-Age too). */
export const CONSOLE_SESSION_TTL_SECONDS = 12 * 60 * 60;

/** What a console session keeps: who signed in, and the CSRF token of its forms. */
export interface ConsoleSessionRecord {
  readonly role: 'staff' | 'leader' | 'member';
  readonly csrf: string;
  readonly memberId?: string | undefined;
  readonly teamId?: string | undefined;
  /** E.164, for members: their membership is looked up again on every request. */
  readonly phone?: string | undefined;
}

/** Console sessions: a random id (the cookie) for state kept server-side. */
export interface ConsoleSessionStore {
  /** Stores a new session; resolves its id (32 random bytes, base64url). */
  create(record: Omit<ConsoleSessionRecord, 'csrf'>): Promise<{ id: string; record: ConsoleSessionRecord }>;
  /** The session of this id, or null (unknown, expired, signed out). */
  find(id: string): Promise<ConsoleSessionRecord | null>;
  delete(id: string): Promise<void>;
}

const ID_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * The Redis {@link ConsoleSessionStore}: under `${prefix}:console:session:<keyed hash of the id>` (the id itself
 * is never a key), the record encrypted with the service's cipher, expiring 12 hours after sign-in.
 */
export function createRedisConsoleSessions(options: {
  redis: Redis;
  cipher: DataCipher;
  prefix: string;
}): ConsoleSessionStore {
  const { redis, cipher } = options;
  const keyOf = (id: string) =>
    `${options.prefix}:console:session:${cipher.keyedHash('console-session', id)}`;
  return {
    async create(fields) {
      const id = randomBytes(32).toString('base64url');
      const record: ConsoleSessionRecord = { ...fields, csrf: randomBytes(32).toString('base64url') };
      await redis.set(keyOf(id), cipher.encrypt(JSON.stringify(record)), 'EX', CONSOLE_SESSION_TTL_SECONDS);
      return { id, record };
    },
    async find(id) {
      if (!ID_SHAPE.test(id)) return null;
      const sealed = await redis.get(keyOf(id));
      if (sealed === null) return null;
      try {
        return JSON.parse(cipher.decrypt(sealed)) as ConsoleSessionRecord;
      } catch {
        return null;
      }
    },
    async delete(id) {
      if (ID_SHAPE.test(id)) await redis.del(keyOf(id));
    },
  };
}
