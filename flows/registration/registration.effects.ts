import type { CitizenRepository } from '../../src/domain/citizens/citizen-repository.ts';
import { openProvisionalAccount } from '../../src/domain/citizens/open-account.ts';
import type { ContactRepository } from '../../src/domain/contacts/contact.ts';
import type { EffectContext } from '../../src/engine/flow-context.ts';
import { AppError } from '../../src/shared/errors.ts';
import { createPhoneProofEffects, type PhoneProofDeps } from '../identity/phone-proof.effects.ts';
import { CONSENT_PURPOSE, CONSENT_TEXT_VERSION } from './registration.copy.ts';
import type { RegistrationEffect, RegistrationResult } from './registration.flow.ts';

/** What opening an account needs. */
export interface RegistrationEffectDeps extends PhoneProofDeps {
  readonly citizens: CitizenRepository;
  readonly contacts: ContactRepository;
  /** Schedules the population-registry check of a new account (idempotent per account). */
  verifyLater(citizenId: string): Promise<void>;
}

/**
 * Runs the registration flow's effects: proving the phone on a messenger; opening the provisional account for
 * the proven phone with the consent just given, linking the sender's address to it and scheduling the
 * registry check.
 */
export function createRegistrationEffects(deps: RegistrationEffectDeps) {
  const phoneProof = createPhoneProofEffects(deps);
  return async (effect: RegistrationEffect, ctx: EffectContext): Promise<RegistrationResult> => {
    if (effect.type !== 'openAccount') return phoneProof(effect, ctx);
    if (ctx.phone === null)
      throw new AppError('PHONE_NOT_PROVEN', 'an account can only be opened for a proven phone', {
        context: { channel: ctx.channel },
      });
    const outcome = await openProvisionalAccount(deps.citizens, {
      phone: ctx.phone,
      fullName: effect.fullName,
      cccd: effect.cccd,
      dateOfBirth: effect.dateOfBirth,
      createdVia: ctx.channel,
      createdByRef: ctx.ref,
      consent: {
        purpose: CONSENT_PURPOSE,
        textVersion: CONSENT_TEXT_VERSION,
        channel: ctx.channel,
        language: ctx.language,
      },
    });
    switch (outcome.type) {
      case 'opened':
        await deps.contacts.linkCitizen(ctx.channel, ctx.address, outcome.citizen.id);
        await deps.verifyLater(outcome.citizen.id);
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
  };
}
