import { z } from 'zod';
import { type FlowDefinition, finish, perform } from '../../src/engine/flow-kit.ts';
import type { DocumentsEffect, DocumentsResult } from './documents.effects.ts';
import { documentsText, unexpectedResult } from './documents-text.ts';

const SharesStateSchema = z.discriminatedUnion('step', [z.object({ step: z.literal('listing') })]);
type SharesState = z.infer<typeof SharesStateSchema>;

/**
 * `LS`: the open share links numbered oldest first (what each opens, expiry, view count and the latest views:
 * when, approximate place, device class; never an IP address), with how to revoke one (`THUHOI n`).
 */
export const sharesFlow: FlowDefinition<SharesState, DocumentsEffect, DocumentsResult> = {
  id: 'shares',
  version: 1,
  stateSchema: SharesStateSchema,
  start: () => perform({ step: 'listing' }, { type: 'listShares' }),
  steps: {
    listing: {
      onMessage: () => finish(),
      onResult: (_state, result, ctx) => {
        if (result.type !== 'shares') return unexpectedResult(result);
        return finish(documentsText.shares(ctx, result.shares));
      },
    },
  },
};
