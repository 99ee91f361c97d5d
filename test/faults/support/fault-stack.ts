/**
 * The stack of one fault test: the service as a new user deploys it (`web` and `worker` processes of
 * `src/app/main.ts`), a Redis of its own (a private `redis-server`, optionally with its append-only file, so the
 * test may kill and restart it), a fresh PostgreSQL database (or a private cluster the test may stop), and the
 * fake SMS gateway the service sends through. Every process's output is kept, to scan it for personal data.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type FakeSmsGateway, startFakeSmsGateway } from '../../fakes/fake-sms-gateway-server.ts';
import { type Child, serviceEnv, startChild, waitForHttp, waitForLine } from '../../support/child-process.ts';
import { PrivatePostgres } from '../../support/private-postgres.ts';
import { type AppendFsync, PrivateRedis } from '../../support/private-redis.ts';
import { createTestDatabase, freePort, testEncryptionKey } from '../../support/services.ts';

/** A running `web` process and the port it listens on (kept across restarts). */
export interface WebProcess {
  readonly url: string;
  readonly port: number;
  readonly child: Child;
}

/** What a fault test's stack is made of. */
export interface FaultStackOptions {
  /** The Redis's append-only file and when it is synced; none by default (a restart then empties it). */
  readonly appendOnly?: AppendFsync;
  /** A private PostgreSQL cluster (which the test may stop) instead of a database on the shared server. */
  readonly privatePostgres?: boolean;
}

/** One fault test's stack. */
export interface FaultStack {
  readonly gateway: FakeSmsGateway;
  /** SMS_GATEWAY_SECRET: webhooks must be signed with it. */
  readonly secret: string;
  readonly redis: PrivateRedis;
  /** The private cluster, when asked for. */
  readonly postgres: PrivatePostgres | null;
  /** The web processes running now (a restarted one replaces its entry). */
  readonly webs: WebProcess[];
  /** The worker processes running now (a killed one is removed). */
  readonly workers: Child[];
  /** Starts a `web` process (on `port`, or a free one); resolves once `/readyz` answers 200. */
  startWeb(port?: number): Promise<WebProcess>;
  /**
   * Restarts web process `index` on the same port: stopped with SIGTERM (it finishes the requests in flight) or
   * killed with SIGKILL (they are cut); resolves once the new one is ready.
   */
  restartWeb(index: number, how: 'SIGTERM' | 'SIGKILL'): Promise<WebProcess>;
  /** Starts a `worker` process; resolves once it logged that it started. */
  startWorker(): Promise<Child>;
  /** Kills worker `index` with SIGKILL (no clean-up: whatever it was doing is cut) and resolves once it died. */
  killWorker(index: number): Promise<void>;
  /** Runs SQL on the service's database. */
  query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  /** Everything every process of the stack wrote so far, the dead ones' included. */
  logs(): string;
  /** The processes that ended without the test stopping or killing them (a crash), with how they ended. */
  crashes(): string[];
  /** Stops every process and removes the database, the Redis and the files. */
  close(): Promise<void>;
}

/** The service's QUEUE_PREFIX in these tests (each test has a Redis of its own). */
export const QUEUE_PREFIX = 'faults';

/** The most verbose level the service logs at in these tests: what is not logged at debug is not logged. */
const LOG_LEVEL = 'debug';

/** Builds a stack with no process running yet. */
export async function openFaultStack(options: FaultStackOptions = {}): Promise<FaultStack> {
  const secret = randomBytes(32).toString('hex');
  const gateway = await startFakeSmsGateway({ secret });
  const redis = await PrivateRedis.start(options.appendOnly ? { appendOnly: options.appendOnly } : {});
  const postgres = options.privatePostgres ? await PrivatePostgres.start() : null;
  const database = postgres ? null : await createTestDatabase();
  const databaseUrl = postgres ? postgres.url() : (database?.url ?? '');
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  // A stopped cluster ends the pool's idle connections: not an error of the test.
  pool.on('error', () => undefined);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'dcz-faults-'));
  const env: Record<string, string> = {
    ...serviceEnv({
      databaseUrl,
      redisUrl: redis.url,
      queuePrefix: QUEUE_PREFIX,
      dataDir,
      encryptionKey: testEncryptionKey(),
      gatewayUrl: gateway.url,
      gatewaySecret: secret,
    }),
    LOG_LEVEL,
  };
  const every: Child[] = [];
  const webs: WebProcess[] = [];
  const workers: Child[] = [];
  const ended = new Set<Child>();
  const crashes: string[] = [];
  const spawn = (role: 'web' | 'worker', extra: Record<string, string> = {}) => {
    const child = startChild('src/app/main.ts', [role], { ...env, ...extra }, { keepLog: true });
    child.process.once('exit', (code, signal) => {
      if (!ended.has(child)) crashes.push(`${role} exited on its own (${signal ?? `code ${code}`})`);
    });
    every.push(child);
    return child;
  };
  /** Stops or kills `child` on the test's behalf (not a crash). */
  const end = (child: Child, how: 'stop' | 'kill') => {
    ended.add(child);
    return how === 'kill' ? child.kill() : child.stop();
  };
  const startWeb = async (port?: number): Promise<WebProcess> => {
    const listen = port ?? (await freePort());
    const child = spawn('web', { PORT: String(listen), PUBLIC_BASE_URL: `http://127.0.0.1:${listen}` });
    const url = `http://127.0.0.1:${listen}`;
    await waitForHttp(`${url}/readyz`, child);
    return { url, port: listen, child };
  };

  return {
    gateway,
    secret,
    redis,
    postgres,
    webs,
    workers,
    async startWeb(port) {
      const web = await startWeb(port);
      webs.push(web);
      return web;
    },
    async restartWeb(index, how) {
      const web = webs[index];
      if (!web) throw new Error(`no web process ${index}`);
      await end(web.child, how === 'SIGKILL' ? 'kill' : 'stop');
      const again = await startWeb(web.port);
      webs[index] = again;
      return again;
    },
    async startWorker() {
      const child = spawn('worker');
      await waitForLine(child, '"msg":"started"');
      workers.push(child);
      return child;
    },
    async killWorker(index) {
      const [worker] = workers.splice(index, 1);
      if (!worker) throw new Error(`no worker process ${index}`);
      await end(worker, 'kill');
    },
    query: (sql, params) => pool.query(sql, params),
    logs: () => every.map((child) => child.log()).join('\n'),
    crashes: () => [...crashes],
    async close() {
      await Promise.all(every.map((child) => end(child, 'stop')));
      await pool.end().catch(() => undefined);
      await gateway.close();
      await redis.destroy();
      await database?.drop();
      await postgres?.destroy();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
