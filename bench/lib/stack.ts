/**
 * What every pipeline benchmark needs: a fresh PostgreSQL database, a fresh Redis key prefix, a fake SMS gateway
 * on 127.0.0.1 (the real sms-gateway adapter's counterpart, test/fakes), and the environment of the service as a
 * new user would run it (default log level; no quiet hours and no send-rate cap, so that the pipeline and not a
 * policy is measured; the gateway as its SMS channel). Everything is
 * removed by `close()`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { type FakeSmsGateway, startFakeSmsGateway } from '../../test/fakes/fake-sms-gateway-server.ts';
import {
  type Child,
  serviceEnv,
  startChild,
  waitForHttp,
  waitForLine,
} from '../../test/support/child-process.ts';
import { PrivateRedis } from '../../test/support/private-redis.ts';
import { createTestDatabase, freePort, testEncryptionKey } from '../../test/support/services.ts';

/** The pieces of one benchmark's stack. */
export interface Stack {
  readonly gateway: FakeSmsGateway;
  readonly secret: string;
  readonly databaseUrl: string;
  readonly prefix: string;
  /** The service's environment (web and worker get the same). */
  readonly env: Record<string, string>;
  /**
   * Round trips so far: Redis commands the stack's own Redis processed and PostgreSQL transactions committed
   * in the stack's database (each statement outside a transaction is one), to count them per turn.
   */
  counters(): Promise<{ redisCommands: number; pgTransactions: number }>;
  /** Runs SQL on the database (setting up the baselines' tables, counting accounts). */
  query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  /** Starts the service's `web` role on a free port; resolves with its base URL once `/readyz` answers. */
  startWeb(extraEnv?: Record<string, string>): Promise<{ url: string; child: Child }>;
  /** Starts the service's `worker` role; resolves once it logged that it started. */
  startWorker(extraEnv?: Record<string, string>): Promise<Child>;
  /** Starts a baseline script's role; web roles resolve with their URL once `/ready` answers. */
  startBaseline(script: string, role: string): Promise<{ url: string; child: Child }>;
  close(): Promise<void>;
}

/** Builds a fresh stack. */
export async function openStack(): Promise<Stack> {
  const secret = randomBytes(32).toString('hex');
  const gateway = await startFakeSmsGateway({ secret });
  const database = await createTestDatabase();
  // A Redis of its own, so that its command count is this benchmark's alone.
  const privateRedis = await PrivateRedis.start();
  const REDIS_URL = privateRedis.url;
  const redis = { prefix: 'bench' };
  const probe = new Redis(REDIS_URL);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'dcz-bench-'));
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  const children: Child[] = [];
  const env = serviceEnv({
    databaseUrl: database.url,
    redisUrl: REDIS_URL,
    queuePrefix: redis.prefix,
    dataDir,
    encryptionKey: testEncryptionKey(),
    gatewayUrl: gateway.url,
    gatewaySecret: secret,
  });
  const track = (child: Child) => {
    children.push(child);
    return child;
  };
  return {
    gateway,
    secret,
    databaseUrl: database.url,
    prefix: redis.prefix,
    env,
    query: (sql, params) => pool.query(sql, params),
    async counters() {
      const info = await probe.info('stats');
      const redisCommands = Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? Number.NaN);
      // Statistics reach pg_stat_database when a backend goes idle (at most about a second later).
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const { rows } = await pool.query<{ n: string }>(
        'SELECT pg_stat_force_next_flush(), (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()) AS n',
      );
      return { redisCommands, pgTransactions: Number(rows[0]?.n ?? Number.NaN) };
    },
    async startWeb(extraEnv = {}) {
      const port = await freePort();
      const child = track(
        startChild('src/app/main.ts', ['web'], { ...env, PORT: String(port), ...extraEnv }),
      );
      const url = `http://127.0.0.1:${port}`;
      await waitForHttp(`${url}/readyz`, child);
      return { url, child };
    },
    async startWorker(extraEnv = {}) {
      const child = track(startChild('src/app/main.ts', ['worker'], { ...env, ...extraEnv }));
      await waitForLine(child, '"msg":"started"');
      return child;
    },
    async startBaseline(script, role) {
      const port = await freePort();
      const child = track(
        startChild(script, [role], {
          PORT: String(port),
          REDIS_URL,
          DATABASE_URL: database.url,
          QUEUE_PREFIX: `${redis.prefix}:baseline`,
          SMS_GATEWAY_URL: gateway.url,
          SMS_GATEWAY_SECRET: secret,
        }),
      );
      const url = `http://127.0.0.1:${port}`;
      if (role === 'worker') await waitForLine(child, 'ready');
      else await waitForHttp(`${url}/ready`, child);
      return { url, child };
    },
    async close() {
      await Promise.all(children.map((child) => child.stop()));
      await pool.end();
      await gateway.close();
      probe.disconnect();
      await privateRedis.destroy();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A citizen's phone for index `i`: distinct Vietnamese mobile numbers in E.164. */
export const phoneOf = (i: number) => `+8490${String(1_000_000 + i).padStart(7, '0')}`;
