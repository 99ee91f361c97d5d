import { z } from 'zod';
import { type FlowDefinition, finish, perform } from '../../src/engine/flow-kit.ts';
import { foldForMatch } from '../../src/shared/text.ts';
import { documentsCopy } from './documents.copy.ts';
import type { DocumentsEffect, DocumentsResult } from './documents.effects.ts';
import { documentsText, unexpectedResult } from './documents-text.ts';

const RevokeStateSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('revoking'), number: z.number().int() }),
  z.object({ step: z.literal('counting') }),
]);
type RevokeState = z.infer<typeof RevokeStateSchema>;

/**
 * `THUHOI <n>`: revokes link n of the LS list at once (it then opens the same "not found" page as an unknown
 * link) and confirms. Without a number, or with a wrong one, says how to pick.
 */
export const revokeShareFlow: FlowDefinition<RevokeState, DocumentsEffect, DocumentsResult> = {
  id: 'revoke-share',
  version: 1,
  stateSchema: RevokeStateSchema,
  start: (_ctx, args) => {
    const typed = foldForMatch(args);
    if (!/^\d{1,3}$/.test(typed)) return perform({ step: 'counting' }, { type: 'listShares' });
    const number = Number(typed);
    return perform({ step: 'revoking', number }, { type: 'revokeShare', number });
  },
  steps: {
    revoking: {
      onMessage: () => finish(),
      onResult: (state, result, ctx) => {
        const copy = documentsCopy[ctx.language];
        switch (result.type) {
          case 'revoked':
            return finish({ text: copy.revoked(documentsText.thing(ctx, result.thing)) });
          case 'noSuchShare':
            return finish({
              text: result.count === 0 ? copy.noShares() : copy.noSuchShare(state.number, result.count),
            });
          default:
            return unexpectedResult(result);
        }
      },
    },
    counting: {
      onMessage: () => finish(),
      onResult: (_state, result, ctx) => {
        const copy = documentsCopy[ctx.language];
        if (result.type !== 'shares') return unexpectedResult(result);
        const count = result.shares.length;
        return finish({ text: count === 0 ? copy.noShares() : copy.pickShare(count) });
      },
    },
  },
};
