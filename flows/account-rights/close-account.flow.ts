import { z } from 'zod';
import type { CloseReason } from '../../src/domain/citizens/citizen.ts';
import type { FlowContext } from '../../src/engine/flow-context.ts';
import { type FlowDefinition, finish, goTo, perform, stay } from '../../src/engine/flow-kit.ts';
import type { Reply } from '../../src/messaging/outbound-message.ts';
import { vietnamDates } from '../../src/shared/vietnam-time.ts';
import { noAccountReply } from '../status/no-account.ts';
import { accountRightsCopy } from './account-rights.copy.ts';
import type { AccountRightsEffect, AccountRightsResult } from './account-rights.effects.ts';
import { MAX_ANSWER_ATTEMPTS, readYesNo } from './answers.ts';

const CloseStateSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('confirm'), attempts: z.number().int().min(0).max(MAX_ANSWER_ATTEMPTS) }),
  z.object({ step: z.literal('closing') }),
]);
type CloseState = z.infer<typeof CloseStateSchema>;

const say = (text: string): Reply => ({ text });
const t = (ctx: FlowContext) => accountRightsCopy[ctx.language];

/**
 * Closing the account, as `XOATK` (the citizen asks to delete it: reason `requested`) or `RUTDONGY` (the
 * citizen withdraws consent, which stops the processing and so closes the account: `consent_withdrawn`). Both
 * say what follows (closed now, every share link ended, data deleted after 30 days unless restored with
 * KHOIPHUC), ask CO/KHONG, then close and confirm with the purge date.
 */
export function closeAccountFlow(
  reason: CloseReason,
): FlowDefinition<CloseState, AccountRightsEffect, AccountRightsResult> {
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
          const used = state.attempts + 1;
          if (used >= MAX_ANSWER_ATTEMPTS) return finish(say(t(ctx).tooManyTries()));
          return stay({ step: 'confirm', attempts: used }, say(t(ctx).closeUnclear()));
        },
      },
      closing: {
        // Reached only if a turn stopped between closing and answering; closing again changes nothing.
        onMessage: (state) => perform(state, { type: 'close', reason }),
        onResult: (_state, result, ctx) => {
          if (result.type !== 'closed' || !ctx.citizen) return finish(noAccountReply(ctx));
          const date = vietnamDates.day(result.purgeAfter);
          const code = ctx.citizen.accountCode;
          return finish(
            say(reason === 'requested' ? t(ctx).closed(code, date) : t(ctx).withdrawn(code, date)),
          );
        },
      },
    },
  };
}
