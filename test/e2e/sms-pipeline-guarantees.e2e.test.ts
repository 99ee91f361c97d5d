import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppHarness, TWILIO_AUTH_TOKEN } from '../support/app-harness.ts';
import { eventually, inboundCount, sleep } from '../support/services.ts';

describe('webhook intake: provider retries, forgeries and malformed requests', () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await AppHarness.start();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('gives one reply to the same webhook delivered three times', async () => {
    const phone = '+84905100001';
    const sid = h.nextSid();

    const responses = await Promise.all([h.sms(phone, 'HD', sid), h.sms(phone, 'HD', sid)]);
    responses.push(await h.sms(phone, 'HD', sid));
    await h.waitForInbox(phone, 1);
    await sleep(600);

    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await responses[0]?.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(responses[0]?.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(h.inbox(phone)).toHaveLength(1);
    expect(await inboundCount(h.services, 'twilio-sms', sid)).toBe(1);
  });

  it('refuses a forged or missing signature with 403 and queues nothing', async () => {
    const params = AppHarness.smsParams('+84905100002', 'DK', h.nextSid());

    const forged = await h.postTwilio('/webhooks/twilio/sms', params, 'bm90IGEgcmVhbCBzaWduYXR1cmU=');
    const missing = await h.postTwilio('/webhooks/twilio/sms', params, null);
    const tampered = await h.postTwilio(
      '/webhooks/twilio/sms',
      { ...params, Body: 'TUCHOI' },
      (await import('twilio')).default.getExpectedTwilioSignature(
        TWILIO_AUTH_TOKEN,
        `${h.baseUrl}/webhooks/twilio/sms`,
        params,
      ),
    );

    expect([forged.status, missing.status, tampered.status]).toEqual([403, 403, 403]);
    expect(await inboundCount(h.services, 'twilio-sms', params.MessageSid)).toBe(0);
    expect(await h.services.queues.inbound.getJobCountByTypes('wait', 'active', 'delayed', 'completed')).toBe(
      0,
    );
  });

  it('answers 400 to a signed request that is not an SMS', async () => {
    const { MessageSid: _drop, ...params } = AppHarness.smsParams('+84905100003', 'DK', h.nextSid());

    const response = await h.postTwilio('/webhooks/twilio/sms', params);

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: expect.any(String) } });
  });

  it('answers 403 to a request for another Twilio account', async () => {
    const params = {
      ...AppHarness.smsParams('+84905100004', 'DK', h.nextSid()),
      AccountSid: `AC${'2'.repeat(32)}`,
    };

    expect((await h.postTwilio('/webhooks/twilio/sms', params)).status).toBe(403);
  });
});

describe('per-conversation order with two workers', () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await AppHarness.start({ workers: 2 });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('applies messages sent back to back in the order received', async () => {
    const phone = '+84905200001';
    const messages = ['DK', 'Nguyen Van An', '048090001234', '15/02/1990', 'CO'];

    for (const text of messages) expect((await h.sms(phone, text)).status).toBe(200);
    const received = await h.waitForInbox(phone, 6, 20_000);

    const citizen = await h.services.citizens.findByPhone(phone);
    expect(citizen).not.toBeNull();
    expect(await h.services.citizens.findIdentity(citizen?.id ?? '')).toEqual({
      fullName: 'Nguyen Van An',
      cccd: '048090001234',
      dateOfBirth: '1990-02-15',
    });
    const { rows } = await h.services.db.query<{ id: number }>(
      `SELECT id FROM outbound_messages WHERE dedupe_key LIKE 'in-%' AND address_hash = $1 ORDER BY id`,
      [h.services.cipher.keyedHash('address', `twilio-sms:${phone}`)],
    );
    const texts = await Promise.all(
      rows.map(async (r) => (await h.services.outbox.get(r.id))?.message.reply.text),
    );
    expect(texts.map((t) => t?.slice(0, 12))).toEqual([
      'Đăng ký tài ',
      'Bước 2/3: gử',
      'Bước 3/3: gử',
      'Nguyen Van A',
      'Đã mở tài kh',
    ]);
    expect(received).toHaveLength(6);
  });
});

describe('a worker killed in the middle of a turn', () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await AppHarness.start({ workers: 0 });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('replies after a restart and opens exactly one account', async () => {
    const phone = '+84905300001';
    const first = h.spawnWorker();
    await first.ready;
    expect((await h.say(phone, 'DK Nguyen Van An, 048090001234, 15/02/1990'))[0]).toMatch(
      /^Nguyen Van An, CCCD/,
    );
    first.child.kill('SIGTERM');
    await first.exited;

    const crashing = h.spawnWorker({ CRASH_AFTER_TURN_STORED: '1', CHILD_QUEUES: 'inbound' });
    await crashing.ready;
    expect((await h.sms(phone, 'CO')).status).toBe(200);

    expect(await crashing.exited).toBe('SIGKILL');
    expect(await h.services.citizens.countByStatus()).toEqual({
      provisional: 1,
      verified: 0,
      not_matched: 0,
    });
    expect(h.inbox(phone)).toHaveLength(1);

    await h.addWorkers();
    const [opened, verified] = (await h.waitForInbox(phone, 3, 20_000)).slice(1);
    await sleep(1500);

    expect(opened).toMatch(/^Da mo tai khoan tam thoi /);
    expect(verified).toMatch(/da duoc xac minh/);
    expect(h.inbox(phone)).toHaveLength(3);
    expect(await h.services.citizens.countByStatus()).toEqual({
      provisional: 0,
      verified: 1,
      not_matched: 0,
    });
    await eventually(async () => (await h.services.inbox.stalledConversations(-1)).length === 0);
  });
});
