import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ContactRepository } from '../../src/domain/contacts/contact.ts';

/**
 * What a contract run needs. The suite calls the factory once, `reset` before each test (it may replace
 * `repository`: the suite reads the property again after each reset) and `close` at the end. `newCitizenId`
 * gives the id of an existing account to link contacts to (a real database checks the reference).
 */
export interface ContactRepositoryFixture {
  repository: ContactRepository;
  newCitizenId(): Promise<string>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const SMS = 'twilio-sms';
const PHONE = '+84905123456';

/**
 * The behaviour every {@link ContactRepository} (PostgreSQL, PGlite, the in-memory fake) must show; see the
 * contract in src/domain/contacts/contact.ts. Call it once per implementation.
 */
export function describeContactRepositoryContract(
  name: string,
  factory: () => Promise<ContactRepositoryFixture>,
): void {
  describe(`ContactRepository contract: ${name}`, () => {
    let fixture: ContactRepositoryFixture;
    const repo = () => fixture.repository;
    const at = (minute: number) => new Date(Date.UTC(2025, 5, 1, 8, minute));

    beforeAll(async () => {
      fixture = await factory();
    });
    beforeEach(async () => {
      await fixture.reset();
    });
    afterAll(async () => {
      await fixture.close();
    });

    it('creates a contact on first touch, in Vietnamese, opted in and not linked', async () => {
      const contact = await repo().touch(SMS, PHONE, at(0));
      const expected = {
        channel: SMS,
        address: PHONE,
        language: 'vi',
        optedOutAt: null,
        citizenId: null,
        linkedAt: null,
        phone: null,
      };
      expect(contact).toEqual(expected);
      await expect(repo().find(SMS, PHONE)).resolves.toEqual(expected);
    });

    it('keeps one contact and its settings when touched again', async () => {
      await repo().touch(SMS, PHONE, at(0));
      await repo().setLanguage(SMS, PHONE, 'en');
      const again = await repo().touch(SMS, PHONE, at(5));
      expect(again).toEqual({
        channel: SMS,
        address: PHONE,
        language: 'en',
        optedOutAt: null,
        citizenId: null,
        linkedAt: null,
        phone: null,
      });
      await expect(repo().find(SMS, PHONE)).resolves.toEqual(again);
    });

    it('resolves null for an address it has never seen, and keeps channels apart', async () => {
      await expect(repo().find(SMS, PHONE)).resolves.toBeNull();
      await repo().touch(SMS, PHONE, at(0));
      await expect(repo().find('zalo-oa', PHONE)).resolves.toBeNull();
      await expect(repo().find(SMS, '+84905123457')).resolves.toBeNull();
    });

    it('sets the language, creating the contact if needed', async () => {
      await repo().setLanguage(SMS, PHONE, 'en');
      await expect(repo().find(SMS, PHONE)).resolves.toMatchObject({ language: 'en', optedOutAt: null });
      await repo().setLanguage(SMS, PHONE, 'vi');
      await expect(repo().find(SMS, PHONE)).resolves.toMatchObject({ language: 'vi' });
    });

    it('records an opt-out with its time, and clears it on opt-in', async () => {
      await repo().touch(SMS, PHONE, at(0));
      await repo().setOptedOut(SMS, PHONE, true, at(3));
      const out = await repo().find(SMS, PHONE);
      expect(out?.optedOutAt?.getTime()).toBe(at(3).getTime());
      await repo().setOptedOut(SMS, PHONE, false, at(4));
      await expect(repo().find(SMS, PHONE)).resolves.toMatchObject({ optedOutAt: null });
    });

    it('links addresses to an account and lists them most recently active first', async () => {
      const citizenId = await fixture.newCitizenId();
      const otherId = await fixture.newCitizenId();
      await repo().touch(SMS, '+84900000001', at(1));
      await repo().touch(SMS, '+84900000002', at(30));
      await repo().touch('zalo-oa', 'zalo-user-3', at(10));
      await repo().touch(SMS, '+84900000001', at(0)); // an older touch does not move it back
      await repo().touch(SMS, '+84900000009', at(40));
      for (const [channel, address] of [
        [SMS, '+84900000001'],
        [SMS, '+84900000002'],
        ['zalo-oa', 'zalo-user-3'],
        [SMS, '+84900000004'], // linked without ever being touched: last
      ] as const) {
        await repo().linkCitizen(channel, address, citizenId);
      }
      await repo().linkCitizen(SMS, '+84900000009', otherId);
      const contacts = await repo().findByCitizen(citizenId);
      expect(contacts.map((c) => `${c.channel} ${c.address}`)).toEqual([
        `${SMS} +84900000002`,
        'zalo-oa zalo-user-3',
        `${SMS} +84900000001`,
        `${SMS} +84900000004`,
      ]);
      expect(contacts.every((c) => c.citizenId === citizenId)).toBe(true);
      expect(contacts.every((c) => c.linkedAt instanceof Date)).toBe(true);
      await expect(repo().findByCitizen(await fixture.newCitizenId())).resolves.toEqual([]);
    });

    it('records the phone a messenger identity proved, replacing an earlier proof, per identity', async () => {
      await repo().setProvenPhone('telegram', '777001', PHONE, 'telegram_contact', at(1));
      await expect(repo().find('telegram', '777001')).resolves.toMatchObject({
        phone: PHONE,
        citizenId: null,
      });
      await repo().setProvenPhone('telegram', '777001', '+84905000999', 'otp', at(2));
      await expect(repo().find('telegram', '777001')).resolves.toMatchObject({ phone: '+84905000999' });
      await expect(repo().touch('telegram', '777002', at(3))).resolves.toMatchObject({ phone: null });
      await expect(repo().find('zalo-oa', '777001')).resolves.toBeNull();
    });

    it('forgets the identities of an account: deleted, or only the opt-out kept when they opted out', async () => {
      const citizenId = await fixture.newCitizenId();
      const otherId = await fixture.newCitizenId();
      await repo().touch(SMS, PHONE, at(1));
      await repo().linkCitizen(SMS, PHONE, citizenId);
      await repo().setProvenPhone('telegram', '777001', PHONE, 'telegram_contact', at(2));
      await repo().linkCitizen('telegram', '777001', citizenId);
      await repo().setOptedOut('telegram', '777001', true, at(3));
      await repo().linkCitizen(SMS, '+84900000009', otherId);

      await repo().unlinkCitizen(citizenId);

      await expect(repo().findByCitizen(citizenId)).resolves.toEqual([]);
      await expect(repo().find(SMS, PHONE)).resolves.toBeNull();
      const kept = await repo().find('telegram', '777001');
      expect(kept).toMatchObject({ address: '777001', citizenId: null, linkedAt: null, phone: null });
      expect(kept?.optedOutAt?.getTime()).toBe(at(3).getTime());
      await expect(repo().findByCitizen(otherId)).resolves.toHaveLength(1);
      const seenAgain = await repo().touch('telegram', '777001', at(9));
      expect(seenAgain).toMatchObject({ address: '777001', citizenId: null });
      expect(seenAgain.optedOutAt).not.toBeNull();
      await repo().linkCitizen('telegram', '777001', otherId);
      await expect(repo().findByCitizen(otherId)).resolves.toEqual(
        expect.arrayContaining([expect.objectContaining({ channel: 'telegram', address: '777001' })]),
      );
    });
  });
}
