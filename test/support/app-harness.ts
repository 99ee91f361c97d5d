import { type ChildProcess, spawn } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import twilio from 'twilio';
import { loadConfig } from '../../src/app/config.ts';
import { buildHttp } from '../../src/app/http.ts';
import { type Listeners, startListeners } from '../../src/app/listeners.ts';
import { createServices, type Services } from '../../src/app/services.ts';
import { startWorkers, type Workers } from '../../src/app/worker.ts';
import type { KeywordRule } from '../../src/engine/commands.ts';
import type { Flow } from '../../src/engine/flow-kit.ts';
import type { ChannelId } from '../../src/messaging/channel.ts';
import type { TurnProbes } from '../../src/pipeline/turn-job.ts';
import { type FakeSmsGateway, startFakeSmsGateway } from '../fakes/fake-sms-gateway-server.ts';
import { type FakeTelegram, startFakeTelegram } from '../fakes/fake-telegram-server.ts';
import { type FakeTwilio, startFakeTwilio } from '../fakes/fake-twilio-server.ts';
import { type FakeZaloOa, startFakeZaloOa } from '../fakes/fake-zalo-oa-server.ts';
import { createFakeZaloPersonal, type FakeZaloPersonal } from '../fakes/fake-zalo-personal.ts';
import {
  createRedisPrefix,
  createTestDatabase,
  eventually,
  freePort,
  memoryLogger,
  REDIS_URL,
  TEST_ENV_DEFAULTS,
  testEncryptionKey,
} from './services.ts';

export const TWILIO_ACCOUNT_SID = `AC${'1'.repeat(32)}`;
export const TWILIO_AUTH_TOKEN = 'test-auth-token-0123456789abcdef';
export const TWILIO_FROM = '+15005550006';
export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
export const SMS_GATEWAY_SECRET = 'sms-gateway-secret-for-tests-0123456789abcdef';
export const TELEGRAM_WEBHOOK_SECRET = 'telegram-webhook-secret-for-tests';
export const ZALO_OA = {
  appId: '360846524940903967',
  oaId: '388613280878808645',
  oaSecretKey: 'oa-secret-key-for-tests',
  appSecret: 'app-secret-for-tests',
  refreshToken: 'initial-refresh-token-for-tests',
} as const;
export const ZALO_PERSONAL_OWN_ID = '7000000000000000001';

/** The channels besides Twilio SMS a harness can run, each against its fake provider. */
export type FakeChannel = 'sms-gateway' | 'telegram' | 'telegram-polling' | 'zalo-oa' | 'zalo-personal';

/** The fake providers of a harness's channels. */
export interface ChannelFakes {
  gateway?: FakeSmsGateway;
  telegram?: FakeTelegram;
  zaloOa?: FakeZaloOa;
  zaloPersonal?: FakeZaloPersonal;
}

/** Options of {@link startApp}. */
export interface AppHarnessOptions {
  /** Worker sets to run (each a full set of BullMQ workers, as separate processes would). Default 1; 0 for none. */
  readonly workers?: number;
  readonly env?: Readonly<Record<string, string>>;
  readonly probes?: TurnProbes;
  /** Channels to turn on besides Twilio SMS, each with its fake provider (and the listener role when needed). */
  readonly channels?: readonly FakeChannel[];
  /** Reuse a database and Redis prefix (to restart the app over the same data). */
  readonly reuse?: AppData;
  /** The service's clock (default real time): a test moves it forward instead of waiting. */
  readonly clock?: () => Date;
  /**
   * `false`: Twilio SMS is not configured (its fake still runs, unused), so with no SMS channel in `channels`
   * the service has none, as on a fresh `npm start` (the web chat's development outbox). Default true.
   */
  readonly twilioSms?: boolean;
  /** The level of the captured log ({@link AppHarness.logLines}); default `info`, as the service runs. */
  readonly logLevel?: 'info' | 'debug' | 'trace';
  /** Conversations added to the service's own, with their keywords (e.g. a flow that always throws). */
  readonly extraFlows?: { readonly flows: readonly Flow[]; readonly keywords: readonly KeywordRule[] };
}

/** A worker process started by {@link AppHarness.spawnWorker}. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Resolves once its workers are ready. */
  readonly ready: Promise<void>;
  /** Resolves with the signal that ended it, or its exit code. */
  readonly exited: Promise<NodeJS.Signals | number | null>;
}

/** What an app runs on: a database, a Redis prefix and a data key (pass as `reuse` to restart over it). */
export interface AppData {
  readonly databaseUrl: string;
  readonly prefix: string;
  readonly encryptionKey: string;
}

/** A fresh database, Redis prefix and data key for apps that restart over the same data; `drop` removes them. */
export async function createAppData(): Promise<{ data: AppData; drop(): Promise<void> }> {
  const database = await createTestDatabase();
  const redis = createRedisPrefix();
  return {
    data: { databaseUrl: database.url, prefix: redis.prefix, encryptionKey: testEncryptionKey() },
    async drop() {
      await redis.cleanup();
      await database.drop();
    },
  };
}

/**
 * The whole service on real parts: a fresh PostgreSQL database, a fresh Redis prefix, the real HTTP app
 * listening on 127.0.0.1, real BullMQ workers, and a fake Twilio REST server reached by twilio-node.
 */
export class AppHarness {
  #sms = 0;

  readonly services: Services;
  readonly app: FastifyInstance;
  readonly workers: Workers[];
  readonly twilio: FakeTwilio;
  readonly fakes: ChannelFakes;
  readonly listeners: Listeners;
  readonly baseUrl: string;
  /** Every log line the service wrote. */
  readonly logLines: string[];
  /** The database and Redis prefix, to restart another app over the same data. */
  readonly data: AppData;
  /** The settings of the channels besides Twilio (their fakes' URLs and secrets). */
  readonly #channelEnv: Readonly<Record<string, string>>;
  readonly #cleanupData: () => Promise<void>;

  private constructor(parts: {
    services: Services;
    app: FastifyInstance;
    workers: Workers[];
    twilio: FakeTwilio;
    fakes: ChannelFakes;
    listeners: Listeners;
    baseUrl: string;
    logLines: string[];
    data: AppData;
    channelEnv: Readonly<Record<string, string>>;
    cleanupData: () => Promise<void>;
  }) {
    this.services = parts.services;
    this.app = parts.app;
    this.workers = parts.workers;
    this.twilio = parts.twilio;
    this.fakes = parts.fakes;
    this.listeners = parts.listeners;
    this.baseUrl = parts.baseUrl;
    this.logLines = parts.logLines;
    this.data = parts.data;
    this.#channelEnv = parts.channelEnv;
    this.#cleanupData = parts.cleanupData;
  }

  static async start(options: AppHarnessOptions = {}): Promise<AppHarness> {
    const fake = await startFakeTwilio({ accountSid: TWILIO_ACCOUNT_SID, authToken: TWILIO_AUTH_TOKEN });
    let data = options.reuse;
    let cleanupData = async () => {};
    if (!data) ({ data, drop: cleanupData } = await createAppData());
    const wanted = new Set(options.channels ?? []);
    const fakes: ChannelFakes = {};
    const channelEnv: Record<string, string> = {};
    if (wanted.has('sms-gateway')) {
      fakes.gateway = await startFakeSmsGateway({ secret: SMS_GATEWAY_SECRET });
      Object.assign(channelEnv, { SMS_GATEWAY_URL: fakes.gateway.url, SMS_GATEWAY_SECRET });
    }
    if (wanted.has('telegram') || wanted.has('telegram-polling')) {
      fakes.telegram = await startFakeTelegram();
      Object.assign(channelEnv, {
        TELEGRAM_BOT_TOKEN: fakes.telegram.token,
        TELEGRAM_API_ROOT: fakes.telegram.url,
        ...(wanted.has('telegram-polling') ? { TELEGRAM_MODE: 'polling' } : { TELEGRAM_WEBHOOK_SECRET }),
      });
    }
    if (wanted.has('zalo-oa')) {
      fakes.zaloOa = await startFakeZaloOa({
        appSecret: ZALO_OA.appSecret,
        refreshToken: ZALO_OA.refreshToken,
      });
      Object.assign(channelEnv, {
        ZALO_OA_APP_ID: ZALO_OA.appId,
        ZALO_OA_SECRET_KEY: ZALO_OA.oaSecretKey,
        ZALO_OA_APP_SECRET: ZALO_OA.appSecret,
        ZALO_OA_REFRESH_TOKEN: ZALO_OA.refreshToken,
        ZALO_OA_API_URL: fakes.zaloOa.url,
        ZALO_OAUTH_URL: fakes.zaloOa.url,
      });
    }
    if (wanted.has('zalo-personal'))
      fakes.zaloPersonal = createFakeZaloPersonal({ ownId: ZALO_PERSONAL_OWN_ID });
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: baseUrl,
      DATABASE_URL: data.databaseUrl,
      REDIS_URL,
      QUEUE_PREFIX: data.prefix,
      DATA_ENCRYPTION_KEY: data.encryptionKey,
      ADMIN_TOKEN,
      ...(options.twilioSms === false
        ? {}
        : { TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM, TWILIO_API_URL: fake.url }),
      WORKER_LOCK_MS: '2000',
      LOG_LEVEL: options.logLevel ?? 'info',
      ...TEST_ENV_DEFAULTS,
      ...channelEnv,
      ...options.env,
    });
    const { logger, lines } = memoryLogger(options.logLevel ?? 'info');
    const zaloPersonal = fakes.zaloPersonal;
    const services = await createServices(config, logger, {
      ...(zaloPersonal ? { channels: { zaloPersonalConnect: () => zaloPersonal.connect() } } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.extraFlows ? { extraFlows: options.extraFlows } : {}),
    });
    const app = buildHttp(services);
    await app.listen({ port, host: '127.0.0.1' });
    const workers: Workers[] = [];
    for (let i = 0; i < (options.workers ?? 1); i += 1) {
      workers.push(await startWorkers(services, options.probes ? { probes: options.probes } : {}));
    }
    const listeners = await startListeners(services);
    return new AppHarness({
      services,
      app,
      workers,
      twilio: fake,
      fakes,
      listeners,
      baseUrl,
      logLines: lines,
      data,
      channelEnv,
      cleanupData,
    });
  }

  /** The form parameters Twilio posts for an inbound SMS. */
  static smsParams(from: string, body: string, messageSid: string): Record<string, string> {
    return {
      ToCountry: 'US',
      ToState: 'CA',
      SmsMessageSid: messageSid,
      NumMedia: '0',
      ToCity: '',
      FromZip: '',
      SmsSid: messageSid,
      FromState: '',
      SmsStatus: 'received',
      FromCity: '',
      Body: body,
      FromCountry: 'VN',
      To: TWILIO_FROM,
      ToZip: '',
      NumSegments: '1',
      MessageSid: messageSid,
      AccountSid: TWILIO_ACCOUNT_SID,
      From: from,
      ApiVersion: '2010-04-01',
    };
  }

  /** A new Twilio message SID. */
  nextSid(): string {
    this.#sms += 1;
    return `SM${Date.now().toString(16).padStart(16, '0')}${this.#sms.toString(16).padStart(16, '0')}`;
  }

  /** Starts one more full set of workers in this process (e.g. after a worker process died). */
  async addWorkers(): Promise<Workers> {
    const workers = await startWorkers(this.services);
    this.workers.push(workers);
    return workers;
  }

  /**
   * Starts a separate worker process over this app's data and fakes, as `npm run start:worker` would
   * (test/support/worker-process.ts): `CHILD_QUEUES` limits its queues, `CRASH_AFTER_TURN_STORED=1` makes it kill
   * itself mid-turn. `env` adds to its environment.
   */
  spawnWorker(env: Readonly<Record<string, string>> = {}): WorkerProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/worker-process.ts'], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: this.data.databaseUrl,
        REDIS_URL,
        QUEUE_PREFIX: this.data.prefix,
        DATA_ENCRYPTION_KEY: this.data.encryptionKey,
        PUBLIC_BASE_URL: this.baseUrl,
        TWILIO_ACCOUNT_SID,
        TWILIO_AUTH_TOKEN,
        TWILIO_FROM,
        TWILIO_API_URL: this.twilio.url,
        WORKER_LOCK_MS: '2000',
        ...this.#channelEnv,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const ready = new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.once('exit', (code, signal) => resolve(signal ?? code)),
    );
    return { child, ready, exited };
  }

  /** Posts a webhook signed like Twilio (or with `signature` when given) over HTTP; resolves the response. */
  async postTwilio(
    path: string,
    params: Record<string, string>,
    signature?: string | null,
  ): Promise<Response> {
    const url = `${this.baseUrl}${path}`;
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    const sig =
      signature === undefined ? twilio.getExpectedTwilioSignature(TWILIO_AUTH_TOKEN, url, params) : signature;
    if (sig !== null) headers['x-twilio-signature'] = sig;
    return fetch(url, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
  }

  /** Sends an SMS from `from` as Twilio would deliver it; resolves the HTTP response. */
  sms(from: string, body: string, messageSid = this.nextSid()): Promise<Response> {
    return this.postTwilio('/webhooks/twilio/sms', AppHarness.smsParams(from, body, messageSid));
  }

  /** Texts received by `to` so far, in order. */
  inbox(to: string): string[] {
    return this.twilio.messages.filter((m) => m.to === to).map((m) => m.body);
  }

  /** Waits until `to` has received `count` messages in total; resolves all of them. */
  async waitForInbox(to: string, count: number, timeoutMs = 15_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.inbox(to).length < count) {
      if (Date.now() > deadline) {
        throw new Error(
          `expected ${count} messages to ${to}, got ${this.inbox(to).length}: ${JSON.stringify(this.inbox(to))}`,
        );
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.inbox(to);
  }

  /** Sends an SMS and waits for `replies` more messages to that phone; resolves just the new ones. */
  async say(from: string, body: string, replies = 1): Promise<string[]> {
    const before = this.inbox(from).length;
    const response = await this.sms(from, body);
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
    return (await this.waitForInbox(from, before + replies)).slice(before);
  }

  /** The newest outbox row to `to` on `channel` (undefined before the first), as the send job leaves it. */
  async lastOutbound(channel: ChannelId, to: string) {
    const { rows } = await this.services.db.query<{
      id: number;
      status: string;
      error_code: string | null;
      attempts: number;
      provider_message_id: string | null;
    }>(
      `SELECT id, status, error_code, attempts, provider_message_id FROM outbound_messages
       WHERE address_hash = $1 ORDER BY id DESC LIMIT 1`,
      [this.services.cipher.keyedHash('address', `${channel}:${to}`)],
    );
    return rows[0];
  }

  /**
   * Waits until the system is idle: no inbound message waiting for its turn, no outbound message waiting to be
   * sent, and no turn or send job waiting, delayed or running. Then what was sent can be counted.
   */
  async waitForIdle(): Promise<void> {
    const { db, queues } = this.services;
    await eventually(async () => {
      const { rows } = await db.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM inbound_messages WHERE processed_at IS NULL)
              + (SELECT count(*) FROM outbound_messages WHERE status = 'pending') AS n`,
      );
      if (Number(rows[0]?.n) > 0) return false;
      for (const queue of [queues.inbound, queues.outbound]) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        if (Object.values(counts).some((n) => n > 0)) return false;
      }
      return true;
    });
  }

  /** Posts raw JSON (exactly `body`) with `headers` to `path`; resolves the response. */
  /**
   * Calls the admin API in process (`inject`) with the admin token, and `body` as JSON when given; resolves the
   * response (`statusCode`, `json()`).
   */
  admin(method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) {
    return this.app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  }

  postJson(path: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  }

  /** Stops the app and workers; `keepData` leaves the database and Redis keys for a restart. */
  async stop(options: { keepData?: boolean } = {}): Promise<void> {
    await this.listeners.close();
    await this.app.close();
    for (const w of this.workers) await w.close();
    await this.services.close();
    await this.twilio.close();
    await Promise.all([
      this.fakes.gateway?.close(),
      this.fakes.telegram?.close(),
      this.fakes.zaloOa?.close(),
    ]);
    if (!options.keepData) await this.#cleanupData();
  }
}
