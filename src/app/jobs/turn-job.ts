import { runTurn } from '../../engine/run-turn.ts';
import { maskPhone } from '../../shared/phone.ts';
import type { Services } from '../services.ts';

/** Optional probes for tests of crash recovery: called at fixed points of a turn. */
export interface TurnProbes {
  /** After the turn's effects and replies are stored, before the conversation is saved and the message marked. */
  afterTurnStored?(): Promise<void>;
}

/**
 * Handles the waiting messages of one conversation, oldest first, one turn at a time. A message is marked
 * handled only after its turn is saved, so a crash anywhere replays it (see runTurn for why that is safe).
 */
export function createTurnJob(services: Services, probes: TurnProbes = {}) {
  const { inbox, engine, metrics, logger } = services;
  return async ({ conversationKey }: { conversationKey: string }): Promise<void> => {
    for (
      let pending = await inbox.nextPending(conversationKey);
      pending;
      pending = await inbox.nextPending(conversationKey)
    ) {
      const started = performance.now();
      const deliver = engine.deliver;
      const summary = await runTurn(
        {
          ...engine,
          async deliver(ref, message, replies) {
            await deliver(ref, message, replies);
            await probes.afterTurnStored?.();
          },
        },
        { key: conversationKey, ref: String(pending.id), message: pending.message },
      );
      await inbox.markProcessed(pending.id);
      const seconds = (performance.now() - started) / 1000;
      metrics.turnSeconds.observe({ channel: pending.message.channel, outcome: summary.outcome }, seconds);
      logger.info(
        {
          conversation: conversationKey.slice(0, 12),
          inboundId: pending.id,
          channel: pending.message.channel,
          from: maskPhone(pending.message.from),
          outcome: summary.outcome,
          flow: summary.flowId,
          replies: summary.replies,
          ms: Math.round(seconds * 1000),
        },
        'turn handled',
      );
    }
  };
}
