import { type CommandDefinition, finish } from '../../src/engine/flow-kit.ts';
import { foldForMatch } from '../../src/shared/text.ts';
import { copyOf, say } from '../kit/answers.ts';
import { documentsCopy } from './documents.copy.ts';
import type { DocumentsEffects } from './documents.effects.ts';
import { documentsText } from './documents-text.ts';

const t = copyOf(documentsCopy);

/**
 * `THUHOI <n>`: revokes link n of the LS list at once (it then opens the same "not found" page as an unknown
 * link) and confirms. Without a number, or with a wrong one, says how to pick.
 */
export const revokeShareCommand: CommandDefinition<DocumentsEffects> = {
  id: 'revoke-share',
  start: (ctx, args, run) => {
    const typed = foldForMatch(args);
    if (!/^\d{1,3}$/.test(typed))
      return run({ type: 'listShares' }, (shares) =>
        finish(say(shares.length === 0 ? t(ctx).noShares() : t(ctx).pickShare(shares.length))),
      );
    const number = Number(typed);
    return run({ type: 'revokeShare', number }, (result) => {
      if (result.type === 'revoked')
        return finish(say(t(ctx).revoked(documentsText.thing(ctx, result.thing))));
      return finish(say(result.count === 0 ? t(ctx).noShares() : t(ctx).noSuchShare(number, result.count)));
    });
  },
};
