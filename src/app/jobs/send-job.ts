import { UnrecoverableError } from 'bullmq';
import type { Citizen } from '../../domain/citizens/citizen.ts';
import { isSmsChannel } from '../../messaging/channel.ts';
import type { RateBucket } from '../../queues/rate-limiter.ts';
import { SendFailedError } from '../../shared/errors.ts';
import { maskPhone } from '../../shared/phone.ts';
import type { OutboundRecord } from '../../storage/postgres/outbox.ts';
import { effectiveRateLimits } from '../rate-limits.ts';
import type { Services } from '../services.ts';

/** Waits a provider asked for (Telegram's `retry_after`) that a message may take before it is given up. */
const MAX_PROVIDER_WAITS = 10;
/** Waits for the send gate up to this long happen in the job; longer ones put the job back in the queue. */
const MAX_IN_PROCESS_WAIT_MS = 1000;
/** How long a notification waits before looking again for an earlier message still to be sent. */
const EARLIER_MESSAGE_WAIT_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How the send job controls its BullMQ job: its attempts, and putting it off until a given delay has passed. */
export interface SendAttempt {
  readonly attemptsMade: number;
  readonly maxAttempts: number;
  /** The attempt whose rate-limit slot was reserved already. */
  readonly reservedFor: number | undefined;
  /** Puts the job off by `delayMs` (not counted as an attempt); `reserved` marks the slot as taken. Never returns. */
  defer(delayMs: number, reserved: boolean): Promise<never>;
}

/**
 * Sends one stored outbound message through its channel's adapter, within the channel's rate limits across
 * every worker process (a message over the limit waits for its turn; nothing is dropped). Never sends
 * twice once the provider accepted it, never sends to an opted-out address (except the opt-out confirmation
 * itself), records permanent provider refusals without retrying, and records the last error of each temporary
 * failure (BullMQ retries those). A notification a messenger refuses for good falls back to SMS. A message held
 * back by quiet hours waits until its `notBefore`; a notification to an account closed meanwhile is not sent.
 */
export function createSendJob(services: Services) {
  const { outbox, contacts, citizens, adapters, metrics, logger, rateLimiter, cipher, config } = services;

  /** The channel's limits as buckets: overall, and for this recipient (keyed by a hash, never the address). */
  const bucketsOf = (channel: OutboundRecord['message']['channel'], to: string) => {
    const limits = effectiveRateLimits(
      adapters.get(channel)?.rateLimits,
      config.OUTBOUND_RATE_LIMITS[channel],
    );
    const recipient = cipher.keyedHash('rate-recipient', `${channel}:${to}`).slice(0, 32);
    const overall: RateBucket | null = limits.overall ? { key: channel, limit: limits.overall } : null;
    const perRecipient: RateBucket | null = limits.perRecipient
      ? { key: `${channel}:to:${recipient}`, limit: limits.perRecipient }
      : null;
    return { perRecipient, all: [overall, perRecipient].filter((b) => b !== null) };
  };

  /**
   * Waits until the channel's limits allow this message. A queue of messages to one recipient is booked in order
   * (`reserve`), and the job sleeps in the delayed set until its turn; then the gate (`acquire`) lets it go only
   * when no send of any bucket happened within its spacing, however late the job woke, so the limits hold
   * between real sends in every process. One busy recipient never holds back the others.
   */
  const waitForTurn = async (message: OutboundRecord['message'], attempt: SendAttempt) => {
    const buckets = bucketsOf(message.channel, message.to);
    if (buckets.perRecipient && attempt.reservedFor !== attempt.attemptsMade) {
      const wait = await rateLimiter.reserve([buckets.perRecipient]);
      if (wait > 0) await attempt.defer(wait, true);
    }
    for (;;) {
      const wait = await rateLimiter.acquire(buckets.all);
      if (wait === 0) return;
      if (wait > MAX_IN_PROCESS_WAIT_MS) await attempt.defer(wait, true);
      await sleep(wait);
    }
  };

  /** Sends a refused notification again by SMS to the account's phone. */
  const fallBackToSms = async (record: OutboundRecord, citizen: Citizen | null) => {
    const { smsChannel } = services;
    if (citizen === null || smsChannel === null || isSmsChannel(record.message.channel)) return false;
    await services.queueOutbound([
      {
        dedupeKey: `fallback-${record.id}`,
        channel: smsChannel,
        to: citizen.phone,
        reply: record.message.reply,
        language: record.message.language,
        purpose: 'notification',
        citizenId: citizen.id,
      },
    ]);
    return true;
  };

  return async ({ outboundId }: { outboundId: number }, attempt: SendAttempt) => {
    const record = await outbox.get(outboundId);
    if (record?.status !== 'pending') return;
    const { message } = record;
    const log = logger.child({ outboundId, channel: message.channel, to: maskPhone(message.to) });
    const suppress = async (reason: string, why: string, level: 'info' | 'warn' = 'info') => {
      await outbox.markFinal(outboundId, 'suppressed', reason);
      metrics.messagesOut.inc({ channel: message.channel, result: 'suppressed' });
      log[level](`not sent: ${why}`);
    };
    const early = (record.notBefore?.getTime() ?? 0) - services.clock().getTime();
    if (early > 0) await attempt.defer(early, false);
    // A notification's account: nothing goes to a closed one, and a refused message falls back to its phone.
    const citizen =
      record.purpose === 'notification' && record.citizenId !== null
        ? await citizens.findById(record.citizenId)
        : null;
    if (citizen?.closedAt) return suppress('ACCOUNT_CLOSED', 'the account was closed');

    const contact = await contacts.find(message.channel, message.to);
    if (contact?.optedOutAt && record.purpose !== 'opt_out_confirmation') {
      return suppress('OPTED_OUT', 'the recipient opted out');
    }
    const adapter = adapters.get(message.channel);
    if (!adapter) return suppress('CHANNEL_OFF', 'the channel is not configured', 'warn');

    // A notification never overtakes an earlier reply to the same person (the reply it follows).
    if (record.purpose === 'notification' && (await outbox.hasEarlierPending(outboundId))) {
      await attempt.defer(EARLIER_MESSAGE_WAIT_MS, attempt.reservedFor === attempt.attemptsMade);
    }
    await waitForTurn(message, attempt);

    try {
      const receipt = await adapter.send(message);
      await outbox.markSent(outboundId, receipt.providerMessageId, receipt.segments);
      metrics.messagesOut.inc({ channel: message.channel, result: 'sent' });
      log.info({ segments: receipt.segments }, 'message sent');
    } catch (error) {
      const code = error instanceof SendFailedError ? (error.providerCode ?? error.code) : 'SEND_ERROR';
      const permanent = error instanceof SendFailedError && !error.retryable;
      const waitAsked = error instanceof SendFailedError && error.retryAfterMs !== undefined && !permanent;
      if (waitAsked && record.attempts + 1 < MAX_PROVIDER_WAITS) {
        // The provider said when to come back (Telegram 429): wait exactly that long, not BullMQ's backoff.
        await outbox.recordAttempt(outboundId, code);
        log.info({ code, waitMs: error.retryAfterMs }, 'provider asked to wait; will send later');
        await attempt.defer(error.retryAfterMs ?? 1000, false);
      }
      const lastAttempt = attempt.attemptsMade + 1 >= attempt.maxAttempts || waitAsked;
      if (permanent || lastAttempt) {
        await outbox.markFinal(outboundId, 'failed', code);
        metrics.messagesOut.inc({ channel: message.channel, result: 'failed' });
        const fellBack = await fallBackToSms(record, citizen);
        log.warn({ code, permanent, fellBack }, 'message not sent');
        if (permanent || waitAsked) throw new UnrecoverableError(`provider refused the message (${code})`);
      } else {
        await outbox.recordAttempt(outboundId, code);
        log.info({ code, attempt: attempt.attemptsMade + 1 }, 'send failed, will retry');
      }
      throw error;
    }
  };
}
