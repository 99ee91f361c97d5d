import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  type ConversationDoc,
  ConversationDocSchema,
  type ConversationStore,
} from '../../engine/conversation-store.ts';
import type { DataCipher } from '../../shared/crypto.ts';

// Stores `doc` only when the stored revision equals the expected one; one round trip, atomic.
const SAVE_IF_REVISION = `
local current = tonumber(redis.call('HGET', KEYS[1], 'rev') or '0')
if current ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'rev', current + 1, 'doc', ARGV[2])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1
`;
const SAVE_IF_REVISION_SHA = createHash('sha1').update(SAVE_IF_REVISION).digest('hex');

/**
 * The Redis {@link ConversationStore}: one hash per conversation (`rev`, `doc`), the document encrypted with
 * AES-256-GCM, a time-to-live restarted on each save, and compare-and-set in a Lua script. A turn makes two
 * round trips: `HMGET` to load, `EVALSHA` to save (the script's text is sent again only when Redis answers
 * `NOSCRIPT`: after a restart or `SCRIPT FLUSH`).
 */
export function createRedisConversationStore(options: {
  redis: Redis;
  cipher: DataCipher;
  prefix: string;
  ttlSeconds: number;
}): ConversationStore {
  const { redis, cipher } = options;
  const keyOf = (key: string) => `${options.prefix}:conv:${key}`;

  return {
    async load(key) {
      const [rev, sealed] = await redis.hmget(keyOf(key), 'rev', 'doc');
      if (!rev || !sealed) return null;
      const revision = Number(rev);
      try {
        const parsed = ConversationDocSchema.safeParse(JSON.parse(cipher.decrypt(sealed)));
        // An unreadable document is treated as no conversation, at the revision found, so it can be replaced.
        return parsed.success ? { doc: parsed.data, revision } : { doc: emptyDoc(), revision };
      } catch {
        return { doc: emptyDoc(), revision };
      }
    },
    async save(key, doc: ConversationDoc, expectedRevision) {
      const sealed = cipher.encrypt(JSON.stringify(doc));
      const args = [keyOf(key), expectedRevision, sealed, options.ttlSeconds] as const;
      const saved = await redis.evalsha(SAVE_IF_REVISION_SHA, 1, ...args).catch((error: unknown) => {
        if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
        return redis.eval(SAVE_IF_REVISION, 1, ...args);
      });
      return saved === 1;
    },
  };
}

function emptyDoc(): ConversationDoc {
  return { v: 1, active: null, lastRef: null, updatedAt: new Date(0).toISOString() };
}
