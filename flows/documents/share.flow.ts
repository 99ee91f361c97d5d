import { z } from 'zod';
import { SHARE_DAYS, type ShareDays } from '../../src/domain/shares/create-share.ts';
import { type FlowDefinition, finish, perform } from '../../src/engine/flow-kit.ts';
import { foldForMatch } from '../../src/shared/text.ts';
import { documentsCopy } from './documents.copy.ts';
import type { DocumentsEffect, DocumentsResult } from './documents.effects.ts';
import { documentsText, unexpectedResult } from './documents-text.ts';

const ShareStateSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('sharing'), number: z.number().int() }),
  z.object({ step: z.literal('counting') }),
]);
type ShareState = z.infer<typeof ShareStateSchema>;

/** How long a link lasts when the citizen does not say. */
const DEFAULT_DAYS: ShareDays = 7;

/** What follows `CS`: a paper number and optional days ("2", "2 30", "2, 30 ngày"), or not. */
export type ShareRequest =
  | { readonly type: 'share'; readonly number: number; readonly days: ShareDays }
  | { readonly type: 'badDays'; readonly number: number }
  | { readonly type: 'noNumber' };

/** Reads what followed `CS`; a number of days other than 1, 7 or 30 is `badDays`. */
export function parseShareRequest(args: string): ShareRequest {
  const [first = '', ...rest] = foldForMatch(args).split(/[\s,.;:]+/u);
  if (!/^\d{1,3}$/.test(first)) return { type: 'noNumber' };
  const number = Number(first);
  if (rest.length === 0) return { type: 'share', number, days: DEFAULT_DAYS };
  const days = /^(\d{1,3})\s*(?:ngay|days?|d)?$/.exec(rest.join(' '))?.[1];
  const picked = SHARE_DAYS.find((d) => d === Number(days));
  return picked === undefined ? { type: 'badDays', number } : { type: 'share', number, days: picked };
}

/**
 * `CS <n> [1|7|30]`: shares paper n of the GT list for 7 days (or 1 or 30) and answers with the short link and
 * its expiry (with the QR code as a picture on messengers). The link is derived from the message, so a replayed
 * turn gives the same one. Without a number, or with a wrong one, says how to pick.
 */
export const shareFlow: FlowDefinition<ShareState, DocumentsEffect, DocumentsResult> = {
  id: 'share',
  version: 1,
  stateSchema: ShareStateSchema,
  start: (ctx, args) => {
    const request = parseShareRequest(args);
    switch (request.type) {
      case 'badDays':
        return finish({ text: documentsCopy[ctx.language].badDays(request.number) });
      case 'noNumber':
        return perform({ step: 'counting' }, { type: 'listPapers' });
      case 'share':
        return perform(
          { step: 'sharing', number: request.number },
          { type: 'sharePaper', number: request.number, days: request.days },
        );
    }
  },
  steps: {
    sharing: {
      onMessage: () => finish(),
      onResult: (state, result, ctx) => {
        const copy = documentsCopy[ctx.language];
        switch (result.type) {
          case 'shared':
            return finish(documentsText.shared(ctx, result));
          case 'noSuchPaper':
            return finish({
              text: result.count === 0 ? copy.noPapers() : copy.noSuchPaper(state.number, result.count),
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
        if (result.type !== 'papers') return unexpectedResult(result);
        const count = result.papers.length;
        return finish({ text: count === 0 ? copy.noPapers() : copy.pickPaper(count) });
      },
    },
  },
};
