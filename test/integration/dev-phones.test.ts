import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_PHONE_NOT_ADOPTED } from '../../adapters/dev-sms/dev-sms.adapter.ts';
import { type AppData, AppHarness, createAppData } from '../support/app-harness.ts';
import { eventually } from '../support/services.ts';

/** A phone registered by SMS on a service with Twilio: a real account, made outside development mode. */
const REAL = '+84905000071';
/** A new phone, first used on /dev/phones. */
const NEW = '+84905000072';
const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' };

/**
 * The development phones (docs/channels/web.md) through the app: on a service with no SMS channel outside
 * production they are the SMS channel (`dev-sms`), a new phone answers and is answered on /dev/phones; a phone
 * whose account was made outside development mode is never shown nor answered as; and the mode is off with an
 * SMS channel and in production.
 */
describe('development phones', () => {
  let data: AppData;
  let drop: () => Promise<void>;
  let h: AppHarness;

  beforeAll(async () => {
    ({ data, drop } = await createAppData());
    // A real account first, by SMS through Twilio (development mode is off there).
    const real = await AppHarness.start({ reuse: data });
    try {
      expect(real.services.smsChannel).toBe('twilio-sms');
      expect(real.services.adapters.has('dev-sms')).toBe(false);
      expect((await real.app.inject({ method: 'GET', url: '/dev/phones' })).statusCode).toBe(404);
      expect((await real.app.inject({ method: 'GET', url: '/console/sign-in' })).body).not.toContain(
        'dev-banner',
      );
      await real.say(REAL, 'DK Tran Thi Binh, 048185000321, 04/07/1985');
      await real.say(REAL, 'co', 2);
      expect(await real.services.citizens.findByPhone(REAL)).not.toBeNull();
    } finally {
      await real.stop({ keepData: true });
    }
    h = await AppHarness.start({ reuse: data, twilioSms: false });
  });
  afterAll(async () => {
    await h?.stop({ keepData: true });
    await drop?.();
  });

  const texts = async (phone: string) =>
    (await h.services.devPhoneFeed.read(phone)).map((item) => item.entry.text);
  const answer = (phone: string, text: string, headers: Record<string, string> = SAME_ORIGIN) =>
    h.app.inject({
      method: 'POST',
      url: `/dev/phones/${phone.slice(1)}/messages`,
      headers: { 'content-type': 'application/json', ...headers },
      payload: JSON.stringify({ text }),
    });

  it('is the SMS channel of a service without one, outside production', async () => {
    expect(h.services.devOutbox).toBe(true);
    expect(h.services.smsChannel).toBe('dev-sms');
    expect(
      h.logLines.filter((line) => line.includes('texts to phones are shown on /dev/phones')),
    ).toHaveLength(1);
    const page = await h.app.inject({ method: 'GET', url: '/dev/phones' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('Điện thoại phát triển');
    const english = await h.app.inject({ method: 'GET', url: '/dev/phones?lang=en' });
    expect(english.body).toContain('<html lang="en">');
    expect(english.body).toContain('Development phones');
    expect((await h.app.inject({ method: 'GET', url: '/?lang=en' })).body).toContain(
      'href="/dev/phones?lang=en"',
    );
    // The banner is on every page, the console's too.
    const signIn = await h.app.inject({ method: 'GET', url: '/console/sign-in?lang=en' });
    expect(signIn.body).toContain('<p class="dev-banner" role="note">Development mode: no SMS is sent.');
    expect(signIn.body).toContain('href="/dev/phones?lang=en"');
  });

  it('starts as a new phone, answers as it, and shows what the service texted it with its SMS count', async () => {
    const started = await h.app.inject({
      method: 'POST',
      url: '/dev/phones',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...SAME_ORIGIN },
      payload: 'phone=0905%20000%20072',
    });
    expect(started.statusCode).toBe(303);
    expect(started.headers.location).toBe(`/dev/phones/${NEW.slice(1)}`);
    const view = await h.app.inject({ method: 'GET', url: started.headers.location as string });
    expect(view.statusCode).toBe(200);
    expect(view.body).toContain('0905000072');

    expect((await answer(NEW, 'DK')).statusCode).toBe(202);
    const [first] = await eventually(async () => ((await texts(NEW)).length > 0 ? texts(NEW) : false));
    expect(first).toMatch(/^Dang ky tai khoan cong dan so \(buoc 1\/3\)/);
    const [item] = await h.services.devPhoneFeed.read(NEW);
    expect(item?.entry).toMatchObject({ sms: { encoding: 'GSM-7', segments: 1 } });
    await h.waitForIdle();
    expect(await h.lastOutbound('dev-sms', NEW)).toMatchObject({
      status: 'queued',
      provider_message_id: expect.stringMatching(/^dev-sms-/),
    });
    const list = await h.app.inject({ method: 'GET', url: '/dev/phones' });
    expect(list.body).toContain('0905***072');
    expect(list.body).not.toContain('0905***071');
  });

  it('never answers as, nor shows texts to, a phone whose account was made outside development mode', async () => {
    const refused = await answer(REAL, 'TT');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('REAL_ACCOUNT');
    expect((await h.app.inject({ method: 'GET', url: `/dev/phones/${REAL.slice(1)}` })).statusCode).toBe(403);
    expect(
      (await h.app.inject({ method: 'GET', url: `/dev/phones/${REAL.slice(1)}/events` })).statusCode,
    ).toBe(403);
    const start = await h.app.inject({
      method: 'POST',
      url: '/dev/phones',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...SAME_ORIGIN },
      payload: `phone=${encodeURIComponent(REAL)}`,
    });
    expect(start.statusCode).toBe(409);
    // A text the service sends it (a notification) is not shown: recorded as not delivered.
    await h.services.queueOutbound([
      {
        dedupeKey: 'dev-real-1',
        channel: 'dev-sms',
        to: REAL,
        reply: { text: 'TB' },
        language: 'vi',
        purpose: 'reply',
      },
    ]);
    await h.waitForIdle();
    expect(await h.lastOutbound('dev-sms', REAL)).toMatchObject({
      status: 'failed',
      error_code: DEV_PHONE_NOT_ADOPTED,
    });
    expect(await texts(REAL)).toEqual([]);
    expect((await h.app.inject({ method: 'GET', url: '/dev/phones' })).body).not.toContain('0905***071');
    const { rows } = await h.services.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM inbound_messages WHERE conversation_key = $1`,
      [h.services.conversationKeyOf('dev-sms', REAL)],
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('refuses answers from another site and malformed ones, and limits them like the web chat', async () => {
    expect((await answer(NEW, 'TT', { 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await answer(NEW, 'TT', { origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await answer(NEW, '   ')).statusCode).toBe(400);
    expect(
      (await h.app.inject({ method: 'POST', url: '/dev/phones/123/messages', headers: SAME_ORIGIN }))
        .statusCode,
    ).toBe(404);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i += 1) statuses.push((await answer('+84905000073', `HD ${i}`)).statusCode);
    expect(statuses.slice(0, 20).every((s) => s === 202)).toBe(true);
    expect(statuses[20]).toBe(429);
  });

  it('is off in production', async () => {
    const production = await AppHarness.start({
      twilioSms: false,
      workers: 0,
      env: {
        NODE_ENV: 'production',
        DOCUMENT_SIGNING_KEY: generateKeyPairSync('ed25519')
          .privateKey.export({ format: 'der', type: 'pkcs8' })
          .toString('base64'),
      },
    });
    try {
      expect(production.services.devOutbox).toBe(false);
      expect(production.services.smsChannel).toBeNull();
      expect(production.services.adapters.has('dev-sms')).toBe(false);
      expect((await production.app.inject({ method: 'GET', url: '/dev/phones' })).statusCode).toBe(404);
    } finally {
      await production.stop();
    }
  });
});
