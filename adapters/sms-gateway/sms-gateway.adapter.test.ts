import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type OutboundMessage,
  renderSmsText,
  type WebhookEvent,
  type WebhookRequest,
  type WebhookRoute,
} from '../../src/messaging/index.ts';
import { AppError, SendFailedError, WebhookRejectedError } from '../../src/shared/errors.ts';
import {
  type FakeSmsGateway,
  type SignedWebhook,
  type SmsGatewayInboundFields,
  smsGatewayInbound,
  smsGatewayStatus,
  startFakeSmsGateway,
} from '../../test/fakes/fake-sms-gateway-server.ts';
import { expectCutAtWord, longReplyText, renderedSegments } from '../../test/support/long-sms.ts';
import { createSmsGatewayAdapter, type SmsGatewayAdapterOptions } from './sms-gateway.adapter.ts';
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from './sms-gateway.errors.ts';
import { signSmsGatewayBody } from './sms-gateway.signature.ts';
import { SMS_GATEWAY_INBOUND_PATH, SMS_GATEWAY_STATUS_PATH } from './sms-gateway.webhooks.ts';

const SECRET = 'k7Qp2vX9mL4tR8wZ1nB6cF3hJ5sD0gYe';
const OTHER_SECRET = 'Zr4nW8qL2xC6vB0mK9tJ3hF7dS5gP1aE';
const PUBLIC_BASE_URL = 'https://citizen.danang.example';
const CITIZEN = '+84905123678';
const SHORT_CODE = '8079';
const GATEWAY_ID = 'gw-7f3a9c21';

function options(overrides: Partial<SmsGatewayAdapterOptions> = {}): SmsGatewayAdapterOptions {
  return { url: 'http://127.0.0.1:9/unused', secret: SECRET, encoding: 'gsm7', ...overrides };
}

function route(path: string): WebhookRoute {
  const found = createSmsGatewayAdapter(options()).webhooks.find((r) => r.path === path);
  if (!found) throw new Error(`no route ${path}`);
  return found;
}
const inbound = () => route(SMS_GATEWAY_INBOUND_PATH);
const status = () => route(SMS_GATEWAY_STATUS_PATH);

function sms(overrides: Partial<SmsGatewayInboundFields> = {}): SmsGatewayInboundFields {
  return {
    id: GATEWAY_ID,
    from: '0905123678',
    to: SHORT_CODE,
    text: 'Đăng ký',
    receivedAt: '2026-03-01T09:15:02+07:00',
    ...overrides,
  };
}

/** What the HTTP layer hands the route: the JSON parsed, the raw bytes kept, headers as received. */
function request(
  path: string,
  signed: SignedWebhook,
  overrides: { headers?: Record<string, string | undefined>; rawBody?: Buffer; body?: unknown } = {},
): WebhookRequest {
  const rawBody = overrides.rawBody ?? Buffer.from(signed.body, 'utf8');
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    body = {};
  }
  return {
    url: `${PUBLIC_BASE_URL}${path}`,
    headers: overrides.headers ?? { ...signed.headers },
    body: 'body' in overrides ? overrides.body : body,
    rawBody,
  };
}

/** A raw body signed with the right secret, whatever it contains. */
function signedRaw(raw: string, secret = SECRET): SignedWebhook {
  return {
    body: raw,
    headers: { 'content-type': 'application/json', 'x-signature': signSmsGatewayBody(raw, secret) },
  };
}

function rejection(handle: () => unknown): WebhookRejectedError {
  try {
    handle();
  } catch (error) {
    if (error instanceof WebhookRejectedError) return error;
    throw error;
  }
  throw new Error('expected the webhook to be rejected');
}

describe('X-Signature', () => {
  it('is sha256= and the hex HMAC-SHA256 of the exact body bytes (the worked example of the docs)', () => {
    const body =
      '{"id":"gw-7f3a9c21","from":"0905123678","to":"8079","text":"DK","receivedAt":"2026-03-01T09:15:02+07:00"}';
    const expected = 'sha256=40bd9d34e0c75e37a122ab5ab5558ffd9a68d55e82bba5d2d8880058ad6e76da';
    expect(signSmsGatewayBody(body, SECRET)).toBe(expected);
    expect(signSmsGatewayBody(Buffer.from(body, 'utf8'), SECRET)).toBe(expected);
    const report =
      '{"id":"gw_5d0c3b8e1f2a4c6d7e9f0a1b","status":"delivered","at":"2026-03-01T09:16:40+07:00"}';
    expect(signSmsGatewayBody(report, SECRET)).toBe(
      'sha256=8f9d6cdbe7c5d46d77d35a41f75003d72085b440d5ffb788547feaaff07adb75',
    );
  });

  it('signs the outbound example of the docs, with its escaped newlines, to the documented value', () => {
    const body = JSON.stringify({
      to: CITIZEN,
      text: 'Chao ban! Ban muon lam gi?\n1 Dang ky tai khoan\n2 Tra cuu ho so',
      clientRef: 'out_01HZX3K9Q2',
    });
    expect(signSmsGatewayBody(body, SECRET)).toBe(
      'sha256=509742f947044c588133bcadb1e5c8d44863769c50ea25aea477f3804667930e',
    );
  });

  it('signs a string as its UTF-8 bytes, so Vietnamese text gives the same header either way', () => {
    const body = '{"text":"Đăng ký"}';
    expect(signSmsGatewayBody(body, SECRET)).toBe(signSmsGatewayBody(Buffer.from(body, 'utf8'), SECRET));
  });
});

describe('inbound SMS webhook', () => {
  it('turns a signed gateway SMS into an inbound message with E.164 sender and UTC time, signed at receivedAt', () => {
    expect(inbound().handle(request(SMS_GATEWAY_INBOUND_PATH, smsGatewayInbound(SECRET, sms())))).toEqual({
      type: 'message',
      message: {
        channel: 'sms-gateway',
        providerMessageId: GATEWAY_ID,
        from: CITIZEN,
        to: SHORT_CODE,
        text: 'Đăng ký',
        receivedAt: '2026-03-01T02:15:02.000Z',
        signedAt: '2026-03-01T02:15:02.000Z',
      },
    });
  });

  it('is mounted as a JSON route answering {"ok":true}', () => {
    expect(inbound().bodyType).toBe('json');
    expect(inbound().ack).toEqual({ contentType: 'application/json', body: '{"ok":true}' });
    expect(JSON.parse(inbound().ack.body)).toEqual({ ok: true });
  });

  it.each([
    ['0905123678', '+84905123678'],
    ['84905123678', '+84905123678'],
    ['+84905123678', '+84905123678'],
    ['+84 0905 123 678', '+84905123678'],
    ['0363822123', '+84363822123'],
    ['02363822123', '+842363822123'],
  ])('normalises the Vietnamese sender %s to %s', (from, e164) => {
    const event = inbound().handle(
      request(SMS_GATEWAY_INBOUND_PATH, smsGatewayInbound(SECRET, sms({ from }))),
    );
    expect(event.type === 'message' && event.message.from).toBe(e164);
  });

  it('accepts a UTC receivedAt, an empty text and a numeric id, and ignores unknown fields', () => {
    const raw = JSON.stringify({
      id: 918273645,
      from: '84905123678',
      to: SHORT_CODE,
      text: '',
      receivedAt: '2026-03-01T02:15:02Z',
      operator: 'viettel',
    });
    const event = inbound().handle(request(SMS_GATEWAY_INBOUND_PATH, signedRaw(raw)));
    expect(event).toMatchObject({
      type: 'message',
      message: { providerMessageId: '918273645', text: '', receivedAt: '2026-03-01T02:15:02.000Z' },
    });
  });

  it('accepts the header name in any case and the hex digits in upper case', () => {
    const signed = smsGatewayInbound(SECRET, sms());
    const header = signed.headers['x-signature'] ?? '';
    const req = request(SMS_GATEWAY_INBOUND_PATH, signed, {
      headers: {
        'Content-Type': 'application/json',
        'X-Signature': `sha256=${header.slice(7).toUpperCase()}`,
      },
    });
    expect(inbound().handle(req).type).toBe('message');
  });

  it('reads the signed raw bytes, never a body parsed by someone else', () => {
    const signed = smsGatewayInbound(SECRET, sms({ text: 'DK' }));
    const req = request(SMS_GATEWAY_INBOUND_PATH, signed, {
      body: { ...JSON.parse(signed.body), text: 'HUY' },
    });
    const event = inbound().handle(req);
    expect(event.type === 'message' && event.message.text).toBe('DK');
  });

  it('rejects a signature made with another secret with 403', () => {
    const error = rejection(() =>
      inbound().handle(request(SMS_GATEWAY_INBOUND_PATH, smsGatewayInbound(OTHER_SECRET, sms()))),
    );
    expect(error).toMatchObject({ status: 403, code: 'SMS_GATEWAY_SIGNATURE_INVALID' });
  });

  it('rejects a malformed signature header with 403: bare hex, another algorithm, garbage', () => {
    const signed = smsGatewayInbound(SECRET, sms());
    const hex = (signed.headers['x-signature'] ?? '').slice('sha256='.length);
    for (const value of [hex, `sha1=${hex}`, 'sha256=', 'sha256=zz', `sha256=${hex}00`]) {
      const req = request(SMS_GATEWAY_INBOUND_PATH, signed, {
        headers: { 'content-type': 'application/json', 'x-signature': value },
      });
      expect(rejection(() => inbound().handle(req)).status).toBe(403);
    }
  });

  it('rejects a body changed after signing with 403', () => {
    const signed = smsGatewayInbound(SECRET, sms({ text: 'DK' }));
    const tampered = Buffer.from(signed.body.replace('"DK"', '"HUY"'), 'utf8');
    const error = rejection(() =>
      inbound().handle(request(SMS_GATEWAY_INBOUND_PATH, signed, { rawBody: tampered })),
    );
    expect(error).toMatchObject({ status: 403, code: 'SMS_GATEWAY_SIGNATURE_INVALID' });
  });

  it('rejects a request without X-Signature, or with an empty one, with 403', () => {
    const signed = smsGatewayInbound(SECRET, sms());
    for (const headers of [{ 'content-type': 'application/json' }, { 'x-signature': '' }]) {
      const error = rejection(() => inbound().handle(request(SMS_GATEWAY_INBOUND_PATH, signed, { headers })));
      expect(error).toMatchObject({ status: 403, code: 'SMS_GATEWAY_SIGNATURE_MISSING' });
    }
  });

  it('checks the signature before parsing: unsigned malformed JSON is 403, not 400', () => {
    const req = request(SMS_GATEWAY_INBOUND_PATH, signedRaw('{"id":', OTHER_SECRET));
    expect(rejection(() => inbound().handle(req)).status).toBe(403);
  });

  it('rejects correctly signed malformed JSON with 400', () => {
    for (const raw of ['{"id":', '', 'not json']) {
      const error = rejection(() => inbound().handle(request(SMS_GATEWAY_INBOUND_PATH, signedRaw(raw))));
      expect(error).toMatchObject({ status: 400, code: 'SMS_GATEWAY_BAD_JSON' });
    }
  });

  it('rejects a signed body with missing or mistyped fields with 400, naming the fields', () => {
    const { receivedAt: _omitted, ...noTime } = sms();
    const error = rejection(() =>
      inbound().handle(request(SMS_GATEWAY_INBOUND_PATH, signedRaw(JSON.stringify({ ...noTime, text: 7 })))),
    );
    expect(error).toMatchObject({ status: 400, code: 'SMS_GATEWAY_BAD_BODY' });
    expect(error.message).toContain('receivedAt');
    expect(error.message).toContain('text');
    for (const raw of ['[]', 'null', '"DK"']) {
      expect(
        rejection(() => inbound().handle(request(SMS_GATEWAY_INBOUND_PATH, signedRaw(raw)))).status,
      ).toBe(400);
    }
  });

  it.each(['2026-03-01T09:15:02', '2026-03-01 09:15:02+07:00', '2026-02-30T09:15:02Z', '01/03/2026 09:15'])(
    'rejects receivedAt %s (not ISO 8601 with an offset) with 400',
    (receivedAt) => {
      const signed = smsGatewayInbound(SECRET, sms({ receivedAt }));
      expect(rejection(() => inbound().handle(request(SMS_GATEWAY_INBOUND_PATH, signed))).status).toBe(400);
    },
  );

  it.each(['12345', '0123456789', '+84 905 ABC 678', '905123678'])(
    'rejects the sender %s, which is not a phone number, with 400',
    (from) => {
      const signed = smsGatewayInbound(SECRET, sms({ from }));
      const error = rejection(() => inbound().handle(request(SMS_GATEWAY_INBOUND_PATH, signed)));
      expect(error).toMatchObject({ status: 400, code: 'SMS_GATEWAY_BAD_PHONE' });
      expect(error.message).not.toContain(from);
    },
  );

  it('never quotes the message text or the phone number in a rejection', () => {
    const text = 'CCCD 048090001234';
    const signed = smsGatewayInbound(SECRET, sms({ from: '0905123678x', text }));
    const errors = [
      rejection(() => inbound().handle(request(SMS_GATEWAY_INBOUND_PATH, signed))),
      rejection(() =>
        inbound().handle(
          request(SMS_GATEWAY_INBOUND_PATH, signedRaw(JSON.stringify({ ...sms({ text }), to: 5 }))),
        ),
      ),
    ];
    for (const error of errors) {
      expect(error.message).not.toContain('048090001234');
      expect(error.message).not.toContain('0905123678');
    }
  });
});

describe('delivery report webhook', () => {
  it.each(['queued', 'sent', 'delivered', 'undelivered', 'failed'] as const)(
    'turns status %s into the same delivery state',
    (reported) => {
      const signed = smsGatewayStatus(SECRET, { id: GATEWAY_ID, status: reported });
      expect(status().handle(request(SMS_GATEWAY_STATUS_PATH, signed))).toEqual({
        type: 'delivery',
        report: { providerMessageId: GATEWAY_ID, status: reported },
      });
    },
  );

  it('keeps the error code of an undelivered message, given as a string or a number, and reads `at`', () => {
    const signed = smsGatewayStatus(SECRET, {
      id: GATEWAY_ID,
      status: 'undelivered',
      errorCode: 'EXPIRED',
      at: '2026-03-01T09:16:40+07:00',
    });
    expect(status().handle(request(SMS_GATEWAY_STATUS_PATH, signed))).toEqual({
      type: 'delivery',
      report: { providerMessageId: GATEWAY_ID, status: 'undelivered', errorCode: 'EXPIRED' },
    });
    const numeric = signedRaw(JSON.stringify({ id: GATEWAY_ID, status: 'failed', errorCode: 34, at: null }));
    expect(status().handle(request(SMS_GATEWAY_STATUS_PATH, numeric))).toEqual({
      type: 'delivery',
      report: { providerMessageId: GATEWAY_ID, status: 'failed', errorCode: '34' },
    });
    const blank = signedRaw(JSON.stringify({ id: GATEWAY_ID, status: 'delivered', errorCode: ' ' }));
    expect(status().handle(request(SMS_GATEWAY_STATUS_PATH, blank))).toEqual({
      type: 'delivery',
      report: { providerMessageId: GATEWAY_ID, status: 'delivered' },
    });
  });

  it('is mounted as a JSON route answering {"ok":true}', () => {
    expect(status().bodyType).toBe('json');
    expect(status().ack).toEqual({ contentType: 'application/json', body: '{"ok":true}' });
  });

  it('rejects unsigned, forged and tampered reports with 403', () => {
    const signed = smsGatewayStatus(SECRET, { id: GATEWAY_ID, status: 'delivered' });
    const headers = { 'content-type': 'application/json' };
    expect(
      rejection(() => status().handle(request(SMS_GATEWAY_STATUS_PATH, signed, { headers }))).status,
    ).toBe(403);
    const forged = smsGatewayStatus(OTHER_SECRET, { id: GATEWAY_ID, status: 'delivered' });
    expect(rejection(() => status().handle(request(SMS_GATEWAY_STATUS_PATH, forged))).status).toBe(403);
    const tampered = Buffer.from(signed.body.replace('delivered', 'failed'));
    expect(
      rejection(() => status().handle(request(SMS_GATEWAY_STATUS_PATH, signed, { rawBody: tampered })))
        .status,
    ).toBe(403);
  });

  it('rejects a signed report with an unknown status, no id or malformed JSON with 400', () => {
    for (const raw of [
      JSON.stringify({ id: GATEWAY_ID, status: 'expired' }),
      JSON.stringify({ id: GATEWAY_ID, status: 'pending' }),
      JSON.stringify({ status: 'delivered' }),
      JSON.stringify({ id: '', status: 'delivered' }),
      JSON.stringify({ id: GATEWAY_ID, status: 'delivered', at: 'yesterday' }),
      '{"id":"gw-1","status":',
    ]) {
      expect(rejection(() => status().handle(request(SMS_GATEWAY_STATUS_PATH, signedRaw(raw)))).status).toBe(
        400,
      );
    }
  });
});

describe('webhooks over HTTP', () => {
  let app: Server | undefined;
  afterEach(async () => {
    const server = app;
    app = undefined;
    if (server) await new Promise((resolve) => server.close(resolve));
  });

  it('accept what the fake gateway helpers build, POSTed as they are', async () => {
    const adapter = createSmsGatewayAdapter(options());
    const events: WebhookEvent[] = [];
    // A minimal stand-in for the HTTP layer: raw bytes kept, JSON parsed, the route's ack or status answered.
    app = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks);
        const webhook = adapter.webhooks.find((r) => r.path === req.url);
        if (!webhook) return void res.writeHead(404).end();
        try {
          const headers = req.headers as Record<string, string | undefined>;
          events.push(webhook.handle({ url: `${PUBLIC_BASE_URL}${req.url}`, headers, body: {}, rawBody }));
          res.writeHead(200, { 'content-type': webhook.ack.contentType }).end(webhook.ack.body);
        } catch (error) {
          res.writeHead(error instanceof WebhookRejectedError ? error.status : 500).end();
        }
      });
    });
    await new Promise<void>((resolve) => app?.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;

    const post = async (path: string, signed: SignedWebhook) => {
      const response = await fetch(`${base}${path}`, { method: 'POST', ...signed });
      return { status: response.status, body: await response.text() };
    };
    expect(await post(SMS_GATEWAY_INBOUND_PATH, smsGatewayInbound(SECRET, sms()))).toEqual({
      status: 200,
      body: '{"ok":true}',
    });
    expect(
      await post(SMS_GATEWAY_STATUS_PATH, smsGatewayStatus(SECRET, { id: GATEWAY_ID, status: 'sent' })),
    ).toEqual({ status: 200, body: '{"ok":true}' });
    expect((await post(SMS_GATEWAY_INBOUND_PATH, smsGatewayInbound(OTHER_SECRET, sms()))).status).toBe(403);
    expect(events.map((e) => e.type)).toEqual(['message', 'delivery']);
  });
});

describe('sending', () => {
  let fake: FakeSmsGateway;
  beforeEach(async () => {
    fake = await startFakeSmsGateway({ secret: SECRET });
  });
  afterEach(async () => {
    await fake.close();
  });

  const outbound = (
    text: string,
    choices?: { label: string; payload: string }[],
    clientRef = 'out_01',
  ): OutboundMessage => ({
    channel: 'sms-gateway',
    to: CITIZEN,
    reply: choices ? { text, choices } : { text },
    language: 'vi',
    clientRef,
  });
  // An SMS reply names the numbers to answer with in its text; its choices are the messengers' buttons.
  const menu = outbound('Chào bạn! Bạn muốn làm gì?\n1 Đăng ký tài khoản\n2 Tra cứu hồ sơ', [
    { label: 'Đăng ký tài khoản', payload: 'register' },
    { label: 'Tra cứu hồ sơ', payload: 'status' },
  ]);

  it('posts signed JSON { to, text, clientRef } that the gateway verifies, and returns its id', async () => {
    const adapter = createSmsGatewayAdapter(options({ url: fake.url }));
    const receipt = await adapter.send(menu);
    const [sent] = await fake.waitForMessages(1);
    expect(sent).toMatchObject({ to: CITIZEN, clientRef: 'out_01', signatureValid: true });
    expect(fake.requests).toMatchObject([{ signatureValid: true, status: 201, clientRef: 'out_01' }]);
    expect(receipt).toEqual({ providerMessageId: sent?.id, segments: 1 });
  });

  it('sends the numbered menu unaccented in gsm7 mode, in one segment, without adding the choices', async () => {
    const adapter = createSmsGatewayAdapter(options({ url: fake.url }));
    const receipt = await adapter.send(menu);
    expect(fake.messages[0]?.text).toBe('Chao ban! Ban muon lam gi?\n1 Dang ky tai khoan\n2 Tra cuu ho so');
    expect(receipt.segments).toBe(1);
  });

  it('keeps diacritics in unicode mode and counts UCS-2 segments', async () => {
    const adapter = createSmsGatewayAdapter(options({ url: fake.url, encoding: 'unicode' }));
    await adapter.send(menu);
    expect(fake.messages[0]?.text).toBe('Chào bạn! Bạn muốn làm gì?\n1 Đăng ký tài khoản\n2 Tra cứu hồ sơ');
    const long = await adapter.send(
      outbound(
        'Hồ sơ của bạn đã được tiếp nhận và đang chờ xác minh với cơ sở dữ liệu.',
        undefined,
        'out_02',
      ),
    );
    expect(long.segments).toBe(2);
  });

  describe('a reply longer than the contract allows (10 parts)', () => {
    const logged: [string, unknown][] = [];
    const log = (event: string, details: unknown) => logged.push([event, details]);
    beforeEach(() => {
      logged.length = 0;
    });

    it.each(['gsm7', 'unicode'] as const)(
      'is cut to 10 segments at a word with "..." in %s mode and logged without its text',
      async (encoding) => {
        const text = longReplyText(5000);
        const adapter = createSmsGatewayAdapter(options({ url: fake.url, encoding, log }));

        const receipt = await adapter.send(outbound(text));

        const [sent] = await fake.waitForMessages(1);
        expectCutAtWord(sent?.text, text, encoding);
        expect(receipt.segments).toBe(10);
        expect(logged).toEqual([
          [
            'sms-gateway.body_cut',
            { clientRef: 'out_01', segments: renderedSegments(text, encoding), cutTo: 10 },
          ],
        ]);
        expect(JSON.stringify(logged)).not.toMatch(/Giay|Giấy/u);
      },
    );

    it.each([
      ['gsm7', 1530],
      ['unicode', 670],
    ] as const)(
      'is sent whole at exactly 10 segments in %s mode (%i characters)',
      async (encoding, length) => {
        const text = longReplyText(length);
        const adapter = createSmsGatewayAdapter(options({ url: fake.url, encoding, log }));

        const receipt = await adapter.send(outbound(text));

        expect(fake.messages[0]?.text).toBe(renderSmsText({ text }, encoding));
        expect(receipt.segments).toBe(10);
        expect(logged).toEqual([]);
        await adapter.send(outbound(`${text} x`, undefined, 'out_02'));
        expect(fake.messages[1]?.text).toMatch(/\.\.\.$/u);
        expect(logged).toHaveLength(1);
      },
    );
  });

  it('sends a recipient written in a Vietnamese national form as E.164', async () => {
    const adapter = createSmsGatewayAdapter(options({ url: fake.url }));
    await adapter.send({ ...outbound('Xin chao'), to: '0905123678' });
    expect(fake.messages[0]?.to).toBe(CITIZEN);
  });

  it('is idempotent on clientRef: a repeated send gets the same id and the gateway sends one SMS', async () => {
    const adapter = createSmsGatewayAdapter(options({ url: fake.url }));
    const first = await adapter.send(outbound('Xin chao'));
    const again = await adapter.send(outbound('Xin chao'));
    const other = await adapter.send(outbound('Xin chao', undefined, 'out_99'));
    expect(again.providerMessageId).toBe(first.providerMessageId);
    expect(other.providerMessageId).not.toBe(first.providerMessageId);
    expect(fake.messages.map((m) => m.clientRef)).toEqual(['out_01', 'out_99']);
    expect(fake.requests.map((r) => r.status)).toEqual([201, 200, 201]);
  });

  it('lets the queue retry a send that timed out after the gateway took it, without a second SMS', async () => {
    const adapter = createSmsGatewayAdapter(options({ url: fake.url, timeoutMs: 150 }));
    const held = fake.holdNext();
    const timedOut = await sendFailure(adapter, outbound('Xin chao'));
    expect(timedOut).toMatchObject({ retryable: true, code: 'SEND_FAILED_TEMPORARY' });
    expect(timedOut.message).toContain('TIMEOUT');
    await held.arrived;
    held.release();
    await fake.waitForMessages(1);
    const retried = await adapter.send(outbound('Xin chao'));
    expect(retried.providerMessageId).toBe(fake.messages[0]?.id);
    expect(fake.messages).toHaveLength(1);
  });

  async function sendFailure(
    adapter = createSmsGatewayAdapter(options({ url: fake.url })),
    message = outbound('Ma OTP cua ban la 123456'),
  ): Promise<SendFailedError> {
    const error = await adapter.send(message).catch((e: unknown) => e);
    if (!(error instanceof SendFailedError))
      throw new Error(`expected SendFailedError, got ${String(error)}`);
    expect(error.message).not.toContain('905123678');
    expect(error.message).not.toContain('123456');
    expect(JSON.stringify(error.context)).not.toContain('905123678');
    expect(error.cause).toBeUndefined();
    return error;
  }

  it.each([400, 404, 410, 422])(
    'records HTTP %i as a permanent failure with providerCode http:<status>',
    async (code) => {
      fake.failNext(code);
      expect(await sendFailure()).toMatchObject({
        retryable: false,
        providerCode: `http:${code}`,
        code: 'SEND_FAILED_PERMANENT',
      });
      expect(fake.messages).toHaveLength(0);
    },
  );

  it("prefers the gateway's own error code, and never passes on its message", async () => {
    fake.failNext(422, { error: { code: 'INVALID_NUMBER', message: 'Số +84905123678 không hợp lệ' } });
    const error = await sendFailure();
    expect(error).toMatchObject({ retryable: false, providerCode: 'INVALID_NUMBER' });
    fake.failNext(400, { error: { code: 4001 } });
    expect(await sendFailure()).toMatchObject({ providerCode: '4001' });
    fake.failNext(400, { error: { code: 'see +84905123678 please' } });
    expect(await sendFailure()).toMatchObject({ providerCode: 'http:400' });
  });

  it('records a refused signature (wrong secret: 401, or 403) as permanent', async () => {
    const wrongSecret = createSmsGatewayAdapter(options({ url: fake.url, secret: OTHER_SECRET }));
    const error = await sendFailure(wrongSecret);
    expect(error).toMatchObject({ retryable: false, providerCode: 'INVALID_SIGNATURE' });
    expect(error.message).toContain('SMS_GATEWAY_SECRET');
    expect(fake.requests).toMatchObject([{ signatureValid: false, status: 401 }]);
    expect(fake.messages).toHaveLength(0);
    fake.failNext(403, '');
    expect(await sendFailure()).toMatchObject({ retryable: false, providerCode: 'http:403' });
  });

  it.each([408, 500, 502, 503, 504])('treats HTTP %i as retryable', async (code) => {
    fake.failNext(code, '<html>Bad Gateway</html>');
    expect(await sendFailure()).toMatchObject({
      retryable: true,
      providerCode: `http:${code}`,
      code: 'SEND_FAILED_TEMPORARY',
      retryAfterMs: undefined,
    });
  });

  it('treats 429 as retryable, waiting as long as Retry-After says when it is given', async () => {
    fake.failNext(429, { error: { code: 'RATE_LIMITED' } }, { 'retry-after': '7' });
    expect(await sendFailure()).toMatchObject({
      retryable: true,
      providerCode: 'RATE_LIMITED',
      retryAfterMs: 7000,
    });
    fake.failNext(429);
    expect(await sendFailure()).toMatchObject({
      retryable: true,
      providerCode: 'http:429',
      retryAfterMs: undefined,
    });
    expect(fake.requests).toHaveLength(2);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-03-01T02:15:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 02:15:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 02:14:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('waits at most a day, whatever Retry-After asks (counterexamples of the property test)', () => {
    const now = Date.UTC(2026, 2, 1, 2, 15);
    expect(parseRetryAfter('Mon, 02 Mar 2026 02:15:01 GMT', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('9'.repeat(400), now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('86400', now)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('treats a timeout, a dropped connection and a refused connection as retryable', async () => {
    const held = fake.holdNext();
    const timedOut = await sendFailure(createSmsGatewayAdapter(options({ url: fake.url, timeoutMs: 150 })));
    expect(timedOut).toMatchObject({ retryable: true, providerCode: undefined });
    expect(timedOut.message).toContain('TIMEOUT');
    await held.arrived;
    held.release();

    fake.dropNext();
    expect((await sendFailure()).retryable).toBe(true);

    const closed = await startFakeSmsGateway({ secret: SECRET });
    await closed.close();
    const refused = await sendFailure(createSmsGatewayAdapter(options({ url: closed.url })));
    expect(refused.retryable).toBe(true);
    expect(refused.message).toContain('ECONNREFUSED');
  });

  it('accepts 200 and 202 answers with an id, numeric ids included', async () => {
    fake.failNext(200, { id: 'gw-accepted-200' });
    expect(
      (await createSmsGatewayAdapter(options({ url: fake.url })).send(outbound('Xin chao')))
        .providerMessageId,
    ).toBe('gw-accepted-200');
    fake.failNext(202, { id: 5550001, status: 'queued' });
    expect(
      (await createSmsGatewayAdapter(options({ url: fake.url })).send(outbound('Xin chao')))
        .providerMessageId,
    ).toBe('5550001');
  });

  it('records an acceptance without an id as permanent, saying the SMS may have been sent', async () => {
    for (const [code, body] of [
      [200, {}],
      [201, 'OK'],
      [202, { id: '' }],
      [204, ''],
    ] as const) {
      fake.failNext(code, body);
      const error = await sendFailure();
      expect(error).toMatchObject({ retryable: false, code: 'SEND_FAILED_PERMANENT' });
      expect(error.message).toContain('may have been sent');
    }
  });

  it('does not follow a redirect with the signed body: permanent, pointing at SMS_GATEWAY_URL', async () => {
    fake.failNext(307, '', { location: 'https://elsewhere.example/send' });
    const error = await sendFailure();
    expect(error).toMatchObject({ retryable: false, providerCode: 'http:307' });
    expect(error.message).toContain('SMS_GATEWAY_URL');
  });

  it('refuses a recipient that is not a phone number without calling the gateway', async () => {
    const error = await sendFailure(undefined, { ...outbound('Xin chao'), to: '7712345' });
    expect(error.retryable).toBe(false);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('the adapter', () => {
  it('is the sms-gateway channel with its two webhooks and 20 messages a second', () => {
    const adapter = createSmsGatewayAdapter(options());
    expect(adapter.channel).toBe('sms-gateway');
    expect(adapter.webhooks.map((r) => r.path)).toEqual([
      '/webhooks/sms-gateway',
      '/webhooks/sms-gateway/status',
    ]);
    expect(adapter.rateLimits).toEqual({ overall: { limit: 20, intervalMs: 1000 } });
    expect(adapter.listen).toBeUndefined();
  });

  it('refuses a secret shorter than 32 characters, a URL that is not http(s) and a bad timeout', () => {
    for (const bad of [
      { secret: 'short-secret' },
      { url: 'ftp://gateway.example/send' },
      { url: 'not a url' },
      { timeoutMs: 0 },
    ]) {
      expect(() => createSmsGatewayAdapter(options(bad))).toThrow(AppError);
    }
  });
});
