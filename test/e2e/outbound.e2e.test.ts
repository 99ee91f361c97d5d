import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppHarness } from '../support/app-harness.ts';
import { eventually, sleep } from '../support/services.ts';

describe('sending replies through Twilio', () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await AppHarness.start();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const outboundRow = (phone: string) => h.lastOutbound('twilio-sms', phone);

  it('records a permanent refusal (21610, the number opted out at the carrier) once, counts the attempt, and goes on', async () => {
    const phone = '+84905600001';
    h.twilio.failNext(400, 21610);
    const attemptsBefore = h.twilio.attempts;

    expect((await h.sms(phone, 'HD')).status).toBe(200);
    const row = await eventually(async () => {
      const found = await outboundRow(phone);
      return found?.status === 'failed' ? found : undefined;
    });
    // The next message to the same number goes out: the refused one is not tried again before it.
    expect(await h.say(phone, 'HD')).toHaveLength(1);

    expect(row).toMatchObject({ status: 'failed', error_code: '21610', attempts: 1 });
    expect(h.twilio.attempts - attemptsBefore).toBe(2);
    expect(
      h.logLines.some((line) => line.includes('"code":"21610"') && line.includes('message not sent')),
    ).toBe(true);
  });

  it('retries a temporary failure with backoff and then delivers', async () => {
    const phone = '+84905600002';
    h.twilio.failNext(503);

    const [reply] = await h.say(phone, 'TT');

    expect(reply).toMatch(/chua co tai khoan/);
    // The fake provider has the message before the worker records the send, so wait for the record.
    const row = await eventually(async () => {
      const found = await outboundRow(phone);
      return found?.status === 'queued' ? found : undefined;
    });
    expect(row).toMatchObject({ status: 'queued', attempts: 2, error_code: null });
  });

  it('never sends to a number that opted out, even what was queued before', async () => {
    const phone = '+84905600003';
    await h.say(phone, 'HD');
    await h.services.contacts.setOptedOut('twilio-sms', phone, true, new Date());
    await h.services.queueOutbound([
      {
        dedupeKey: 'manual-1',
        channel: 'twilio-sms',
        to: phone,
        reply: { text: 'x' },
        language: 'vi',
        purpose: 'notification',
      },
    ]);

    const row = await eventually(async () => {
      const found = await outboundRow(phone);
      return found?.status === 'suppressed' ? found : undefined;
    });

    expect(row).toMatchObject({ error_code: 'OPTED_OUT' });
    expect(h.inbox(phone)).toHaveLength(1);
  });

  it('holds a notification back until the reply before it to the same person has gone out', async () => {
    const phone = '+84905600004';
    const held = h.twilio.holdNext();
    const add = (dedupeKey: string, text: string, purpose: 'reply' | 'notification') =>
      h.services.queueOutbound([
        { dedupeKey, channel: 'twilio-sms', to: phone, reply: { text }, language: 'vi', purpose },
      ]);
    await add('order-reply', 'the reply', 'reply');
    await held.arrived;
    await add('order-notification', 'the notification', 'notification');
    await sleep(700);
    expect(h.inbox(phone)).toEqual([]);

    held.release();

    expect(await h.waitForInbox(phone, 2)).toEqual(['the reply', 'the notification']);
  });

  it('fails a message on its last attempt, counting it, and sends the next one to the same person', async () => {
    const phone = '+84905600005';
    const items = ['last try', 'the next one'].map((text, i) => ({
      dedupeKey: `last-try-${i}`,
      channel: 'twilio-sms' as const,
      to: phone,
      reply: { text },
      language: 'vi' as const,
      purpose: 'reply' as const,
    }));
    const [lastTry] = await h.services.outbox.add(items);
    await h.services.db.query('UPDATE outbound_messages SET attempts = 7 WHERE id = $1', [lastTry]);
    h.twilio.failNext(503);

    await h.services.queueOutbound(items);

    expect(await h.waitForInbox(phone, 1)).toEqual(['the next one']);
    const { rows } = await h.services.db.query(
      'SELECT status, attempts, error_code FROM outbound_messages WHERE id = $1',
      [lastTry],
    );
    expect(rows).toEqual([{ status: 'failed', attempts: 8, error_code: '20500' }]);
  });
});
