import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { menuCopy } from '../../flows/menu/menu.copy.ts';
import type { Flow } from '../../src/engine/flow-kit.ts';
import { renderSmsText } from '../../src/messaging/sms-render.ts';
import { smsGatewayInbound } from '../fakes/fake-sms-gateway-server.ts';
import { telegramTextUpdate } from '../fakes/fake-telegram-server.ts';
import {
  ADMIN_TOKEN,
  AppHarness,
  SMS_GATEWAY_SECRET,
  TELEGRAM_WEBHOOK_SECRET,
} from '../support/app-harness.ts';
import { PrivatePostgres } from '../support/private-postgres.ts';
import { createRedisPrefix, eventually, inboundCount, testEncryptionKey } from '../support/services.ts';

// PostgreSQL stopped under the running app (a private cluster, `pg_ctl stop -m fast`): every webhook answers 503
// with Retry-After (never 500, never an acknowledgement of a message not stored), /readyz says the database is
// down, /metrics still answers, and once PostgreSQL is back the providers' retries are answered once each. A
// turn cut short by PostgreSQL stopping is an outage, not a defect: it is retried until answered, once.

/** Set by the test: the cluster the `PGSTOP` flow stops in the middle of its first turn. */
let cluster: PrivatePostgres;
/** How many times the `PGSTOP` flow ran. */
let pgStopRuns = 0;

/** A flow that stops PostgreSQL the first time it runs (then its reply cannot be stored), and answers. */
const stopsPostgres: Flow = {
  id: 'stops-postgres',
  version: 1,
  async start() {
    pgStopRuns += 1;
    if (pgStopRuns === 1) await cluster.stop();
    return { next: null, replies: [{ text: 'Da tra loi sau khi PostgreSQL tro lai' }] };
  },
  async resume() {
    return null;
  },
  prompt: () => [],
};

describe('when PostgreSQL stops', () => {
  let h: AppHarness;
  let redisPrefix: ReturnType<typeof createRedisPrefix>;
  let agencyKey: string;

  beforeAll(async () => {
    cluster = await PrivatePostgres.start();
    redisPrefix = createRedisPrefix();
    h = await AppHarness.start({
      channels: ['sms-gateway', 'telegram'],
      reuse: { databaseUrl: cluster.url(), prefix: redisPrefix.prefix, encryptionKey: testEncryptionKey() },
      extraFlows: {
        flows: [stopsPostgres],
        keywords: [{ keywords: ['PGSTOP'], command: { type: 'start', flowId: stopsPostgres.id } }],
      },
    });
    const agency = await h.admin('POST', '/api/v1/admin/agencies', { code: 'UBND-PG', name: 'UBND PG' });
    agencyKey = agency.json<{ apiKey: string }>().apiKey;
  }, 60_000);
  afterAll(async () => {
    await cluster?.restart().catch(() => undefined);
    await h?.stop({ keepData: true });
    await redisPrefix?.cleanup();
    await cluster?.destroy();
  });

  it('answers webhooks 503 with Retry-After, says which part is down, and answers each retry once when it is back', async () => {
    const sid = h.nextSid();
    const smsPhone = '+84905880001';
    const gatewayPhone = '+84905880002';
    const chatId = 588_003;
    const gateway = smsGatewayInbound(SMS_GATEWAY_SECRET, {
      id: 'pg-outage-1',
      from: gatewayPhone,
      text: 'HD',
    });
    const telegram = JSON.stringify(telegramTextUpdate(588_100, chatId, 'HD'));
    const send = () =>
      Promise.all([
        h.sms(smsPhone, 'HD', sid),
        h.postJson('/webhooks/sms-gateway', gateway.body, gateway.headers),
        h.postJson('/webhooks/telegram', telegram, {
          'x-telegram-bot-api-secret-token': TELEGRAM_WEBHOOK_SECRET,
        }),
      ]);

    await cluster.stop();
    const webhooks = await send();
    for (const webhook of webhooks) {
      expect(webhook.status).toBe(503);
      expect(webhook.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await webhook.json()).toEqual({ error: { code: 'UNAVAILABLE', message: expect.any(String) } });
    }
    const dossier = await fetch(`${h.baseUrl}/api/v1/agency/dossiers/HS-PG-1`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${agencyKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ citizen: 'ABCD-EFGH', procedure: 'Đăng ký khai sinh', status: 'received' }),
    });
    expect(dossier.status).toBe(503);
    expect(dossier.headers.get('retry-after')).toMatch(/^\d+$/);
    const admin = await fetch(`${h.baseUrl}/api/v1/admin/failed-messages`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(admin.status).toBe(503);
    const ready = await fetch(`${h.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'not_ready', checks: { redis: 'ok', database: 'down' } });
    const metrics = await fetch(`${h.baseUrl}/metrics`);
    expect(metrics.status).toBe(200);
    const scrape = await metrics.text();
    expect(scrape).toMatch(/^dcz_database_up 0$/m);
    expect(scrape).toMatch(/^dcz_redis_up 1$/m);
    expect(scrape).not.toMatch(/^dcz_registrations\{/m);

    await cluster.restart();
    await eventually(async () => (await fetch(`${h.baseUrl}/readyz`)).status === 200, 20_000);
    expect(await (await fetch(`${h.baseUrl}/metrics`)).text()).toMatch(/^dcz_database_up 1$/m);
    // The providers deliver again: each message is stored, handled and answered once.
    expect((await send()).map((r) => r.status)).toEqual([200, 200, 200]);
    const menu = renderSmsText({ text: menuCopy.vi.menu() }, 'gsm7');
    expect(await h.waitForInbox(smsPhone, 1)).toEqual([menu]);
    await h.fakes.gateway?.waitForMessages(1);
    await eventually(() => (h.fakes.telegram?.sent ?? []).some((m) => m.chatId === String(chatId)));
    await h.waitForIdle();
    expect(h.inbox(smsPhone)).toHaveLength(1);
    expect(h.fakes.gateway?.messages.filter((m) => m.to === gatewayPhone)).toHaveLength(1);
    expect(h.fakes.telegram?.sent.filter((m) => m.chatId === String(chatId))).toHaveLength(1);
    expect(await inboundCount(h.services, 'twilio-sms', sid)).toBe(1);
  }, 60_000);

  it('retries a turn cut short by PostgreSQL stopping until it is answered, once, without counting it a defect', async () => {
    const phone = '+84905880010';
    expect((await h.sms(phone, 'PGSTOP')).status).toBe(200);
    // The first turn stopped PostgreSQL before its reply was stored: the job failed and waits for its retry.
    await eventually(() => h.logLines.some((line) => line.includes('job failed, will retry')), 20_000);
    expect(h.inbox(phone)).toEqual([]);
    await cluster.restart();

    expect(await h.waitForInbox(phone, 1, 30_000)).toEqual(['Da tra loi sau khi PostgreSQL tro lai']);
    await h.waitForIdle();
    expect(h.inbox(phone)).toHaveLength(1);
    expect(pgStopRuns).toBe(2);
    const { rows } = await h.services.db.query<{ defect_attempts: number; failed: boolean }>(
      `SELECT defect_attempts, failed_at IS NOT NULL AS failed FROM inbound_messages
       WHERE processed_at IS NOT NULL ORDER BY id DESC LIMIT 1`,
    );
    expect(rows).toEqual([{ defect_attempts: 0, failed: false }]);
    const scrape = await (await fetch(`${h.baseUrl}/metrics`)).text();
    expect(scrape).not.toMatch(/^dcz_inbound_failed_total\{/m);
  }, 60_000);

  it('answers 503 within its deadline while PostgreSQL accepts connections but answers nothing', async () => {
    const phone = '+84905880020';
    const sid = h.nextSid();
    // A connection in the pool, so the webhook's query goes to a server that will not answer.
    expect(await h.say('+84905880021', 'HD')).toHaveLength(1);
    const page = await h.app.inject({ method: 'GET', url: '/' });
    const cookie = String(page.headers['set-cookie']).split(';')[0] ?? '';
    await cluster.freeze();
    try {
      const [webhook, ready, metrics, chat] = await Promise.all([
        h.sms(phone, 'HD', sid),
        fetch(`${h.baseUrl}/readyz`),
        fetch(`${h.baseUrl}/metrics`),
        h.app.inject({
          method: 'POST',
          url: '/chat/messages',
          headers: { 'content-type': 'application/json', cookie },
          payload: '{"text":"HD"}',
        }),
      ]);
      expect(chat.statusCode).toBe(503);
      expect(chat.headers['retry-after']).toMatch(/^\d+$/);
      expect(webhook.status).toBe(503);
      expect(webhook.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'not_ready', checks: { redis: 'ok', database: 'down' } });
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/^dcz_database_up 0$/m);
    } finally {
      await cluster.thaw();
    }
    // The provider delivers again: answered once, whether or not the first delivery was stored meanwhile.
    expect((await h.sms(phone, 'HD', sid)).status).toBe(200);
    expect(await h.waitForInbox(phone, 1, 20_000)).toHaveLength(1);
    await h.waitForIdle();
    expect(h.inbox(phone)).toHaveLength(1);
    expect(await inboundCount(h.services, 'twilio-sms', sid)).toBe(1);
  }, 60_000);
});
