import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smsGatewayInbound } from '../fakes/fake-sms-gateway-server.ts';
import { telegramTextUpdate } from '../fakes/fake-telegram-server.ts';
import { AppHarness, SMS_GATEWAY_SECRET, TELEGRAM_WEBHOOK_SECRET } from '../support/app-harness.ts';
import { anyText, PROPERTY_TIMEOUT_MS, typedPhone } from '../support/text-arbitraries.ts';

/**
 * Bad input at the doors of the running app (real PostgreSQL, Redis and BullMQ workers): random signed webhooks
 * from the SMS gateway, Twilio and Telegram, random sender addresses and message texts (any Unicode, up to the
 * 5,000 characters an SMS webhook may carry), random web-chat bodies. Every request is answered with one of the
 * documented statuses (never a 500), every message stored is handled (none left pending), and nothing is logged
 * at error level.
 */
describe('random input at the webhooks', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  let h: AppHarness;
  let n = 0;

  beforeAll(async () => {
    h = await AppHarness.start({ channels: ['sms-gateway', 'telegram'] });
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** Mostly a real mobile number (so the message reaches a turn), sometimes anything a sender field may hold. */
  const sender = fc.oneof(
    { weight: 4, arbitrary: fc.stringMatching(/^\+849[0-9]{8}$/) },
    { weight: 1, arbitrary: typedPhone },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 50 }) },
  );

  it('answers every signed SMS-gateway webhook 200 or 400, whatever its sender and text', async () => {
    const statuses: number[] = [];
    await fc.assert(
      fc.asyncProperty(sender, anyText, async (from, text) => {
        n += 1;
        const signed = smsGatewayInbound(SMS_GATEWAY_SECRET, { id: `abuse-${n}`, from, text });
        const response = await h.postJson('/webhooks/sms-gateway', signed.body, signed.headers);
        statuses.push(response.status);
        expect([200, 400], `${JSON.stringify(from)} ${JSON.stringify(text.slice(0, 80))}`).toContain(
          response.status,
        );
      }),
      { numRuns: 150 },
    );
    // Most random messages come from a phone number and are stored and handled, not refused at the door.
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(50);
  });

  it('answers every signed Twilio webhook 200 or 400, and every Telegram update 200 or 400', async () => {
    await fc.assert(
      fc.asyncProperty(sender, anyText, fc.integer({ min: 1, max: 2 ** 40 }), async (from, text, chat) => {
        n += 1;
        const params = AppHarness.smsParams(from, text, h.nextSid());
        const sms = await h.postTwilio('/webhooks/twilio/sms', params);
        expect([200, 400], JSON.stringify(from)).toContain(sms.status);
        const update = await h.postJson(
          '/webhooks/telegram',
          JSON.stringify(telegramTextUpdate(n, chat, text)),
          {
            'x-telegram-bot-api-secret-token': TELEGRAM_WEBHOOK_SECRET,
          },
        );
        expect([200, 400]).toContain(update.status);
      }),
      { numRuns: 100 },
    );
  });

  it('answers every web-chat body 202, 400 or 429 (its rate limit)', async () => {
    const page = await h.app.inject({ method: 'GET', url: '/' });
    const cookie = String(page.headers['set-cookie']).split(';')[0] ?? '';
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          anyText.map((text) => JSON.stringify({ text })),
          fc.jsonValue().map((value) => JSON.stringify(value)),
          anyText,
        ),
        async (payload) => {
          n += 1;
          const response = await h.app.inject({
            method: 'POST',
            url: '/chat/messages',
            remoteAddress: `10.1.${Math.floor(n / 250) % 250}.${n % 250}`,
            headers: { 'content-type': 'application/json', cookie },
            payload,
          });
          expect([202, 400, 429], payload.slice(0, 80)).toContain(response.statusCode);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('handles every message it stored, and logs nothing at error level', async () => {
    await h.waitForIdle();
    const { rows } = await h.services.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM inbound_messages WHERE processed_at IS NULL',
    );
    expect(rows[0]?.n).toBe(0);
    const errors = h.logLines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    expect(errors).toEqual([]);
  });
});
