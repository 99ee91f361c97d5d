import type { CitizenSnapshot, EffectContext } from '../../src/engine/flow-context.ts';
import type { EffectRunners } from '../../src/engine/flow-kit.ts';
import type { PhoneEffects } from './phone-proof.ts';

/**
 * What proving a phone needs from the service (implemented in src/pipeline/phone-proof.ts over the code store
 * and the outbox).
 */
export interface PhoneProofDeps {
  /**
   * Texts a 6-digit code to `phone` (idempotent on `ctx.ref`): `sent`, `limited` until `retryAt` (3 codes an
   * hour), `unavailable` when no SMS channel is configured, or `devPhoneTaken` when the code would go to the
   * development outbox (no SMS channel, not production) for a phone that already has an account.
   */
  sendPhoneCode(
    phone: string,
    ctx: EffectContext,
  ): Promise<
    | { type: 'sent' }
    | { type: 'limited'; retryAt: Date }
    | { type: 'unavailable' }
    | { type: 'devPhoneTaken' }
  >;
  /**
   * Checks a typed code; when right, records the phone as proven for this chat and links the chat to the
   * phone's account, resolving that account (or null).
   */
  checkPhoneCode(
    phone: string,
    code: string,
    ctx: EffectContext,
  ): Promise<
    | { type: 'proven'; citizen: CitizenSnapshot | null }
    | { type: 'wrong'; triesLeft: number }
    | { type: 'expired' }
    | { type: 'locked' }
    | { type: 'devPhoneTaken' }
  >;
}

/** Runs the phone effects of any flow that proves a phone. */
export function createPhoneProofEffects(deps: PhoneProofDeps): EffectRunners<PhoneEffects> {
  return {
    async sendCode(effect, ctx) {
      const sent = await deps.sendPhoneCode(effect.phone, ctx);
      if (sent.type === 'sent') return { type: 'codeSent' };
      if (sent.type === 'limited') return { type: 'codeLimited', retryAt: sent.retryAt };
      if (sent.type === 'devPhoneTaken') return { type: 'devPhoneTaken' };
      return { type: 'noSms' };
    },
    async checkCode(effect, ctx) {
      const checked = await deps.checkPhoneCode(effect.phone, effect.code, ctx);
      switch (checked.type) {
        case 'proven':
          return { type: 'proven', citizen: checked.citizen };
        case 'wrong':
          return { type: 'wrongCode', triesLeft: checked.triesLeft };
        case 'expired':
          return { type: 'codeExpired' };
        case 'locked':
          return { type: 'codeLocked' };
        case 'devPhoneTaken':
          return { type: 'devPhoneTaken' };
      }
    },
  };
}
