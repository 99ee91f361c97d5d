import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestRef } from '../../flows/datarequests/data-request-text.ts';
import { signWebhookBody } from '../../src/domain/agencies/webhook-secret.ts';
import { newCitizen } from '../contracts/citizen-repository.contract.ts';
import { telegramCallbackUpdate, telegramContactUpdate } from '../fakes/fake-telegram-server.ts';
import { AppHarness, TELEGRAM_WEBHOOK_SECRET } from '../support/app-harness.ts';
import { multipart } from '../support/multipart.ts';
import { eventually, freePort } from '../support/services.ts';

// An agency asks a citizen for data and papers through the real app; the citizen answers by SMS or a Telegram
// button; the agency reads exactly what was agreed, downloads a signed paper, and hears of every decision on its
// callback, signed with its webhook secret. The service's clock is moved by the test (expiry, 7 days).

const HOUR = 3600_000;
const FIXTURES = new URL('../fixtures/documents/', import.meta.url);

/** A loopback server standing for the agency's callback URL: answers 500 to the first `failFirst` posts. */
async function startCallbackServer(failFirst: number) {
  const received: { body: string; signature: string | undefined; answered: number }[] = [];
  let failures = failFirst;
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answered = failures > 0 ? 500 : 204;
      if (failures > 0) failures -= 1;
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: req.headers['x-signature'] as string | undefined,
        answered,
      });
      res.writeHead(answered).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}/callback`,
    received,
    close: () => new Promise((r) => server.close(r)),
  };
}

describe('data requests: an agency asks, the citizen agrees in the chat, the agency reads', () => {
  let h: AppHarness;
  let now = Date.now();
  let callbacks: Awaited<ReturnType<typeof startCallbackServer>>;
  let agency: { id: string; apiKey: string; webhookSecret: string };
  let other: { apiKey: string };
  let pdf: Buffer;
  let n = 0;
  let updateId = 90_000;

  const agencyCall = (key: string, method: 'GET' | 'POST', url: string, body?: unknown) =>
    h.app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  const ask = (body: Record<string, unknown>, key = agency.apiKey) =>
    agencyCall(key, 'POST', '/api/v1/agency/data-requests', {
      purpose: 'Đăng ký thường trú',
      fields: ['fullName', 'dateOfBirth'],
      documentTypes: ['KHAISINH'],
      ...body,
    });
  const read = (id: string, key = agency.apiKey) =>
    agencyCall(key, 'GET', `/api/v1/agency/data-requests/${id}`);

  /** Opens a verified account (unless `status` says otherwise) with a birth certificate issued by the agency. */
  async function citizenWithPaper(status: 'verified' | 'provisional' | 'not_matched' = 'verified') {
    n += 1;
    const tail = String(n).padStart(4, '0');
    const input = newCitizen({
      phone: `+8490777${tail}`,
      cccd: `04809077${tail}`,
      accountCode: `DATA${tail}`.replace(/[01]/g, 'Z'),
      fullName: 'Nguyễn Văn An',
    });
    const outcome = await h.services.citizens.create(input);
    if (outcome.type !== 'created') throw new Error(outcome.type);
    if (status === 'verified')
      await h.services.citizens.recordVerification(outcome.citizen.id, { outcome: 'verified' });
    if (status === 'not_matched')
      await h.services.citizens.recordVerification(outcome.citizen.id, {
        outcome: 'not_matched',
        field: 'cccd',
      });
    if (status === 'verified') {
      const { payload, contentType } = multipart([
        { name: 'citizen', value: input.accountCode },
        { name: 'typeCode', value: 'KHAISINH' },
        { name: 'title', value: 'Giấy khai sinh' },
        { name: 'number', value: `KS-${tail}` },
        { name: 'issuedAt', value: '2025-06-01' },
        { name: 'file', filename: 'ks.pdf', type: 'application/pdf', bytes: pdf },
      ]);
      const issued = await h.app.inject({
        method: 'POST',
        url: '/api/v1/agency/documents',
        headers: { authorization: `Bearer ${agency.apiKey}`, 'content-type': contentType },
        payload,
      });
      expect(issued.statusCode).toBe(201);
    }
    return { ...outcome.citizen, cccd: input.cccd, accountCode: input.accountCode };
  }

  beforeAll(async () => {
    pdf = await readFile(new URL('paper.pdf', FIXTURES));
    callbacks = await startCallbackServer(1);
    h = await AppHarness.start({ channels: ['telegram'], clock: () => new Date(now) });
    const created = await h.admin('POST', '/api/v1/admin/agencies', {
      code: 'UBND-HAICHAU',
      name: 'UBND phường Hải Châu',
    });
    agency = created.json();
    other = (
      await h.admin('POST', '/api/v1/admin/agencies', { code: 'UBND-KHAC', name: 'UBND phường Khác' })
    ).json();
  });
  afterAll(async () => {
    await h?.stop();
    await callbacks?.close();
  });

  it('asks only verified accounts: pending or not matched is 409 CITIZEN_NOT_VERIFIED with the status', async () => {
    for (const status of ['provisional', 'not_matched'] as const) {
      const citizen = await citizenWithPaper(status);
      const response = await ask({ citizen: citizen.accountCode });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toEqual({
        error: { code: 'CITIZEN_NOT_VERIFIED', message: expect.any(String), citizenStatus: status },
      });
    }
    expect((await ask({ citizen: 'WXYZ-9999' })).statusCode).toBe(404);
  });

  it('validates the request as documented', async () => {
    const citizen = await citizenWithPaper();
    const refused = async (body: Record<string, unknown>, field: RegExp) => {
      const response = await ask({ citizen: citizen.accountCode, ...body });
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error.message).toMatch(field);
    };
    await refused({ fields: [], documentTypes: [] }, /fields: ask for at least one/);
    await refused({ purpose: 'abc' }, /purpose:/);
    await refused({ purpose: 'x'.repeat(201) }, /purpose:/);
    await refused({ expiresInHours: 0 }, /expiresInHours:/);
    await refused({ expiresInHours: 169 }, /expiresInHours:/);
    await refused({ fields: ['religion'] }, /fields/);
    await refused({ callbackUrl: 'ftp://example.vn/x' }, /callbackUrl:/);
    const ok = await ask({ citizen: citizen.accountCode, documentTypes: [] });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toEqual({
      id: expect.any(String),
      status: 'pending',
      expiresAt: new Date(now + 72 * HOUR).toISOString(),
    });
  });

  it('agrees by SMS: the notice fits one segment, CO answers it, the agency reads exactly the agreed items and a paper that verifies', async () => {
    const citizen = await citizenWithPaper();
    const before = h.inbox(citizen.phone).length;
    const asked = await ask({
      citizen: citizen.cccd,
      fields: ['fullName', 'dateOfBirth'],
      documentTypes: ['KHAISINH', 'KETHON'],
      callbackUrl: callbacks.url,
    });
    expect(asked.statusCode).toBe(201);
    const { id } = asked.json<{ id: string }>();
    const [notice] = (await h.waitForInbox(citizen.phone, before + 1)).slice(before);
    expect(notice).toMatch(
      /^UBND-HAICHAU xin ho ten, ngay sinh, Giay khai sinh, KETHON de Dang ky thuong tru/,
    );
    expect(notice?.length).toBeLessThanOrEqual(160);
    expect((await read(id)).json()).toMatchObject({ status: 'pending', decidedAt: null });
    expect((await read(id)).json().data).toBeUndefined();

    const [agreed] = await h.say(citizen.phone, 'CO');
    expect(agreed).toMatch(/^Da dong y\. UBND-HAICHAU/);

    const response = await read(id);
    expect(response.statusCode).toBe(200);
    const view = response.json();
    expect(view).toMatchObject({
      id,
      status: 'approved',
      fields: ['fullName', 'dateOfBirth'],
      missing: ['KETHON'],
    });
    expect(Object.keys(view.data).sort()).toEqual(['dateOfBirth', 'documents', 'fullName']);
    expect(view.data).toMatchObject({ fullName: 'Nguyễn Văn An', dateOfBirth: '1990-02-15' });
    expect(view.data.documents).toHaveLength(1);
    const [paper] = view.data.documents;
    const file = await h.app.inject({
      method: 'GET',
      url: new URL(paper.downloadUrl).pathname,
      headers: { authorization: `Bearer ${agency.apiKey}` },
    });
    expect(file.statusCode).toBe(200);
    expect(createHash('sha256').update(file.rawPayload).digest('hex')).toBe(paper.sha256);
    const { keys } = (await h.app.inject({ method: 'GET', url: '/.well-known/document-signing-key' })).json();
    const key = createPublicKey({
      key: keys.find((k: { kid: string }) => k.kid === paper.signingKeyId),
      format: 'jwk',
    });
    const record = JSON.stringify({
      v: 1,
      id: paper.id,
      issuer: paper.issuer,
      issuerName: paper.issuerName,
      typeCode: paper.typeCode,
      title: paper.title,
      number: paper.number,
      issuedAt: paper.issuedAt,
      expiresAt: paper.expiresAt,
      contentType: paper.contentType,
      sizeBytes: file.rawPayload.length,
      sha256: createHash('sha256').update(file.rawPayload).digest('hex'),
    });
    expect(verify(null, Buffer.from(record), key, Buffer.from(paper.signature, 'base64url'))).toBe(true);
    // Another agency's key gets 404 for the request and for the file.
    expect((await read(id, other.apiKey)).statusCode).toBe(404);
    expect(
      (
        await h.app.inject({
          method: 'GET',
          url: new URL(paper.downloadUrl).pathname,
          headers: { authorization: `Bearer ${other.apiKey}` },
        })
      ).statusCode,
    ).toBe(404);

    // The callback: refused once with 500, retried, delivered, signed with the agency's secret.
    await eventually(() => callbacks.received.some((c) => c.answered === 204), 20_000);
    const body = JSON.stringify({ id, status: 'approved' });
    expect(callbacks.received.map((c) => [c.body, c.answered])).toEqual([
      [body, 500],
      [body, 204],
    ]);
    for (const c of callbacks.received) expect(c.signature).toBe(signWebhookBody(body, agency.webhookSecret));

    // Every read is in the audit log; the consent names the channel.
    const { rows } = await h.services.db.query<{ action: string; details: Record<string, unknown> }>(
      `SELECT action, details FROM audit_log WHERE citizen_id = $1 AND action LIKE 'data_request_%' ORDER BY id`,
      [citizen.id],
    );
    expect(rows.map((r) => r.action)).toEqual([
      'data_request_created',
      'data_request_approved',
      'data_request_read',
      'data_request_read',
    ]);
    expect(rows[1]?.details).toMatchObject({ channel: 'twilio-sms', fields: ['fullName', 'dateOfBirth'] });

    // The data export (DULIEU) lists the request and the consent: who asked, what, when and how.
    const exported = await h.services.dataExport(citizen.id);
    expect(exported?.dataRequests).toEqual([
      expect.objectContaining({
        id,
        agency: { code: 'UBND-HAICHAU', name: 'UBND phường Hải Châu' },
        purpose: 'Đăng ký thường trú',
        fields: ['fullName', 'dateOfBirth'],
        documentTypes: ['KHAISINH', 'KETHON'],
        status: 'approved',
        answeredVia: 'twilio-sms',
        lastReadAt: expect.any(String),
      }),
    ]);

    // YC LS shows the read; YC THUHOI 1 withdraws, and the next read has no data.
    const [given] = await h.say(citizen.phone, 'YC LS');
    expect(given).toMatch(/1\. UBND-HAICHAU: xem duoc den .*, doc lan cuoi/);
    const [withdrawn] = await h.say(citizen.phone, 'YC THUHOI 1');
    expect(withdrawn).toMatch(/^Da rut lai su dong y/);
    const after = (await read(id)).json();
    expect(after.status).toBe('withdrawn');
    expect(after.data).toBeUndefined();
    expect(
      (
        await h.app.inject({
          method: 'GET',
          url: new URL(paper.downloadUrl).pathname,
          headers: { authorization: `Bearer ${agency.apiKey}` },
        })
      ).statusCode,
    ).toBe(404);
  });

  it('takes a refusal (bare KHONG), and limits an agency to 20 pending requests per citizen', async () => {
    const citizen = await citizenWithPaper();
    const first = (await ask({ citizen: citizen.accountCode })).json<{ id: string }>();
    await h.waitForInbox(citizen.phone, 1);
    const [refused] = await h.say(citizen.phone, 'KHONG');
    expect(refused).toMatch(/^Da tu choi/);
    expect((await read(first.id)).json()).toMatchObject({ status: 'refused' });
    for (let i = 0; i < 20; i += 1)
      expect((await ask({ citizen: citizen.accountCode })).statusCode).toBe(201);
    const over = await ask({ citizen: citizen.accountCode });
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code).toBe('TOO_MANY_PENDING');
    expect((await ask({ citizen: citizen.accountCode }, other.apiKey)).statusCode).toBe(201);
  });

  it('expires an unanswered request by its delayed job when the clock passes its time, and reads stop at 7 days', async () => {
    const citizen = await citizenWithPaper();
    const { id } = (
      await ask({ citizen: citizen.accountCode, expiresInHours: 1, callbackUrl: callbacks.url })
    ).json<{ id: string }>();
    now += 2 * HOUR;
    const job = await h.services.queues.datarequest.getJob(`datarequest-expire-${id}`);
    await job?.promote();
    await eventually(async () => (await h.services.dataRequests.findById(id))?.status === 'expired');
    expect((await read(id)).json()).toMatchObject({ status: 'expired' });
    const expiredBody = JSON.stringify({ id, status: 'expired' });
    await eventually(() => callbacks.received.some((c) => c.body === expiredBody && c.answered === 204));

    const approved = (await ask({ citizen: citizen.accountCode })).json<{ id: string }>();
    await h.waitForInbox(citizen.phone, 2);
    await h.say(citizen.phone, 'CO');
    expect((await read(approved.id)).json().data).toBeDefined();
    now += 7 * 24 * HOUR + 1000;
    const late = (await read(approved.id)).json();
    expect(late.status).toBe('approved');
    expect(late.data).toBeUndefined();
  });

  it('signs callbacks with the new webhook secret once an admin rotates it', async () => {
    const rotated = await h.admin('POST', `/api/v1/admin/agencies/${agency.id}/webhook-secret`);
    expect(rotated.statusCode).toBe(201);
    const { webhookSecret } = rotated.json<{ webhookSecret: string }>();
    expect(webhookSecret).toMatch(/^dcz_whs_[A-Za-z0-9_-]{43}$/);
    expect(webhookSecret).not.toBe(agency.webhookSecret);
    const unknown = await h.admin(
      'POST',
      '/api/v1/admin/agencies/00000000-0000-4000-8000-000000000000/webhook-secret',
    );
    expect(unknown.statusCode).toBe(404);
    const citizen = await citizenWithPaper();
    const before = callbacks.received.length;

    const { id } = (await ask({ citizen: citizen.accountCode, callbackUrl: callbacks.url })).json<{
      id: string;
    }>();
    await h.waitForInbox(citizen.phone, 1);
    await h.say(citizen.phone, 'KHONG');

    const delivered = await eventually(() =>
      callbacks.received.slice(before).find((c) => c.answered === 204),
    );
    const body = JSON.stringify({ id, status: 'refused' });
    expect(delivered).toEqual({ body, signature: signWebhookBody(body, webhookSecret), answered: 204 });
    const { rows } = await h.services.db.query('SELECT webhook_secret_enc FROM agencies WHERE id = $1', [
      agency.id,
    ]);
    expect(JSON.stringify(rows)).not.toContain(webhookSecret);
  });

  it('agrees from a Telegram button on the notice', async () => {
    const citizen = await citizenWithPaper();
    const chat = 777_001;
    const telegram = h.fakes.telegram;
    if (!telegram) throw new Error('no telegram');
    const post = (update: object) =>
      h.postJson('/webhooks/telegram', JSON.stringify(update), {
        'x-telegram-bot-api-secret-token': TELEGRAM_WEBHOOK_SECRET,
      });
    const sent = () => telegram.sent.filter((m) => m.chatId === String(chat));
    updateId += 1;
    await post(telegramContactUpdate(updateId, chat, citizen.phone.slice(1), chat));
    await eventually(() => sent().length >= 1);

    const { id } = (await ask({ citizen: citizen.accountCode })).json<{ id: string }>();
    const notice = await eventually(() => sent().find((m) => m.text.includes('Đăng ký thường trú')));
    expect(JSON.stringify(notice.replyMarkup)).toContain(`YC CO ${requestRef(id)}`);
    updateId += 1;
    await post(telegramCallbackUpdate(updateId, chat, `YC CO ${requestRef(id)}`));
    await eventually(async () => (await h.services.dataRequests.findById(id))?.status === 'approved');
    expect(await h.services.dataRequests.findById(id)).toMatchObject({ decidedVia: 'telegram' });
  });
});
