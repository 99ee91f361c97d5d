import type { Logger } from 'pino';
import { type EngineDeps, runTurn, type TurnReply } from '../engine/run-turn.ts';
import type { ChannelId, Language } from '../messaging/channel.ts';
import type { InboundMessage } from '../messaging/inbound-message.ts';
import { AppError } from '../shared/errors.ts';
import { maskPhone } from '../shared/phone.ts';
import { errorClassOf, isTransientError } from '../shared/transient-errors.ts';
import type { Inbox, PendingInbound } from '../storage/postgres/inbox.ts';
import type { Outbox, Recipient, SentMark } from '../storage/postgres/outbox.ts';
import type { Sender } from './send-job.ts';
import { turnOutbound } from './turn-outbound.ts';

/** Optional probes for tests of crash recovery: called at fixed points of a turn. */
export interface TurnProbes {
  /** After the turn's effects and replies are stored, before the conversation is saved and the message marked. */
  afterTurnStored?(): Promise<void>;
}

/** The inbox as the turn stage uses it. */
export type TurnInbox = Pick<Inbox, 'nextPending' | 'markProcessedAndNext' | 'recordFailure' | 'markFailed'>;

/** What the turn stage uses. */
export interface TurnJobDeps {
  readonly inbox: TurnInbox;
  /** The engine's parts; how a turn's replies are stored and sent is this stage's (`outbox`, `sender`). */
  readonly engine: Omit<EngineDeps, 'deliver'>;
  readonly outbox: Pick<Outbox, 'add'>;
  /** Sends a turn's stored replies at once (or leaves them to the send job). */
  readonly sender: Pick<Sender, 'sendNow'>;
  /** Queues the send job of a recipient (once per recipient). */
  queueSend(recipient: Recipient): Promise<void>;
  recipientOf(channel: ChannelId, address: string): Recipient;
  readonly metrics: {
    readonly turnSeconds: { observe(labels: { channel: string; outcome: string }, seconds: number): void };
    readonly inboundFailed: { inc(labels: { channel: string }): void };
  };
  readonly logger: Logger;
  /** How long a turn waits for its replies sent at once before going on without them (default 500 ms). */
  readonly directSendBudgetMs?: number;
}

/**
 * How long a turn waits for the provider to take its replies. A slower send goes on by itself (holding the
 * recipient's lock, recording its outcome) while the conversation's next turns go on: a slow provider slows the
 * replies, not the handling of what people write.
 */
export const DIRECT_SEND_BUDGET_MS = 500;

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
 * handled only after its turn is saved and its replies sent or queued, so a crash anywhere replays it (see
 * runTurn for why that is safe; a replayed turn queues the send job, which sends whatever is still pending).
 *
 * A turn's replies are stored in the outbox before the conversation is saved, then sent at once from this
 * worker (`Sender.sendNow`, under the recipient's lock), without a hop through the send queue; whatever cannot
 * go at once is left to the send job, as is everything when sending at once fails.
 *
 * A turn that throws is counted on its message (`Inbox.recordFailure`) and the job fails, so the queue retries
 * it with backoff. A message whose turns threw a defect {@link DEFECT_ATTEMPTS} times is a poison message: it is
 * marked failed (kept for a person to look at, counted in `dcz_inbound_failed_total`), the person gets the
 * "something went wrong" reply, and the conversation goes on with its next message.
 */
export function createTurnJob(deps: TurnJobDeps, probes: TurnProbes = {}) {
  const { inbox, engine, metrics, logger } = deps;

  /** Stores the replies of turn `ref` in the outbox; resolves where they go and their ids (empty: none). */
  const store = async (ref: string, message: InboundMessage, replies: readonly TurnReply[]) => {
    const items = turnOutbound(ref, message, replies);
    const ids = items.length > 0 ? await deps.outbox.add(items) : [];
    return { recipient: deps.recipientOf(message.channel, message.from), ids };
  };

  /**
   * Sends stored replies at once; when that fails, leaves them to the send job (whose queuing failing fails the
   * job: the turn is replayed and queues it again).
   */
  const send = async (
    stored: { recipient: Recipient; ids: readonly number[] },
    inboundId: number,
    finish?: (sent: readonly SentMark[]) => Promise<void>,
  ): Promise<'sent' | 'detached'> => {
    if (stored.ids.length === 0) return 'sent';
    const sending = deps.sender.sendNow(stored.recipient, stored.ids, finish);
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<'detached'>((resolve) => {
      timer = setTimeout(() => resolve('detached'), deps.directSendBudgetMs ?? DIRECT_SEND_BUDGET_MS);
    });
    try {
      const outcome = await Promise.race([sending.then(() => 'sent' as const), slow]);
      if (outcome === 'sent') return 'sent';
      // The provider is slow: the send goes on, holding the recipient's lock, and records its own outcome; the
      // conversation's next turns do not wait for it, and the send job follows it for whatever it leaves.
      sending.catch((error: unknown) =>
        logger.warn({ inboundId, errorClass: errorClassOf(error) }, 'a reply sent at once failed'),
      );
      await deps.queueSend(stored.recipient);
      return 'detached';
    } catch (error) {
      logger.warn(
        { inboundId, errorClass: errorClassOf(error) },
        'replies not sent at once; left to the send job',
      );
      await deps.queueSend(stored.recipient);
      return 'sent';
    } finally {
      clearTimeout(timer);
    }
  };

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
      const stored = await store(`failed-${pending.id}`, message, [
        { reply: engine.copy.failed(ctx), language, purpose: 'reply' },
      ]);
      await send(stored, pending.id);
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
    let pending = await inbox.nextPending(conversationKey);
    while (pending) {
      // Given up on before, but the job stopped before marking it (a crash, an outage): finish giving up.
      if (pending.defectAttempts >= DEFECT_ATTEMPTS) {
        await giveUp(pending, null);
        pending = await inbox.nextPending(conversationKey);
        continue;
      }
      const started = performance.now();
      let stored = null as { recipient: Recipient; ids: readonly number[] } | null;
      let summary: Awaited<ReturnType<typeof runTurn>>;
      try {
        summary = await runTurn(
          {
            ...engine,
            async deliver(ref, message, replies) {
              stored = await store(ref, message, replies);
              await probes.afterTurnStored?.();
            },
          },
          { key: conversationKey, ref: String(pending.id), message: pending.message },
        );
      } catch (error) {
        if (!(await lastAttempt(pending, error))) throw retried(error);
        await giveUp(pending, errorClassOf(error));
        pending = await inbox.nextPending(conversationKey);
        continue;
      }
      const done = pending;
      let next = undefined as PendingInbound | null | undefined;
      let detached = false;
      /** Marks the message handled, with the acceptance of its replies sent at once, and reads the next one. */
      const finish = async (sent: readonly SentMark[]) => {
        const after = await inbox.markProcessedAndNext(done.id, conversationKey, sent);
        if (!detached) next = after;
      };
      if (stored !== null) detached = (await send(stored, done.id, finish)) === 'detached';
      // Replayed: saved before, but the job stopped before marking it; its replies may still wait.
      else if (summary.outcome === 'replayed') {
        await deps.queueSend(deps.recipientOf(done.message.channel, done.message.from));
      }
      pending = next === undefined ? await inbox.markProcessedAndNext(done.id, conversationKey) : next;
      const seconds = (performance.now() - started) / 1000;
      metrics.turnSeconds.observe({ channel: done.message.channel, outcome: summary.outcome }, seconds);
      logger.info(
        {
          conversation: conversationKey.slice(0, 12),
          inboundId: done.id,
          channel: done.message.channel,
          from: maskPhone(done.message.from),
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
