import { formatAccountCode } from '../domain/citizens/account-code.ts';
import type { CitizenRepository } from '../domain/citizens/citizen-repository.ts';
import type { ContactRepository } from '../domain/contacts/contact.ts';
import type { TurnEnvironment } from '../engine/run-turn.ts';

/**
 * The engine's view of a person, over the domain: language and opt-out from the contact, the account from the
 * contact's link or, for SMS, from the phone number itself.
 */
export function createTurnEnvironment(deps: {
  citizens: CitizenRepository;
  contacts: ContactRepository;
}): TurnEnvironment {
  return {
    async loadPerson(channel, address, at) {
      const contact = await deps.contacts.touch(channel, address, at);
      const citizen = contact.citizenId
        ? await deps.citizens.findById(contact.citizenId)
        : await deps.citizens.findByPhone(address);
      if (citizen && !contact.citizenId) await deps.contacts.linkCitizen(channel, address, citizen.id);
      return {
        language: contact.language,
        optedOut: contact.optedOutAt !== null,
        citizen: citizen && {
          accountCode: formatAccountCode(citizen.accountCode),
          status: citizen.status,
          mismatchField: citizen.mismatchField,
        },
      };
    },
    setLanguage: (channel, address, language) => deps.contacts.setLanguage(channel, address, language),
    setOptedOut: (channel, address, optedOut, at) =>
      deps.contacts.setOptedOut(channel, address, optedOut, at),
  };
}
