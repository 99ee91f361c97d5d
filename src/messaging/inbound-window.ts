import { WebhookRejectedError } from '../shared/errors.ts';
import type { InboundMessage } from './inbound-message.ts';

/**
 * How long an inbound message is deduplicated: 24 hours. Every provider's retries end well within it (Twilio
 * retries for seconds, Zalo OA for about an hour, Telegram keeps an undelivered update for 24 hours, and the SMS
 * gateway's contract stops retrying 24 hours after `receivedAt`), and a message whose signed time is older is
 * refused, so a captured request replayed later is never taken for a new message.
 */
export const INBOUND_WINDOW_MS = 24 * 60 * 60 * 1000;

/** How far ahead of our clock a signed time may be (the provider's clock may run a little fast). */
export const INBOUND_CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * How long the inbox keeps a message's deduplication key at least: the window plus the skew, since a message
 * signed at the far edge of the skew is stored before its signed time.
 */
export const INBOUND_DEDUPE_KEEP_MS = INBOUND_WINDOW_MS + INBOUND_CLOCK_SKEW_MS;

/** Answer code of a message signed longer ago than {@link INBOUND_WINDOW_MS}. */
export const MESSAGE_TOO_OLD = 'MESSAGE_TOO_OLD';
/** Answer code of a message signed further ahead of our clock than {@link INBOUND_CLOCK_SKEW_MS}. */
export const MESSAGE_TIME_AHEAD = 'MESSAGE_TIME_AHEAD';

/**
 * Refuses a message whose signed time (`signedAt`) lies outside the deduplication window: older than 24 hours
 * (a replay: its deduplication key may be gone) or more than 5 minutes ahead of `now` (a wrong clock, or a
 * request stamped to outlive the window). Throws `WebhookRejectedError(400)` with {@link MESSAGE_TOO_OLD} or
 * {@link MESSAGE_TIME_AHEAD}; a message without `signedAt` passes (its channel signs no time: only the
 * deduplication key protects it).
 */
export function refuseOutsideWindow(message: InboundMessage, now: Date): void {
  if (message.signedAt === undefined) return;
  const signed = Date.parse(message.signedAt);
  if (signed < now.getTime() - INBOUND_WINDOW_MS) {
    throw new WebhookRejectedError(
      400,
      MESSAGE_TOO_OLD,
      'Message signed more than 24 hours ago: refused as a replay',
    );
  }
  if (signed > now.getTime() + INBOUND_CLOCK_SKEW_MS) {
    throw new WebhookRejectedError(
      400,
      MESSAGE_TIME_AHEAD,
      'Message signed more than 5 minutes ahead of our clock: check the sender clock',
    );
  }
}
