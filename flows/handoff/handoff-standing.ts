import type { HandoffRepository } from '../../src/domain/handoffs/handoff.ts';
import type { StandingResolver } from '../../src/engine/run-turn.ts';
import { HELD_FLOW } from './held.flow.ts';
import { RELAY_FLOW } from './relay.flow.ts';

/**
 * Whether a hand-off holds a chat's conversation, worked out from storage on every turn: the citizen's chat
 * while their hand-off is open or held (every message goes to the thread; no escape), the volunteer's chat
 * while they hold one (what they write goes to the citizen; `/` escapes to their own commands).
 */
export function handoffStanding(handoffs: Pick<HandoffRepository, 'sidesOfChat'>): StandingResolver {
  return async ({ channel, address }) => {
    const { own, held } = await handoffs.sidesOfChat({ channel, address });
    if (own) return { flowId: HELD_FLOW, state: { step: 'held', handoffId: own.id }, escape: null };
    if (held?.holder) {
      return {
        flowId: RELAY_FLOW,
        state: { step: 'relay', handoffId: held.id, memberId: held.holder.memberId },
        escape: '/',
      };
    }
    return null;
  };
}
