import { z } from 'zod';
import { type FlowDefinition, finish, perform } from '../../src/engine/flow-kit.ts';
import type { DocumentsEffect, DocumentsResult } from './documents.effects.ts';
import { documentsText, unexpectedResult } from './documents-text.ts';

const PapersStateSchema = z.discriminatedUnion('step', [z.object({ step: z.literal('listing') })]);
type PapersState = z.infer<typeof PapersStateSchema>;

/**
 * `GT`: the citizen's papers numbered in issue order (title, issuer, issue date), with how to share one (`CS n`;
 * buttons on messengers). Answers at once; without an account, `requireAccount` (flows/index.ts) answers instead.
 */
export const documentsFlow: FlowDefinition<PapersState, DocumentsEffect, DocumentsResult> = {
  id: 'documents',
  version: 1,
  stateSchema: PapersStateSchema,
  start: () => perform({ step: 'listing' }, { type: 'listPapers' }),
  steps: {
    listing: {
      onMessage: () => finish(),
      onResult: (_state, result, ctx) => {
        if (result.type !== 'papers') return unexpectedResult(result);
        return finish(documentsText.papers(ctx, result.papers));
      },
    },
  },
};
