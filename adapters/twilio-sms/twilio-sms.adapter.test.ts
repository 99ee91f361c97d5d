import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type OutboundMessage,
  renderSmsText,
  type WebhookEvent,
  type WebhookRequest,
  type WebhookRoute,
} from '../../src/messaging/index.ts';
import { SendFailedError, WebhookRejectedError } from '../../src/shared/errors.ts';
import { type FakeTwilio, startFakeTwilio } from '../../test/fakes/fake-twilio-server.ts';
import { expectCutAtWord, longReplyText, renderedSegments } from '../../test/support/long-sms.ts';
import { createTwilioSmsAdapter, type TwilioSmsAdapterOptions } from './twilio-sms.adapter.ts';
import { rewriteTwilioUri } from './twilio-sms.client.ts';

const ACCOUNT_SID = 'AC3f2b9c1e4d5a67b8c9d0e1f2a3b4c5d6';
const AUTH_TOKEN = '9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e';
const PUBLIC_BASE_URL = 'https://citizen.danang.example';
const SMS_URL = `${PUBLIC_BASE_URL}/webhooks/twilio/sms`;
const STATUS_URL = `${PUBLIC_BASE_URL}/webhooks/twilio/status`;
const MESSAGE_SID = 'SM1f0e3c2b4a5968778695a4b3c2d1e0f9';
const CITIZEN = '+84905123678';
const OUR_NUMBER = '+14155550100';
const SERVICE_SID = 'MG0a1b2c3d4e5f60718293a4b5c6d7e8f9';

function options(overrides: Partial<TwilioSmsAdapterOptions> = {}): TwilioSmsAdapterOptions {
  return {
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    from: OUR_NUMBER,
    publicBaseUrl: PUBLIC_BASE_URL,
    encoding: 'gsm7',
    ...overrides,
  };
}

/** An inbound SMS webhook exactly as Twilio posts it to a phone number's "A message comes in" URL. */
function inboundParams(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ToCountry: 'US',
    ToState: 'CA',
    SmsMessageSid: MESSAGE_SID,
    NumMedia: '0',
    ToCity: 'SAN FRANCISCO',
    FromZip: '',
    SmsSid: MESSAGE_SID,
    FromState: '',
    SmsStatus: 'received',
    FromCity: '',
    Body: 'Đăng ký',
    FromCountry: 'VN',
    To: OUR_NUMBER,
    ToZip: '94105',
    NumSegments: '1',
    MessageSid: MESSAGE_SID,
    AccountSid: ACCOUNT_SID,
    From: CITIZEN,
    ApiVersion: '2010-04-01',
    ...overrides,
  };
}

function statusParams(status: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    SmsSid: MESSAGE_SID,
    SmsStatus: status,
    MessageStatus: status,
    To: CITIZEN,
    MessageSid: MESSAGE_SID,
    AccountSid: ACCOUNT_SID,
    From: OUR_NUMBER,
    ApiVersion: '2010-04-01',
    ...overrides,
  };
}

function request(
  url: string,
  params: Record<string, string>,
  signature: string | null = twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params),
): WebhookRequest {
  return {
    url,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'i-twilio-idempotency-token': '5d6f7a8b-0000-4000-8000-000000000001',
      ...(signature === null ? {} : { 'x-twilio-signature': signature }),
    },
    body: params,
    rawBody: Buffer.from(new URLSearchParams(params).toString()),
  };
}

function route(path: string): WebhookRoute {
  const found = createTwilioSmsAdapter(options()).webhooks.find((r) => r.path === path);
  if (!found) throw new Error(`no route ${path}`);
  return found;
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

describe('inbound SMS webhook', () => {
  const sms = () => route('/webhooks/twilio/sms');

  it('turns a signed Twilio SMS into an inbound message', () => {
    const event = sms().handle(request(SMS_URL, inboundParams()));
    expect(event).toEqual({
      type: 'message',
      message: {
        channel: 'twilio-sms',
        providerMessageId: MESSAGE_SID,
        from: CITIZEN,
        to: OUR_NUMBER,
        text: 'Đăng ký',
        receivedAt: expect.any(String),
      },
    });
    const received = event.type === 'message' ? event.message.receivedAt : '';
    expect(Date.now() - Date.parse(received)).toBeLessThan(5000);
  });

  it('accepts an empty body (an MMS or a blank SMS)', () => {
    const event = sms().handle(request(SMS_URL, inboundParams({ Body: '' })));
    expect(event.type === 'message' && event.message.text).toBe('');
  });

  it('is mounted as a form route answering empty TwiML, the same as MessagingResponse prints', () => {
    expect(sms().bodyType).toBe('form');
    expect(sms().ack).toEqual({
      contentType: 'text/xml',
      body: '<?xml version="1.0" encoding="UTF-8"?><Response/>',
    });
    expect(sms().ack.body).toBe(new twilio.twiml.MessagingResponse().toString());
  });

  it('validates the signature over every parameter, including ones Twilio adds without notice', () => {
    const params = inboundParams({ OptOutType: 'STOP', Body: 'STOP', AddedLater2027: 'x' });
    const event = sms().handle(request(SMS_URL, params));
    expect(event.type === 'message' && event.message.text).toBe('STOP');
  });

  it('validates a signature over a URL with a query string', () => {
    const url = `${SMS_URL}?tenant=da-nang&x=a%20b`;
    expect(sms().handle(request(url, inboundParams())).type).toBe('message');
  });

  it('reads the raw form body when the HTTP layer did not parse it', () => {
    const params = inboundParams();
    const req = { ...request(SMS_URL, params), body: undefined };
    expect(sms().handle(req).type).toBe('message');
  });

  it('rejects a forged signature with 403', () => {
    const forged = twilio.getExpectedTwilioSignature(
      'another-token-0000000000000000000',
      SMS_URL,
      inboundParams(),
    );
    expect(rejection(() => sms().handle(request(SMS_URL, inboundParams(), forged))).status).toBe(403);
    expect(rejection(() => sms().handle(request(SMS_URL, inboundParams(), 'not-base64!'))).status).toBe(403);
  });

  it('rejects a request without X-Twilio-Signature with 403', () => {
    const error = rejection(() => sms().handle(request(SMS_URL, inboundParams(), null)));
    expect(error.status).toBe(403);
    expect(error.code).toBe('TWILIO_SIGNATURE_MISSING');
  });

  it('rejects a body changed after signing with 403', () => {
    const req = request(SMS_URL, inboundParams());
    const tampered = { ...req, body: { ...(req.body as Record<string, string>), Body: 'HUY' } };
    expect(rejection(() => sms().handle(tampered)).status).toBe(403);
  });

  it('rejects a signature computed over a URL with another host with 403', () => {
    const params = inboundParams();
    const signedElsewhere = twilio.getExpectedTwilioSignature(
      AUTH_TOKEN,
      'https://attacker.example/webhooks/twilio/sms',
      params,
    );
    expect(rejection(() => sms().handle(request(SMS_URL, params, signedElsewhere))).status).toBe(403);
  });

  it('rejects a signed request from another Twilio account with 403', () => {
    const params = inboundParams({ AccountSid: 'AC00000000000000000000000000000000' });
    const error = rejection(() => sms().handle(request(SMS_URL, params)));
    expect(error.status).toBe(403);
    expect(error.code).toBe('TWILIO_ACCOUNT_MISMATCH');
  });

  it('rejects a signed request without MessageSid with 400', () => {
    const { MessageSid: _omitted, ...params } = inboundParams();
    const error = rejection(() => sms().handle(request(SMS_URL, params)));
    expect(error.status).toBe(400);
    expect(error.message).toContain('MessageSid');
  });

  it('rejects a signed request with a malformed MessageSid or no From with 400', () => {
    expect(
      rejection(() => sms().handle(request(SMS_URL, inboundParams({ MessageSid: 'SM123' })))).status,
    ).toBe(400);
    const { From: _omitted, ...params } = inboundParams();
    expect(rejection(() => sms().handle(request(SMS_URL, params))).status).toBe(400);
  });

  it('never quotes the message text or the phone number in a rejection', () => {
    const { To: _omitted, ...params } = inboundParams({ Body: 'CCCD 048090001234' });
    const error = rejection(() => sms().handle(request(SMS_URL, params)));
    expect(error.message).not.toContain('048090001234');
    expect(error.message).not.toContain(CITIZEN);
  });
});

describe('status callback webhook', () => {
  const status = () => route('/webhooks/twilio/status');

  it.each([
    ['accepted', 'queued'],
    ['scheduled', 'queued'],
    ['queued', 'queued'],
    ['sending', 'queued'],
    ['sent', 'sent'],
    ['partially_delivered', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'delivered'],
    ['undelivered', 'undelivered'],
    ['failed', 'failed'],
    ['canceled', 'failed'],
  ])('maps Twilio status %s to %s', (twilioStatus, ours) => {
    const event = status().handle(request(STATUS_URL, statusParams(twilioStatus)));
    expect(event).toEqual({ type: 'delivery', report: { providerMessageId: MESSAGE_SID, status: ours } });
  });

  it.each(['receiving', 'received', 'some_future_status'])('ignores status %s', (twilioStatus) => {
    expect(status().handle(request(STATUS_URL, statusParams(twilioStatus))).type).toBe('ignored');
  });

  it('keeps the error code of an undelivered message', () => {
    const params = statusParams('undelivered', { ErrorCode: '30003', RawDlrDoneDate: '2611271015' });
    expect(status().handle(request(STATUS_URL, params))).toEqual({
      type: 'delivery',
      report: { providerMessageId: MESSAGE_SID, status: 'undelivered', errorCode: '30003' },
    });
  });

  it('answers an empty 200 and rejects unsigned, foreign or malformed callbacks', () => {
    expect(status().ack).toEqual({ contentType: 'text/plain', body: '' });
    expect(rejection(() => status().handle(request(STATUS_URL, statusParams('sent'), null))).status).toBe(
      403,
    );
    const signedForSms = twilio.getExpectedTwilioSignature(AUTH_TOKEN, SMS_URL, statusParams('sent'));
    expect(
      rejection(() => status().handle(request(STATUS_URL, statusParams('sent'), signedForSms))).status,
    ).toBe(403);
    const foreign = statusParams('sent', { AccountSid: 'AC11111111111111111111111111111111' });
    expect(rejection(() => status().handle(request(STATUS_URL, foreign))).status).toBe(403);
    const { MessageStatus: _omitted, ...noStatus } = statusParams('sent');
    expect(rejection(() => status().handle(request(STATUS_URL, noStatus))).status).toBe(400);
  });
});

describe('sending', () => {
  let fake: FakeTwilio;
  beforeEach(async () => {
    fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  });
  afterEach(async () => {
    await fake.close();
  });

  const outbound = (text: string, choices?: { label: string; payload: string }[]): OutboundMessage => ({
    channel: 'twilio-sms',
    to: CITIZEN,
    reply: choices ? { text, choices } : { text },
    language: 'vi',
    clientRef: 'out_01',
  });
  // The text names its own numbered choices; the buttons (choices) are for messengers and add nothing to an SMS.
  const menu = outbound('Chào bạn! Bạn muốn làm gì?\n1 Đăng ký tài khoản\n2 Tra cứu hồ sơ', [
    { label: 'Đăng ký tài khoản', payload: 'DK' },
    { label: 'Tra cứu hồ sơ', payload: 'TT' },
  ]);

  it('sends the text unaccented as GSM-7 in gsm7 mode, without repeating the choices', async () => {
    const adapter = createTwilioSmsAdapter(options({ apiUrl: fake.url }));
    const receipt = await adapter.send(menu);
    const [sent] = fake.messages;
    expect(sent?.body).toBe('Chao ban! Ban muon lam gi?\n1 Dang ky tai khoan\n2 Tra cuu ho so');
    expect(sent?.to).toBe(CITIZEN);
    expect(receipt).toEqual({ providerMessageId: sent?.sid, segments: 1 });
    expect(receipt.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
  });

  it('keeps diacritics in unicode mode and reports the segments Twilio counted', async () => {
    const adapter = createTwilioSmsAdapter(options({ apiUrl: fake.url, encoding: 'unicode' }));
    const receipt = await adapter.send(menu);
    const body = 'Chào bạn! Bạn muốn làm gì?\n1 Đăng ký tài khoản\n2 Tra cứu hồ sơ';
    expect(fake.messages[0]?.body).toBe(body);
    expect(receipt.segments).toBe(1);
    const long = await adapter.send(
      outbound('Hồ sơ của bạn đã được tiếp nhận và đang chờ xác minh với cơ sở dữ liệu.'),
    );
    expect(long.segments).toBe(2);
  });

  it('authenticates with the account SID and asks for status callbacks on the public URL', async () => {
    const adapter = createTwilioSmsAdapter(
      options({ apiUrl: fake.url, publicBaseUrl: `${PUBLIC_BASE_URL}/` }),
    );
    await adapter.send(outbound('Xin chao'));
    expect(fake.messages[0]).toMatchObject({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      pathAccountSid: ACCOUNT_SID,
      from: OUR_NUMBER,
      messagingServiceSid: undefined,
      statusCallback: STATUS_URL,
    });
  });

  it('sends through a Messaging Service when TWILIO_FROM is an MG SID', async () => {
    const adapter = createTwilioSmsAdapter(options({ apiUrl: fake.url, from: SERVICE_SID }));
    await adapter.send(outbound('Xin chao'));
    expect(fake.messages[0]).toMatchObject({ from: undefined, messagingServiceSid: SERVICE_SID });
    expect(fake.messages[0]?.params).not.toHaveProperty('From');
  });

  describe('a reply longer than Twilio takes (1,600 characters, error 21617)', () => {
    const logged: [string, unknown][] = [];
    const log = (event: string, details: unknown) => logged.push([event, details]);
    beforeEach(() => {
      logged.length = 0;
    });

    it.each(['gsm7', 'unicode'] as const)(
      'is cut to 10 segments at a word with "..." in %s mode and logged without its text',
      async (encoding) => {
        const text = longReplyText(5000);
        const adapter = createTwilioSmsAdapter(options({ apiUrl: fake.url, encoding, log }));

        const receipt = await adapter.send(outbound(text));

        const [sent] = await fake.waitForMessages(1);
        expectCutAtWord(sent?.body, text, encoding);
        expect(receipt.segments).toBe(10);
        expect(logged).toEqual([
          [
            'twilio-sms.body_cut',
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
        const adapter = createTwilioSmsAdapter(options({ apiUrl: fake.url, encoding, log }));

        const receipt = await adapter.send(outbound(text));

        expect(fake.messages[0]?.body).toBe(renderSmsText({ text }, encoding));
        expect(receipt.segments).toBe(10);
        expect(logged).toEqual([]);
        await adapter.send(outbound(`${text} x`));
        expect(fake.messages[1]?.body).toMatch(/\.\.\.$/u);
        expect(logged).toHaveLength(1);
      },
    );
  });

  async function sendFailure(
    adapterOptions: Partial<TwilioSmsAdapterOptions> = {},
  ): Promise<SendFailedError> {
    const adapter = createTwilioSmsAdapter(options({ apiUrl: fake.url, ...adapterOptions }));
    const error = await adapter.send(outbound('Ma OTP cua ban la 123456')).catch((e: unknown) => e);
    if (!(error instanceof SendFailedError))
      throw new Error(`expected SendFailedError, got ${String(error)}`);
    expect(error.message).not.toContain(CITIZEN);
    expect(error.message).not.toContain('123456');
    expect(JSON.stringify(error.context)).not.toContain(CITIZEN);
    return error;
  }

  it('records an opted-out recipient (21610) as a permanent failure', async () => {
    fake.failNext(400, 21610);
    const error = await sendFailure();
    expect(error).toMatchObject({ retryable: false, providerCode: '21610', code: 'SEND_FAILED_PERMANENT' });
    expect(fake.messages).toHaveLength(0);
  });

  it('treats an invalid number (21211) as permanent without quoting the number Twilio quoted', async () => {
    fake.failNext(400, 21211);
    const error = await sendFailure();
    expect(error).toMatchObject({ retryable: false, providerCode: '21211' });
    expect(error.cause).toBeUndefined();
  });

  it('treats a Twilio server error as retryable', async () => {
    fake.failNext(500);
    expect(await sendFailure()).toMatchObject({ retryable: true, providerCode: '20500' });
  });

  it('treats 429 as retryable and does not retry by itself', async () => {
    fake.failNext(429);
    expect(await sendFailure()).toMatchObject({ retryable: true, providerCode: '20429' });
    expect(fake.attempts).toBe(1);
  });

  it('treats a refused connection as retryable', async () => {
    const closed = await startFakeTwilio();
    await closed.close();
    const error = await sendFailure({ apiUrl: closed.url });
    expect(error).toMatchObject({ retryable: true, providerCode: undefined });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('treats a dropped connection and a timeout as retryable', async () => {
    fake.dropNext();
    expect((await sendFailure()).retryable).toBe(true);
    const held = fake.holdNext();
    expect((await sendFailure({ timeoutMs: 150 })).retryable).toBe(true);
    await held.arrived;
    held.release();
  });
});

describe('TWILIO_API_URL rewriting', () => {
  it('moves any twilio.com API host onto the configured base URL, keeping path and query', () => {
    const path = '/2010-04-01/Accounts/AC1/Messages.json?PageSize=20';
    expect(rewriteTwilioUri(`https://api.twilio.com${path}`, 'http://127.0.0.1:4010')).toBe(
      `http://127.0.0.1:4010${path}`,
    );
    expect(rewriteTwilioUri(`https://api.sydney.au1.twilio.com${path}`, 'https://gw.example/twilio/')).toBe(
      `https://gw.example/twilio${path}`,
    );
    expect(rewriteTwilioUri('https://api.twilio.com', 'http://h:1')).toBe('http://h:1');
    expect(rewriteTwilioUri('https://nottwilio.com/x', 'http://h:1')).toBe('https://nottwilio.com/x');
    expect(rewriteTwilioUri('https://api.twilio.com.evil.example/x', 'http://h:1')).toBe(
      'https://api.twilio.com.evil.example/x',
    );
  });
});

describe('status callbacks played by the fake Twilio', () => {
  let fake: FakeTwilio;
  let app: Server;
  const events: WebhookEvent[] = [];
  afterEach(async () => {
    await fake.close();
    await new Promise((resolve) => app.close(resolve));
  });

  it('are signed so that the adapter accepts them', async () => {
    fake = await startFakeTwilio();
    // A minimal stand-in for the HTTP layer: public URL = base + path, form body parsed, signature checked.
    let base = '';
    app = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks);
        const adapter = createTwilioSmsAdapter(options({ apiUrl: fake.url, publicBaseUrl: base }));
        const statusRoute = adapter.webhooks.find((r) => r.path === req.url);
        try {
          const body = Object.fromEntries(new URLSearchParams(rawBody.toString()));
          const headers = req.headers as Record<string, string | undefined>;
          events.push(statusRoute?.handle({ url: `${base}${req.url}`, headers, body, rawBody }) ?? never());
          res.writeHead(200).end();
        } catch (error) {
          res.writeHead(error instanceof WebhookRejectedError ? error.status : 500).end();
        }
      });
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;

    const adapter = createTwilioSmsAdapter(options({ apiUrl: fake.url, publicBaseUrl: base }));
    const receipt = await adapter.send({
      channel: 'twilio-sms',
      to: CITIZEN,
      reply: { text: 'Xin chao' },
      language: 'vi',
      clientRef: 'out_02',
    });
    expect(await fake.sendStatus(receipt.providerMessageId, 'delivered')).toBe(200);
    expect(events).toEqual([
      { type: 'delivery', report: { providerMessageId: receipt.providerMessageId, status: 'delivered' } },
    ]);
  });
});

function never(): never {
  throw new Error('no route');
}
