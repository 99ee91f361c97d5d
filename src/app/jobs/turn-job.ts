import { runTurn } from '../../engine/run-turn.ts';
import type { Language } from '../../messaging/channel.ts';
import { AppError } from '../../shared/errors.ts';
import { maskPhone } from '../../shared/phone.ts';
import { errorClassOf, isTransientError } from '../../shared/transient-errors.ts';
import type { PendingInbound } from '../../storage/postgres/inbox.ts';
import type { Services } from '../services.ts';

/** Optional probes for tests of crash recovery: called at fixed points of a turn. */
export interface TurnProbes {
  /** After the turn's effects and replies are stored, before the conversation is saved and the message marked. */
  afterTurnStored?(): Promise<void>;
}

/**
 * Turns of one message allowed to throw a defect (an error that is not an outage, see `isTransientError`)
 * before the message is given up on. Outages (PostgreSQL or Redis away, a timeout) are retried as long as they
 * last, with the queue's backoff, and do not count towards this.
 */
export const DEFECT_ATTEMPTS = 3;

/**
 * The error a failed turn fails its job with, so the queue retries it with backoff: an outage as it is, a defect
 * (which may be an `AppError` marked not retryable, which the worker would end at once) wrapped in a retryable
 * `TURN_FAILED`, as it has attempts left.
 */
function retried(error: unknown): unknown {
  if (isTransientError(error)) return error;
  return new AppError('TURN_FAILED', `the turn failed (${errorClassOf(error)}); it is tried again`, {
    retryable: true,
    cause: error,
    context: { errorClass: errorClassOf(error) },
  });
}

/**
 * Handles the waiting messages of one conversation, oldest first, one turn at a time. A message is marked
 * handled only after its turn is saved, so a crash anywhere replays it (see runTurn for why that is safe).
 *
 * A turn that throws is counted on its message (`Inbox.recordFailure`) and the job fails, so the queue retries
 * it with backoff. A message whose turns threw a defect {@link DEFECT_ATTEMPTS} times is a poison message: it is
 * marked failed (kept for a person to look at, counted in `dcz_inbound_failed_total`), the person gets the
 * "something went wrong" reply, and the conversation goes on with its next message.
 */
export function createTurnJob(services: Services, probes: TurnProbes = {}) {
  const { inbox, engine, metrics, logger } = services;

  /** Gives up on a poison message: the apology once (idempotent on its ref), then marked failed and counted. */
  const giveUp = async (pending: PendingInbound, errorClass: string | null) => {
    const { message } = pending;
    const at = new Date(message.receivedAt);
    // Nobody is told about an unfollow event (they left the account), nor anyone who opted out.
    const language = message.event === 'unfollow' ? null : await languageOf(pending);
    if (language !== null) {
      const ctx = {
        language,
        channel: message.channel,
        address: message.from,
        phone: null,
        citizen: null,
        now: at,
      };
      await engine.deliver(`failed-${pending.id}`, message, [
        { reply: engine.copy.failed(ctx), language, purpose: 'reply' },
      ]);
    }
    if (!(await inbox.markFailed(pending.id))) return;
    metrics.inboundFailed.inc({ channel: message.channel });
    logger.error(
      { inboundId: pending.id, channel: message.channel, errorClass, attempts: DEFECT_ATTEMPTS },
      'inbound message failed for good (kept for inspection: GET /api/v1/admin/failed-messages)',
    );
  };

  /**
   * The person's language, or null when they opted out (nothing is sent to them). If loading the person is the
   * defect itself, Vietnamese; an outage is thrown, so the give-up is retried.
   */
  const languageOf = async ({ message }: PendingInbound): Promise<Language | null> => {
    try {
      const person = await engine.environment.loadPerson(
        message.channel,
        message.from,
        new Date(message.receivedAt),
      );
      return person.optedOut ? null : person.language;
    } catch (error) {
      if (isTransientError(error)) throw error;
      return 'vi';
    }
  };

  /**
   * Counts a failed turn of `pending`; resolves whether it was its last allowed one. When the count itself
   * cannot be stored (PostgreSQL away), resolves false: the job fails with the turn's error and is retried.
   */
  const lastAttempt = async (pending: PendingInbound, error: unknown): Promise<boolean> => {
    const defect = !isTransientError(error);
    const errorClass = errorClassOf(error);
    const counted = await inbox.recordFailure(pending.id, { errorClass, defect }).catch(() => null);
    if (counted === null) return false;
    logger.warn(
      {
        inboundId: pending.id,
        channel: pending.message.channel,
        errorClass,
        defect,
        attempts: counted.attempts,
        defectAttempts: counted.defectAttempts,
      },
      'turn failed',
    );
    return defect && counted.defectAttempts >= DEFECT_ATTEMPTS;
  };

  return async ({ conversationKey }: { conversationKey: string }): Promise<void> => {
    for (
      let pending = await inbox.nextPending(conversationKey);
      pending;
      pending = await inbox.nextPending(conversationKey)
    ) {
      // Given up on before, but the job stopped before marking it (a crash, an outage): finish giving up.
      if (pending.defectAttempts >= DEFECT_ATTEMPTS) {
        await giveUp(pending, null);
        continue;
      }
      const started = performance.now();
      const deliver = engine.deliver;
      let summary: Awaited<ReturnType<typeof runTurn>>;
      try {
        summary = await runTurn(
          {
            ...engine,
            async deliver(ref, message, replies) {
              await deliver(ref, message, replies);
              await probes.afterTurnStored?.();
            },
          },
          { key: conversationKey, ref: String(pending.id), message: pending.message },
        );
      } catch (error) {
        if (!(await lastAttempt(pending, error))) throw retried(error);
        await giveUp(pending, errorClassOf(error));
        continue;
      }
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
