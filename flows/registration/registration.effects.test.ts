import { describe, expect, it } from 'vitest';
import type { EffectContext } from '../../src/engine/flow-context.ts';
import { InMemoryCitizenRepository } from '../../test/fakes/in-memory-citizen-repository.ts';
import { InMemoryContactRepository } from '../../test/fakes/in-memory-contact-repository.ts';
import { createRegistrationEffects } from './registration.effects.ts';
import type { OpenAccountEffect } from './registration.flow.ts';

// Opening an account: for the subject's phone, attributed to its actor; only the citizen's own chat is linked.

const VOLUNTEER_PHONE = '+84905000111';
const NEIGHBOUR_PHONE = '+84905123456';
const TEAM = { teamId: 'team-1', memberId: 'member-7' };

function setUp() {
  const citizens = new InMemoryCitizenRepository();
  const contacts = new InMemoryContactRepository();
  const verified: string[] = [];
  const effects = createRegistrationEffects({
    citizens,
    contacts,
    verifyLater: async (citizenId) => {
      verified.push(citizenId);
    },
    sendPhoneCode: async () => ({ type: 'unavailable' }),
    checkPhoneCode: async () => ({ type: 'expired' }),
  });
  return { citizens, contacts, verified, effects };
}

/** The chat of someone whose proven phone is `phone`, on Zalo OA. */
function chatOf(phone: string, ref: string): EffectContext {
  return {
    language: 'vi',
    channel: 'zalo-oa',
    address: `zalo-user-of-${phone}`,
    phone,
    citizen: null,
    now: new Date('2026-11-27T03:00:00Z'),
    ref,
  };
}

const identity = { fullName: 'Trần Thị Bé', cccd: '048150001234', dateOfBirth: '1950-01-01' };

describe('the openAccount effect', () => {
  it('opens the citizen’s own account, records them as the actor and links their chat', async () => {
    const { citizens, contacts, verified, effects } = setUp();
    const ctx = chatOf(NEIGHBOUR_PHONE, 'ref-own');
    const effect: OpenAccountEffect = {
      type: 'openAccount',
      phone: NEIGHBOUR_PHONE,
      ...identity,
      actor: { kind: 'citizen' },
      registeredBy: null,
    };

    const result = await effects.openAccount(effect, ctx);

    expect(result.type).toBe('opened');
    const citizen = await citizens.findByPhone(NEIGHBOUR_PHONE);
    expect(citizen?.registeredBy).toBeNull();
    expect(citizens.audit.find((entry) => entry.action === 'account_opened')).toMatchObject({
      actor: 'citizen',
      details: { actorId: 'ref-own' },
    });
    await expect(contacts.find('zalo-oa', ctx.address)).resolves.toMatchObject({ citizenId: citizen?.id });
    expect(verified).toEqual([citizen?.id]);
  });

  it('opens a neighbour’s account for a volunteer without linking the volunteer’s chat to it', async () => {
    const { citizens, contacts, verified, effects } = setUp();
    const ctx = chatOf(VOLUNTEER_PHONE, 'ref-dkh');
    await contacts.touch('zalo-oa', ctx.address, ctx.now);

    const result = await effects.openAccount(
      {
        type: 'openAccount',
        phone: NEIGHBOUR_PHONE,
        ...identity,
        actor: { kind: 'volunteer', id: TEAM.memberId },
        registeredBy: TEAM,
      },
      ctx,
    );

    expect(result.type).toBe('opened');
    const citizen = await citizens.findByPhone(NEIGHBOUR_PHONE);
    expect(citizen?.registeredBy).toEqual(TEAM);
    await expect(citizens.findByPhone(VOLUNTEER_PHONE)).resolves.toBeNull();
    expect(citizens.audit.find((entry) => entry.action === 'account_opened')).toMatchObject({
      actor: 'volunteer',
      details: { actorId: TEAM.memberId },
    });
    await expect(contacts.find('zalo-oa', ctx.address)).resolves.toMatchObject({ citizenId: null });
    await expect(contacts.findByCitizen(citizen?.id ?? '')).resolves.toEqual([]);
    expect(verified).toEqual([citizen?.id]);
  });

  it('refuses a citizen opening an account for a phone that is not their chat’s proven one', async () => {
    const { citizens, effects } = setUp();
    const effect: OpenAccountEffect = {
      type: 'openAccount',
      phone: NEIGHBOUR_PHONE,
      ...identity,
      actor: { kind: 'citizen' },
      registeredBy: null,
    };

    await expect(effects.openAccount(effect, chatOf(VOLUNTEER_PHONE, 'ref-x'))).rejects.toThrow(
      /own proven phone/,
    );
    await expect(
      effects.openAccount(effect, { ...chatOf(VOLUNTEER_PHONE, 'ref-y'), phone: null }),
    ).rejects.toThrow(/own proven phone/);
    expect(citizens.entries).toEqual([]);
  });
});
