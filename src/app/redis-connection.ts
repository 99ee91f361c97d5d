/** Where Redis is, as ioredis options. */
export interface RedisAddress {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: Record<string, never>;
}

/** ioredis options from a `redis://` or `rediss://` URL (user, password, database number, TLS). */
export function redisOptionsFromUrl(url: string): RedisAddress {
  const parsed = new URL(url);
  const db = parsed.pathname.replace('/', '');
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/**
 * How long a Redis command of the producer connection may go unanswered before it fails: Redis answers in well
 * under a millisecond, so this only fires when the server accepts connections but does not answer (frozen,
 * overloaded, a half-open connection). It bounds every Redis operation an HTTP request awaits.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 1000;

/** ioredis `retryStrategy`: reconnect after 100 ms, doubling up to every 2 s, for as long as Redis is away. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(50 * 2 ** attempt, 2000);
}
