import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';
import type pino from 'pino';
import { createLogger } from '../../src/app/logger.ts';
import type { ChannelId } from '../../src/messaging/channel.ts';
import type { DataCipher } from '../../src/shared/crypto.ts';
import type { Sql } from '../../src/storage/postgres/database.ts';
import { inboundDedupeKey } from '../../src/storage/postgres/inbox.ts';

/** The PostgreSQL server the integration tests use (a fresh database per test file). */
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** The Redis server the integration tests use (a fresh key prefix per test). */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Settings every test app starts with unless the test sets them: no quiet hours, so suites that run at any real
 * time of day see notifications go out at once (the notification-timing tests set QUIET_HOURS and a clock).
 */
export const TEST_ENV_DEFAULTS: Readonly<Record<string, string>> = { QUIET_HOURS: 'off' };

/** Creates an empty database for one test file; `drop` removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `dcz_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Every key matching `pattern`, found with SCAN (so a test never blocks the shared Redis with KEYS). */
export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

/** A fresh key prefix, and a way to delete every key under it. */
export function createRedisPrefix(): { prefix: string; redis: Redis; cleanup(): Promise<void> } {
  const prefix = `dcztest-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
  return {
    prefix,
    redis,
    async cleanup() {
      const keys = await scanKeys(redis, `${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** A fresh data-encryption key in base64. */
export function testEncryptionKey(): string {
  return randomBytes(32).toString('base64');
}

/**
 * The service's own logger (same serializers and redaction), keeping every line in memory so tests can check
 * what would be logged.
 */
export function memoryLogger(level: pino.LevelWithSilent = 'info'): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = { write: (line: string) => lines.push(line) };
  return { logger: createLogger(level, stream), lines };
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await sleep(50);
  }
}

/** Resolves after `ms` milliseconds: a fixed wait, for checking that something did NOT happen in that time. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * How many inbound messages of `channel` are stored, only those with `providerMessageId` when given (found by the
 * keyed hash the inbox stores instead of the id).
 */
export async function inboundCount(
  services: { readonly db: Sql; readonly cipher: DataCipher },
  channel: ChannelId,
  providerMessageId?: string,
): Promise<number> {
  const key =
    providerMessageId === undefined ? null : inboundDedupeKey(services.cipher, channel, providerMessageId);
  const { rows } = await services.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM inbound_messages WHERE channel = $1 AND ($2::text IS NULL OR provider_message_id = $2)',
    [channel, key],
  );
  return rows[0]?.n ?? 0;
}

/**
 * Inserts an account row with only the columns of migration 001 (placeholder values, not encrypted data) and
 * resolves its id: for migration tests, whose database is at an old version that today's repository cannot
 * write to.
 */
export async function insertBareCitizen(db: Sql, n: number): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO citizens (account_code, phone_hash, phone_enc, cccd_hash, cccd_enc, full_name_enc, birth_date_enc,
       created_via) VALUES ($1, $2, 'x', $3, 'x', 'x', 'x', 'twilio-sms') RETURNING id`,
    [`OLD${String(n).padStart(5, '2')}`, `phone-${n}`, `cccd-${n}`],
  );
  const id = rows[0]?.id;
  if (!id) throw new Error('no account row was inserted');
  return id;
}

/** A job's `defer` for a run that must not be put off: calling it fails the test. */
export const neverDeferred = (delayMs: number): Promise<never> =>
  Promise.reject(new Error(`the job was not expected to be put off (${delayMs} ms)`));
