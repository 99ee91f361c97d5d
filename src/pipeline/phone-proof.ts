import { identityCopy } from '../../flows/identity/identity.copy.ts';
import type { PhoneProofDeps } from '../../flows/identity/phone-proof.effects.ts';
import type { CitizenRepository } from '../domain/citizens/citizen-repository.ts';
import type { ContactRepository } from '../domain/contacts/contact.ts';
import type { PhoneCodeStore } from '../domain/contacts/phone-codes.ts';
import { provePhone } from '../domain/contacts/prove-phone.ts';
import { isSimulatedChannel, type Language } from '../messaging/channel.ts';
import { citizenSnapshot } from './citizen-snapshot.ts';

/**
 * Sends the SMS carrying a code; resolves false when it cannot be sent. Idempotent on `dedupeKey`. `via` is the
 * chat that asked for it (the development outbox shows the text in that web chat).
 */
export type TextCode = (sms: {
  phone: string;
  text: string;
  language: Language;
  dedupeKey: string;
  via: { channel: string; address: string };
}) => Promise<boolean>;

/**
 * Proving a phone from a messenger chat by a code sent by SMS: issues the code (idempotent on the inbound
 * message, 3 an hour per phone), texts it through the outbox, checks the typed code and, when right, records
 * the phone as proven for the chat and links the chat to the phone's account.
 */
export function createPhoneProof(deps: {
  codes: PhoneCodeStore;
  contacts: ContactRepository;
  citizens: CitizenRepository;
  textCode: TextCode;
  /**
   * The development outbox is on (no SMS channel, not production): codes are shown in the web page instead of
   * texted, so they prove nothing about who holds the phone. A phone that already has an account is then
   * refused, when the code is asked for and again when it is typed: such a code may register a new phone, never
   * reach an existing account.
   */
  devOutbox?: boolean;
}): PhoneProofDeps {
  // The simulator's codes are shown in its page too: they may reach a made-up account, never a real one.
  const taken = async (phone: string, channel: string) => {
    if (isSimulatedChannel(channel)) {
      const citizen = await deps.citizens.findByPhone(phone);
      return citizen !== null && !isSimulatedChannel(citizen.createdVia);
    }
    return deps.devOutbox === true && (await deps.citizens.findByPhone(phone)) !== null;
  };
  return {
    async sendPhoneCode(phone, ctx) {
      if (await taken(phone, ctx.channel)) return { type: 'devPhoneTaken' };
      const issued = await deps.codes.issue(phone, ctx.ref, ctx.now);
      if (issued.type === 'rate_limited') return { type: 'limited', retryAt: issued.retryAt };
      const sent = await deps.textCode({
        phone,
        text: identityCopy[ctx.language].otpSms(issued.code),
        language: ctx.language,
        dedupeKey: `otp-${ctx.ref}`,
        via: { channel: ctx.channel, address: ctx.address },
      });
      return sent ? { type: 'sent' } : { type: 'unavailable' };
    },
    async checkPhoneCode(phone, code, ctx) {
      const checked = await deps.codes.check(phone, code, ctx.now);
      switch (checked.type) {
        case 'ok': {
          if (await taken(phone, ctx.channel)) return { type: 'devPhoneTaken' };
          const citizen = await provePhone(deps, {
            channel: ctx.channel,
            address: ctx.address,
            phone,
            how: 'otp',
            at: ctx.now,
          });
          return {
            type: 'proven',
            citizen: citizen && citizenSnapshot(citizen),
          };
        }
        case 'wrong':
          return { type: 'wrong', triesLeft: checked.triesLeft };
        case 'locked':
          return { type: 'locked' };
        case 'expired':
        case 'none':
          return { type: 'expired' };
      }
    },
  };
}
