import { z } from 'zod';
import { type FlowDefinition, finish, perform } from '../../src/engine/flow-kit.ts';
import type { DocumentsEffect, DocumentsResult } from './documents.effects.ts';
import { documentsText, unexpectedResult } from './documents-text.ts';
import { parsePage } from './list-page.ts';

/** `page`: the page asked for, or null when what followed `GT` is not a page number. */
const PapersStateSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('listing'), page: z.number().int().nullable() }),
]);
type PapersState = z.infer<typeof PapersStateSchema>;

/**
 * `GT [page]`: the citizen's papers numbered in issue order (title, issuer, issue date), a page of 4 at a time
 * (`GT 2` the next; numbers run on across pages, so `CS 13` is paper 13 on any page), with how to share one
 * (`CS n`; buttons on messengers). Answers at once; without an account, `requireAccount` (flows/index.ts)
 * answers instead.
 */
export const documentsFlow: FlowDefinition<PapersState, DocumentsEffect, DocumentsResult> = {
  id: 'documents',
  version: 2,
  stateSchema: PapersStateSchema,
  start: (_ctx, args) => perform({ step: 'listing', page: parsePage(args) }, { type: 'listPapers' }),
  steps: {
    listing: {
      onMessage: () => finish(),
      onResult: (state, result, ctx) => {
        if (result.type !== 'papers') return unexpectedResult(result);
        return finish(documentsText.papers(ctx, result.papers, state.page));
      },
    },
  },
};
