import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.ts';
import { createServices } from '../../src/app/services.ts';
import { verifyJobDeps } from '../../src/app/worker.ts';
import { ACCOUNT_CODE_ALPHABET } from '../../src/domain/citizens/account-code.ts';
import type { Citizen } from '../../src/domain/citizens/citizen.ts';
import type { DossierStatus } from '../../src/domain/dossiers/dossier.ts';
import { createVerifyJob } from '../../src/pipeline/verify-job.ts';
import { recipientOf } from '../../src/storage/postgres/outbox.ts';
import { newCitizen } from '../contracts/citizen-repository.contract.ts';
import {
  createRedisPrefix,
  createTestDatabase,
  memoryLogger,
  neverDeferred,
  REDIS_URL,
  testEncryptionKey,
} from '../support/services.ts';

/** A moment in Vietnam time (UTC+7). */
const vn = (local: string) => new Date(`${local}:00+07:00`);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let now = vn('2026-03-10T10:00');
const clock = () => now;

/**
 * The service on a fresh database (PostgreSQL, or PGlite in a temporary directory) and Redis prefix, reading
 * time from `clock`. No workers run: tests run the notice processor themselves and inspect the queued jobs.
 */
async function start(quietHours: string, engine: 'postgres' | 'pglite' = 'postgres') {
  const database =
    engine === 'postgres' ? await createTestDatabase() : { url: '', drop: async () => undefined };
  const redis = createRedisPrefix();
  const dataDir = await mkdtemp(join(tmpdir(), 'dcz-notification-timing-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    REDIS_URL,
    QUEUE_PREFIX: redis.prefix,
    DATA_ENCRYPTION_KEY: testEncryptionKey(),
    TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'test-auth-token',
    TWILIO_FROM: '+15005550006',
    TWILIO_API_URL: 'http://127.0.0.1:9',
    QUIET_HOURS: quietHours,
    LOG_LEVEL: 'silent',
  });
  const services = await createServices(config, memoryLogger().logger, { clock });
  const created = await services.agencies.create({
    code: 'UBND-HC',
    name: 'UBND phường Hải Châu',
    keyHash: randomUUID(),
  });
  if (created.type !== 'created') throw new Error('agency not created');
  return {
    services,
    agencyId: created.agency.id,
    dossiers: services.dossiers,
    async stop() {
      await services.close();
      await redis.cleanup();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

type App = Awaited<ReturnType<typeof start>>;

let serial = 0;
/** A new account opened by SMS from `phone` (its SMS contact linked), with a unique CCCD and code. */
async function smsCitizen(app: App, phone: string): Promise<Citizen> {
  serial += 1;
  const digit = (shift: number) => ACCOUNT_CODE_ALPHABET.charAt((serial >> shift) % 32);
  const outcome = await app.services.citizens.create(
    newCitizen({
      phone,
      cccd: `04809000${String(serial).padStart(4, '0')}`,
      accountCode: `NTFY${digit(15)}${digit(10)}${digit(5)}${digit(0)}`,
    }),
  );
  if (outcome.type !== 'created') throw new Error(`account not created: ${outcome.type}`);
  await app.services.contacts.touch('twilio-sms', phone, now);
  await app.services.contacts.linkCitizen('twilio-sms', phone, outcome.citizen.id);
  return outcome.citizen;
}

/** The agency's PUT: stores the update at the clock's time, then tells the notices (as the agency API does). */
async function put(
  app: App,
  citizen: Citizen,
  code: string,
  status: DossierStatus,
  note: string | null = null,
) {
  const outcome = await app.dossiers.upsert({
    agencyId: app.agencyId,
    code,
    citizenId: citizen.id,
    procedure: 'Đăng ký khai sinh',
    status,
    expectedAt: '2026-03-20',
    note,
    at: now,
  });
  if (!('dossier' in outcome)) throw new Error(`dossier not stored: ${outcome.type}`);
  await app.services.dossierNotices.statusChanged(outcome.dossier, now);
  return outcome.dossier;
}

/** The queued notice jobs of a dossier, oldest first, with their delays. */
async function noticeJobs(app: App, dossierId: string) {
  const jobs = await app.services.queues.notice.getJobs(['delayed', 'waiting', 'prioritized']);
  return jobs
    .filter((job) => job.data.dossierId === dossierId)
    .map((job) => ({ id: job.id ?? '', delayMs: job.opts.delay ?? 0 }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** The citizen's outbox rows, oldest first: dedupe key, text, not-before and the delay of their wake-up job. */
async function messages(app: App, citizenId: string) {
  const { rows } = await app.services.db.query<{ id: number; dedupe_key: string }>(
    'SELECT id, dedupe_key FROM outbound_messages WHERE citizen_id = $1 ORDER BY id',
    [citizenId],
  );
  return Promise.all(
    rows.map(async (row) => {
      const record = await app.services.outbox.get(row.id);
      const job = await app.services.queues.outbound.getJob(`wake-${row.id}`);
      return {
        id: row.id,
        key: row.dedupe_key,
        text: record?.message.reply.text ?? '',
        notBefore: record?.notBefore ?? null,
        sendDelayMs: job?.opts.delay ?? 0,
      };
    }),
  );
}

describe('notification timing with quiet hours 21:00-07:00 (fake clock)', () => {
  let app: App;

  beforeAll(async () => {
    app = await start('21:00-07:00');
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('holds a status change at 22:30 until 07:00, then sends it at once', async () => {
    now = vn('2026-03-10T22:30');
    const citizen = await smsCitizen(app, '+84905600001');
    const dossier = await put(app, citizen, 'H17-0001', 'received');

    expect(await noticeJobs(app, dossier.id)).toEqual([
      { id: `notice-${dossier.id}-${vn('2026-03-11T07:00').getTime()}`, delayMs: 8.5 * HOUR },
    ]);
    expect(await messages(app, citizen.id)).toEqual([]);

    now = vn('2026-03-11T07:00');
    await app.services.dossierNotices.send(dossier.id);

    const [message, ...more] = await messages(app, citizen.id);
    expect(more).toEqual([]);
    expect(message).toMatchObject({ key: `dossier-${dossier.id}-1`, notBefore: null, sendDelayMs: 0 });
    expect(message?.text).toBe(
      'Hồ sơ Đăng ký khai sinh: đã tiếp nhận. Hẹn trả 20/03/2026. Gửi TT H17-0001 để xem chi tiết.',
    );
  });

  it('holds a data request’s notice at 23:00 until 07:00 (not urgent), stored at once in one SMS segment', async () => {
    now = vn('2026-03-11T23:00');
    const citizen = await smsCitizen(app, '+84905601301');
    await app.services.citizens.recordVerification(citizen.id, { outcome: 'verified' });
    const created = await app.services.dataRequests.create(
      {
        agencyId: app.agencyId,
        citizenId: citizen.id,
        purpose: 'Đăng ký thường trú',
        fields: ['fullName', 'dateOfBirth'],
        documentTypes: ['KHAISINH'],
        callbackUrl: null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + 72 * HOUR),
      },
      20,
    );
    if (created.type !== 'created') throw new Error('request not created');

    await app.services.dataRequestEvents.created(created.request);

    const [message, ...more] = await messages(app, citizen.id);
    expect(more).toEqual([]);
    expect(message).toMatchObject({
      key: `datarequest-${created.request.id}`,
      notBefore: vn('2026-03-12T07:00'),
      sendDelayMs: 8 * HOUR,
    });
    expect(message?.text).toBe(
      'UBND-HC xin họ tên, ngày sinh, KHAISINH để Đăng ký thường trú, hạn 23:00 14/03. Trả lời CO để đồng ý, KHONG để từ chối, YC xem chi tiết.',
    );
    expect(
      await app.services.queues.datarequest.getJob(`datarequest-expire-${created.request.id}`),
    ).toMatchObject({
      opts: expect.objectContaining({ delay: 72 * HOUR }),
    });
  });

  it('queues a status change at 10:00 at once', async () => {
    now = vn('2026-03-11T10:00');
    const citizen = await smsCitizen(app, '+84905600002');
    const dossier = await put(app, citizen, 'H17-0002', 'received');

    expect(await noticeJobs(app, dossier.id)).toEqual([
      { id: `notice-${dossier.id}-${now.getTime()}`, delayMs: 0 },
    ]);
    await app.services.dossierNotices.send(dossier.id);
    expect(await messages(app, citizen.id)).toMatchObject([
      { key: `dossier-${dossier.id}-1`, notBefore: null, sendDelayMs: 0 },
    ]);
  });

  it('collapses changes at 10:00, 10:03 and 10:07 into a message at 10:00 and one at 10:10; 10:25 goes at once', async () => {
    const citizen = await smsCitizen(app, '+84905600003');
    now = vn('2026-03-12T10:00');
    const dossier = await put(app, citizen, 'H17-0003', 'received');
    await app.services.dossierNotices.send(dossier.id);

    now = vn('2026-03-12T10:03');
    await put(app, citizen, 'H17-0003', 'processing');
    now = vn('2026-03-12T10:07');
    await put(app, citizen, 'H17-0003', 'needs_more_info', 'Mang bản sao CCCD của cha mẹ.');

    expect(await noticeJobs(app, dossier.id)).toEqual([
      { id: `notice-${dossier.id}-${vn('2026-03-12T10:00').getTime()}`, delayMs: 0 },
      { id: `notice-${dossier.id}-${vn('2026-03-12T10:10').getTime()}`, delayMs: 7 * MINUTE },
    ]);
    expect(await messages(app, citizen.id)).toHaveLength(1);

    now = vn('2026-03-12T10:10');
    await app.services.dossierNotices.send(dossier.id);
    const second = (await messages(app, citizen.id))[1];
    expect(second).toMatchObject({ key: `dossier-${dossier.id}-3`, notBefore: null, sendDelayMs: 0 });
    expect(second?.text).toBe(
      'Hồ sơ Đăng ký khai sinh: cần bổ sung. Trước đó: đang xử lý. Hẹn trả 20/03/2026. ' +
        'Ghi chú: Mang bản sao CCCD của cha mẹ. Gửi TT H17-0003 để xem chi tiết.',
    );

    now = vn('2026-03-12T10:25');
    await put(app, citizen, 'H17-0003', 'completed');
    expect((await noticeJobs(app, dossier.id)).at(-1)).toEqual({
      id: `notice-${dossier.id}-${now.getTime()}`,
      delayMs: 0,
    });
    await app.services.dossierNotices.send(dossier.id);
    const all = await messages(app, citizen.id);
    expect(all.map((m) => m.key)).toEqual([
      `dossier-${dossier.id}-1`,
      `dossier-${dossier.id}-3`,
      `dossier-${dossier.id}-4`,
    ]);
    expect(all[2]?.text).toBe('Hồ sơ Đăng ký khai sinh: đã có kết quả. Gửi TT H17-0003 để xem chi tiết.');
  });

  it('never sends twice: a repeated PUT plans nothing and a re-run job stores nothing new', async () => {
    const citizen = await smsCitizen(app, '+84905600004');
    now = vn('2026-03-13T10:00');
    const dossier = await put(app, citizen, 'H17-0004', 'received');
    await app.services.dossierNotices.send(dossier.id);
    await app.services.dossierNotices.send(dossier.id);
    await put(app, citizen, 'H17-0004', 'received');
    now = vn('2026-03-13T10:30');
    await app.services.dossierNotices.send(dossier.id);

    expect(await noticeJobs(app, dossier.id)).toHaveLength(1);
    expect(await messages(app, citizen.id)).toHaveLength(1);
  });

  it('re-queues a notice whose job was lost once it is more than 2 minutes overdue', async () => {
    const citizen = await smsCitizen(app, '+84905600005');
    now = vn('2026-03-14T10:00');
    const dossier = await put(app, citizen, 'H17-0005', 'received');
    await app.services.dossierNotices.send(dossier.id);
    now = vn('2026-03-14T10:05');
    await put(app, citizen, 'H17-0005', 'processing');
    const [, lost] = await noticeJobs(app, dossier.id);
    await app.services.queues.notice.remove(lost?.id ?? '');

    now = vn('2026-03-14T10:11');
    expect(await app.services.dossierNotices.requeueLost(2 * MINUTE)).toBe(0);
    now = new Date(vn('2026-03-14T10:12').getTime() + 30_000);
    expect(await app.services.dossierNotices.requeueLost(2 * MINUTE)).toBe(1);
    expect((await noticeJobs(app, dossier.id)).at(-1)).toEqual({ id: lost?.id, delayMs: 0 });
    await app.services.dossierNotices.send(dossier.id);
    expect((await messages(app, citizen.id)).map((m) => m.key)).toEqual([
      `dossier-${dossier.id}-1`,
      `dossier-${dossier.id}-2`,
    ]);
  });

  it('gives an opted-out citizen (STOP on SMS, no other identity) nothing, and a closed account nothing', async () => {
    now = vn('2026-03-15T10:00');
    const stopped = await smsCitizen(app, '+84905600006');
    await app.services.contacts.setOptedOut('twilio-sms', '+84905600006', true, now);
    const dossier = await put(app, stopped, 'H17-0006', 'received');
    await app.services.dossierNotices.send(dossier.id);
    await app.services.notify(stopped, 'direct-to-stopped', () => ({ text: 'x' }), { urgent: true });

    const closed = await smsCitizen(app, '+84905600007');
    const closing = {
      at: now,
      purgeAfter: vn('2026-04-15T10:00'),
      reason: 'requested',
      channel: 'twilio-sms',
    } as const;
    const closedNow = await app.services.citizens.close(closed.id, closing);
    await app.services.notify(closedNow ?? closed, 'direct-to-closed', () => ({ text: 'x' }), {
      urgent: true,
    });

    expect(await messages(app, stopped.id)).toEqual([]);
    expect(await messages(app, closed.id)).toEqual([]);
  });

  it('stores a share-view notice at 22:45 now, sends it at 07:00, and maintenance does not send it early', async () => {
    now = vn('2026-03-16T22:45');
    const citizen = await smsCitizen(app, '+84905600008');
    const { documents, shares, shareNotices } = app.services;
    const issued = await documents.issue({
      id: randomUUID(),
      citizenId: citizen.id,
      agencyId: app.agencyId,
      typeCode: 'KHAISINH',
      title: 'Giấy khai sinh',
      number: `KS-${randomUUID()}`,
      issuedAt: '2026-03-01',
      expiresAt: null,
      contentType: 'application/pdf',
      sizeBytes: 10,
      sha256: '0'.repeat(64),
      fileKey: 'unused',
      signature: 'unused',
      signingKeyId: 'unused',
    });
    const share = await shares.create({
      citizenId: citizen.id,
      kind: 'document',
      documentId: issued.document.id,
      tokenHash: randomUUID(),
      expiresAt: vn('2026-03-23T22:45'),
      maxViews: null,
      createdByRef: randomUUID(),
      at: now,
    });
    const view = { at: now, ipHash: 'ip', userAgentClass: 'mobile', place: 'Đà Nẵng' } as const;
    expect((await shares.recordView(share.id, view)).notifyOwner).toBe(true);
    await shareNotices.shareViewed(share, view);
    await shareNotices.shareViewed(share, { ...view, at: vn('2026-03-16T22:50') });

    const [message, ...more] = await messages(app, citizen.id);
    expect(more).toEqual([]);
    expect(message).toMatchObject({
      key: `share-view-${share.id}-${Math.floor(now.getTime() / HOUR)}`,
      notBefore: vn('2026-03-17T07:00'),
      sendDelayMs: 8.25 * HOUR,
      text: 'Liên kết chia sẻ "Giấy khai sinh" vừa được mở lúc 22:45 16/03 (Đà Nẵng, điện thoại). Gửi LS để xem lượt xem, THUHOI 1 để thu hồi.',
    });

    // Long since stored (by the database's clock): still not stalled before 07:02 by the service's clock.
    await app.services.db.query(
      `UPDATE outbound_messages SET created_at = now() - interval '1 hour' WHERE id = $1`,
      [message?.id],
    );
    const recipient = recipientOf(app.services.cipher, 'twilio-sms', '+84905600008');
    const stalled = (at: Date) => app.services.outbox.stalledRecipients(2 * MINUTE, 500, at);
    expect(await stalled(vn('2026-03-16T23:30'))).not.toContainEqual(recipient);
    expect(await stalled(vn('2026-03-17T07:01'))).not.toContainEqual(recipient);
    expect(await stalled(vn('2026-03-17T07:03'))).toContainEqual(recipient);
  });

  it('sends a verification result right after registration at 23:00 at once (urgent), a later one at 07:00', async () => {
    const verify = createVerifyJob(verifyJobDeps(app.services));
    const opened = vn('2026-03-17T23:00');
    const fresh = await smsCitizen(app, '+84905600009');
    const later = await smsCitizen(app, '+84905600010');
    await app.services.db.query('UPDATE citizens SET created_at = $2 WHERE id = ANY($1::uuid[])', [
      [fresh.id, later.id],
      opened,
    ]);

    now = vn('2026-03-17T23:01');
    await verify(
      { citizenId: fresh.id, round: 0 },
      { attemptsMade: 0, maxAttempts: 6, defer: neverDeferred },
    );
    now = vn('2026-03-18T01:00');
    await verify(
      { citizenId: later.id, round: 2 },
      { attemptsMade: 0, maxAttempts: 6, defer: neverDeferred },
    );

    expect(await messages(app, fresh.id)).toMatchObject([
      { key: `verify-${fresh.id}-result`, notBefore: null, sendDelayMs: 0 },
    ]);
    expect(await messages(app, later.id)).toMatchObject([
      { key: `verify-${later.id}-result`, notBefore: vn('2026-03-18T07:00'), sendDelayMs: 6 * HOUR },
    ]);
  });
});

describe('notification timing with QUIET_HOURS=off (fake clock, PGlite)', () => {
  let app: App;

  beforeAll(async () => {
    app = await start('off', 'pglite');
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('sends a dossier change at 23:00 at once', async () => {
    expect(app.services.db.kind).toBe('pglite');
    now = vn('2026-03-10T23:00');
    const citizen = await smsCitizen(app, '+84905600011');
    const dossier = await put(app, citizen, 'H17-0011', 'received');

    expect(await noticeJobs(app, dossier.id)).toEqual([
      { id: `notice-${dossier.id}-${now.getTime()}`, delayMs: 0 },
    ]);
    await app.services.dossierNotices.send(dossier.id);
    expect(await messages(app, citizen.id)).toMatchObject([
      { key: `dossier-${dossier.id}-1`, notBefore: null, sendDelayMs: 0 },
    ]);
  });
});
