import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type {
  AssistedRequestRepository,
  NewAssistedRequest,
} from '../../src/domain/assisted/assisted-request.ts';

/**
 * What a contract run needs. The suite calls the factory once, `reset` before each test (it may replace
 * `repository`), `newMember` for a team member to make requests (a real row where the storage checks it), and
 * `newCitizenId` for an account to open.
 */
export interface AssistedRequestRepositoryFixture {
  repository: AssistedRequestRepository;
  newMember(): Promise<{ teamId: string; memberId: string }>;
  newCitizenId(): Promise<string>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const T0 = new Date('2026-11-27T03:00:00Z');
const MINUTE = 60_000;
const LIMITS = { maxPending: 3, maxPerHour: 60 };
const MAX_WRONG = 5;

let refs = 0;

/** A request of `member` for `phone`, made at `at` (15 minutes to answer). */
export function newRequest(
  member: { teamId: string; memberId: string },
  overrides: Partial<NewAssistedRequest> = {},
): NewAssistedRequest {
  refs += 1;
  const createdAt = overrides.createdAt ?? T0;
  return {
    ...member,
    volunteerChannel: 'zalo-oa',
    volunteerAddress: '246845883529197922',
    neighbourPhone: `+8490500${String(refs).padStart(4, '0')}`,
    fullName: 'Trần Thị Bé',
    cccd: '048150001234',
    dateOfBirth: '1950-01-01',
    language: 'vi',
    codeHash: 'hash-of-123456',
    ref: `ref-${refs}-${Math.random()}`,
    createdAt,
    expiresAt: new Date(createdAt.getTime() + 15 * MINUTE),
    ...overrides,
  };
}

/**
 * The behaviour every {@link AssistedRequestRepository} (PostgreSQL, PGlite, the in-memory fake) must show; see
 * the contract in src/domain/assisted/assisted-request.ts. Call it once per implementation.
 */
export function describeAssistedRequestRepositoryContract(
  name: string,
  factory: () => Promise<AssistedRequestRepositoryFixture>,
): void {
  describe(`AssistedRequestRepository contract: ${name}`, () => {
    let fixture: AssistedRequestRepositoryFixture;
    const repo = () => fixture.repository;
    let member: { teamId: string; memberId: string };

    const created = async (overrides: Partial<NewAssistedRequest> = {}, by = member) => {
      const outcome = await repo().create(newRequest(by, overrides), LIMITS);
      if (outcome.type !== 'created') throw new Error(`expected created, got ${outcome.type}`);
      return outcome.request;
    };

    beforeAll(async () => {
      fixture = await factory();
    });
    beforeEach(async () => {
      await fixture.reset();
      member = await fixture.newMember();
    });
    afterAll(async () => {
      await fixture.close();
    });

    it('stores a pending request, found by id, by the phone waiting for it and among the member’s', async () => {
      const input = newRequest(member);
      const outcome = await repo().create(input, LIMITS);

      expect(outcome).toEqual({
        type: 'created',
        request: {
          id: expect.any(String),
          teamId: member.teamId,
          memberId: member.memberId,
          volunteerChannel: 'zalo-oa',
          volunteerAddress: '246845883529197922',
          neighbourPhone: input.neighbourPhone,
          fullName: 'Trần Thị Bé',
          cccd: '048150001234',
          dateOfBirth: '1950-01-01',
          language: 'vi',
          status: 'pending',
          wrongCodes: 0,
          codeHash: 'hash-of-123456',
          createdAt: T0,
          expiresAt: input.expiresAt,
          decidedAt: null,
          how: null,
          failure: null,
          citizenId: null,
        },
      });
      if (outcome.type !== 'created') return;
      await expect(repo().findById(outcome.request.id)).resolves.toEqual(outcome.request);
      await expect(repo().pendingForPhone(input.neighbourPhone, T0)).resolves.toEqual(outcome.request);
      await expect(repo().pendingOfMember(member.memberId, T0)).resolves.toEqual([outcome.request]);
      await expect(repo().findById('00000000-0000-4000-8000-000000000000')).resolves.toBeNull();
      await expect(repo().findById('not-a-uuid')).resolves.toBeNull();
    });

    it('creates once per ref: asking again returns the same request', async () => {
      const input = newRequest(member);
      const first = await repo().create(input, LIMITS);
      const again = await repo().create(input, LIMITS);

      expect(again).toEqual(first);
      await expect(repo().pendingOfMember(member.memberId, T0)).resolves.toHaveLength(1);
    });

    it('refuses a fourth pending request of one member, and counts none past its expiry', async () => {
      for (let i = 0; i < 3; i += 1) await created();

      await expect(repo().create(newRequest(member), LIMITS)).resolves.toEqual({ type: 'too_many_pending' });
      const later = new Date(T0.getTime() + 16 * MINUTE);
      await expect(repo().create(newRequest(member, { createdAt: later }), LIMITS)).resolves.toMatchObject({
        type: 'created',
      });
      const other = await fixture.newMember();
      await expect(repo().create(newRequest(other), LIMITS)).resolves.toMatchObject({ type: 'created' });
    });

    it('refuses more requests than the hourly limit in any rolling hour', async () => {
      const limits = { maxPending: 3, maxPerHour: 4 };
      for (let i = 0; i < 4; i += 1) {
        const at = new Date(T0.getTime() + i * 20 * MINUTE);
        const outcome = await repo().create(newRequest(member, { createdAt: at }), limits);
        expect(outcome.type).toBe('created');
      }
      const at60 = new Date(T0.getTime() + 60 * MINUTE - 1);
      await expect(repo().create(newRequest(member, { createdAt: at60 }), limits)).resolves.toEqual({
        type: 'hourly_limit',
      });
      const at61 = new Date(T0.getTime() + 61 * MINUTE);
      await expect(repo().create(newRequest(member, { createdAt: at61 }), limits)).resolves.toMatchObject({
        type: 'created',
      });
    });

    it('lets one request at a time wait for a phone; one past its expiry gives way, expired', async () => {
      const first = await created({ neighbourPhone: '+84905123456' });
      const other = await fixture.newMember();

      await expect(
        repo().create(newRequest(other, { neighbourPhone: '+84905123456' }), LIMITS),
      ).resolves.toEqual({ type: 'phone_pending' });
      const later = new Date(T0.getTime() + 15 * MINUTE);
      const second = await repo().create(
        newRequest(other, { neighbourPhone: '+84905123456', createdAt: later }),
        LIMITS,
      );
      expect(second.type).toBe('created');
      await expect(repo().findById(first.id)).resolves.toMatchObject({ status: 'expired' });
    });

    it('takes a yes reply as consent, once: a later decision changes nothing', async () => {
      const request = await created();
      const at = new Date(T0.getTime() + MINUTE);

      const outcome = await repo().decide(request.id, { type: 'reply', answer: 'yes' }, at, MAX_WRONG);
      expect(outcome).toEqual({
        type: 'consented',
        request: { ...request, status: 'consented', how: 'reply', decidedAt: at, codeHash: null },
      });
      await expect(
        repo().decide(request.id, { type: 'reply', answer: 'no' }, at, MAX_WRONG),
      ).resolves.toMatchObject({ type: 'not_pending', request: { status: 'consented' } });
      await expect(repo().pendingForPhone(request.neighbourPhone, at)).resolves.toBeNull();
      await expect(repo().findById(request.id)).resolves.toMatchObject({
        status: 'consented',
        fullName: 'Trần Thị Bé',
        cccd: '048150001234',
      });
    });

    it('takes the right code as consent by code, and a no as a refusal that erases the data', async () => {
      const byCode = await created();
      const refused = await created();
      const at = new Date(T0.getTime() + MINUTE);

      await expect(
        repo().decide(byCode.id, { type: 'code', codeHash: 'hash-of-123456' }, at, MAX_WRONG),
      ).resolves.toMatchObject({ type: 'consented', request: { how: 'code' } });
      await expect(
        repo().decide(refused.id, { type: 'reply', answer: 'no' }, at, MAX_WRONG),
      ).resolves.toEqual({ type: 'refused', request: refused });
      await expect(repo().findById(refused.id)).resolves.toMatchObject({
        status: 'refused',
        decidedAt: at,
        neighbourPhone: '',
        fullName: '',
        cccd: '',
        dateOfBirth: '',
        volunteerAddress: '',
      });
    });

    it('counts wrong codes and fails the request at the fifth, even with the right code after', async () => {
      const request = await created();
      const at = new Date(T0.getTime() + MINUTE);
      const wrong = { type: 'code' as const, codeHash: 'hash-of-654321' };

      for (let left = 4; left >= 1; left -= 1) {
        await expect(repo().decide(request.id, wrong, at, MAX_WRONG)).resolves.toMatchObject({
          type: 'wrong_code',
          triesLeft: left,
        });
      }
      await expect(repo().decide(request.id, wrong, at, MAX_WRONG)).resolves.toMatchObject({
        type: 'failed',
        request: { wrongCodes: 5 },
      });
      await expect(
        repo().decide(request.id, { type: 'code', codeHash: 'hash-of-123456' }, at, MAX_WRONG),
      ).resolves.toMatchObject({ type: 'not_pending', request: { status: 'failed' } });
      await expect(repo().findById(request.id)).resolves.toMatchObject({
        status: 'failed',
        failure: 'wrong_codes',
        wrongCodes: 5,
        fullName: '',
      });
    });

    it('expires a request at its expiry, not before; a late answer finds it expired', async () => {
      const early = await created();
      const late = await created();
      const before = new Date(T0.getTime() + 15 * MINUTE - 1);
      const after = new Date(T0.getTime() + 15 * MINUTE);

      await expect(repo().decide(early.id, { type: 'expire' }, before, MAX_WRONG)).resolves.toMatchObject({
        type: 'not_pending',
        request: { status: 'pending' },
      });
      await expect(repo().decide(early.id, { type: 'expire' }, after, MAX_WRONG)).resolves.toEqual({
        type: 'expired',
        request: early,
      });
      await expect(
        repo().decide(late.id, { type: 'reply', answer: 'yes' }, after, MAX_WRONG),
      ).resolves.toMatchObject({ type: 'expired' });
      await expect(repo().pendingOfMember(member.memberId, before)).resolves.toEqual([]);
      await expect(repo().findById(late.id)).resolves.toMatchObject({ status: 'expired', cccd: '' });
    });

    it('names the pending requests past a time as overdue, oldest first, up to the limit', async () => {
      const first = await created();
      const second = await created({ createdAt: new Date(T0.getTime() + MINUTE) });
      const answered = await created();
      await repo().decide(answered.id, { type: 'reply', answer: 'no' }, T0, MAX_WRONG);
      const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);

      await expect(repo().overdue(at(15), 10)).resolves.toEqual([first.id]);
      await expect(repo().overdue(at(14), 10)).resolves.toEqual([]);
      await expect(repo().overdue(at(20), 10)).resolves.toEqual([first.id, second.id]);
      await expect(repo().overdue(at(20), 1)).resolves.toEqual([first.id]);
    });

    it('lets exactly one of a yes reply and the right code at once consent', async () => {
      for (let round = 0; round < 5; round += 1) {
        const request = await created();
        const at = new Date(T0.getTime() + MINUTE);
        const outcomes = await Promise.all([
          repo().decide(request.id, { type: 'reply', answer: 'yes' }, at, MAX_WRONG),
          repo().decide(request.id, { type: 'code', codeHash: 'hash-of-123456' }, at, MAX_WRONG),
          repo().decide(request.id, { type: 'reply', answer: 'no' }, at, MAX_WRONG),
        ]);
        const moved = outcomes.filter((o) => o?.type !== 'not_pending');
        expect(moved).toHaveLength(1);
      }
    });

    it('opens only a consented request, or fails it; both erase its data', async () => {
      const opened = await created();
      const failed = await created();
      const pending = await created();
      const at = new Date(T0.getTime() + MINUTE);
      const citizenId = await fixture.newCitizenId();
      await repo().decide(opened.id, { type: 'reply', answer: 'yes' }, at, MAX_WRONG);
      await repo().decide(failed.id, { type: 'reply', answer: 'yes' }, at, MAX_WRONG);

      await expect(repo().markOpened(pending.id, citizenId, at)).resolves.toBe(false);
      await expect(repo().markFailed(pending.id, 'cccd_taken', at)).resolves.toBe(false);
      await expect(repo().markOpened(opened.id, citizenId, at)).resolves.toBe(true);
      await expect(repo().markOpened(opened.id, citizenId, at)).resolves.toBe(false);
      await expect(repo().markFailed(failed.id, 'phone_taken', at)).resolves.toBe(true);

      await expect(repo().findById(opened.id)).resolves.toMatchObject({
        status: 'opened',
        citizenId,
        how: 'reply',
        neighbourPhone: '',
        fullName: '',
      });
      await expect(repo().findById(failed.id)).resolves.toMatchObject({
        status: 'failed',
        failure: 'phone_taken',
        citizenId: null,
        cccd: '',
      });
      await expect(repo().findById(pending.id)).resolves.toMatchObject({ status: 'pending' });
    });
  });
}
