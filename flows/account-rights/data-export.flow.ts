import { type CommandDefinition, finish } from '../../src/engine/flow-kit.ts';
import { vietnamDates } from '../../src/shared/vietnam-time.ts';
import { copyOf, say } from '../kit/answers.ts';
import { noAccountReply } from '../status/no-account.ts';
import { accountRightsCopy } from './account-rights.copy.ts';
import type { AccountRightsEffects } from './account-rights.effects.ts';

const t = copyOf(accountRightsCopy);

/**
 * `DULIEU`: a copy of everything held about the person, as a link to a JSON export that works for one day
 * (a share link of kind `export`). Answers at once; the request is audited. It works on a closed account too:
 * the person may see their data for as long as it is held.
 */
export const dataExportCommand: CommandDefinition<AccountRightsEffects> = {
  id: 'data-export',
  start: (_ctx, _args, run) =>
    run({ type: 'exportData' }, (result, ctx) => {
      if (result.type !== 'exportLink') return finish(noAccountReply(ctx));
      return finish(say(t(ctx).exportReady(result.url, vietnamDates.moment(result.expiresAt))));
    }),
};
