import { z } from 'zod';
import type { FlowContext } from '../../src/engine/flow-context.ts';
import { type FlowDefinition, finish, goTo, perform, stay } from '../../src/engine/flow-kit.ts';
import type { Reply } from '../../src/messaging/outbound-message.ts';
import { vietnamDates } from '../../src/shared/vietnam-time.ts';
import { noAccountReply } from '../status/no-account.ts';
import { accountRightsCopy } from './account-rights.copy.ts';
import type { AccountRightsEffect, AccountRightsResult } from './account-rights.effects.ts';
import { MAX_ANSWER_ATTEMPTS, readYesNo } from './answers.ts';

const purgeAfter = z.iso.datetime();
const RestoreStateSchema = z.discriminatedUnion('step', [
  z.object({
    step: z.literal('confirm'),
    attempts: z.number().int().min(0).max(MAX_ANSWER_ATTEMPTS),
    purgeAfter,
  }),
  z.object({ step: z.literal('reopening') }),
]);
type RestoreState = z.infer<typeof RestoreStateSchema>;

const say = (text: string): Reply => ({ text });
const t = (ctx: FlowContext) => accountRightsCopy[ctx.language];

/**
 * `KHOIPHUC`: restores a closed account before its purge date. Like registration, it asks for consent again
 * (CO/KHONG); the consent is recorded with the account when it is reopened.
 */
export const restoreFlow: FlowDefinition<RestoreState, AccountRightsEffect, AccountRightsResult> = {
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
        const used = state.attempts + 1;
        if (used >= MAX_ANSWER_ATTEMPTS) return finish(say(t(ctx).tooManyTries()));
        return stay({ ...state, attempts: used }, say(t(ctx).restoreUnclear()));
      },
    },
    reopening: {
      // Reached only if a turn stopped between reopening and answering; reopening again changes nothing.
      onMessage: (state) => perform(state, { type: 'reopen' }),
      onResult: (_state, result, ctx) => {
        if (result.type === 'tooLate') return finish(say(t(ctx).restoreTooLate()));
        if (result.type !== 'reopened' || !ctx.citizen) return finish(noAccountReply(ctx));
        return finish(say(t(ctx).restored(ctx.citizen.accountCode)));
      },
    },
  },
};
