import { describe, expect, it } from 'vitest';
import { newCitizen } from '../../test/contracts/citizen-repository.contract.ts';
import { InMemoryCitizenRepository } from '../../test/fakes/in-memory-citizen-repository.ts';
import { InMemoryContactRepository } from '../../test/fakes/in-memory-contact-repository.ts';
import { createTurnEnvironment } from './turn-environment.ts';

const AT = new Date('2026-12-01T08:00:00Z');

async function world() {
  const citizens = new InMemoryCitizenRepository();
  const contacts = new InMemoryContactRepository();
  const open = async (phone: string, n: number) => {
    const outcome = await citizens.create(
      newCitizen({ phone, cccd: `04809000123${n}`, accountCode: `ABCD234${n + 5}` }),
    );
    if (outcome.type !== 'created') throw new Error(`expected an account, got ${outcome.type}`);
    return outcome.citizen;
  };
  return { citizens, contacts, open, environment: createTurnEnvironment({ citizens, contacts }) };
}

describe('loadPerson (the account behind an address, looked up alongside the contact on SMS)', () => {
  it('finds an SMS sender’s account by their phone and links the contact on first sight', async () => {
    const { contacts, open, environment } = await world();
    const citizen = await open('+84905123456', 1);

    const person = await environment.loadPerson('twilio-sms', '+84905123456', AT);

    expect(person.citizen?.id).toBe(citizen.id);
    expect(person.phone).toBe('+84905123456');
    expect((await contacts.find('twilio-sms', '+84905123456'))?.citizenId).toBe(citizen.id);
  });

  it('keeps the contact’s own link when it names another account than the phone’s', async () => {
    const { contacts, open, environment } = await world();
    const linked = await open('+84905000001', 1);
    await open('+84905123456', 2);
    await contacts.touch('twilio-sms', '+84905123456', AT);
    await contacts.linkCitizen('twilio-sms', '+84905123456', linked.id);

    const person = await environment.loadPerson('twilio-sms', '+84905123456', AT);

    expect(person.citizen?.id).toBe(linked.id);
  });

  it('falls back to the phone’s account when the linked one is gone', async () => {
    const { contacts, open, environment } = await world();
    const byPhone = await open('+84905123456', 1);
    await contacts.touch('twilio-sms', '+84905123456', AT);
    await contacts.linkCitizen('twilio-sms', '+84905123456', '00000000-0000-4000-8000-000000000000');

    const person = await environment.loadPerson('twilio-sms', '+84905123456', AT);

    expect(person.citizen?.id).toBe(byPhone.id);
    expect((await contacts.find('twilio-sms', '+84905123456'))?.citizenId).toBe(byPhone.id);
  });

  it('knows no account for an unknown phone, and a messenger chat without a proven phone', async () => {
    const { open, environment } = await world();
    await open('+84905123456', 1);

    await expect(environment.loadPerson('twilio-sms', '+84905999999', AT)).resolves.toMatchObject({
      citizen: null,
      phone: '+84905999999',
    });
    await expect(environment.loadPerson('telegram', '123456789', AT)).resolves.toMatchObject({
      citizen: null,
      phone: null,
    });
  });
});
