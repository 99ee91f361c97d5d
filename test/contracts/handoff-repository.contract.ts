import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HandoffHolder, HandoffRepository, NewHandoff } from '../../src/domain/handoffs/handoff.ts';

/**
 * What a contract run needs. The suite calls the factory once, `reset` before each test (it may replace
 * `repository`: the suite reads the property again after each reset) and `close` at the end. `newMember` makes a
 * team member (a team of `wardCode` and one member in it) and `newCitizenId` an account, as the tables' foreign
 * keys want them.
 */
export interface HandoffRepositoryFixture {
  repository: HandoffRepository;
  newMember(wardCode?: string): Promise<{ memberId: string; teamId: string }>;
  newCitizenId(): Promise<string>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const AT = new Date('2026-11-27T03:00:00Z');
const later = (minutes: number) => new Date(AT.getTime() + minutes * 60_000);
const CITIZEN_CHAT = { channel: 'zalo-oa', address: '246845883529197922' };

/** A request for a person from `chat`. */
export function newHandoff(overrides: Partial<NewHandoff> = {}): NewHandoff {
  return {
    chat: CITIZEN_CHAT,
    citizenId: null,
    wardCode: '20194',
    reason: 'asked',
    firstMessage: 'Tôi không đăng ký được',
    ref: `ref-${Math.random().toString(36).slice(2)}`,
    ...overrides,
  };
}

/**
 * The behaviour every {@link HandoffRepository} (PostgreSQL, PGlite, the in-memory fake) must show; see the
 * contract in src/domain/handoffs/handoff.ts. Call it once per implementation.
 */
export function describeHandoffRepositoryContract(
  name: string,
  factory: () => Promise<HandoffRepositoryFixture>,
): void {
  describe(`HandoffRepository contract: ${name}`, () => {
    let fixture: HandoffRepositoryFixture;
    const repo = () => fixture.repository;

    async function opened(overrides: Partial<NewHandoff> = {}) {
      const outcome = await repo().open(newHandoff(overrides), AT);
      if (outcome.type !== 'opened') throw new Error(`expected opened, got ${outcome.type}`);
      return outcome.handoff;
    }
    async function holder(address = '+84905000111'): Promise<HandoffHolder> {
      const member = await fixture.newMember();
      return { ...member, chat: { channel: 'twilio-sms', address } };
    }

    beforeAll(async () => {
      fixture = await factory();
    });
    beforeEach(async () => {
      await fixture.reset();
    });
    afterAll(async () => {
      await fixture.close();
    });

    it('opens a hand-off for a chat, with the request as the first message of its thread', async () => {
      const citizenId = await fixture.newCitizenId();
      const handoff = await opened({ citizenId });

      expect(handoff).toEqual({
        id: expect.any(Number),
        chat: CITIZEN_CHAT,
        citizenId,
        wardCode: '20194',
        reason: 'asked',
        status: 'open',
        holder: null,
        createdAt: AT,
        takenAt: null,
        closedAt: null,
        closedBy: null,
        waitingNoticeAt: null,
      });
      expect(handoff.id).toBeGreaterThan(0);
      await expect(repo().findById(handoff.id)).resolves.toEqual(handoff);
      await expect(repo().activeForChat(CITIZEN_CHAT)).resolves.toEqual(handoff);
      await expect(repo().thread(handoff.id)).resolves.toEqual([
        { id: expect.any(Number), author: 'citizen', memberId: null, text: 'Tôi không đăng ký được', at: AT },
      ]);
    });

    it('keeps one active hand-off per chat: another request answers the one there is, the same request opens it', async () => {
      const first = newHandoff();
      const handoff = (await repo().open(first, AT)).handoff;

      await expect(repo().open(newHandoff({ firstMessage: null }), later(1))).resolves.toEqual({
        type: 'already_active',
        handoff,
      });
      await expect(repo().open(first, later(1))).resolves.toEqual({ type: 'opened', handoff });
      await expect(repo().thread(handoff.id)).resolves.toHaveLength(1);
      const other = await opened({
        chat: { channel: 'twilio-sms', address: '+84905123456' },
        firstMessage: null,
      });
      expect(other.id).toBeGreaterThan(handoff.id);
      await expect(repo().thread(other.id)).resolves.toEqual([]);
    });

    it('opens a new hand-off for a chat once the last one is closed', async () => {
      const handoff = await opened();
      await repo().close(handoff.id, { closer: 'citizen' }, later(1));

      const again = await opened();

      expect(again.id).not.toBe(handoff.id);
      await expect(repo().activeForChat(CITIZEN_CHAT)).resolves.toEqual(again);
    });

    it('lets a member take an open hand-off, found then from the holder’s chat', async () => {
      const handoff = await opened();
      const volunteer = await holder();

      const outcome = await repo().take(handoff.id, volunteer, later(2));

      const held = { ...handoff, status: 'held', holder: volunteer, takenAt: later(2) };
      expect(outcome).toEqual({ type: 'taken', handoff: held });
      await expect(repo().heldByChat(volunteer.chat)).resolves.toEqual(held);
      await expect(repo().activeForChat(CITIZEN_CHAT)).resolves.toEqual(held);
      await expect(repo().sidesOfChat(volunteer.chat)).resolves.toEqual({ own: null, held });
      await expect(repo().sidesOfChat(CITIZEN_CHAT)).resolves.toEqual({ own: held, held: null });
      await expect(repo().take(handoff.id, volunteer, later(3))).resolves.toEqual({
        type: 'taken',
        handoff: held,
      });
    });

    it('gives a hand-off to exactly one of several members taking it at once', async () => {
      const handoff = await opened();
      const volunteers = await Promise.all(
        ['+84905000111', '+84905000222', '+84905000333', '+84905000444'].map((phone) => holder(phone)),
      );

      const outcomes = await Promise.all(volunteers.map((v) => repo().take(handoff.id, v, later(2))));

      const winners = outcomes.filter((o) => o.type === 'taken');
      expect(winners).toHaveLength(1);
      expect(outcomes.filter((o) => o.type === 'held_by_other')).toHaveLength(volunteers.length - 1);
      const stored = await repo().findById(handoff.id);
      const winner = winners[0];
      expect(winner?.type === 'taken' && winner.handoff.holder).toEqual(stored?.holder);
      for (const outcome of outcomes) {
        if (outcome.type === 'held_by_other') expect(outcome.handoff.holder).toEqual(stored?.holder);
      }
    });

    it('lets a member hold one hand-off at a time', async () => {
      const first = await opened();
      const second = await opened({ chat: { channel: 'twilio-sms', address: '+84905123456' } });
      const volunteer = await holder();
      await repo().take(first.id, volunteer, later(1));

      const outcome = await repo().take(second.id, volunteer, later(2));

      expect(outcome).toMatchObject({ type: 'holding_another', handoff: { id: first.id } });
      await expect(repo().findById(second.id)).resolves.toMatchObject({ status: 'open', holder: null });
    });

    it('answers not_found for an unknown number and closed for a closed hand-off', async () => {
      const handoff = await opened();
      await repo().close(handoff.id, { closer: 'staff' }, later(1));
      const volunteer = await holder();

      await expect(repo().take(999_999, volunteer, later(2))).resolves.toEqual({ type: 'not_found' });
      await expect(repo().take(handoff.id, volunteer, later(2))).resolves.toMatchObject({ type: 'closed' });
    });

    it('appends messages to an open or held thread once per ref, and not to a closed one', async () => {
      const handoff = await opened({ firstMessage: null });
      const volunteer = await holder();
      const question = await repo().append(
        handoff.id,
        { author: 'citizen', text: 'Xin chào', ref: 'in-1' },
        later(1),
      );
      await repo().take(handoff.id, volunteer, later(2));
      const answer = await repo().append(
        handoff.id,
        { author: 'volunteer', memberId: volunteer.memberId, text: 'Chào bác', ref: 'in-2' },
        later(3),
      );

      await expect(
        repo().append(handoff.id, { author: 'citizen', text: 'again', ref: 'in-1' }, later(4)),
      ).resolves.toEqual(question);
      await repo().close(handoff.id, { closer: 'volunteer', memberId: volunteer.memberId }, later(5));
      await expect(
        repo().append(handoff.id, { author: 'citizen', text: 'late', ref: 'in-3' }, later(6)),
      ).resolves.toBeNull();
      await expect(
        repo().append(123_456, { author: 'citizen', text: 'nobody', ref: 'in-4' }, later(6)),
      ).resolves.toBeNull();
      await expect(repo().thread(handoff.id)).resolves.toEqual([
        { id: expect.any(Number), author: 'citizen', memberId: null, text: 'Xin chào', at: later(1) },
        { id: answer?.id, author: 'volunteer', memberId: volunteer.memberId, text: 'Chào bác', at: later(3) },
      ]);
    });

    it('closes once, recording who and when', async () => {
      const handoff = await opened();

      const outcome = await repo().close(handoff.id, { closer: 'citizen' }, later(4));

      const closed = { ...handoff, status: 'closed', closedAt: later(4), closedBy: 'citizen' };
      expect(outcome).toEqual({ type: 'closed', handoff: closed });
      await expect(repo().close(handoff.id, { closer: 'staff' }, later(5))).resolves.toEqual({
        type: 'already_closed',
        handoff: closed,
      });
      await expect(repo().close(424_242, { closer: 'staff' }, later(5))).resolves.toEqual({
        type: 'not_found',
      });
      await expect(repo().activeForChat(CITIZEN_CHAT)).resolves.toBeNull();
    });

    it('frees the holder’s chat when the hand-off closes', async () => {
      const handoff = await opened();
      const volunteer = await holder();
      await repo().take(handoff.id, volunteer, later(1));

      await repo().close(handoff.id, { closer: 'volunteer', memberId: volunteer.memberId }, later(2));

      await expect(repo().heldByChat(volunteer.chat)).resolves.toBeNull();
      const next = await opened({ chat: { channel: 'twilio-sms', address: '+84905123456' } });
      await expect(repo().take(next.id, volunteer, later(3))).resolves.toMatchObject({ type: 'taken' });
    });

    it('releases what a member holds: open again, no holder, any member may take it, the thread kept', async () => {
      const handoff = await opened();
      const leaving = await holder('+84905000111');
      const other = await holder('+84905000222');
      await repo().take(handoff.id, leaving, later(1));
      await repo().append(handoff.id, { author: 'citizen', text: 'Còn đó không?', ref: 'in-9' }, later(2));

      const released = await repo().release(leaving.memberId, 'volunteer', later(3));

      const open = { ...handoff, status: 'open', holder: null, takenAt: null };
      expect(released).toEqual(open);
      await expect(repo().findById(handoff.id)).resolves.toEqual(open);
      await expect(repo().heldByChat(leaving.chat)).resolves.toBeNull();
      await expect(repo().activeForChat(CITIZEN_CHAT)).resolves.toEqual(open);
      await expect(repo().sidesOfChat(leaving.chat)).resolves.toEqual({ own: null, held: null });
      await expect(repo().release(leaving.memberId, 'volunteer', later(4))).resolves.toBeNull();
      expect((await repo().thread(handoff.id)).map((m) => m.text)).toEqual([
        'Tôi không đăng ký được',
        'Còn đó không?',
      ]);
      await expect(repo().take(handoff.id, other, later(5))).resolves.toMatchObject({
        type: 'taken',
        handoff: { status: 'held', holder: other, takenAt: later(5) },
      });
    });

    it('releases nothing for a member who holds nothing, and never a closed hand-off', async () => {
      const handoff = await opened();
      const volunteer = await holder();
      const idle = await holder('+84905000999');
      await repo().take(handoff.id, volunteer, later(1));

      await expect(repo().release(idle.memberId, 'staff', later(2))).resolves.toBeNull();
      await repo().close(handoff.id, { closer: 'volunteer', memberId: volunteer.memberId }, later(3));
      await expect(repo().release(volunteer.memberId, 'staff', later(4))).resolves.toBeNull();
      await expect(repo().findById(handoff.id)).resolves.toMatchObject({
        status: 'closed',
        holder: volunteer,
      });
    });

    it('sets the waiting notice once, and only while nobody has taken the hand-off', async () => {
      const waiting = await opened();
      const taken = await opened({ chat: { channel: 'twilio-sms', address: '+84905123456' } });
      await repo().take(taken.id, await holder(), later(1));

      await expect(repo().markWaitingNotice(waiting.id, later(10))).resolves.toBe(true);
      await expect(repo().markWaitingNotice(waiting.id, later(11))).resolves.toBe(false);
      await expect(repo().markWaitingNotice(taken.id, later(10))).resolves.toBe(false);
      await expect(repo().markWaitingNotice(777_777, later(10))).resolves.toBe(false);
      await expect(repo().findById(waiting.id)).resolves.toMatchObject({
        status: 'open',
        waitingNoticeAt: later(10),
      });
    });

    it('lists hand-offs by status, newest first', async () => {
      const a = await opened({ chat: { channel: 'twilio-sms', address: '+84905000001' } });
      const b = await opened({ chat: { channel: 'twilio-sms', address: '+84905000002' } });
      const c = await opened({ chat: { channel: 'twilio-sms', address: '+84905000003' } });
      await repo().take(b.id, await holder(), later(1));
      await repo().close(c.id, { closer: 'staff' }, later(2));

      const ids = async (status?: 'open' | 'held' | 'closed') =>
        (await repo().list(status ? { status } : {})).map((h) => h.id);

      await expect(ids('open')).resolves.toEqual([a.id]);
      await expect(ids('held')).resolves.toEqual([b.id]);
      await expect(ids('closed')).resolves.toEqual([c.id]);
      await expect(ids()).resolves.toEqual([c.id, b.id, a.id]);
      await expect(repo().list({ limit: 2 })).resolves.toHaveLength(2);
    });

    it('forgets the hand-offs of a purged account and of its chats, and no others', async () => {
      const citizenId = await fixture.newCitizenId();
      const byAccount = await opened({ citizenId, chat: { channel: 'twilio-sms', address: '+84905000001' } });
      await repo().close(byAccount.id, { closer: 'citizen' }, later(1));
      const byChat = await opened({ citizenId: null });
      const volunteer = await holder();
      await repo().take(byChat.id, volunteer, later(2));
      await repo().append(byChat.id, { author: 'volunteer', text: 'Chào bác An', ref: 'in-9' }, later(3));
      const other = await opened({ chat: { channel: 'twilio-sms', address: '+84905999999' } });

      await repo().forgetChats(citizenId, [CITIZEN_CHAT], later(5));

      await expect(repo().thread(byAccount.id)).resolves.toEqual([]);
      await expect(repo().thread(byChat.id)).resolves.toEqual([]);
      await expect(repo().findById(byAccount.id)).resolves.toMatchObject({
        chat: { address: '' },
        status: 'closed',
        closedBy: 'citizen',
        closedAt: later(1),
      });
      await expect(repo().findById(byChat.id)).resolves.toMatchObject({
        chat: { address: '' },
        status: 'closed',
        closedBy: 'system',
        closedAt: later(5),
      });
      await expect(repo().activeForChat(CITIZEN_CHAT)).resolves.toBeNull();
      await expect(repo().heldByChat(volunteer.chat)).resolves.toBeNull();
      await expect(repo().thread(other.id)).resolves.toHaveLength(1);
      await expect(repo().findById(other.id)).resolves.toMatchObject({ status: 'open' });
      // The chat may ask for a person again.
      await expect(repo().open(newHandoff(), later(6))).resolves.toMatchObject({ type: 'opened' });
    });
  });
}
