import { GrammyError, HttpError } from 'grammy';
import { SendFailedError } from '../../src/shared/errors.ts';
import { networkErrorCode } from '../../src/shared/http-errors.ts';

const CHANNEL = 'telegram';

/**
 * Telegram's `description` is a fixed English phrase ("Forbidden: bot was blocked by the user"); it is kept in
 * messages only when it looks like one, with any long digit run (a chat id) masked.
 */
function safeDescription(description: string): string {
  const cleaned = description.replace(/\d{5,}/gu, '…').slice(0, 120);
  return /^[\w :;,.'"()/…-]*$/u.test(cleaned) ? cleaned : '';
}

/** A log-safe reason for the network error inside grammY's `HttpError`. */
function networkReason(inner: unknown): string {
  const code = networkErrorCode(inner);
  if (code !== undefined) return code;
  if (inner instanceof Error && /timed out/u.test(inner.message)) return 'TIMEOUT';
  if (inner instanceof Error && inner.name === 'AbortError') return 'ABORTED';
  return 'UNKNOWN';
}

/**
 * Turns whatever a grammY API call threw into a `SendFailedError`:
 *
 * - `GrammyError` (Telegram answered `ok: false`): 429 is retryable with `retryAfterMs` from
 *   `parameters.retry_after`; 5xx is retryable; 400 (chat not found, message too long…), 403 (bot blocked, user
 *   deactivated) and every other 4xx are permanent. `providerCode` is the `error_code`.
 * - `HttpError` (connection refused or reset, timeout, not JSON) and anything else: retryable.
 *
 * The original error is never attached as `cause`: a `GrammyError` carries the payload (chat id and text) and
 * node-fetch errors quote the request URL, which contains the bot token.
 */
export function toSendFailedError(error: unknown): SendFailedError {
  if (error instanceof GrammyError) {
    const code = error.error_code;
    const retryAfter = error.parameters.retry_after;
    const retryable = code === 429 || code >= 500;
    const description = safeDescription(error.description);
    return new SendFailedError(
      `Telegram refused the message: error ${code}${description ? ` (${description})` : ''}`,
      {
        retryable,
        providerCode: String(code),
        retryAfterMs: code === 429 && typeof retryAfter === 'number' ? retryAfter * 1000 : undefined,
        channel: CHANNEL,
      },
    );
  }
  if (error instanceof HttpError) {
    return new SendFailedError(`Telegram could not be reached (${networkReason(error.error)})`, {
      retryable: true,
      channel: CHANNEL,
    });
  }
  return new SendFailedError('Telegram could not be reached', { retryable: true, channel: CHANNEL });
}

/**
 * Telegram's refusals of a picture itself (400 "wrong file identifier/HTTP URL specified", "failed to get HTTP
 * URL content", "wrong type of the web page content", "IMAGE_PROCESS_FAILED", "PHOTO_…"): it could not fetch or
 * read the URL. Sending again cannot help, and the reply's text, which holds the link, can still go out.
 */
const PHOTO_REFUSED = /HTTP URL|web page content|IMAGE_PROCESS_FAILED|PHOTO_[A-Z_]+|file identifier/u;

/** Whether a `sendPhoto` failed because Telegram could not use the picture (not the chat, token or rate). */
export function isPhotoRefused(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code === 400 && PHOTO_REFUSED.test(error.description);
}
