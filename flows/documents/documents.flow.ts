import { type CommandDefinition, finish } from '../../src/engine/flow-kit.ts';
import type { DocumentsEffects } from './documents.effects.ts';
import { documentsText } from './documents-text.ts';
import { parsePage } from './list-page.ts';

/**
 * `GT [page]`: the citizen's papers numbered in issue order (title, issuer, issue date), a page of 4 at a time
 * (`GT 2` the next; numbers run on across pages, so `CS 13` is paper 13 on any page), with how to share one
 * (`CS n`; buttons on messengers). Answers at once; without an account, `requireAccount` (flows/index.ts)
 * answers instead. `page` is null when what followed `GT` is not a page number.
 */
export const documentsCommand: CommandDefinition<DocumentsEffects> = {
  id: 'documents',
  start: (_ctx, args, run) => {
    const page = parsePage(args);
    return run({ type: 'listPapers' }, (papers, ctx) => finish(documentsText.papers(ctx, papers, page)));
  },
};
