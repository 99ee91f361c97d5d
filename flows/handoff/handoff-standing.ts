import type { HandoffRepository } from '../../src/domain/handoffs/handoff.ts';
import type { StandingResolver } from '../../src/engine/run-turn.ts';
import { HELD_FLOW } from './held.flow.ts';
import { RELAY_FLOW } from './relay.flow.ts';

/**
 * Whether a hand-off holds a chat's conversation, worked out from storage on every turn: the citizen's chat
 * while their hand-off is open or held (every message goes to the thread; no escape), the volunteer's chat
 * while they hold one (what they write goes to the citizen; `/` escapes to their own commands).
 */
export function handoffStanding(
  handoffs: Pick<HandoffRepository, 'activeForChat' | 'heldByChat'>,
): StandingResolver {
  return async ({ channel, address }) => {
    const chat = { channel, address };
    const own = await handoffs.activeForChat(chat);
    if (own) return { flowId: HELD_FLOW, state: { step: 'held', handoffId: own.id }, escape: null };
    const held = await handoffs.heldByChat(chat);
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
