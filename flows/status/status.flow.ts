import { z } from 'zod';
import type { FlowDefinition } from '../../src/engine/flow-kit.ts';
import { finish } from '../../src/engine/flow-kit.ts';
import { describeAccount } from '../account/account.copy.ts';
import { statusCopy } from './status.copy.ts';

const StatusStateSchema = z.discriminatedUnion('step', [z.object({ step: z.literal('done') })]);
type StatusState = z.infer<typeof StatusStateSchema>;

/** `TT`: answers at once with the account code and its status, or how to register or link the chat. */
export const statusFlow: FlowDefinition<StatusState, never, never> = {
  id: 'status',
  version: 1,
  stateSchema: StatusStateSchema,
  start: (ctx) =>
    finish({
      text: ctx.citizen
        ? describeAccount(ctx.language, ctx.citizen)
        : ctx.phone !== null
          ? statusCopy[ctx.language].noAccount()
          : statusCopy[ctx.language].noAccountLinked(),
    }),
  steps: { done: { onMessage: () => finish() } },
};
