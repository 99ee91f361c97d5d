import { SHARE_DAYS, type ShareDays } from '../../src/domain/shares/create-share.ts';
import { type CommandDefinition, finish } from '../../src/engine/flow-kit.ts';
import { foldForMatch } from '../../src/shared/text.ts';
import { copyOf, say } from '../kit/answers.ts';
import { documentsCopy } from './documents.copy.ts';
import type { DocumentsEffects } from './documents.effects.ts';
import { documentsText } from './documents-text.ts';

const t = copyOf(documentsCopy);

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
export const shareCommand: CommandDefinition<DocumentsEffects> = {
  id: 'share',
  start: (ctx, args, run) => {
    const request = parseShareRequest(args);
    switch (request.type) {
      case 'badDays':
        return finish(say(t(ctx).badDays(request.number)));
      case 'noNumber':
        return run({ type: 'listPapers' }, (papers) =>
          finish(say(papers.length === 0 ? t(ctx).noPapers() : t(ctx).pickPaper(papers.length))),
        );
      case 'share': {
        const { number, days } = request;
        return run({ type: 'sharePaper', number, days }, (result) => {
          if (result.type === 'shared') return finish(documentsText.shared(ctx, result));
          return finish(
            say(result.count === 0 ? t(ctx).noPapers() : t(ctx).noSuchPaper(number, result.count)),
          );
        });
      }
    }
  },
};
