import { z } from 'zod';
import { type FlowDefinition, finish, perform } from '../../src/engine/flow-kit.ts';
import { noAccountReply } from '../status/no-account.ts';
import type { DocumentsEffect, DocumentsResult } from './documents.effects.ts';
import { documentsText, unexpectedResult } from './documents-text.ts';

const PapersStateSchema = z.discriminatedUnion('step', [z.object({ step: z.literal('listing') })]);
type PapersState = z.infer<typeof PapersStateSchema>;

/**
 * `GT`: the citizen's papers numbered in issue order (title, issuer, issue date), with how to share one (`CS n`;
 * buttons on messengers). Answers at once; without an account, says how to register or link the chat.
 */
export const documentsFlow: FlowDefinition<PapersState, DocumentsEffect, DocumentsResult> = {
  id: 'documents',
  version: 1,
  stateSchema: PapersStateSchema,
  start: (ctx) =>
    ctx.citizen ? perform({ step: 'listing' }, { type: 'listPapers' }) : finish(noAccountReply(ctx)),
  steps: {
    listing: {
      onMessage: () => finish(),
      onResult: (_state, result, ctx) => {
        if (result.type === 'noAccount') return finish(noAccountReply(ctx));
        if (result.type !== 'papers') return unexpectedResult(result);
        return finish(documentsText.papers(ctx, result.papers));
      },
    },
  },
};
