import { z } from 'zod';
import { type FlowDefinition, finish, perform } from '../../src/engine/flow-kit.ts';
import { foldForMatch } from '../../src/shared/text.ts';
import { copyOf, say } from '../kit/answers.ts';
import { handoffCopy } from './handoff.copy.ts';
import type { HandoffEffects } from './handoff.effects.ts';

/** The id of the citizen's standing flow while their hand-off is open or held. */
export const HELD_FLOW = 'handoff-held';

/** The words that end the hand-off from the citizen's side, folded. */
const END_WORDS: ReadonlySet<string> = new Set(['huy']);

const HeldState = z.object({ step: z.literal('held'), handoffId: z.number().int().positive() });
type HeldState = z.infer<typeof HeldState>;

const t = copyOf(handoffCopy);

/**
 * The citizen's side of a hand-off, a standing flow (see `StandingFlow` in src/engine/run-turn.ts): the bot does
 * not answer; every message is kept in the thread and relayed to the volunteer holding it. While nobody holds
 * it, the first message gets one short "kept for the volunteer" and the others nothing. `HUY` ends it: the
 * citizen is told the assistant is back (and the holder that the citizen left).
 */
export const heldFlow: FlowDefinition<HeldState, HandoffEffects> = {
  id: HELD_FLOW,
  version: 1,
  stateSchema: HeldState,
  // Never started by a keyword: the state comes from storage.
  start: () => finish(),
  steps: {
    held: {
      onMessage: (state, text) =>
        END_WORDS.has(foldForMatch(text))
          ? perform(state, {
              type: 'closeHandoff',
              handoffId: state.handoffId,
              closer: 'citizen',
              memberId: null,
            })
          : perform(state, { type: 'fromCitizen', handoffId: state.handoffId, text }),
      onResult: {
        closeHandoff: (state, _result, ctx) => finish(say(t(ctx).closedByCitizen(state.handoffId))),
        fromCitizen: (state, result, ctx) =>
          result.tellKept ? finish(say(t(ctx).kept(state.handoffId))) : finish(),
      },
    },
  },
};
