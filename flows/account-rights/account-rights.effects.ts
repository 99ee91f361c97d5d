import type { CloseReason } from '../../src/domain/citizens/citizen.ts';
import type { CitizenRepository } from '../../src/domain/citizens/citizen-repository.ts';
import type { CreatedShare, CreateShareInput } from '../../src/domain/shares/create-share.ts';
import type { ShareRepository } from '../../src/domain/shares/share.ts';
import type { EffectRunners } from '../../src/engine/flow-kit.ts';
import { CONSENT_PURPOSE } from '../registration/registration.copy.ts';
import { PURGE_AFTER_DAYS, RESTORE_CONSENT_TEXT_VERSION } from './account-rights.copy.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The ports the data-rights commands are built from. */
export interface AccountRightsPorts {
  readonly citizens: Pick<CitizenRepository, 'close' | 'reopen' | 'recordDataExport'>;
  readonly shares: Pick<ShareRepository, 'revokeAllOf'>;
  /** `createShare` of src/domain/shares/create-share.ts, bound to its dependencies (key, base URL). */
  createShare(input: CreateShareInput): Promise<CreatedShare>;
}

/** Without an account (or with one purged meanwhile) there is nothing to act on. */
type NoAccount = { readonly type: 'noAccount' };

/** The effects of DULIEU, XOATK / RUTDONGY and KHOIPHUC, and what each gives. */
export type AccountRightsEffects = {
  exportData: {
    effect: { readonly type: 'exportData' };
    result: { readonly type: 'exportLink'; readonly url: string; readonly expiresAt: Date } | NoAccount;
  };
  close: {
    effect: { readonly type: 'close'; readonly reason: CloseReason };
    result: { readonly type: 'closed'; readonly purgeAfter: Date } | NoAccount;
  };
  reopen: {
    effect: { readonly type: 'reopen' };
    /** `tooLate`: the account is past its purge date (or being purged): it can no longer be restored. */
    result: { readonly type: 'reopened' } | { readonly type: 'tooLate' } | NoAccount;
  };
};

/**
 * Runs the data-rights effects on the person's account (`ctx.citizen`). Each is idempotent on the inbound
 * message: the export link is derived from it; closing a closed account and reopening an open one change
 * nothing, so a replayed turn answers the same.
 */
export function createAccountRightsEffects(ports: AccountRightsPorts): EffectRunners<AccountRightsEffects> {
  return {
    async exportData(_effect, ctx) {
      const { citizen } = ctx;
      if (citizen === null) return { type: 'noAccount' };
      const { share, url } = await ports.createShare({
        citizenId: citizen.id,
        kind: 'export',
        documentId: null,
        days: 1,
        ref: ctx.ref,
        at: ctx.now,
      });
      await ports.citizens.recordDataExport(citizen.id, { channel: ctx.channel, shareId: share.id });
      return { type: 'exportLink', url, expiresAt: share.expiresAt };
    },
    async close(effect, ctx) {
      const { citizen } = ctx;
      if (citizen === null) return { type: 'noAccount' };
      const closed = await ports.citizens.close(citizen.id, {
        at: ctx.now,
        purgeAfter: new Date(ctx.now.getTime() + PURGE_AFTER_DAYS * DAY_MS),
        reason: effect.reason,
        channel: ctx.channel,
      });
      if (closed?.purgeAfter == null) return { type: 'noAccount' };
      // Every link ends now: a closed account shares nothing.
      await ports.shares.revokeAllOf(citizen.id, ctx.now);
      return { type: 'closed', purgeAfter: closed.purgeAfter };
    },
    async reopen(_effect, ctx) {
      const { citizen } = ctx;
      if (citizen === null) return { type: 'noAccount' };
      const reopened = await ports.citizens.reopen(citizen.id, {
        at: ctx.now,
        consent: {
          purpose: CONSENT_PURPOSE,
          textVersion: RESTORE_CONSENT_TEXT_VERSION,
          channel: ctx.channel,
          language: ctx.language,
        },
      });
      return reopened === null ? { type: 'tooLate' } : { type: 'reopened' };
    },
  };
}
