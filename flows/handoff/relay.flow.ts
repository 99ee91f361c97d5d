import { z } from 'zod';
import { type FlowDefinition, finish, perform } from '../../src/engine/flow-kit.ts';
import { foldForMatch } from '../../src/shared/text.ts';
import { copyOf, say } from '../kit/answers.ts';
import { handoffCopy } from './handoff.copy.ts';
import type { HandoffEffects } from './handoff.effects.ts';

/** The id of the volunteer's standing flow while they hold a hand-off. */
export const RELAY_FLOW = 'handoff-relay';

/** The words that close the hand-off from the holder's side, folded (`/XONG` reaches the XONG command). */
export const DONE_WORDS: ReadonlySet<string> = new Set(['xong', 'done']);

const RelayState = z.object({
  step: z.literal('relay'),
  handoffId: z.number().int().positive(),
  memberId: z.string(),
});
type RelayState = z.infer<typeof RelayState>;

const t = copyOf(handoffCopy);

/**
 * The volunteer's side of a hand-off they hold, a standing flow escaped with `/` (see `StandingFlow` in
 * src/engine/run-turn.ts): what they write goes to the citizen on the citizen's channel and into the thread
 * (on SMS split into one-segment GSM-7 parts, and they are told how many); `XONG` closes it.
 */
export const relayFlow: FlowDefinition<RelayState, HandoffEffects> = {
  id: RELAY_FLOW,
  version: 1,
  stateSchema: RelayState,
  start: () => finish(),
  steps: {
    relay: {
      onMessage: (state, text) => {
        if (DONE_WORDS.has(foldForMatch(text)))
          return perform(state, {
            type: 'closeHandoff',
            handoffId: state.handoffId,
            closer: 'volunteer',
            memberId: state.memberId,
          });
        if (text.trim() === '') return finish();
        return perform(state, {
          type: 'answerCitizen',
          handoffId: state.handoffId,
          memberId: state.memberId,
          text: text.trim(),
        });
      },
      onResult: {
        closeHandoff: (state, _result, ctx) => finish(say(t(ctx).closedByYou(state.handoffId))),
        answerCitizen: (state, result, ctx) => {
          if (result.type === 'sent')
            return result.parts > 1 ? finish(say(t(ctx).split(state.handoffId, result.parts))) : finish();
          return finish(say(t(ctx).alreadyClosed(state.handoffId)));
        },
      },
    },
  },
};
