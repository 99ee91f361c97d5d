import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maintenanceJobDeps } from '../../src/app/worker.ts';
import { createShare } from '../../src/domain/shares/create-share.ts';
import { createMaintenanceJob } from '../../src/pipeline/maintenance-job.ts';
import { inboundDedupeKey } from '../../src/storage/postgres/inbox.ts';
import { newCitizen } from '../contracts/citizen-repository.contract.ts';
import { smsGatewayInbound } from '../fakes/fake-sms-gateway-server.ts';
import { telegramTextUpdate } from '../fakes/fake-telegram-server.ts';
import { signZaloEvent, zaloTextEvent } from '../fakes/fake-zalo-oa-server.ts';
import {
  ADMIN_TOKEN,
  AppHarness,
  SMS_GATEWAY_SECRET,
  TELEGRAM_WEBHOOK_SECRET,
  ZALO_OA,
} from '../support/app-harness.ts';
import { PrivateRedis } from '../support/private-redis.ts';
import { eventually } from '../support/services.ts';

// Redis stopped (connections refused) or frozen (SIGSTOP: connections accepted, nothing answered) under the
// running app: every request that needs Redis still gets an answer (the test's timeout is the bound), webhooks
// answer 503 with Retry-After so the provider delivers again, and once Redis is back every message stored
// before the 503 is handled exactly once: after the provider's retry, or by the maintenance job's sweep.

/** Long enough for a few answers bounded by the Redis command timeout, far shorter than a hang. */
const OUTAGE_TEST_MS = 20_000;

/** One request of each kind that needs Redis, sent during an outage, and what the client later retries. */
interface OutageRequests {
  readonly sms: { phone: string; sid: string };
  readonly gatewayPhone: string;
  readonly telegramChat: number;
  readonly zaloUser: string;
  readonly dossierCode: string;
}

describe('when Redis stops or stops answering', () => {
  let redis: PrivateRedis;
  let h: AppHarness;
  let agencyKey: string;
  let citizen: { id: string; accountCode: string };
  let shareToken: string;
  let n = 0;
  const next = () => {
    n += 1;
    return n;
  };

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    h = await AppHarness.start({
      channels: ['sms-gateway', 'telegram', 'zalo-oa'],
      env: { REDIS_URL: redis.url },
    });
    const agency = await h.app.inject({
      method: 'POST',
      url: '/api/v1/admin/agencies',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { code: 'UBND-OUTAGE', name: 'UBND Outage' },
    });
    agencyKey = agency.json<{ apiKey: string }>().apiKey;
    const opened = await h.services.citizens.create(newCitizen({ phone: '+84905810000' }));
    if (opened.type !== 'created') throw new Error(`could not open an account: ${opened.type}`);
    citizen = opened.citizen;
    ({ token: shareToken } = await createShare(
      {
        shares: h.services.shares,
        documents: h.services.documents,
        cipher: h.services.cipher,
        publicBaseUrl: h.baseUrl,
      },
      {
        citizenId: citizen.id,
        kind: 'export',
        documentId: null,
        days: 7,
        maxViews: null,
        ref: 'outage-export',
        at: new Date(),
      },
    ));
  });
  afterAll(async () => {
    redis?.thaw();
    await h?.stop();
    await redis?.destroy();
  });

  const json = (path: string, body: object, headers: Record<string, string>) =>
    h.postJson(path, JSON.stringify(body), headers);
  const putDossier = (code: string) =>
    fetch(`${h.baseUrl}/api/v1/agency/dossiers/${code}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${agencyKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        citizen: citizen.accountCode,
        procedure: 'Đăng ký khai sinh',
        status: 'received',
      }),
    });
  const zaloText = (userId: string, text: string) => {
    const raw = JSON.stringify(
      zaloTextEvent({ appId: ZALO_OA.appId, oaId: ZALO_OA.oaId, userId, msgId: `outage-${userId}`, text }),
    );
    return h.postJson('/webhooks/zalo', raw, { 'x-zevent-signature': signZaloEvent(raw, ZALO_OA) });
  };

  /** Sends one request of every kind that needs Redis and checks each one's answer. */
  async function everyRouteAnswers(): Promise<OutageRequests> {
    const i = next();
    const sent: OutageRequests = {
      sms: { phone: `+8490582000${i}`, sid: h.nextSid() },
      gatewayPhone: `+8490583000${i}`,
      telegramChat: 584_000 + i,
      zaloUser: `58500000${i}`,
      dossierCode: `HS-OUTAGE-${i}`,
    };
    const gateway = smsGatewayInbound(SMS_GATEWAY_SECRET, {
      id: `outage-${i}`,
      from: sent.gatewayPhone,
      text: 'HD',
    });
    const [twilio, sms, telegram, zalo, dossier, metrics, ready, sharePage, missPage] = await Promise.all([
      h.sms(sent.sms.phone, 'HD', sent.sms.sid),
      h.postJson('/webhooks/sms-gateway', gateway.body, gateway.headers),
      json('/webhooks/telegram', telegramTextUpdate(586_000 + i, sent.telegramChat, 'HD'), {
        'x-telegram-bot-api-secret-token': TELEGRAM_WEBHOOK_SECRET,
      }),
      zaloText(sent.zaloUser, 'HD'),
      putDossier(sent.dossierCode),
      fetch(`${h.baseUrl}/metrics`),
      fetch(`${h.baseUrl}/readyz`),
      fetch(`${h.baseUrl}/s/${shareToken}`),
      fetch(`${h.baseUrl}/s/${randomBytes(16).toString('base64url')}`),
    ]);

    for (const webhook of [twilio, sms, telegram, zalo]) {
      expect(webhook.status).toBe(503);
      expect(webhook.headers.get('retry-after')).toMatch(/^\d+$/);
    }
    expect(dossier.status).toBe(503);
    expect(dossier.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await dossier.json()).toEqual({ error: { code: 'UNAVAILABLE', message: expect.any(String) } });
    expect(metrics.status).toBe(200);
    const scrape = await metrics.text();
    expect(scrape).toMatch(/^dcz_redis_up 0$/m);
    expect(scrape).not.toMatch(/^dcz_queue_jobs\{/m);
    expect(scrape).toMatch(/^process_cpu_user_seconds_total /m);
    expect(scrape).toMatch(/^dcz_registrations\{status="provisional"\} 1$/m);
    expect(scrape).toMatch(/^dcz_database_up 1$/m);
    expect(ready.status).toBe(503);
    // It names the part that is down.
    expect(await ready.json()).toEqual({ status: 'not_ready', checks: { redis: 'down', database: 'ok' } });
    expect(sharePage.status).toBe(200);
    expect(missPage.status).toBe(404);
    // Each message was stored before the 503: nothing is lost.
    const keys = (
      [
        ['twilio-sms', sent.sms.sid],
        ['sms-gateway', `outage-${i}`],
        ['telegram', String(586_000 + i)],
        ['zalo-oa', `outage-${sent.zaloUser}`],
      ] as const
    ).map(([channel, id]) => inboundDedupeKey(h.services.cipher, channel, id));
    const { rows } = await h.services.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM inbound_messages WHERE processed_at IS NULL AND provider_message_id = ANY($1)',
      [keys],
    );
    expect(rows[0]?.n).toBe(4);
    return sent;
  }

  const outages: OutageRequests[] = [];

  it(
    'answers every request while Redis is frozen (connections accepted, nothing answered)',
    async () => {
      redis.freeze();
      try {
        outages.push(await everyRouteAnswers());
      } finally {
        redis.thaw();
      }
    },
    OUTAGE_TEST_MS,
  );

  it(
    'answers every request while Redis is stopped',
    async () => {
      await redis.stop();
      outages.push(await everyRouteAnswers());
    },
    OUTAGE_TEST_MS,
  );

  it('handles every stored message exactly once after Redis restarts empty: on the provider’s retry, or by the maintenance sweep', async () => {
    await redis.restart();
    await eventually(async () => (await fetch(`${h.baseUrl}/readyz`)).status === 200);

    // Twilio and the agency retry; the SMS gateway, Telegram and Zalo are taken never to retry.
    for (const { sms, dossierCode } of outages) {
      expect((await h.sms(sms.phone, 'HD', sms.sid)).status).toBe(200);
      const retried = await putDossier(dossierCode);
      expect(retried.status).toBe(200);
      expect(await retried.json()).toMatchObject({ outcome: 'unchanged' });
    }
    // As if the outage were minutes ago: the maintenance job queues again what was stored but never queued.
    await h.services.db.query(
      `UPDATE inbound_messages SET received_at = received_at - interval '10 minutes' WHERE processed_at IS NULL`,
    );
    await h.services.db.query(
      `UPDATE outbound_messages SET created_at = created_at - interval '10 minutes' WHERE status = 'pending'`,
    );
    await h.services.db.query(
      `UPDATE dossiers SET notify_due_at = notify_due_at - interval '10 minutes' WHERE notify_due_at IS NOT NULL`,
    );
    await createMaintenanceJob(maintenanceJobDeps(h.services))();
    await eventually(() => idle(), 30_000);

    const gateway = h.fakes.gateway?.messages ?? [];
    const telegram = h.fakes.telegram?.sent ?? [];
    const zalo = h.fakes.zaloOa?.sent ?? [];
    for (const sent of outages) {
      expect(h.inbox(sent.sms.phone)).toHaveLength(1);
      expect(gateway.filter((m) => m.to === sent.gatewayPhone)).toHaveLength(1);
      expect(telegram.filter((m) => m.chatId === String(sent.telegramChat))).toHaveLength(1);
      expect(zalo.filter((m) => m.userId === sent.zaloUser)).toHaveLength(1);
    }
    // Each dossier's news and the share view reach the citizen (by SMS), once each.
    const told = gateway.filter((m) => m.to === '+84905810000').map((m) => m.text);
    for (const { dossierCode } of outages)
      expect(told.filter((t) => t.includes(dossierCode))).toHaveLength(1);
    const { rows: views } = await h.services.db.query(
      `SELECT 1 FROM outbound_messages WHERE dedupe_key LIKE 'share-view-%' AND status <> 'pending'`,
    );
    expect(views.length).toBeGreaterThan(0);
    expect(told).toHaveLength(outages.length + views.length);
    // An outage is not a defect: no message was given up on.
    const { rows: failed } = await h.services.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM inbound_messages WHERE failed_at IS NOT NULL OR defect_attempts > 0',
    );
    expect(failed[0]?.n).toBe(0);
    // The workers reconnected by themselves, and the maintenance schedule is back in the empty Redis.
    expect(await h.services.queues.maintenance.getJobSchedulers()).toHaveLength(1);
    const scrape = await (await fetch(`${h.baseUrl}/metrics`)).text();
    expect(scrape).toMatch(/^dcz_redis_up 1$/m);
    expect(scrape).toMatch(/^dcz_queue_jobs\{queue="inbound",state="wait"\} 0$/m);
  }, 60_000);

  /** Nothing left to do: no job waiting or running, no inbound message unhandled, no outbound one unsent. */
  async function idle(): Promise<boolean> {
    const { queues, db } = h.services;
    for (const queue of [queues.inbound, queues.outbound, queues.notice]) {
      const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
      if (Object.values(counts).some((count) => count > 0)) return false;
    }
    const { rows } = await db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM inbound_messages WHERE processed_at IS NULL)
            + (SELECT count(*) FROM outbound_messages WHERE status = 'pending')
            + (SELECT count(*) FROM dossiers WHERE notify_due_at IS NOT NULL) AS n`,
    );
    return Number(rows[0]?.n) === 0;
  }
});
