import type { CitizenProfile } from '../../src/domain/citizens/citizen.ts';
import type { CitizenRepository } from '../../src/domain/citizens/citizen-repository.ts';
import type { EffectRunners } from '../../src/engine/flow-kit.ts';
import type { ProfileField } from './profile-fields.ts';

/** The ports the profile is built from. */
export interface ProfilePorts {
  readonly citizens: Pick<CitizenRepository, 'findProfile' | 'updateProfile'>;
}

/** Without an account (or with one purged meanwhile) there is nothing to read or save. */
type NoAccount = { readonly type: 'noAccount' };

/** The effects of `TTCN`: read the profile, or save one field of it. */
export type ProfileEffects = {
  loadProfile: {
    effect: { readonly type: 'loadProfile' };
    result: { readonly type: 'profile'; readonly profile: CitizenProfile } | NoAccount;
  };
  saveField: {
    effect: { readonly type: 'saveField'; readonly field: ProfileField; readonly value: string };
    result: { readonly type: 'saved' } | NoAccount;
  };
};

/**
 * Runs the profile's effects on the account of the person (`ctx.citizen`). Saving is idempotent: a replayed
 * turn stores the same value again; the audit entry names the field, never the value.
 */
export function createProfileEffects(ports: ProfilePorts): EffectRunners<ProfileEffects> {
  return {
    async loadProfile(_effect, ctx) {
      if (!ctx.citizen) return { type: 'noAccount' };
      const profile = await ports.citizens.findProfile(ctx.citizen.id);
      return profile ? { type: 'profile', profile } : { type: 'noAccount' };
    },
    async saveField(effect, ctx) {
      if (!ctx.citizen) return { type: 'noAccount' };
      const changes = effect.field === 'address' ? { address: effect.value } : { email: effect.value };
      const saved = await ports.citizens.updateProfile(ctx.citizen.id, changes, {
        actor: 'citizen',
        channel: ctx.channel,
      });
      return saved ? { type: 'saved' } : { type: 'noAccount' };
    },
  };
}
