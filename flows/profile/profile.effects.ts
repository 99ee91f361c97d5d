import { parseAccountCode } from '../../src/domain/citizens/account-code.ts';
import type { CitizenProfile } from '../../src/domain/citizens/citizen.ts';
import type { CitizenRepository } from '../../src/domain/citizens/citizen-repository.ts';
import type { EffectContext } from '../../src/engine/flow-context.ts';
import type { ProfileField } from './profile-fields.ts';

/** The ports the profile is built from. */
export interface ProfilePorts {
  readonly citizens: Pick<CitizenRepository, 'findByAccountCode' | 'findProfile' | 'updateProfile'>;
}

/** The effects of `TTCN`: read the profile, or save one field of it. */
export type ProfileEffect =
  | { readonly type: 'loadProfile' }
  | { readonly type: 'saveField'; readonly field: ProfileField; readonly value: string };

/** What the profile effects give. */
export type ProfileResult =
  | { readonly type: 'profile'; readonly profile: CitizenProfile }
  | { readonly type: 'saved' }
  | { readonly type: 'noAccount' };

/**
 * Runs the profile's effects on the account of the person (found by its code, as flows know it). Saving is
 * idempotent: a replayed turn stores the same value again; the audit entry names the field, never the value.
 */
export function createProfileEffects(ports: ProfilePorts) {
  const citizenIdOf = async (ctx: EffectContext): Promise<string | null> => {
    const code = ctx.citizen ? parseAccountCode(ctx.citizen.accountCode) : null;
    return code === null ? null : ((await ports.citizens.findByAccountCode(code))?.id ?? null);
  };
  return async (effect: ProfileEffect, ctx: EffectContext): Promise<ProfileResult> => {
    const citizenId = await citizenIdOf(ctx);
    if (citizenId === null) return { type: 'noAccount' };
    if (effect.type === 'loadProfile') {
      const profile = await ports.citizens.findProfile(citizenId);
      return profile ? { type: 'profile', profile } : { type: 'noAccount' };
    }
    const changes = effect.field === 'address' ? { address: effect.value } : { email: effect.value };
    const saved = await ports.citizens.updateProfile(citizenId, changes, {
      actor: 'citizen',
      channel: ctx.channel,
    });
    return saved ? { type: 'saved' } : { type: 'noAccount' };
  };
}
