import type { CitizenRepository } from '../../src/domain/citizens/citizen-repository.ts';
import { openProvisionalAccount } from '../../src/domain/citizens/open-account.ts';
import type { ContactRepository } from '../../src/domain/contacts/contact.ts';
import type { EffectRunners } from '../../src/engine/flow-kit.ts';
import { AppError } from '../../src/shared/errors.ts';
import { createPhoneProofEffects, type PhoneProofDeps } from '../identity/phone-proof.effects.ts';
import { CONSENT_PURPOSE, CONSENT_TEXT_VERSION } from './registration.copy.ts';
import type { RegistrationEffects } from './registration.flow.ts';

/** What opening an account needs. */
export interface RegistrationEffectDeps extends PhoneProofDeps {
  readonly citizens: CitizenRepository;
  readonly contacts: ContactRepository;
  /**
   * Schedules the population-registry check of a new account (idempotent per account). `openedByRef`: the ref of
   * the message whose turn opened it; the result waits until that turn is handled, so "account opened" comes first.
   */
  verifyLater(citizenId: string, openedByRef?: string): Promise<void>;
}

/**
 * Runs the registration flow's effects: proving the phone on a messenger; opening the provisional account for
 * the effect's `phone` (the subject's) with the consent just given, attributed to its `actor` (and to the
 * volunteer's team in `registeredBy`), then scheduling the registry check.
 *
 * The linking rule: the sender's chat is linked to the new account only when the actor is the citizen
 * themself, whose phone is the chat's proven phone (`ctx.phone`; anything else is refused). A volunteer or
 * staff member opening an account for someone else never links their own chat to it: that person reaches the
 * account from their own phone.
 */
export function createRegistrationEffects(deps: RegistrationEffectDeps): EffectRunners<RegistrationEffects> {
  return {
    ...createPhoneProofEffects(deps),
    async openAccount(effect, ctx) {
      const byCitizen = effect.actor.kind === 'citizen';
      if (byCitizen && (ctx.phone === null || ctx.phone !== effect.phone))
        throw new AppError(
          'PHONE_NOT_PROVEN',
          'a citizen can only open an account for their own proven phone',
          {
            context: { channel: ctx.channel, proven: ctx.phone !== null },
          },
        );
      const outcome = await openProvisionalAccount(deps.citizens, {
        phone: effect.phone,
        fullName: effect.fullName,
        cccd: effect.cccd,
        dateOfBirth: effect.dateOfBirth,
        createdVia: ctx.channel,
        createdByRef: ctx.ref,
        actor: effect.actor.kind === 'citizen' ? { kind: 'citizen', id: ctx.ref } : effect.actor,
        registeredBy: effect.registeredBy,
        consent: {
          purpose: CONSENT_PURPOSE,
          textVersion: CONSENT_TEXT_VERSION,
          channel: ctx.channel,
          language: ctx.language,
        },
      });
      switch (outcome.type) {
        case 'opened':
          if (byCitizen) await deps.contacts.linkCitizen(ctx.channel, ctx.address, outcome.citizen.id);
          await deps.verifyLater(outcome.citizen.id, ctx.ref);
          return { type: 'opened', accountCode: outcome.citizen.accountCode };
        case 'phone_has_account':
          return {
            type: 'phoneHasAccount',
            accountCode: outcome.citizen.accountCode,
            status: outcome.citizen.status,
          };
        case 'cccd_taken':
          return { type: 'cccdTaken' };
      }
    },
  };
}
