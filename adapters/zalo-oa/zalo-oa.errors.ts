import { SendFailedError } from '../../src/shared/errors.ts';
import { isRetryableHttpStatus } from '../../src/shared/http-errors.ts';

const CHANNEL = 'zalo-oa';

/** Zalo's "access token invalid / expired / removed" codes: refresh the token once and send again. */
export const ZALO_TOKEN_ERRORS: ReadonlySet<number> = new Set([-216, -220, -124]);

/**
 * The person cannot be messaged: no interaction with the OA in the last 7 days (-230, -232), not a follower
 * (-213), banned or inactive (-227), blocked the OA's messages (-217). Undeliverable, never retried.
 */
export const ZALO_OUTSIDE_WINDOW_ERRORS: ReadonlySet<number> = new Set([-230, -232, -213, -227, -217]);

/** Zalo's rate limit (app or OA reached its call quota): retried after a minute. */
export const ZALO_RATE_LIMIT_ERROR = -32;

/**
 * Refusals that another try cannot fix: invalid parameter (-201), app not activated (-209), API not registered
 * for the app (-212), OA must be verified (-221), OA package must be upgraded (-224), v2 API shut down (-240).
 */
export const ZALO_PERMANENT_ERRORS: ReadonlySet<number> = new Set([-201, -209, -212, -221, -224, -240]);

/** How long to wait after Zalo's rate limit (-32). */
export const ZALO_RATE_LIMIT_RETRY_MS = 60_000;

/**
 * Zalo's own error text, when it is plain words (e.g. "User has not interacted with the OA in the past 7 days"):
 * kept for the logs. Anything with digits, quotes or other characters is dropped, as it could quote an id.
 */
function safeZaloMessage(message: unknown): string {
  if (typeof message !== 'string') return '';
  const trimmed = message.trim();
  return /^[A-Za-z ,.'()_-]{1,120}$/.test(trimmed) ? ` (“${trimmed}”)` : '';
}

/** Turns a non-zero `error` of a consultation-message answer into a `SendFailedError`. */
export function csErrorToSendFailed(code: number, message: unknown): SendFailedError {
  const providerCode = `zalo:${code}`;
  const said = safeZaloMessage(message);
  if (ZALO_OUTSIDE_WINDOW_ERRORS.has(code)) {
    return new SendFailedError(
      `Zalo refused the message with error ${code}${said}: the person is outside the OA's reply window ` +
        '(no interaction in the last 7 days, not following, or blocked the OA); undeliverable',
      { retryable: false, providerCode, channel: CHANNEL },
    );
  }
  if (code === ZALO_RATE_LIMIT_ERROR) {
    return new SendFailedError(`Zalo rate limit reached (error ${code})${said}`, {
      retryable: true,
      providerCode,
      retryAfterMs: ZALO_RATE_LIMIT_RETRY_MS,
      channel: CHANNEL,
    });
  }
  if (ZALO_TOKEN_ERRORS.has(code)) {
    return new SendFailedError(
      `Zalo refused a freshly refreshed access token (error ${code})${said}: check that the OA granted the ` +
        'app its messaging permissions',
      { retryable: false, providerCode, channel: CHANNEL },
    );
  }
  const retryable = !ZALO_PERMANENT_ERRORS.has(code);
  return new SendFailedError(`Zalo refused the message with error ${code}${said}`, {
    retryable,
    providerCode,
    channel: CHANNEL,
  });
}

/** An HTTP error status from Zalo: 5xx, 408 and 429 are retryable, other 4xx permanent. */
export function httpErrorToSendFailed(status: number, what: string): SendFailedError {
  return new SendFailedError(`Zalo ${what} answered HTTP ${status}`, {
    retryable: isRetryableHttpStatus(status),
    channel: CHANNEL,
  });
}

/** No answer from Zalo (connection refused or reset, DNS, timeout): retryable. */
export function unreachableToSendFailed(reason: string, what: string): SendFailedError {
  return new SendFailedError(`Zalo ${what} could not be reached (${reason})`, {
    retryable: true,
    channel: CHANNEL,
  });
}
