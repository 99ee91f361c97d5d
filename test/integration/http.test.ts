import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, AppHarness } from '../support/app-harness.ts';

describe('admin API, metrics and health', () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await AppHarness.start();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const admin = (phone: string, token: string | null = ADMIN_TOKEN) =>
    h.app.inject({
      method: 'GET',
      url: `/api/v1/admin/citizens?phone=${encodeURIComponent(phone)}`,
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });

  it('answers 401 without the admin token or with a wrong one', async () => {
    expect((await admin('+84905700001', null)).statusCode).toBe(401);
    expect((await admin('+84905700001', 'wrong-token-wrong-token')).statusCode).toBe(401);
  });

  it('answers 404 for an unknown phone and 400 for something that is not a phone', async () => {
    expect((await admin('+84905700001')).statusCode).toBe(404);
    const bad = await admin('hello');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: { code: 'BAD_PHONE', message: expect.any(String) } });
  });

  it('finds an account by phone in any common form, never with its CCCD', async () => {
    const phone = '+84905700002';
    await h.say(phone, 'DK Nguyen Van An, 048090001234, 15/02/1990');
    await h.say(phone, 'CO', 2);

    const found = await admin('0905 700 002');

    expect(found.statusCode).toBe(200);
    expect(found.json()).toEqual({
      accountCode: expect.stringMatching(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/),
      status: 'verified',
      phone,
      createdVia: 'twilio-sms',
      createdAt: expect.any(String),
      verifiedAt: expect.any(String),
      registeredBy: null,
    });
    expect(found.body).not.toContain('048090001234');
  });

  it('exports messages, turn latency, queue depths and registrations as Prometheus metrics', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/metrics' });

    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body).toMatch(/dcz_messages_in_total\{channel="twilio-sms"\} [1-9]/);
    expect(response.body).toMatch(/dcz_messages_out_total\{channel="twilio-sms",result="sent"\} [1-9]/);
    expect(response.body).toMatch(
      /dcz_turn_duration_seconds_count\{channel="twilio-sms",outcome="replied"\} [1-9]/,
    );
    expect(response.body).toMatch(/dcz_queue_jobs\{queue="inbound",state="wait"\} \d+/);
    expect(response.body).toContain('dcz_registrations{status="verified"} 1');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/nope' });

    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No such route' } });
  });

  it('is ready while Redis and the database answer, and answers 503 naming what is down', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({
      status: 'ready',
      checks: { redis: 'ok', database: 'ok' },
    });

    h.services.redis.disconnect();
    const redisDown = await h.app.inject({ method: 'GET', url: '/readyz' });
    await h.services.db.close();
    const bothDown = await h.app.inject({ method: 'GET', url: '/readyz' });

    expect(redisDown.statusCode).toBe(503);
    expect(redisDown.json()).toEqual({ status: 'not_ready', checks: { redis: 'down', database: 'ok' } });
    expect(bothDown.json()).toEqual({ status: 'not_ready', checks: { redis: 'down', database: 'down' } });
    expect((await h.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
