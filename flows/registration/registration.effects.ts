import type { CitizenRepository } from '../../src/domain/citizens/citizen-repository.ts';
import { openProvisionalAccount } from '../../src/domain/citizens/open-account.ts';
import type { ContactRepository } from '../../src/domain/contacts/contact.ts';
import type { EffectContext } from '../../src/engine/flow-context.ts';
import { CONSENT_PURPOSE, CONSENT_TEXT_VERSION } from './registration.copy.ts';
import type { OpenAccountEffect, OpenAccountResult } from './registration.flow.ts';

/** What opening an account needs. */
export interface RegistrationEffectDeps {
  readonly citizens: CitizenRepository;
  readonly contacts: ContactRepository;
  /** Schedules the population-registry check of a new account (idempotent per account). */
  verifyLater(citizenId: string): Promise<void>;
}

/**
 * Runs the registration flow's effect: opens the provisional account for the sender's phone with the consent
 * just given, links the sender's address to it and schedules the registry check.
 */
export function createRegistrationEffects(deps: RegistrationEffectDeps) {
  return async (effect: OpenAccountEffect, ctx: EffectContext): Promise<OpenAccountResult> => {
    const outcome = await openProvisionalAccount(deps.citizens, {
      phone: ctx.address,
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
