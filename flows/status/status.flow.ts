import { z } from 'zod';
import type { FlowContext } from '../../src/engine/flow-context.ts';
import { type FlowDefinition, finish, type Outcome, perform } from '../../src/engine/flow-kit.ts';
import { isSmsChannel } from '../../src/messaging/channel.ts';
import type { Reply } from '../../src/messaging/outbound-message.ts';
import { describeAccount } from '../account/account.copy.ts';
import { dossierText } from './dossier-text.ts';
import { dossiersCopy } from './dossiers.copy.ts';
import type { StatusEffect, StatusResult } from './status.effects.ts';

/** How many of the latest dossiers `TT` lists: an SMS list stays short, messengers show more. */
const RECENT_DOSSIERS = { sms: 3, messenger: 5 } as const;

const StatusStateSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('recent') }),
  z.object({ step: z.literal('dossier') }),
]);
type StatusState = z.infer<typeof StatusStateSchema>;
type Out = Outcome<StatusState, StatusEffect>;

const say = (text: string): Reply => ({ text });
/** Every step answers at once: none waits for a message, so none is ever stored. */
const nothingAwaited = () => finish<StatusState, StatusEffect>();

function accountLine(ctx: FlowContext): Reply[] {
  return ctx.citizen ? [say(describeAccount(ctx.language, ctx.citizen))] : [];
}

/**
 * `TT`: the account code and its status, then the latest dossiers; `TT <dossier code>`: that dossier with its
 * history and what to do next. A code of someone else's dossier gets the same answer as an unknown code.
 * Without an account, `requireAccount` (flows/index.ts) says how to register or link the chat.
 */
export const statusFlow: FlowDefinition<StatusState, StatusEffect, StatusResult> = {
  id: 'status',
  version: 2,
  stateSchema: StatusStateSchema,
  start: (ctx, args): Out => {
    if (args.trim() !== '') return perform({ step: 'dossier' }, { type: 'findDossier', code: args });
    const limit = isSmsChannel(ctx.channel) ? RECENT_DOSSIERS.sms : RECENT_DOSSIERS.messenger;
    return perform({ step: 'recent' }, { type: 'recentDossiers', limit });
  },
  steps: {
    recent: {
      onMessage: nothingAwaited,
      onResult: (_state, result, ctx) => {
        if (result.type !== 'dossiers' || result.dossiers.length === 0) return finish(...accountLine(ctx));
        return finish(...accountLine(ctx), say(dossierText.recent(ctx.language, result.dossiers)));
      },
    },
    dossier: {
      onMessage: nothingAwaited,
      onResult: (_state, result, ctx) => {
        if (result.type !== 'dossier') return finish(say(dossiersCopy[ctx.language].noSuchDossier()));
        return finish(say(dossierText.detail(ctx.language, result.dossier)));
      },
    },
  },
};
