import { ZaloApiError } from 'zca-js';
import { AppError, SendFailedError } from '../../src/shared/errors.ts';

const CHANNEL = 'zalo-personal';

/** Zalo codes that will not change on a retry: 114 no relationship with the uid, 122 blocks strangers. */
const PERMANENT_CODES: ReadonlySet<number> = new Set([114, 122]);
/** Zalo's "cannot receive messages from you" (rate limit or duplicate message): wait before trying again. */
const RATE_LIMITED_CODE = 123;
/** How long to wait after a 123; Zalo publishes no figure, reports speak of minutes. */
export const ZALO_RATE_LIMIT_RETRY_MS = 60_000;

/**
 * A short, log-safe name for any error: our `AppError` code, `zalo:<code>` for zca-js errors, else the error's
 * class name. Never the message, which may quote a response, a uid or text.
 */
export function errorLabel(error: unknown): string {
  if (error instanceof AppError) return error.code;
  if (error instanceof ZaloApiError) return error.code === null ? 'ZaloApiError' : `zalo:${error.code}`;
  if (error instanceof Error) return /^[A-Za-z]{1,60}$/.test(error.name) ? error.name : 'Error';
  if (typeof error === 'object' && error !== null) {
    const name = error.constructor?.name;
    return typeof name === 'string' && /^[A-Za-z]{1,60}$/.test(name) ? name : 'unknown';
  }
  return 'unknown';
}

/**
 * Turns whatever `api.sendMessage` threw into a `SendFailedError`. zca-js throws `ZaloApiError` (its runtime
 * name is `ZcaApiError`, so it is matched with `instanceof`), with `code` = Zalo's error code, or null when the
 * HTTP request itself failed.
 *
 * - 114 (no relationship: not a friend, no shared group, no earlier chat) and 122 (the person blocks messages
 *   from strangers) are permanent (`providerCode: 'zalo:114'`);
 * - 123 (rate limit or duplicate message) is retryable after {@link ZALO_RATE_LIMIT_RETRY_MS};
 * - any other code, an HTTP failure and anything else are retryable.
 *
 * Zalo's messages and the original error are not kept: only the code is, which is safe to log.
 */
export function toSendFailedError(error: unknown): SendFailedError {
  if (error instanceof ZaloApiError) {
    if (error.code === null) {
      const status = /status code (\d{3})\b/.exec(error.message)?.[1];
      return new SendFailedError(
        `Zalo could not be reached${status === undefined ? '' : ` (HTTP ${status})`}`,
        { retryable: true, channel: CHANNEL },
      );
    }
    const providerCode = `zalo:${error.code}`;
    if (PERMANENT_CODES.has(error.code)) {
      return new SendFailedError(`Zalo refused the message permanently (${providerCode})`, {
        retryable: false,
        providerCode,
        channel: CHANNEL,
      });
    }
    return new SendFailedError(`Zalo refused the message (${providerCode})`, {
      retryable: true,
      providerCode,
      retryAfterMs: error.code === RATE_LIMITED_CODE ? ZALO_RATE_LIMIT_RETRY_MS : undefined,
      channel: CHANNEL,
    });
  }
  return new SendFailedError(`Zalo personal send failed (${errorLabel(error)})`, {
    retryable: true,
    channel: CHANNEL,
  });
}
