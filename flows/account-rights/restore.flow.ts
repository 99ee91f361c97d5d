import { z } from 'zod';
import { type FlowDefinition, finish, goTo, perform } from '../../src/engine/flow-kit.ts';
import { vietnamDates } from '../../src/shared/vietnam-time.ts';
import { attemptsSchema, copyOf, readYesNo, retryOrGiveUp, say } from '../kit/answers.ts';
import { noAccountReply } from '../status/no-account.ts';
import { accountRightsCopy } from './account-rights.copy.ts';
import type { AccountRightsEffects } from './account-rights.effects.ts';

const purgeAfter = z.iso.datetime();
const RestoreStateSchema = z.discriminatedUnion('step', [
  z.object({
    step: z.literal('confirm'),
    attempts: attemptsSchema,
    purgeAfter,
  }),
  z.object({ step: z.literal('reopening') }),
]);
type RestoreState = z.infer<typeof RestoreStateSchema>;

const t = copyOf(accountRightsCopy);

/**
 * `KHOIPHUC`: restores a closed account before its purge date. Like registration, it asks for consent again
 * (CO/KHONG); the consent is recorded with the account when it is reopened.
 */
export const restoreFlow: FlowDefinition<RestoreState, AccountRightsEffects> = {
  id: 'restore',
  version: 1,
  stateSchema: RestoreStateSchema,
  start: (ctx) => {
    const purgeAfter = ctx.citizen?.purgeAfter;
    if (!purgeAfter) return finish(say(t(ctx).notClosed(ctx.citizen?.accountCode ?? '')));
    if (purgeAfter.getTime() <= ctx.now.getTime()) return finish(say(t(ctx).restoreTooLate()));
    return goTo({ step: 'confirm', attempts: 0, purgeAfter: purgeAfter.toISOString() });
  },
  steps: {
    confirm: {
      prompt: (_state, ctx) => [
        {
          text: t(ctx).restoreAsk(ctx.citizen?.accountCode ?? ''),
          choices: [
            { label: t(ctx).yesLabel(), payload: t(ctx).yesKeyword() },
            { label: t(ctx).noLabel(), payload: t(ctx).noKeyword() },
          ],
        },
      ],
      onMessage: (state, text, ctx) => {
        const answer = readYesNo(text);
        if (answer === 'yes') return perform({ step: 'reopening' }, { type: 'reopen' });
        if (answer === 'no')
          return finish(say(t(ctx).restoreDeclined(vietnamDates.day(new Date(state.purgeAfter)))));
        return retryOrGiveUp(state, t(ctx).restoreUnclear(), t(ctx).tooManyTries(), ctx);
      },
    },
    reopening: {
      // Reached only if a turn stopped between reopening and answering; reopening again changes nothing.
      onMessage: (state) => perform(state, { type: 'reopen' }),
      onResult: {
        reopen: (_state, result, ctx) => {
          if (result.type === 'tooLate') return finish(say(t(ctx).restoreTooLate()));
          if (result.type !== 'reopened' || !ctx.citizen) return finish(noAccountReply(ctx));
          return finish(say(t(ctx).restored(ctx.citizen.accountCode)));
        },
      },
    },
  },
};
