import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RegisteredBy } from '../../src/domain/citizens/citizen.ts';
import type { CitizenRepository, NewCitizen } from '../../src/domain/citizens/citizen-repository.ts';

/**
 * What a contract run needs. The suite calls the factory once, `reset` before each test (it may replace
 * `repository`: the suite reads the property again after each reset) and `close` at the end.
 */
export interface CitizenRepositoryFixture {
  repository: CitizenRepository;
  /** Makes a team with one member (in storage, where accounts refer to them) and resolves their ids. */
  newTeamMember(): Promise<RegisteredBy>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** An account request as the registration flow makes it; `overrides` change single fields. */
export function newCitizen(overrides: Partial<NewCitizen> = {}): NewCitizen {
  return {
    fullName: 'Nguyễn Văn An',
    cccd: '048090001234',
    dateOfBirth: '1990-02-15',
    accountCode: 'ABCD2345',
    phone: '+84905123456',
    createdVia: 'twilio-sms',
    createdByRef: `twilio-sms:${randomUUID()}`,
    actor: { kind: 'citizen', id: 'twilio-sms:message-ref' },
    registeredBy: null,
    consent: {
      purpose: 'account_registration',
      textVersion: 'reg-2025-01',
      channel: 'twilio-sms',
      language: 'vi',
    },
    ...overrides,
  };
}

/**
 * Opens accounts in `citizens`, each with its own phone, CCCD and account code (the n-th of this opener), for
 * contracts whose records belong to an account; each call resolves the new account's id.
 */
export function accountOpener(citizens: CitizenRepository): () => Promise<string> {
  let n = 0;
  return async () => {
    n += 1;
    const outcome = await citizens.create(
      newCitizen({
        phone: `+8490${String(n).padStart(7, '0')}`,
        cccd: `04809${String(n).padStart(7, '0')}`,
        // n in base 8 written with the digits 2-9 of the code alphabet: distinct for every n.
        accountCode: `CT${[...n.toString(8).padStart(6, '0')].map((d) => Number(d) + 2).join('')}`,
      }),
    );
    if (outcome.type !== 'created') throw new Error(`could not create an account: ${outcome.type}`);
    return outcome.citizen.id;
  };
}

/**
 * The behaviour every {@link CitizenRepository} (PostgreSQL, PGlite, the in-memory fake) must show; see the
 * contract in src/domain/citizens/citizen-repository.ts. Call it once per implementation.
 */
export function describeCitizenRepositoryContract(
  name: string,
  factory: () => Promise<CitizenRepositoryFixture>,
): void {
  describe(`CitizenRepository contract: ${name}`, () => {
    let fixture: CitizenRepositoryFixture;
    const repo = () => fixture.repository;

    /** Creates an account and fails the test unless it was created. */
    async function created(input: NewCitizen) {
      const outcome = await repo().create(input);
      if (outcome.type !== 'created') throw new Error(`expected created, got ${outcome.type}`);
      return outcome.citizen;
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

    it('creates a provisional account with its code, phone and channel', async () => {
      const before = Date.now();
      const citizen = await created(newCitizen());
      expect(citizen).toMatchObject({
        accountCode: 'ABCD2345',
        status: 'provisional',
        mismatchField: null,
        phone: '+84905123456',
        createdVia: 'twilio-sms',
        verifiedAt: null,
        closedAt: null,
        purgeAfter: null,
      });
      expect(citizen.id).toEqual(expect.any(String));
      expect(citizen.createdAt).toBeInstanceOf(Date);
      expect(Math.abs(citizen.createdAt.getTime() - before)).toBeLessThan(60_000);
    });

    it('has no registeredBy for an account the citizen opened', async () => {
      const citizen = await created(newCitizen());
      expect(citizen.registeredBy).toBeNull();
      await expect(repo().findById(citizen.id)).resolves.toMatchObject({ registeredBy: null });
    });

    it('keeps the team and member of a volunteer who registered the account, and reads them back', async () => {
      const registeredBy = await fixture.newTeamMember();
      const citizen = await created(
        newCitizen({ actor: { kind: 'volunteer', id: registeredBy.memberId }, registeredBy }),
      );
      expect(citizen.registeredBy).toEqual(registeredBy);
      await expect(repo().findById(citizen.id)).resolves.toEqual(citizen);
      await expect(repo().findByPhone(citizen.phone)).resolves.toEqual(citizen);
    });

    it('finds the account by phone and by id, and gives back the identity as it was given', async () => {
      const input = newCitizen();
      const citizen = await created(input);
      await expect(repo().findByPhone('+84905123456')).resolves.toEqual(citizen);
      await expect(repo().findById(citizen.id)).resolves.toEqual(citizen);
      await expect(repo().findByAccountCode(input.accountCode)).resolves.toEqual(citizen);
      await expect(repo().findByCccd('048090001234')).resolves.toEqual(citizen);
      await expect(repo().findByAccountCode('ZZZZ9999')).resolves.toBeNull();
      await expect(repo().findByCccd('048090009999')).resolves.toBeNull();
      await expect(repo().findIdentity(citizen.id)).resolves.toEqual({
        fullName: 'Nguyễn Văn An',
        cccd: '048090001234',
        dateOfBirth: '1990-02-15',
      });
    });

    it('answers phone_taken with the existing account when the phone already holds one', async () => {
      const first = await created(newCitizen());
      const again = newCitizen({ cccd: '048185000321', fullName: 'Trần Thị Bình', accountCode: 'WXYZ6789' });
      await expect(repo().create(again)).resolves.toEqual({ type: 'phone_taken', citizen: first });
      await expect(repo().countByStatus()).resolves.toEqual({ provisional: 1, verified: 0, not_matched: 0 });
    });

    it('answers cccd_taken when the CCCD belongs to an account of another phone', async () => {
      await created(newCitizen());
      const other = newCitizen({ phone: '+84912000111', accountCode: 'WXYZ6789', fullName: 'Nguyễn Văn Ân' });
      await expect(repo().create(other)).resolves.toEqual({ type: 'cccd_taken' });
      await expect(repo().findByPhone('+84912000111')).resolves.toBeNull();
    });

    it('answers code_taken when the account code is already used', async () => {
      await created(newCitizen());
      const other = newCitizen({ phone: '+84912000111', cccd: '048185000321', fullName: 'Trần Thị Bình' });
      await expect(repo().create(other)).resolves.toEqual({ type: 'code_taken' });
      await expect(repo().findByPhone('+84912000111')).resolves.toBeNull();
    });

    it('treats a second create with the same createdByRef as the same creation, even with a new code', async () => {
      const input = newCitizen();
      const first = await created(input);
      await expect(repo().create(input)).resolves.toEqual({ type: 'created', citizen: first });
      await expect(repo().create({ ...input, accountCode: 'WXYZ6789' })).resolves.toEqual({
        type: 'created',
        citizen: first,
      });
      await expect(repo().countByStatus()).resolves.toEqual({ provisional: 1, verified: 0, not_matched: 0 });
    });

    it('records a verified check: status verified and verifiedAt set', async () => {
      const citizen = await created(newCitizen());
      const verified = await repo().recordVerification(citizen.id, { outcome: 'verified' });
      expect(verified).toMatchObject({ id: citizen.id, status: 'verified', mismatchField: null });
      expect(verified?.verifiedAt).toBeInstanceOf(Date);
      await expect(repo().findById(citizen.id)).resolves.toEqual(verified);
    });

    it('records a failed check with the field the registry did not confirm', async () => {
      const citizen = await created(newCitizen());
      const checked = await repo().recordVerification(citizen.id, {
        outcome: 'not_matched',
        field: 'full_name',
      });
      expect(checked).toMatchObject({
        id: citizen.id,
        status: 'not_matched',
        mismatchField: 'full_name',
        verifiedAt: null,
      });
      await expect(repo().findById(citizen.id)).resolves.toEqual(checked);
    });

    it('resolves null for an account that does not exist', async () => {
      const unknown = randomUUID();
      await expect(repo().findById(unknown)).resolves.toBeNull();
      await expect(repo().findIdentity(unknown)).resolves.toBeNull();
      await expect(repo().findByPhone('+84999999999')).resolves.toBeNull();
      await expect(repo().recordVerification(unknown, { outcome: 'verified' })).resolves.toBeNull();
    });

    it('counts accounts by status', async () => {
      await expect(repo().countByStatus()).resolves.toEqual({ provisional: 0, verified: 0, not_matched: 0 });
      const a = await created(newCitizen());
      const b = await created(
        newCitizen({ phone: '+84912000111', cccd: '048185000321', accountCode: 'BBBB2345' }),
      );
      await created(newCitizen({ phone: '+84912000222', cccd: '048201000777', accountCode: 'CCCC2345' }));
      await repo().recordVerification(a.id, { outcome: 'verified' });
      await repo().recordVerification(b.id, { outcome: 'not_matched', field: 'date_of_birth' });
      await expect(repo().countByStatus()).resolves.toEqual({ provisional: 1, verified: 1, not_matched: 1 });
    });

    it('records a CCCD conflict without throwing', async () => {
      await expect(
        repo().recordCccdConflict({ channel: 'twilio-sms', phone: '+84912000111' }),
      ).resolves.toBeUndefined();
    });

    it('opens exactly one account when five creates with the same phone race', async () => {
      const attempts = [1, 2, 3, 4, 5].map((n) =>
        newCitizen({ cccd: `04809000${String(n).padStart(4, '0')}`, accountCode: `RACE${n + 1}AAA` }),
      );
      const outcomes = await Promise.all(attempts.map((attempt) => repo().create(attempt)));
      const winners = outcomes.filter((o) => o.type === 'created');
      expect(winners).toHaveLength(1);
      const winner = winners[0]?.citizen;
      expect(outcomes.filter((o) => o.type === 'phone_taken')).toEqual(
        Array.from({ length: 4 }, () => ({ type: 'phone_taken', citizen: winner })),
      );
      await expect(repo().countByStatus()).resolves.toEqual({ provisional: 1, verified: 0, not_matched: 0 });
    });

    describe('profile, consents, closing and purging', () => {
      const DAY = 24 * 60 * 60 * 1000;
      const at = new Date(Date.now() - 60_000);
      const purgeAfter = new Date(at.getTime() + 30 * DAY);
      const citizenActor = { actor: 'citizen', channel: 'telegram' };
      const closing = { at, purgeAfter, reason: 'requested' as const, channel: 'twilio-sms' };
      const restoreConsent = {
        purpose: 'account_registration',
        textVersion: 'restore-2026-11',
        channel: 'telegram',
        language: 'en',
      };

      it('shows the profile: identity and phone as given, no address or email until they are added', async () => {
        const citizen = await created(newCitizen());
        await expect(repo().findProfile(citizen.id)).resolves.toEqual({
          fullName: 'Nguyễn Văn An',
          cccd: '048090001234',
          dateOfBirth: '1990-02-15',
          phone: '+84905123456',
          address: null,
          email: null,
        });
        await expect(repo().findProfile(randomUUID())).resolves.toBeNull();
      });

      it('updates only the profile fields given, and refuses an unknown account', async () => {
        const citizen = await created(newCitizen());
        await expect(
          repo().updateProfile(citizen.id, { address: '12 Trần Phú, Hải Châu, Đà Nẵng' }, citizenActor),
        ).resolves.toBe(true);
        await expect(
          repo().updateProfile(citizen.id, { email: 'an@example.vn' }, citizenActor),
        ).resolves.toBe(true);
        await expect(repo().findProfile(citizen.id)).resolves.toMatchObject({
          address: '12 Trần Phú, Hải Châu, Đà Nẵng',
          email: 'an@example.vn',
        });
        await repo().updateProfile(citizen.id, { address: '5 Lê Lợi, Hải Châu' }, citizenActor);
        await expect(repo().findProfile(citizen.id)).resolves.toMatchObject({
          address: '5 Lê Lợi, Hải Châu',
          email: 'an@example.vn',
        });
        await expect(
          repo().updateProfile(randomUUID(), { email: 'x@example.vn' }, citizenActor),
        ).resolves.toBe(false);
      });

      it('lists the consent given at registration, not withdrawn', async () => {
        const input = newCitizen();
        const citizen = await created(input);
        const consents = await repo().listConsents(citizen.id);
        expect(consents).toEqual([{ ...input.consent, givenAt: expect.any(Date), withdrawnAt: null }]);
        await expect(repo().listConsents(randomUUID())).resolves.toEqual([]);
      });

      it('closes an account: closedAt and purgeAfter set, every consent withdrawn; closing again changes nothing', async () => {
        const citizen = await created(newCitizen());
        const closed = await repo().close(citizen.id, closing);
        expect(closed).toMatchObject({ id: citizen.id, closedAt: at, purgeAfter });
        await expect(repo().findById(citizen.id)).resolves.toEqual(closed);
        const [consent] = await repo().listConsents(citizen.id);
        expect(consent?.withdrawnAt).toEqual(at);
        const later = new Date(at.getTime() + 1000);
        const again = await repo().close(citizen.id, {
          ...closing,
          at: later,
          purgeAfter: new Date(later.getTime() + 30 * DAY),
        });
        expect(again).toEqual(closed);
        await expect(repo().close(randomUUID(), closing)).resolves.toBeNull();
      });

      it('reopens a closed account before purgeAfter with a new consent; an open account is returned as is', async () => {
        const citizen = await created(newCitizen());
        await repo().close(citizen.id, closing);
        const reopenedAt = new Date(at.getTime() + 2 * DAY);
        const reopened = await repo().reopen(citizen.id, { at: reopenedAt, consent: restoreConsent });
        expect(reopened).toMatchObject({ id: citizen.id, closedAt: null, purgeAfter: null });
        await expect(repo().findById(citizen.id)).resolves.toEqual(reopened);
        const consents = await repo().listConsents(citizen.id);
        expect(consents).toHaveLength(2);
        expect(consents[0]?.withdrawnAt).toEqual(at);
        expect(consents[1]).toEqual({ ...restoreConsent, givenAt: reopenedAt, withdrawnAt: null });
        await expect(repo().reopen(citizen.id, { at: reopenedAt, consent: restoreConsent })).resolves.toEqual(
          reopened,
        );
        await expect(repo().listConsents(citizen.id)).resolves.toHaveLength(2);
      });

      it('refuses to reopen at or after purgeAfter, and the account stays closed', async () => {
        const citizen = await created(newCitizen());
        await repo().close(citizen.id, closing);
        await expect(
          repo().reopen(citizen.id, { at: purgeAfter, consent: restoreConsent }),
        ).resolves.toBeNull();
        await expect(repo().findById(citizen.id)).resolves.toMatchObject({ closedAt: at, purgeAfter });
        await expect(repo().reopen(randomUUID(), { at, consent: restoreConsent })).resolves.toBeNull();
      });

      it('lists as due only closed accounts whose purgeAfter has come', async () => {
        const open = await created(newCitizen());
        const soon = await created(
          newCitizen({ phone: '+84912000111', cccd: '048185000321', accountCode: 'BBBB2345' }),
        );
        const later = await created(
          newCitizen({ phone: '+84912000222', cccd: '048201000777', accountCode: 'CCCC2345' }),
        );
        await repo().close(soon.id, closing);
        await repo().close(later.id, { ...closing, purgeAfter: new Date(purgeAfter.getTime() + DAY) });
        await expect(repo().duePurges(at)).resolves.toEqual([]);
        await expect(repo().duePurges(purgeAfter)).resolves.toEqual([soon.id]);
        await expect(repo().duePurges(new Date(purgeAfter.getTime() + 2 * DAY))).resolves.toEqual([
          soon.id,
          later.id,
        ]);
        expect(await repo().duePurges(new Date(purgeAfter.getTime() + 2 * DAY))).not.toContain(open.id);
      });

      it('purges only a closed account that is due', async () => {
        const citizen = await created(newCitizen());
        await expect(repo().purge(citizen.id, purgeAfter)).resolves.toBe(false);
        await repo().close(citizen.id, closing);
        await expect(repo().purge(citizen.id, at)).resolves.toBe(false);
        await expect(repo().findProfile(citizen.id)).resolves.not.toBeNull();
      });

      it('purges a due account: gone for every lookup, not counted, and its phone and CCCD may register again', async () => {
        const input = newCitizen();
        const citizen = await created(input);
        await repo().updateProfile(
          citizen.id,
          { address: '12 Trần Phú', email: 'an@example.vn' },
          citizenActor,
        );
        await repo().close(citizen.id, closing);
        await expect(repo().purge(citizen.id, purgeAfter)).resolves.toBe(true);
        await expect(repo().purge(citizen.id, purgeAfter)).resolves.toBe(false);
        await expect(repo().findById(citizen.id)).resolves.toBeNull();
        await expect(repo().findByPhone(input.phone)).resolves.toBeNull();
        await expect(repo().findByCccd(input.cccd)).resolves.toBeNull();
        await expect(repo().findByAccountCode(input.accountCode)).resolves.toBeNull();
        await expect(repo().findIdentity(citizen.id)).resolves.toBeNull();
        await expect(repo().findProfile(citizen.id)).resolves.toBeNull();
        await expect(repo().duePurges(purgeAfter)).resolves.toEqual([]);
        await expect(repo().countByStatus()).resolves.toEqual({
          provisional: 0,
          verified: 0,
          not_matched: 0,
        });
        const consents = await repo().listConsents(citizen.id);
        expect(consents).toHaveLength(1);
        const again = await repo().create(newCitizen({ accountCode: 'WXYZ6789' }));
        expect(again).toMatchObject({ type: 'created', citizen: { phone: input.phone, closedAt: null } });
        await expect(repo().findByCccd(input.cccd)).resolves.toMatchObject({ accountCode: 'WXYZ6789' });
      });

      it('records a data export without throwing', async () => {
        const citizen = await created(newCitizen());
        await expect(
          repo().recordDataExport(citizen.id, { channel: 'twilio-sms', shareId: randomUUID() }),
        ).resolves.toBeUndefined();
      });
    });
  });
}
