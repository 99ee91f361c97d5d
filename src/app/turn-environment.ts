import type { CitizenRepository } from '../domain/citizens/citizen-repository.ts';
import type { ContactRepository, PhoneProof } from '../domain/contacts/contact.ts';
import { provePhone } from '../domain/contacts/prove-phone.ts';
import type { StandingResolver, TurnEnvironment } from '../engine/run-turn.ts';
import { type ChannelId, isSmsChannel } from '../messaging/channel.ts';
import { citizenSnapshot } from '../pipeline/citizen-snapshot.ts';

/** The messengers that can vouch for a shared phone number, and how (Zalo OA's form only claims one). */
const CHANNEL_PROOF: Partial<Record<ChannelId, PhoneProof>> = {
  telegram: 'telegram_contact',
};

/**
 * The engine's view of a person, over the domain: language and opt-out from the contact; the phone is the
 * address on SMS and the proven phone on messengers; the account comes from the contact's link or, on SMS, from
 * the phone number itself. `standing` works out, on every turn, whether the domain holds the person's
 * conversation (a hand-off: see {@link StandingResolver}).
 */
export function createTurnEnvironment(deps: {
  citizens: CitizenRepository;
  contacts: ContactRepository;
  standing?: StandingResolver;
}): TurnEnvironment {
  return {
    async loadPerson(channel, address, at) {
      // Three reads at once (one round trip of latency, not three): the sighting, the hand-off, and on SMS the
      // account of the phone, which is the address.
      const sms = isSmsChannel(channel);
      const [contact, standing, ofPhone] = await Promise.all([
        deps.contacts.touch(channel, address, at),
        deps.standing?.({ channel, address }) ?? null,
        sms ? deps.citizens.findByPhone(address) : null,
      ]);
      const phone = sms ? address : contact.phone;
      let citizen =
        contact.citizenId === null
          ? null
          : ofPhone?.id === contact.citizenId
            ? ofPhone
            : await deps.citizens.findById(contact.citizenId);
      if (!citizen && phone) {
        // An account opened since (on another channel, or by this identity) is linked on first sight.
        citizen = sms ? ofPhone : await deps.citizens.findByPhone(phone);
        if (citizen) await deps.contacts.linkCitizen(channel, address, citizen.id);
      }
      return {
        language: contact.language,
        optedOut: contact.optedOutAt !== null,
        phone,
        citizen: citizen && citizenSnapshot(citizen),
        standing,
      };
    },
    async proveVouchedPhone(channel, address, phone, at) {
      const how = CHANNEL_PROOF[channel];
      if (!how) throw new Error(`channel ${channel} cannot vouch for a phone number`);
      const citizen = await provePhone(deps, { channel, address, phone, how, at });
      return citizen && citizenSnapshot(citizen);
    },
    setLanguage: (channel, address, language) => deps.contacts.setLanguage(channel, address, language),
    setOptedOut: (channel, address, optedOut, at) =>
      deps.contacts.setOptedOut(channel, address, optedOut, at),
  };
}
