import type { Logger } from 'pino';
import type { CitizenRepository } from '../domain/citizens/citizen-repository.ts';
import type { ContactRepository } from '../domain/contacts/contact.ts';
import { type ChannelId, isSimulatedChannel, isSmsChannel } from '../messaging/channel.ts';
import type { ChannelAdapter, ChannelRateLimits } from '../messaging/channel-adapter.ts';
import type { OutboundMessage } from '../messaging/outbound-message.ts';
import type { RateBucket, RateLimiter } from '../queues/rate-limiter.ts';
import type { RecipientLock } from '../queues/recipient-lock.ts';
import type { KeyedHash } from '../shared/crypto.ts';
import { SendFailedError } from '../shared/errors.ts';
import { maskPhone } from '../shared/phone.ts';
import type { NewOutbound, OutboundRecord, Outbox, Recipient, SentMark } from '../storage/postgres/outbox.ts';

/** Attempts a message gets when the provider refuses it for now without saying for how long (429, 5xx, network). */
export const MAX_SEND_ATTEMPTS = 8;
/** Attempts a message gets when the provider says when to come back (Telegram's `retry_after`). */
export const MAX_PROVIDER_WAITS = 10;
/** The wait after the first refused attempt; it doubles with every further one (less up to 30 %, at random). */
const RETRY_BASE_MS = 2000;
const RETRY_JITTER = 0.3;
/** Waits for the rate-limit gate up to this long happen in the job; longer ones put the job off. */
const MAX_IN_PROCESS_WAIT_MS = 250;
/** A send job that finds its recipient's lock held tries again after at most this long. */
const MAX_LOCK_WAIT_MS = 200;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The wait before the next attempt after `attempts` refused ones. */
function backoffMs(attempts: number): number {
  return RETRY_BASE_MS * 2 ** (attempts - 1) * (1 - RETRY_JITTER * Math.random());
}

/** How the send job controls its BullMQ job. */
export interface SendControl {
  /** Puts the recipient's job off by `delayMs` (not counted as an attempt of the job). Never returns. */
  defer(delayMs: number): Promise<never>;
}

/** The outbox as the send stage uses it. */
export type SendOutbox = Pick<
  Outbox,
  'nextDue' | 'markSent' | 'recordAttempt' | 'markFailed' | 'markSuppressed'
>;

/** What the send stage uses. */
export interface SendJobDeps {
  readonly outbox: SendOutbox;
  readonly contacts: Pick<ContactRepository, 'find'>;
  readonly citizens: Pick<CitizenRepository, 'findById'>;
  readonly adapters: ReadonlyMap<ChannelId, Pick<ChannelAdapter, 'send'>>;
  readonly rateLimiter: RateLimiter;
  /** The sending limits of a channel: its adapter's own with the operator's OUTBOUND_RATE_LIMITS on top. */
  rateLimitsOf(channel: ChannelId): ChannelRateLimits;
  /** Whoever holds a recipient's lock is the only one sending to them (the send job or a turn). */
  readonly lock: RecipientLock;
  readonly keyedHash: KeyedHash;
  /** The SMS channel a notification a messenger refused falls back to, or null. */
  readonly smsChannel: ChannelId | null;
  queueOutbound(items: readonly NewOutbound[]): Promise<void>;
  /** Queues the send job of a recipient (once per recipient, see `enqueueSend`), in `delayMs` when given. */
  queueSend(recipient: Recipient, delayMs?: number): Promise<void>;
  readonly metrics: { readonly messagesOut: SendCounter };
  readonly logger: Logger;
  readonly clock: () => Date;
}

/** The counter of messages out (`dcz_messages_out_total`). */
export interface SendCounter {
  inc(labels: { channel: string; result: 'sent' | 'failed' | 'suppressed' }): void;
}

/** The lock key of a recipient (a channel and a keyed hash: no personal data). */
export function lockKeyOf(recipient: Recipient): string {
  return `${recipient.channel}:${recipient.addressHash}`;
}

/** Thrown by a direct send's control when the message must wait: the send job takes the recipient over. */
class HandOver extends Error {
  readonly delayMs: number;
  constructor(delayMs: number) {
    super('handed over to the send job');
    this.delayMs = delayMs;
  }
}

/** The two ways out of the send stage: the send job, and a turn's replies sent at once. */
export interface Sender {
  /** The send job of one recipient: sends their due messages in order (see {@link createSender}). */
  sendJob(recipient: Recipient, control: SendControl): Promise<void>;
  /**
   * Sends at once the messages `ids` a turn has just stored for `recipient` (its own replies, in id order),
   * from the turn's worker, without a second queue hop. Anything that cannot go at once is left to the send job,
   * exactly as if the turn had only queued it: the recipient's lock is held by another sender, an older message
   * of theirs is still due (it may be waiting out a provider's backoff), the rate limit asks for a wait, or the
   * provider refused for now. Resolves how many were handled now.
   *
   * `finish`, when given, is called once the sends are over and before the lock is released (so no other sender
   * sees an accepted message still pending), with the provider's acceptances to record: the caller records them
   * with its own write (the turn: with marking its inbound message handled, in one statement). Without it, each
   * acceptance is recorded at once (`Outbox.markSent`).
   */
  sendNow(
    recipient: Recipient,
    ids: readonly number[],
    finish?: (sent: readonly SentMark[]) => Promise<void>,
  ): Promise<number>;
}

/**
 * Sends the due messages of one recipient through its channel's adapter, one at a time and in the order they were
 * made (outbox id order); one sender per recipient at a time (the recipient's {@link RecipientLock}, held by their
 * send job or by a turn sending its own replies at once), so nothing to one person overtakes anything before it
 * and nothing is sent by two senders, and other recipients are served in parallel. A message held back until later
 * (`not_before`, quiet hours) is left for its wake-up and does not hold back the ones after it.
 *
 * For each message: never sent twice once the provider accepted it (only `pending` rows are sent); checked at
 * send time for a closed account, an opt-out (except the opt-out confirmation itself) and a channel that is off
 * (then `suppressed`); sent within the channel's rate limits across every worker process. A permanent refusal
 * fails the message without retrying (a notification then falls back to SMS) and the job moves on. A temporary
 * one puts the whole recipient off, with backoff or for exactly the wait the provider asked (Telegram's
 * `retry_after`), until the message's last attempt fails it and the job moves on. Every attempt that reached the
 * provider is counted on the message.
 */
export function createSender(deps: SendJobDeps): Sender {
  const { outbox, contacts, citizens, adapters, metrics, logger, rateLimiter, clock } = deps;

  /** The channel's limits as buckets: overall, and for this recipient (keyed by a hash, never the address). */
  const bucketsOf = (channel: ChannelId, to: string): RateBucket[] => {
    const limits = deps.rateLimitsOf(channel);
    const recipient = deps.keyedHash('rate-recipient', `${channel}:${to}`).slice(0, 32);
    return [
      limits.overall ? { key: channel, limit: limits.overall } : null,
      limits.perRecipient ? { key: `${channel}:to:${recipient}`, limit: limits.perRecipient } : null,
    ].filter((bucket) => bucket !== null);
  };

  /**
   * Waits until no send of any of the message's buckets happened within its spacing, in any process. A short
   * wait happens here; a longer one puts the job off, so a slow recipient holds no worker.
   */
  const waitForTurn = async (message: OutboundMessage, control: SendControl) => {
    const buckets = bucketsOf(message.channel, message.to);
    for (;;) {
      const wait = await rateLimiter.acquire(buckets);
      if (wait === 0) return;
      if (wait > MAX_IN_PROCESS_WAIT_MS) await control.defer(wait);
      await sleep(wait);
    }
  };

  /** Sends a refused notification again by SMS to the account's phone; resolves whether it did. */
  const fallBackToSms = async (record: OutboundRecord, phone: string | undefined) => {
    const { smsChannel } = deps;
    if (phone === undefined || smsChannel === null || isSmsChannel(record.message.channel)) return false;
    // The simulator's made-up people are never texted.
    if (isSimulatedChannel(record.message.channel)) return false;
    await deps.queueOutbound([
      {
        dedupeKey: `fallback-${record.id}`,
        channel: smsChannel,
        to: phone,
        reply: record.message.reply,
        language: record.message.language,
        purpose: 'notification',
        citizenId: record.citizenId ?? undefined,
      },
    ]);
    return true;
  };

  /**
   * Sends one message, or ends it (suppressed, failed), or puts the job off to try it again later. `ownTurn`: the
   * message is a reply of the turn that has just run for this address, which already followed the opt-out state
   * it leaves (only a turn changes it, and a conversation's turns run one at a time): it is not read again.
   * `marks`: where to put the provider's acceptance for the caller to record, instead of recording it here.
   */
  const sendOne = async (
    record: OutboundRecord,
    control: SendControl,
    ownTurn = false,
    marks?: SentMark[],
  ): Promise<void> => {
    const { id, message } = record;
    const log = logger.child({ outboundId: id, channel: message.channel, to: maskPhone(message.to) });
    const suppress = async (reason: string, why: string, level: 'info' | 'warn' = 'info') => {
      await outbox.markSuppressed(id, reason);
      metrics.messagesOut.inc({ channel: message.channel, result: 'suppressed' });
      log[level](`not sent: ${why}`);
    };
    // A notification's account: nothing goes to a closed one, and a refused message falls back to its phone.
    const citizen =
      record.purpose === 'notification' && record.citizenId !== null
        ? await citizens.findById(record.citizenId)
        : null;
    if (citizen?.closedAt) return suppress('ACCOUNT_CLOSED', 'the account was closed');
    const contact = ownTurn ? null : await contacts.find(message.channel, message.to);
    if (contact?.optedOutAt && record.purpose !== 'opt_out_confirmation') {
      return suppress('OPTED_OUT', 'the recipient opted out');
    }
    const adapter = adapters.get(message.channel);
    if (!adapter) return suppress('CHANNEL_OFF', 'the channel is not configured', 'warn');
    await waitForTurn(message, control);

    let receipt: Awaited<ReturnType<ChannelAdapter['send']>>;
    try {
      receipt = await adapter.send(message);
    } catch (error) {
      const refusal = error instanceof SendFailedError ? error : undefined;
      const code = refusal ? (refusal.providerCode ?? refusal.code) : 'SEND_ERROR';
      const permanent = refusal !== undefined && !refusal.retryable;
      const askedMs = permanent ? undefined : refusal?.retryAfterMs;
      const attempts = record.attempts + 1;
      if (permanent || attempts >= (askedMs === undefined ? MAX_SEND_ATTEMPTS : MAX_PROVIDER_WAITS)) {
        await outbox.markFailed(id, code);
        metrics.messagesOut.inc({ channel: message.channel, result: 'failed' });
        const fellBack = await fallBackToSms(record, citizen?.phone);
        log.warn({ code, permanent, attempts, fellBack }, 'message not sent');
        return;
      }
      await outbox.recordAttempt(id, code);
      const waitMs = askedMs ?? backoffMs(attempts);
      log.info({ code, attempt: attempts, waitMs: Math.round(waitMs) }, 'send refused for now; will retry');
      return control.defer(waitMs);
    }
    if (marks) marks.push({ id, providerMessageId: receipt.providerMessageId, segments: receipt.segments });
    else await outbox.markSent(id, receipt.providerMessageId, receipt.segments);
    metrics.messagesOut.inc({ channel: message.channel, result: 'sent' });
    log.info({ segments: receipt.segments }, 'message sent');
  };

  const sendJob = async (recipient: Recipient, control: SendControl): Promise<void> => {
    const held = await deps.lock.acquire(lockKeyOf(recipient));
    if (!('release' in held)) return control.defer(Math.min(held.busyMs, MAX_LOCK_WAIT_MS));
    try {
      // `afterId` moves past each message handled, so one run never takes the same message twice.
      for (
        let record = await outbox.nextDue(recipient, clock());
        record;
        record = await outbox.nextDue(recipient, clock(), record.id)
      ) {
        await sendOne(record, control);
      }
    } finally {
      await held.release();
    }
  };

  const sendNow = async (
    recipient: Recipient,
    ids: readonly number[],
    finish?: (sent: readonly SentMark[]) => Promise<void>,
  ): Promise<number> => {
    if (ids.length === 0) return 0;
    const held = await deps.lock.acquire(lockKeyOf(recipient));
    if (!('release' in held)) {
      await deps.queueSend(recipient);
      return 0;
    }
    const ours = new Set(ids);
    const last = ids[ids.length - 1];
    const handOver: SendControl = {
      defer: (delayMs) => Promise.reject(new HandOver(delayMs)),
    };
    const marks: SentMark[] = [];
    let sent = 0;
    try {
      let handedOver: number | null = null;
      try {
        for (let record = await outbox.nextDue(recipient, clock()); record; ) {
          // An older message still due waits for the send job (it may be waiting out a provider's backoff).
          if (!ours.has(record.id)) {
            handedOver = 0;
            break;
          }
          await sendOne(record, handOver, true, finish ? marks : undefined);
          sent += 1;
          record = record.id === last ? null : await outbox.nextDue(recipient, clock(), record.id);
        }
      } catch (error) {
        if (!(error instanceof HandOver)) throw error;
        handedOver = error.delayMs;
      }
      // The send job is queued before the caller records anything, so what is left always has a sender.
      if (handedOver !== null) await deps.queueSend(recipient, handedOver);
      await finish?.(marks);
    } finally {
      await held.release();
    }
    return sent;
  };

  return { sendJob, sendNow };
}
