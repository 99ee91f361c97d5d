import type { CitizenSnapshot, EffectContext } from '../../src/engine/flow-context.ts';
import type { Flow } from '../../src/engine/flow-kit.ts';
import type { Language } from '../../src/messaging/channel.ts';
import { vietnamDates } from '../../src/shared/vietnam-time.ts';
import { accountRightsCopy } from './account-rights.copy.ts';

/**
 * What a closed account answers to every account command: closed at the citizen's request, deleted on which
 * day, and how to restore it. Null for an open account.
 */
export function describeClosedAccount(
  language: Language,
  citizen: Pick<CitizenSnapshot, 'accountCode' | 'purgeAfter'>,
): string | null {
  if (!citizen.purgeAfter) return null;
  return accountRightsCopy[language].accountClosed(citizen.accountCode, vietnamDates.day(citizen.purgeAfter));
}

/**
 * Wraps a flow so that, for a closed account, starting it only says the account is closed (see
 * {@link describeClosedAccount}): nothing is done on an account waiting to be purged except restoring it.
 */
export function guardClosedAccount(flow: Flow): Flow {
  return {
    ...flow,
    async start(ctx: EffectContext, args: string) {
      const closed = ctx.citizen ? describeClosedAccount(ctx.language, ctx.citizen) : null;
      if (closed !== null) return { next: null, replies: [{ text: closed }] };
      return flow.start(ctx, args);
    },
  };
}
