import type { FlowContext } from '../../src/engine/flow-context.ts';
import { type CommandDefinition, finish } from '../../src/engine/flow-kit.ts';
import { isSmsChannel } from '../../src/messaging/channel.ts';
import type { Reply } from '../../src/messaging/outbound-message.ts';
import { describeAccount } from '../account/account.copy.ts';
import { copyOf, say } from '../kit/answers.ts';
import { dossierText } from './dossier-text.ts';
import { dossiersCopy } from './dossiers.copy.ts';
import type { StatusEffects } from './status.effects.ts';

/** How many of the latest dossiers `TT` lists: an SMS list stays short, messengers show more. */
const RECENT_DOSSIERS = { sms: 3, messenger: 5 } as const;

const t = copyOf(dossiersCopy);

function accountLine(ctx: FlowContext): Reply[] {
  return ctx.citizen ? [say(describeAccount(ctx.language, ctx.citizen))] : [];
}

/**
 * `TT`: the account code and its status, then the latest dossiers; `TT <dossier code>`: that dossier with its
 * history and what to do next. A code of someone else's dossier gets the same answer as an unknown code.
 * Without an account, `requireAccount` (flows/index.ts) says how to register or link the chat.
 */
export const statusCommand: CommandDefinition<StatusEffects> = {
  id: 'status',
  start: (ctx, args, run) => {
    if (args.trim() !== '')
      return run({ type: 'findDossier', code: args }, (dossier) =>
        finish(say(dossier === null ? t(ctx).noSuchDossier() : dossierText.detail(ctx.language, dossier))),
      );
    const limit = isSmsChannel(ctx.channel) ? RECENT_DOSSIERS.sms : RECENT_DOSSIERS.messenger;
    return run({ type: 'recentDossiers', limit }, (dossiers) =>
      dossiers.length === 0
        ? finish(...accountLine(ctx))
        : finish(...accountLine(ctx), say(dossierText.recent(ctx.language, dossiers))),
    );
  },
};
