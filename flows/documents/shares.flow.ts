import { type CommandDefinition, finish } from '../../src/engine/flow-kit.ts';
import type { DocumentsEffects } from './documents.effects.ts';
import { documentsText } from './documents-text.ts';
import { parsePage } from './list-page.ts';

/**
 * `LS [page]`: the open share links numbered oldest first (what each opens, expiry, view count and the latest
 * views: when, approximate place, device class; never an IP address), a page of 4 at a time (`LS 2` the next;
 * numbers run on across pages, as `THUHOI n` reads them), with how to revoke one (`THUHOI n`). `page` is null
 * when what followed `LS` is not a page number.
 */
export const sharesCommand: CommandDefinition<DocumentsEffects> = {
  id: 'shares',
  start: (_ctx, args, run) => {
    const page = parsePage(args);
    return run({ type: 'listShares' }, (shares, ctx) => finish(documentsText.shares(ctx, shares, page)));
  },
};
