import type { CloseReason } from '../../src/domain/citizens/citizen.ts';
import type { CitizenRepository } from '../../src/domain/citizens/citizen-repository.ts';
import type { CreatedShare, CreateShareInput } from '../../src/domain/shares/create-share.ts';
import type { ShareRepository } from '../../src/domain/shares/share.ts';
import type { EffectContext } from '../../src/engine/flow-context.ts';
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

/** The effects of DULIEU, XOATK / RUTDONGY and KHOIPHUC. */
export type AccountRightsEffect =
  | { readonly type: 'exportData' }
  | { readonly type: 'close'; readonly reason: CloseReason }
  | { readonly type: 'reopen' };

/** What the data-rights effects give. */
export type AccountRightsResult =
  | { readonly type: 'exportLink'; readonly url: string; readonly expiresAt: Date }
  | { readonly type: 'closed'; readonly purgeAfter: Date }
  | { readonly type: 'reopened' }
  /** The account is past its purge date (or being purged): it can no longer be restored. */
  | { readonly type: 'tooLate' }
  | { readonly type: 'noAccount' };

/**
 * Runs the data-rights effects on the person's account (`ctx.citizen`). Each is idempotent on the inbound
 * message: the export link is derived from it; closing a closed account and reopening an open one change
 * nothing, so a replayed turn answers the same.
 */
export function createAccountRightsEffects(ports: AccountRightsPorts) {
  return async (effect: AccountRightsEffect, ctx: EffectContext): Promise<AccountRightsResult> => {
    const { citizen } = ctx;
    if (citizen === null) return { type: 'noAccount' };
    switch (effect.type) {
      case 'exportData': {
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
      }
      case 'close': {
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
      }
      case 'reopen': {
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
      }
    }
  };
}
