import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/messaging/inbound-message.ts';
import type { InboxPort } from '../fakes/in-memory-inbox.ts';
import type { OutboxPort } from '../fakes/in-memory-outbox.ts';

/** What a contract run needs; `reset` before each test may replace `inbox` (the suite reads it again). */
export interface InboxFixture {
  inbox: InboxPort;
  /** The outbox of the same store (the inbox records a turn's sent replies in it). */
  outbox: OutboxPort;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const SMS = 'twilio-sms' as const;
const PHONE = '+84905123456';
const KEY = 'conv-a';

function inbound(providerMessageId: string, text = 'DK Nguyễn Văn An'): InboundMessage {
  return { channel: SMS, providerMessageId, from: PHONE, text, receivedAt: '2025-06-01T08:00:00.000Z' };
}

/**
 * The behaviour every inbox (PostgreSQL, PGlite, the in-memory fake) shows to intake and the turn stage: a
 * provider message stored once, a conversation's messages handed out oldest first until handled, failed turns
 * counted and a message given up once. Call it once per implementation.
 */
export function describeInboxContract(name: string, factory: () => Promise<InboxFixture>): void {
  describe(`Inbox contract: ${name}`, () => {
    let fixture: InboxFixture;
    const inbox = () => fixture.inbox;

    beforeAll(async () => {
      fixture = await factory();
    });
    beforeEach(async () => {
      await fixture.reset();
    });
    afterAll(async () => {
      await fixture.close();
    });

    it('accepts a provider message once: a retry is not fresh, has the same id, and says whether it waits', async () => {
      const first = await inbox().accept(inbound('SM1'), KEY);
      expect(first).toEqual({ id: expect.any(Number), fresh: true, pending: true });
      await expect(inbox().accept(inbound('SM1'), KEY)).resolves.toEqual({
        id: first.id,
        fresh: false,
        pending: true,
      });
      await inbox().markProcessed(first.id);
      await expect(inbox().accept(inbound('SM1'), KEY)).resolves.toEqual({
        id: first.id,
        fresh: false,
        pending: false,
      });
    });

    it("hands out a conversation's oldest waiting message, whole, until it is handled", async () => {
      const a = await inbox().accept(inbound('SM1', 'DK'), KEY);
      await inbox().accept(inbound('SM2', 'other conversation'), 'conv-b');
      const c = await inbox().accept(inbound('SM3', 'Nguyễn Văn An'), KEY);
      await expect(inbox().nextPending(KEY)).resolves.toEqual({
        id: a.id,
        message: inbound('SM1', 'DK'),
        defectAttempts: 0,
      });
      await inbox().markProcessed(a.id);
      await expect(inbox().nextPending(KEY)).resolves.toMatchObject({ id: c.id });
      await inbox().markProcessed(c.id);
      await expect(inbox().nextPending(KEY)).resolves.toBeNull();
    });

    it('says whether a message still waits: until it is handled or given up on; an unknown id does not', async () => {
      const a = await inbox().accept(inbound('SM1', 'DK'), KEY);
      const b = await inbox().accept(inbound('SM2', 'TT'), KEY);
      await expect(inbox().isPending(a.id)).resolves.toBe(true);
      await inbox().markProcessed(a.id);
      await expect(inbox().isPending(a.id)).resolves.toBe(false);
      await expect(inbox().isPending(b.id)).resolves.toBe(true);
      await inbox().markFailed(b.id);
      await expect(inbox().isPending(b.id)).resolves.toBe(false);
      await expect(inbox().isPending(b.id + 1000)).resolves.toBe(false);
    });

    it('marks a message handled and hands out the next of its conversation in one call', async () => {
      const a = await inbox().accept(inbound('SM1', 'DK'), KEY);
      await inbox().accept(inbound('SM2'), 'conv-b');
      const c = await inbox().accept(inbound('SM3', 'TT'), KEY);
      await expect(inbox().markProcessedAndNext(a.id, KEY)).resolves.toEqual({
        id: c.id,
        message: inbound('SM3', 'TT'),
        defectAttempts: 0,
      });
      await expect(inbox().markProcessedAndNext(c.id, KEY)).resolves.toBeNull();
      await expect(inbox().nextPending(KEY)).resolves.toBeNull();
      await expect(inbox().accept(inbound('SM3'), KEY)).resolves.toMatchObject({ pending: false });
    });

    it("records the acceptance of a turn's replies sent at once with marking the message handled", async () => {
      const a = await inbox().accept(inbound('SM1', 'HD'), KEY);
      const reply = (n: number) => ({
        dedupeKey: `in-${a.id}-${n}`,
        channel: SMS,
        to: PHONE,
        reply: { text: `help ${n}` },
        language: 'vi' as const,
        purpose: 'reply' as const,
      });
      const [first = -1, second = -1, refused = -1] = await fixture.outbox.add([
        reply(0),
        reply(1),
        reply(2),
      ]);
      await fixture.outbox.markFailed(refused, '21211');
      await expect(
        inbox().markProcessedAndNext(a.id, KEY, [
          { id: first, providerMessageId: 'p-1', segments: 1 },
          { id: refused, providerMessageId: 'p-3', segments: undefined },
        ]),
      ).resolves.toBeNull();
      await expect(fixture.outbox.get(first)).resolves.toMatchObject({ status: 'queued', attempts: 1 });
      await expect(fixture.outbox.get(second)).resolves.toMatchObject({ status: 'pending', attempts: 0 });
      await expect(fixture.outbox.get(refused)).resolves.toMatchObject({ status: 'failed', attempts: 1 });
      await expect(inbox().nextPending(KEY)).resolves.toBeNull();
    });

    it('counts failed turns, gives a message up once, lets the next one through, and lists it', async () => {
      const poison = await inbox().accept(inbound('SM-poison'), KEY);
      const after = await inbox().accept(inbound('SM-after-poison'), KEY);
      await expect(
        inbox().recordFailure(poison.id, { errorClass: 'ECONNREFUSED', defect: false }),
      ).resolves.toEqual({ attempts: 1, defectAttempts: 0 });
      await expect(
        inbox().recordFailure(poison.id, { errorClass: 'TypeError', defect: true }),
      ).resolves.toEqual({
        attempts: 2,
        defectAttempts: 1,
      });
      await expect(inbox().nextPending(KEY)).resolves.toMatchObject({ id: poison.id, defectAttempts: 1 });

      await expect(inbox().markFailed(poison.id)).resolves.toBe(true);
      await expect(inbox().markFailed(poison.id)).resolves.toBe(false);
      await expect(inbox().nextPending(KEY)).resolves.toMatchObject({ id: after.id });
      await expect(inbox().accept(inbound('SM-poison'), KEY)).resolves.toEqual({
        id: poison.id,
        fresh: false,
        pending: false,
      });
      await expect(inbox().listFailed({ limit: 10 })).resolves.toEqual([
        {
          id: poison.id,
          channel: SMS,
          receivedAt: expect.any(Date),
          failedAt: expect.any(Date),
          attempts: 2,
          errorClass: 'TypeError',
        },
      ]);
      await expect(inbox().listFailed({ limit: 10, before: poison.id })).resolves.toEqual([]);
    });
  });
}
