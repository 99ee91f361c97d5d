import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelId } from '../../src/messaging/channel.ts';
import type { NewOutbound, Recipient } from '../../src/storage/postgres/outbox.ts';
import type { OutboxPort } from '../fakes/in-memory-outbox.ts';

/** What a contract run needs; `reset` before each test may replace `outbox` (the suite reads it again). */
export interface OutboxFixture {
  outbox: OutboxPort;
  recipientOf(channel: ChannelId, address: string): Recipient;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const SMS = 'twilio-sms' as const;
const PHONE = '+84905123456';

function outbound(dedupeKey: string): NewOutbound {
  return {
    dedupeKey,
    channel: SMS,
    to: PHONE,
    reply: { text: 'Chào Nguyễn Văn An', choices: [{ label: 'Có', payload: 'yes' }] },
    language: 'vi',
    purpose: 'reply',
  };
}

/**
 * The behaviour every outbox (PostgreSQL, PGlite, the in-memory fake) shows to the turn and send stages: a
 * message stored once per dedupe key, a recipient's due messages oldest first, and only a pending message moved
 * on (sent, refused for now, failed, suppressed), every attempt counted. Call it once per implementation.
 */
export function describeOutboxContract(name: string, factory: () => Promise<OutboxFixture>): void {
  describe(`Outbox contract: ${name}`, () => {
    let fixture: OutboxFixture;
    const outbox = () => fixture.outbox;

    beforeAll(async () => {
      fixture = await factory();
    });
    beforeEach(async () => {
      await fixture.reset();
    });
    afterAll(async () => {
      await fixture.close();
    });

    it('stores a message once per dedupe key, pending, and gives it back whole', async () => {
      const [first] = await outbox().add([outbound('turn-1-0')]);
      const again = await outbox().add([outbound('turn-1-0'), outbound('turn-1-1')]);
      expect(again[0]).toBe(first);
      expect(again[1]).not.toBe(first);
      const record = await outbox().get(first ?? -1);
      expect(record).toMatchObject({ status: 'pending', purpose: 'reply', attempts: 0, citizenId: null });
      expect(record?.message).toEqual({
        channel: SMS,
        to: PHONE,
        reply: outbound('x').reply,
        language: 'vi',
        clientRef: `out-${first}`,
      });
      await expect(outbox().get(-5)).resolves.toBeNull();
    });

    it('moves only a pending message on: sent, failed or suppressed, counting every attempt', async () => {
      const [pending = -1, sent = -1, refused = -1] = await outbox().add([
        outbound('turn-1-0'),
        outbound('turn-1-1'),
        outbound('turn-1-2'),
      ]);
      await outbox().markSent(sent, 'SMout2', 1);
      await outbox().markSuppressed(pending, 'OPTED_OUT');
      await outbox().markFailed(sent, '21211');
      await outbox().markFailed(pending, '21211');
      await outbox().recordAttempt(pending, '20500');
      await expect(outbox().get(pending)).resolves.toMatchObject({ status: 'suppressed', attempts: 0 });
      await expect(outbox().get(sent)).resolves.toMatchObject({ status: 'queued', attempts: 1 });

      await outbox().recordAttempt(refused, '20500');
      await outbox().recordAttempt(refused, '20429');
      await expect(outbox().get(refused)).resolves.toMatchObject({ status: 'pending', attempts: 2 });
      await outbox().markFailed(refused, '21211');
      await expect(outbox().get(refused)).resolves.toMatchObject({ status: 'failed', attempts: 3 });
    });

    it("gives a recipient's due messages oldest first, past those held until later and other recipients'", async () => {
      const at = new Date('2026-03-10T15:00:00Z');
      const later = new Date('2026-03-11T00:00:00Z');
      const other = { ...outbound('other-0'), to: '+84905999000' };
      const [first = -1, held = -1, , third = -1, sent = -1, fourth = -1] = await outbox().add([
        outbound('turn-1-0'),
        { ...outbound('notice-1'), notBefore: later, purpose: 'notification', citizenId: undefined },
        other,
        outbound('turn-2-0'),
        outbound('turn-3-0'),
        outbound('turn-4-0'),
      ]);
      await outbox().markSent(sent, 'SMout4', 1);
      const recipient = fixture.recipientOf(SMS, PHONE);
      const idOf = async (now: Date, after?: number) => (await outbox().nextDue(recipient, now, after))?.id;

      await expect(idOf(at)).resolves.toBe(first);
      await expect(idOf(at, first)).resolves.toBe(third);
      await expect(idOf(at, third)).resolves.toBe(fourth);
      await expect(idOf(at, fourth)).resolves.toBeUndefined();
      await expect(idOf(later, first)).resolves.toBe(held);
      await expect(outbox().nextDue(fixture.recipientOf(SMS, other.to), at)).resolves.toMatchObject({
        message: { to: other.to },
      });
      await expect(outbox().nextDue(fixture.recipientOf('telegram', PHONE), at)).resolves.toBeNull();
    });
  });
}
