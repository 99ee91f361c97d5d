import type { Redis } from 'ioredis';
import type { WebChatEntry, WebChatFeed } from '../../messaging/web-feed.ts';
import type { DataCipher } from '../../shared/crypto.ts';

/** How long a web chat's feed is kept after its last entry. */
export const WEB_CHAT_FEED_TTL_MS = 24 * 3_600_000;
/** The most entries kept per feed (the oldest go first). */
const FEED_MAX_ENTRIES = 200;

/** One stored entry of a feed, with its id (a Redis stream id: the server-sent event's id). */
export interface WebChatFeedItem {
  readonly id: string;
  readonly entry: WebChatEntry;
}

/** A web chat's feed as the web process reads it. */
export interface WebChatFeedReader {
  /** The entries after `afterId` (all kept entries without it), oldest first. */
  read(session: string, afterId?: string): Promise<WebChatFeedItem[]>;
  /** Calls `listener` whenever an entry is added to the session's feed (by any process); returns the stop. */
  watch(session: string, listener: () => void): Promise<() => void>;
  /** Closes the subscription connection, if one was opened. */
  close(): Promise<void>;
}

/**
 * The web chat feeds in Redis: one stream a session, `${prefix}:web-chat:<keyed hash of the session id>`, whose
 * entries are encrypted with the service's cipher, capped at 200 and dropped a day after the last one. Adding an
 * entry publishes the keyed hash on `${prefix}:web-chat`: each web process subscribes once (a connection of its
 * own, opened on the first `watch`) and wakes the browser connections of that session, which read what is new.
 * So the worker that sends and the web process that holds the browser's connection can be different processes.
 */
export function createRedisWebChat(options: {
  redis: Redis;
  cipher: Pick<DataCipher, 'encrypt' | 'decrypt' | 'keyedHash'>;
  prefix: string;
}): WebChatFeed & WebChatFeedReader {
  const { redis, cipher, prefix } = options;
  const channel = `${prefix}:web-chat`;
  const hashOf = (session: string) => cipher.keyedHash('web-chat', session).slice(0, 40);
  const keyOf = (session: string) => `${channel}:${hashOf(session)}`;
  const listeners = new Map<string, Set<() => void>>();
  let subscriber: Redis | null = null;
  let subscribing: Promise<void> | null = null;

  const subscribe = () => {
    subscribing ??= (async () => {
      subscriber = redis.duplicate({
        enableOfflineQueue: true,
        lazyConnect: false,
        commandTimeout: undefined,
      });
      subscriber.on('error', () => {
        // Reconnects by itself; meanwhile the pages get their replies on their next connection.
      });
      subscriber.on('message', (_channel: string, hash: string) => {
        for (const listener of listeners.get(hash) ?? []) listener();
      });
      await subscriber.subscribe(channel);
    })();
    return subscribing;
  };

  return {
    async push(session, entry) {
      const key = keyOf(session);
      const id = await redis.xadd(
        key,
        'MAXLEN',
        '~',
        FEED_MAX_ENTRIES,
        '*',
        'e',
        cipher.encrypt(JSON.stringify(entry)),
      );
      await redis.pexpire(key, WEB_CHAT_FEED_TTL_MS);
      await redis.publish(channel, hashOf(session));
      return id ?? '';
    },
    async read(session, afterId) {
      const start = afterId === undefined ? '-' : `(${afterId}`;
      const rows = await redis.xrange(keyOf(session), start, '+', 'COUNT', FEED_MAX_ENTRIES);
      return rows.flatMap(([id, fields]) => {
        const sealed = fields[fields.indexOf('e') + 1];
        if (sealed === undefined) return [];
        return [{ id, entry: JSON.parse(cipher.decrypt(sealed)) as WebChatEntry }];
      });
    },
    async watch(session, listener) {
      await subscribe();
      const hash = hashOf(session);
      const set = listeners.get(hash) ?? new Set();
      set.add(listener);
      listeners.set(hash, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(hash);
      };
    },
    async close() {
      listeners.clear();
      await subscribing?.catch(() => undefined);
      subscriber?.disconnect();
    },
  };
}
