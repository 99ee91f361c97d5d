import { identityCopy } from '../../flows/identity/identity.copy.ts';
import type { PhoneProofDeps } from '../../flows/identity/phone-proof.effects.ts';
import type { CitizenRepository } from '../domain/citizens/citizen-repository.ts';
import type { ContactRepository } from '../domain/contacts/contact.ts';
import type { PhoneCodeStore } from '../domain/contacts/phone-codes.ts';
import { provePhone } from '../domain/contacts/prove-phone.ts';
import type { Language } from '../messaging/channel.ts';
import { citizenSnapshot } from './turn-environment.ts';

/** Sends the SMS carrying a code; resolves false when no SMS channel is configured. Idempotent on `dedupeKey`. */
export type TextCode = (sms: {
  phone: string;
  text: string;
  language: Language;
  dedupeKey: string;
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
}): PhoneProofDeps {
  return {
    async sendPhoneCode(phone, ctx) {
      const issued = await deps.codes.issue(phone, ctx.ref, ctx.now);
      if (issued.type === 'rate_limited') return { type: 'limited', retryAt: issued.retryAt };
      const sent = await deps.textCode({
        phone,
        text: identityCopy[ctx.language].otpSms(issued.code),
        language: ctx.language,
        dedupeKey: `otp-${ctx.ref}`,
      });
      return sent ? { type: 'sent' } : { type: 'unavailable' };
    },
    async checkPhoneCode(phone, code, ctx) {
      const checked = await deps.codes.check(phone, code, ctx.now);
      switch (checked.type) {
        case 'ok': {
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
