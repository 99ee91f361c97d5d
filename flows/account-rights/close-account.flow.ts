import { z } from 'zod';
import type { CloseReason } from '../../src/domain/citizens/citizen.ts';
import type { FlowContext } from '../../src/engine/flow-context.ts';
import { type FlowDefinition, finish, goTo, perform } from '../../src/engine/flow-kit.ts';
import { vietnamDates } from '../../src/shared/vietnam-time.ts';
import { attemptsSchema, copyOf, readYesNo, retryOrGiveUp, say } from '../kit/answers.ts';
import { noAccountReply } from '../status/no-account.ts';
import { accountRightsCopy } from './account-rights.copy.ts';
import type { AccountRightsEffects } from './account-rights.effects.ts';

const CloseStateSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('confirm'), attempts: attemptsSchema }),
  z.object({ step: z.literal('closing') }),
]);
type CloseState = z.infer<typeof CloseStateSchema>;

const t = copyOf(accountRightsCopy);

/**
 * Closing the account, as `XOATK` (the citizen asks to delete it: reason `requested`) or `RUTDONGY` (the
 * citizen withdraws consent, which stops the processing and so closes the account: `consent_withdrawn`). Both
 * say what follows (closed now, every share link ended, data deleted after 30 days unless restored with
 * KHOIPHUC), ask CO/KHONG, then close and confirm with the purge date.
 */
export function closeAccountFlow(reason: CloseReason): FlowDefinition<CloseState, AccountRightsEffects> {
  const ask = (ctx: FlowContext) => (reason === 'requested' ? t(ctx).closeAsk() : t(ctx).withdrawAsk());
  return {
    id: reason === 'requested' ? 'close-account' : 'withdraw-consent',
    version: 1,
    stateSchema: CloseStateSchema,
    start: () => goTo({ step: 'confirm', attempts: 0 }),
    steps: {
      confirm: {
        prompt: (_state, ctx) => [
          {
            text: ask(ctx),
            choices: [
              { label: t(ctx).yesLabel(), payload: t(ctx).yesKeyword() },
              { label: t(ctx).noLabel(), payload: t(ctx).noKeyword() },
            ],
          },
        ],
        onMessage: (state, text, ctx) => {
          const answer = readYesNo(text);
          if (answer === 'yes') return perform({ step: 'closing' }, { type: 'close', reason });
          if (answer === 'no') return finish(say(t(ctx).kept()));
          return retryOrGiveUp(state, t(ctx).closeUnclear(), t(ctx).tooManyTries(), ctx);
        },
      },
      closing: {
        // Reached only if a turn stopped between closing and answering; closing again changes nothing.
        onMessage: (state) => perform(state, { type: 'close', reason }),
        onResult: {
          close: (_state, result, ctx) => {
            if (result.type !== 'closed' || !ctx.citizen) return finish(noAccountReply(ctx));
            const date = vietnamDates.day(result.purgeAfter);
            const code = ctx.citizen.accountCode;
            return finish(
              say(reason === 'requested' ? t(ctx).closed(code, date) : t(ctx).withdrawn(code, date)),
            );
          },
        },
      },
    },
  };
}
