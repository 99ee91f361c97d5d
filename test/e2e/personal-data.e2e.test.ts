import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signZaloEvent, zaloFollowEvent, zaloSubmitInfoEvent } from '../fakes/fake-zalo-oa-server.ts';
import { AppHarness, ZALO_OA } from '../support/app-harness.ts';
import { eventually, REDIS_URL, scanKeys } from '../support/services.ts';

/** Everything stored under a key prefix, as a dump of Redis would show it. */
async function dumpRedis(prefix: string): Promise<string> {
  const redis = new Redis(REDIS_URL);
  const parts: string[] = [];
  for (const key of await scanKeys(redis, `${prefix}:*`)) {
    const type = await redis.type(key);
    parts.push(key);
    if (type === 'string') parts.push((await redis.get(key)) ?? '');
    if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
    if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, '0', '-1')));
    if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
    if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, '0', '-1')));
    if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
  }
  redis.disconnect();
  return parts.join('\n');
}

describe('personal data in Redis, PostgreSQL and logs', () => {
  let h: AppHarness;
  const phone = '+84905400001';
  const secrets = ['048090001234', 'Nguyễn Văn An', 'Nguyen Van An', '15/02/1990', '1990-02-15', '905400001'];

  beforeAll(async () => {
    h = await AppHarness.start();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('keeps no ID number, name, date of birth or phone in clear in Redis, mid-registration and after', async () => {
    await h.say(phone, 'DK');
    await h.say(phone, 'Nguyễn Văn An');
    await h.say(phone, '048090001234');
    await h.say(phone, '15/02/1990');

    const midway = await dumpRedis(h.data.prefix);
    await h.say(phone, 'CO', 2);
    const after = await dumpRedis(h.data.prefix);

    expect(midway).toContain(':conv:');
    expect(after.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(midway).not.toContain(secret);
      expect(after).not.toContain(secret);
    }
  });

  it('stores the account, inbox and outbox encrypted in PostgreSQL', async () => {
    const tables = ['citizens', 'inbound_messages', 'outbound_messages', 'contacts', 'audit_log', 'consents'];
    for (const table of tables) {
      const { rows } = await h.services.db.query(`SELECT * FROM ${table}`);
      const text = JSON.stringify(rows);
      expect(rows.length).toBeGreaterThan(0);
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });

  it('logs no phone number, ID number, name or message text', async () => {
    const logs = h.logLines.join('');

    expect(logs).toContain('turn handled');
    expect(logs).toContain('message sent');
    expect(logs).toContain('"from":"+84******001"');
    for (const secret of [...secrets, 'CO"', 'DK"']) expect(logs).not.toContain(secret);
  });

  it('records the consent: purpose, text version, channel and time', async () => {
    const { rows } = await h.services.db.query(
      'SELECT purpose, text_version, channel, language, given_at FROM consents',
    );

    expect(rows).toEqual([
      {
        purpose: 'provisional_digital_citizen_account',
        text_version: expect.stringMatching(/^registration-consent-/),
        channel: 'twilio-sms',
        language: 'vi',
        given_at: expect.any(Date),
      },
    ]);
  });
});

describe('Zalo user ids in PostgreSQL, Redis and logs', () => {
  let h: AppHarness;
  const userId = '246845883529197922';
  const base = { appId: ZALO_OA.appId, oaId: ZALO_OA.oaId, userId };

  beforeAll(async () => {
    h = await AppHarness.start({ channels: ['zalo-oa'] });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('keeps no Zalo user id in clear after a follow and a form submission', async () => {
    for (const event of [zaloFollowEvent(base), zaloSubmitInfoEvent({ ...base, phone: '84905400002' })]) {
      const raw = JSON.stringify(event);
      const response = await h.postJson('/webhooks/zalo', raw, {
        'x-zevent-signature': signZaloEvent(raw, ZALO_OA),
      });
      expect(response.status).toBe(200);
    }
    await eventually(() => (h.fakes.zaloOa?.sent.length ?? 0) >= 2);
    await h.waitForIdle();

    const { rows } = await h.services.db.query('SELECT * FROM inbound_messages');
    expect(rows).toHaveLength(2);
    for (const table of ['inbound_messages', 'outbound_messages', 'contacts']) {
      const all = await h.services.db.query(`SELECT * FROM ${table}`);
      expect(JSON.stringify(all.rows)).not.toContain(userId);
    }
    expect(await dumpRedis(h.data.prefix)).not.toContain(userId);
    expect(h.logLines.join('')).toContain('turn handled');
    expect(h.logLines.join('')).not.toContain(userId);
  });
});
