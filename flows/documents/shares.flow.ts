import { z } from 'zod';
import { type FlowDefinition, finish, perform } from '../../src/engine/flow-kit.ts';
import type { DocumentsEffect, DocumentsResult } from './documents.effects.ts';
import { documentsText, unexpectedResult } from './documents-text.ts';
import { parsePage } from './list-page.ts';

/** `page`: the page asked for, or null when what followed `LS` is not a page number. */
const SharesStateSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('listing'), page: z.number().int().nullable() }),
]);
type SharesState = z.infer<typeof SharesStateSchema>;

/**
 * `LS [page]`: the open share links numbered oldest first (what each opens, expiry, view count and the latest
 * views: when, approximate place, device class; never an IP address), a page of 4 at a time (`LS 2` the next;
 * numbers run on across pages, as `THUHOI n` reads them), with how to revoke one (`THUHOI n`).
 */
export const sharesFlow: FlowDefinition<SharesState, DocumentsEffect, DocumentsResult> = {
  id: 'shares',
  version: 2,
  stateSchema: SharesStateSchema,
  start: (_ctx, args) => perform({ step: 'listing', page: parsePage(args) }, { type: 'listShares' }),
  steps: {
    listing: {
      onMessage: () => finish(),
      onResult: (state, result, ctx) => {
        if (result.type !== 'shares') return unexpectedResult(result);
        return finish(documentsText.shares(ctx, result.shares, state.page));
      },
    },
  },
};
