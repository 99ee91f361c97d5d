import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelId } from '../../src/messaging/channel.ts';
import { renderSmsText } from '../../src/messaging/sms-render.ts';
import { type FakeSmsGateway, smsGatewayInbound } from '../fakes/fake-sms-gateway-server.ts';
import { type FakeTelegram, telegramTextUpdate } from '../fakes/fake-telegram-server.ts';
import { AppHarness, SMS_GATEWAY_SECRET, TELEGRAM_WEBHOOK_SECRET } from '../support/app-harness.ts';
import { eventually } from '../support/services.ts';

// Replies to one person leave in the order they were made, whatever the number of workers and however slow
// or refused the first of them is; a person whose messages wait never holds back another person's replies.
// Two worker sets (as two processes would run), each working on 8 jobs at once.

const SIX_MESSAGES = ['DK', 'Nguyen Van An', '048090001234', '15/02/1990', 'CO', 'TT'];

/** The outbox rows to one person, in the order they were made (id order), with their text. */
async function rowsTo(app: AppHarness, channel: ChannelId, to: string) {
  const { rows } = await app.services.db.query<{ id: number; status: string; dedupe_key: string }>(
    'SELECT id, status, dedupe_key FROM outbound_messages WHERE address_hash = $1 ORDER BY id',
    [app.services.cipher.keyedHash('address', `${channel}:${to}`)],
  );
  return Promise.all(
    rows.map(async (row) => ({
      ...row,
      text: (await app.services.outbox.get(row.id))?.message.reply.text ?? '',
    })),
  );
}

/** Replies stored for `to` on the SMS gateway, in order, with `texts` (as a flow would store them). */
const replies = (to: string, tag: string, texts: readonly string[]) =>
  texts.map((text, i) => ({
    dedupeKey: `${tag}-${i}`,
    channel: 'sms-gateway' as const,
    to,
    reply: { text },
    language: 'vi' as const,
    purpose: 'reply' as const,
  }));

describe('the order of replies to one person, two worker sets of 8', () => {
  let app: AppHarness;
  /** How far the service's clock is ahead of real time. */
  let skipped = 0;
  let messageId = 0;
  const nextId = () => {
    messageId += 1;
    return `gw-order-${messageId}`;
  };
  const gateway = (): FakeSmsGateway => {
    if (!app.fakes.gateway) throw new Error('the gateway is off');
    return app.fakes.gateway;
  };
  const telegram = (): FakeTelegram => {
    if (!app.fakes.telegram) throw new Error('telegram is off');
    return app.fakes.telegram;
  };
  const textsTo = (phone: string) => gateway().messages.filter((m) => m.to === phone);
  const texting = async (from: string, text: string) => {
    const { body, headers } = smsGatewayInbound(SMS_GATEWAY_SECRET, { id: nextId(), from, text });
    expect((await app.postJson('/webhooks/sms-gateway', body, headers)).status).toBe(200);
  };
  let updateId = 90_000;
  const onTelegram = async (chat: number, text: string) => {
    updateId += 1;
    const body = JSON.stringify(telegramTextUpdate(updateId, chat, text));
    const headers = { 'x-telegram-bot-api-secret-token': TELEGRAM_WEBHOOK_SECRET };
    expect((await app.postJson('/webhooks/telegram', body, headers)).status).toBe(200);
  };

  /** Waits until every message from `channel` is handled and no reply to `to` is left to send. */
  const settled = (channel: ChannelId, to: string, messages: number, replies: number) =>
    eventually(async () => {
      const { rows } = await app.services.db.query<{ handled: number }>(
        `SELECT count(*)::int AS handled FROM inbound_messages
         WHERE channel = $1 AND conversation_key = $2 AND processed_at IS NOT NULL`,
        [channel, app.services.conversationKeyOf(channel, to)],
      );
      const made = await rowsTo(app, channel, to);
      const done =
        rows[0]?.handled === messages &&
        made.length >= replies &&
        made.every((row) => row.status !== 'pending');
      return done ? made : undefined;
    }, 20_000);

  beforeAll(async () => {
    app = await AppHarness.start({
      channels: ['sms-gateway', 'telegram'],
      workers: 2,
      env: { WORKER_CONCURRENCY: '8', OUTBOUND_RATE_LIMITS: 'telegram:recipient=20/1s' },
      clock: () => new Date(Date.now() + skipped),
    });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('sends the replies to six SMS texted back to back in the order they were made, though the first is slow', async () => {
    const phone = '+84905700001';
    const slow = gateway().holdNext();

    for (const text of SIX_MESSAGES) await texting(phone, text);
    await slow.arrived;
    await eventually(async () => (await app.services.citizens.findByPhone(phone)) !== null);
    await eventually(async () => (await rowsTo(app, 'sms-gateway', phone)).length >= 7);
    slow.release();
    // Six replies and the registry result.
    const made = await settled('sms-gateway', phone, 6, 7);

    const sent = textsTo(phone);
    expect(sent.map((sms) => sms.clientRef)).toEqual(made.map((row) => `out-${row.id}`));
    expect(sent.map((sms) => sms.text)).toEqual(made.map((row) => renderSmsText({ text: row.text }, 'gsm7')));
    const replies = made.filter((row) => row.dedupe_key.startsWith('in-')).map((row) => row.text);
    expect(replies.map((text) => renderSmsText({ text }, 'gsm7'))).toEqual(
      [
        /^Dang ky tai khoan/,
        /^Buoc 2\/3/,
        /^Buoc 3\/3/,
        /^Nguyen Van An, CCCD/,
        /^Da mo tai khoan/,
        /^Tai khoan /,
      ].map((start) => expect.stringMatching(start)),
    );
  });

  it('sends the replies to six Telegram messages in the order they were made, though the first must wait', async () => {
    const chat = 5_070_001;
    telegram().failNext(429, 'Too Many Requests: retry after 1', 1);

    for (const text of ['HD', 'TT', 'GT', 'HD', 'LS', 'TT']) await onTelegram(chat, text);
    const made = await settled('telegram', String(chat), 6, 6);

    const sent = telegram().sent.filter((m) => m.chatId === String(chat));
    expect(sent.map((m) => m.text)).toEqual(made.map((row) => row.text));
    expect(made).toHaveLength(6);
  });

  it("sends another person's reply while the first person's reply is held up at the provider", async () => {
    const slowPhone = '+84905700002';
    const otherPhone = '+84905700003';
    const slow = gateway().holdNext();
    await texting(slowPhone, 'HD');
    await slow.arrived;
    await texting(slowPhone, 'TT');

    await texting(otherPhone, 'HD');
    await eventually(() => textsTo(otherPhone).length === 1);

    expect(textsTo(slowPhone)).toEqual([]);
    slow.release();
    const made = await settled('sms-gateway', slowPhone, 2, 2);
    expect(textsTo(slowPhone).map((sms) => sms.clientRef)).toEqual(made.map((row) => `out-${row.id}`));
  });

  it("sends another chat's reply while the first chat waits out Telegram's retry_after", async () => {
    const waiting = 5_070_002;
    const other = 5_070_003;
    telegram().failNext(429, 'Too Many Requests: retry after 5', 5);
    await onTelegram(waiting, 'HD');
    await eventually(() =>
      telegram()
        .calls('sendMessage')
        .some((call) => String(call.payload.chat_id) === String(waiting)),
    );
    await onTelegram(waiting, 'TT');

    await onTelegram(other, 'HD');
    await eventually(() => telegram().sent.some((m) => m.chatId === String(other)));

    expect(telegram().sent.filter((m) => m.chatId === String(waiting))).toEqual([]);
    const made = await settled('telegram', String(waiting), 2, 2);
    const sent = telegram().sent.filter((m) => m.chatId === String(waiting));
    expect(sent.map((m) => m.text)).toEqual(made.map((row) => row.text));
  });

  it('sends a reply at once past a message held back until later, and the held one when its time comes', async () => {
    const phone = '+84905700004';
    const [notice] = replies(phone, 'held', ['the notice held until later']);
    if (!notice) throw new Error('no notice');
    const inAnHour = new Date(app.services.clock().getTime() + 3_600_000);
    await app.services.queueOutbound([{ ...notice, purpose: 'notification', notBefore: inAnHour }]);

    await texting(phone, 'HD');
    // The gateway has the reply before the worker records it as sent: wait for the record.
    const [held, reply] = await eventually(async () => {
      const rows = await rowsTo(app, 'sms-gateway', phone);
      return rows[1]?.status === 'queued' ? rows : undefined;
    });

    expect(held?.status).toBe('pending');
    expect(textsTo(phone).map((sms) => sms.clientRef)).toEqual([`out-${reply?.id}`]);
    const wake = await app.services.queues.outbound.getJob(`wake-${held?.id}`);
    expect(await wake?.getState()).toBe('delayed');

    // The hour passes (for the service's clock), and the wake-up comes.
    skipped = 3_600_000;
    await wake?.promote();
    await eventually(() => textsTo(phone).length === 2);
    skipped = 0;

    expect(textsTo(phone).map((sms) => sms.clientRef)).toEqual([`out-${reply?.id}`, `out-${held?.id}`]);
    expect(textsTo(phone)[1]?.text).toBe('the notice held until later');
  });
});

describe('a worker process killed in the middle of a send', () => {
  let app: AppHarness;
  beforeAll(async () => {
    app = await AppHarness.start({ channels: ['sms-gateway'], workers: 0 });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('sends every message to the person once and in order after a restart', async () => {
    const gateway = (): FakeSmsGateway => {
      if (!app.fakes.gateway) throw new Error('the gateway is off');
      return app.fakes.gateway;
    };
    const phone = '+84905700020';
    const worker = app.spawnWorker({ CHILD_QUEUES: 'outbound' });
    await worker.ready;
    const slow = gateway().holdNext();
    await app.services.queueOutbound(replies(phone, 'crash', ['first', 'second', 'third']));
    await slow.arrived;

    worker.child.kill('SIGKILL');
    expect(await worker.exited).toBe('SIGKILL');
    // The gateway goes on with the request and accepts the message; the dead worker never hears of it.
    slow.release();
    await app.addWorkers();
    const made = await eventually(async () => {
      const rows = await rowsTo(app, 'sms-gateway', phone);
      return rows.every((row) => row.status === 'queued') ? rows : undefined;
    }, 20_000);

    expect(gateway().messages.map((sms) => sms.text)).toEqual(['first', 'second', 'third']);
    const first = `out-${made[0]?.id}`;
    // Sent again after the restart with the same clientRef, which the gateway answers without sending twice.
    expect(
      gateway()
        .requests.filter((r) => r.clientRef === first)
        .map((r) => r.status),
    ).toEqual([201, 200]);
  });
});
