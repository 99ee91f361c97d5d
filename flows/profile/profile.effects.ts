import type { CitizenProfile } from '../../src/domain/citizens/citizen.ts';
import type { CitizenRepository } from '../../src/domain/citizens/citizen-repository.ts';
import type { EffectContext } from '../../src/engine/flow-context.ts';
import type { ProfileField } from './profile-fields.ts';

/** The ports the profile is built from. */
export interface ProfilePorts {
  readonly citizens: Pick<CitizenRepository, 'findProfile' | 'updateProfile'>;
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
 * Runs the profile's effects on the account of the person (`ctx.citizen`). Saving is idempotent: a replayed
 * turn stores the same value again; the audit entry names the field, never the value.
 */
export function createProfileEffects(ports: ProfilePorts) {
  return async (effect: ProfileEffect, ctx: EffectContext): Promise<ProfileResult> => {
    const citizenId = ctx.citizen?.id;
    if (citizenId === undefined) return { type: 'noAccount' };
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
