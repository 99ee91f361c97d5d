import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { INBOUND_WINDOW_MS } from '../../src/messaging/inbound-window.ts';
import { inboundDedupeKey } from '../../src/storage/postgres/inbox.ts';
import { smsGatewayInbound } from '../fakes/fake-sms-gateway-server.ts';
import { signZaloEvent, zaloTextEvent } from '../fakes/fake-zalo-oa-server.ts';
import { AppHarness, SMS_GATEWAY_SECRET, ZALO_OA } from '../support/app-harness.ts';
import { eventually, inboundCount } from '../support/services.ts';

// Replays of signed webhooks, on every channel whose signature covers a time (the SMS gateway's `receivedAt`,
// Zalo OA's `timestamp`): a message is deduplicated for 24 hours, and refused once signed longer ago, so a body
// captured and replayed after its inbox row was purged gets no second answer.

const HOUR = 60 * 60 * 1000;
let shift = 0;
let app: AppHarness;

/** One channel as a replaying attacker sees it: a signed body from `sender`, and what reached `sender`. */
interface SignedChannel {
  readonly channel: 'sms-gateway' | 'zalo-oa';
  readonly path: string;
  /** The addresses of fresh senders, one per test. */
  sender(n: number): string;
  sign(
    sender: string,
    id: string,
    text: string,
    signedAt: Date,
  ): { body: string; headers: Record<string, string> };
  repliesTo(sender: string): number;
}

const channels: SignedChannel[] = [
  {
    channel: 'sms-gateway',
    path: '/webhooks/sms-gateway',
    sender: (n) => `+8490570${String(n).padStart(4, '0')}`,
    sign: (from, id, text, signedAt) =>
      smsGatewayInbound(SMS_GATEWAY_SECRET, { id, from, text, receivedAt: signedAt.toISOString() }),
    repliesTo: (to) => app.fakes.gateway?.messages.filter((m) => m.to === to).length ?? 0,
  },
  {
    channel: 'zalo-oa',
    path: '/webhooks/zalo',
    sender: (n) => `7100000000000${String(n).padStart(6, '0')}`,
    sign(userId, msgId, text, signedAt) {
      const event = zaloTextEvent({
        appId: ZALO_OA.appId,
        oaId: ZALO_OA.oaId,
        userId,
        msgId,
        text,
        timestamp: String(signedAt.getTime()),
      });
      const body = JSON.stringify(event);
      return { body, headers: { 'x-zevent-signature': signZaloEvent(body, ZALO_OA) } };
    },
    repliesTo: (userId) => app.fakes.zaloOa?.sent.filter((m) => m.userId === userId).length ?? 0,
  },
];

beforeAll(async () => {
  app = await AppHarness.start({
    channels: ['sms-gateway', 'zalo-oa'],
    clock: () => new Date(Date.now() + shift),
  });
});
afterAll(async () => {
  await app?.stop();
});
afterEach(() => {
  shift = 0;
});

let senders = 0;

describe.each(channels)('$channel: a signed message is good for 24 hours, and deduplicated as long', (ch) => {
  const fresh = () => {
    senders += 1;
    return { sender: ch.sender(senders), id: `replay-${ch.channel}-${senders}` };
  };
  const post = (signed: { body: string; headers: Record<string, string> }) =>
    app.postJson(ch.path, signed.body, signed.headers);
  const refusal = async (response: Response) => ({
    status: response.status,
    code: ((await response.json()) as { error: { code: string } }).error.code,
  });

  it('answers once, and refuses the same body replayed a day later, once its inbox row is purged', async () => {
    const { sender, id } = fresh();
    const signed = ch.sign(sender, id, 'HD', new Date());
    expect((await post(signed)).status).toBe(200);
    await eventually(() => ch.repliesTo(sender) === 1);
    await app.waitForIdle();
    // A day and an hour go by: the handled row is purged.
    await app.services.db.query(
      `UPDATE inbound_messages SET received_at = received_at - interval '25 hours' WHERE provider_message_id = $1`,
      [inboundDedupeKey(app.services.cipher, ch.channel, id)],
    );
    await app.services.inbox.purgeProcessed();
    expect(await inboundCount(app.services, ch.channel, id)).toBe(0);
    shift = 25 * HOUR;

    expect(await refusal(await post(signed))).toEqual({ status: 400, code: 'MESSAGE_TOO_OLD' });
    await app.waitForIdle();

    expect(await inboundCount(app.services, ch.channel, id)).toBe(0);
    expect(ch.repliesTo(sender)).toBe(1);
  });

  it.each([
    ['24 hours and a minute', INBOUND_WINDOW_MS + 60_000],
    ['8 days', 8 * 24 * HOUR],
  ])(
    'refuses a correctly signed message signed %s ago with 400: nothing stored, no reply, a log line without personal data',
    async (_age, ageMs) => {
      const { sender, id } = fresh();
      const response = await post(ch.sign(sender, id, 'DK', new Date(Date.now() - ageMs)));

      expect(await refusal(response)).toEqual({ status: 400, code: 'MESSAGE_TOO_OLD' });
      await app.waitForIdle();
      expect(await inboundCount(app.services, ch.channel, id)).toBe(0);
      expect(ch.repliesTo(sender)).toBe(0);
      const logged = app.logLines.filter((line) => line.includes('MESSAGE_TOO_OLD'));
      expect(logged.at(-1)).toContain(`"channel":"${ch.channel}"`);
      expect(logged.at(-1)).toContain('webhook rejected');
      for (const line of logged) expect(line).not.toMatch(new RegExp(`${sender.slice(-9)}|${id}|"DK"`));
    },
  );

  it('refuses a message signed more than 5 minutes ahead of our clock with 400 MESSAGE_TIME_AHEAD', async () => {
    const { sender, id } = fresh();
    const response = await post(ch.sign(sender, id, 'HD', new Date(Date.now() + 10 * 60_000)));

    expect(await refusal(response)).toEqual({ status: 400, code: 'MESSAGE_TIME_AHEAD' });
    await app.waitForIdle();
    expect(await inboundCount(app.services, ch.channel, id)).toBe(0);
    expect(ch.repliesTo(sender)).toBe(0);
  });

  it('takes a message signed 23 hours ago and a retry of it while its row is kept: one row, one reply', async () => {
    const { sender, id } = fresh();
    const signed = ch.sign(sender, id, 'HD', new Date(Date.now() - 23 * HOUR));

    expect((await post(signed)).status).toBe(200);
    await eventually(() => ch.repliesTo(sender) === 1);
    await app.waitForIdle();
    await app.services.inbox.purgeProcessed();
    shift = 50 * 60_000; // the retry comes 50 minutes later, still inside the window
    expect((await post(signed)).status).toBe(200);
    await app.waitForIdle();

    expect(await inboundCount(app.services, ch.channel, id)).toBe(1);
    expect(ch.repliesTo(sender)).toBe(1);
  });
});
