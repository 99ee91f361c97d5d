import { z } from 'zod';
import { type FlowDefinition, finish, perform } from '../../src/engine/flow-kit.ts';
import { vietnamDates } from '../../src/shared/vietnam-time.ts';
import { noAccountReply } from '../status/no-account.ts';
import { accountRightsCopy } from './account-rights.copy.ts';
import type { AccountRightsEffect, AccountRightsResult } from './account-rights.effects.ts';

const DataExportStateSchema = z.discriminatedUnion('step', [z.object({ step: z.literal('exporting') })]);
type DataExportState = z.infer<typeof DataExportStateSchema>;

/**
 * `DULIEU`: a copy of everything held about the person, as a link to a JSON export that works for one day
 * (a share link of kind `export`). Answers at once; the request is audited. It works on a closed account too:
 * the person may see their data for as long as it is held.
 */
export const dataExportFlow: FlowDefinition<DataExportState, AccountRightsEffect, AccountRightsResult> = {
  id: 'data-export',
  version: 1,
  stateSchema: DataExportStateSchema,
  start: () => perform({ step: 'exporting' }, { type: 'exportData' }),
  steps: {
    exporting: {
      // The step answers in the same turn, so it is never stored waiting for a message.
      onMessage: () => finish(),
      onResult: (_state, result, ctx) => {
        if (result.type !== 'exportLink') return finish(noAccountReply(ctx));
        const until = vietnamDates.moment(result.expiresAt);
        return finish({ text: accountRightsCopy[ctx.language].exportReady(result.url, until) });
      },
    },
  },
};
