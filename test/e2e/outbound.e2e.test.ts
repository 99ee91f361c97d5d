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

  it('records a permanent refusal (21610, the number opted out at the carrier) without retrying, and keeps the job', async () => {
    const phone = '+84905600001';
    h.twilio.failNext(400, 21610);
    const attemptsBefore = h.twilio.attempts;

    expect((await h.sms(phone, 'HD')).status).toBe(200);
    const row = await eventually(async () => {
      const found = await outboundRow(phone);
      return found?.status === 'failed' ? found : undefined;
    });
    await sleep(500);

    expect(row).toMatchObject({ status: 'failed', error_code: '21610' });
    expect(h.twilio.attempts - attemptsBefore).toBe(1);
    const job = await h.services.queues.outbound.getJob(`out-${row.id}`);
    expect(await job?.getState()).toBe('failed');
    expect(job?.failedReason).toMatch(/21610/);
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
    expect(row).toMatchObject({ status: 'queued', attempts: 2, error_code: '20500' });
  });

  it('never sends to a number that opted out, even what was queued before', async () => {
    const phone = '+84905600003';
    await h.say(phone, 'HD');
    await h.services.contacts.setOptedOut('twilio-sms', phone, true, new Date());
    const [id] = await h.services.outbox.add([
      {
        dedupeKey: 'manual-1',
        channel: 'twilio-sms',
        to: phone,
        reply: { text: 'x' },
        language: 'vi',
        purpose: 'notification',
      },
    ]);
    await h.services.queues.outbound.add('send', { outboundId: id ?? 0 }, { jobId: `out-${id}` });

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
    const add = async (dedupeKey: string, text: string, purpose: 'reply' | 'notification') => {
      const [id] = await h.services.outbox.add([
        { dedupeKey, channel: 'twilio-sms', to: phone, reply: { text }, language: 'vi', purpose },
      ]);
      await h.services.queues.outbound.add('send', { outboundId: id ?? 0 }, { jobId: `out-${id}` });
    };
    await add('order-reply', 'the reply', 'reply');
    await held.arrived;
    await add('order-notification', 'the notification', 'notification');
    await sleep(700);
    expect(h.inbox(phone)).toEqual([]);

    held.release();

    expect(await h.waitForInbox(phone, 2)).toEqual(['the reply', 'the notification']);
  });
});
