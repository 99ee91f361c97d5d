import { SendFailedError } from '../../src/shared/errors.ts';
import { isRetryableHttpStatus, networkErrorCode } from '../../src/shared/http-errors.ts';

const CHANNEL = 'sms-gateway';

/** A gateway error code we pass on: short, plain characters only (never free text that could quote a number). */
const SAFE_CODE = /^[A-Za-z0-9_.:-]{1,64}$/;

/** The fields of a gateway answer whose body is a JSON object; undefined for any other body. */
export function answerFields(bodyText: string): Readonly<Record<string, unknown>> | undefined {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
}

/** The gateway's own code from a `{ "error": { "code": … } }` body, when it has a usable one. */
function gatewayCode(bodyText: string): string | undefined {
  const error: unknown = answerFields(bodyText)?.error;
  if (typeof error !== 'object' || error === null) return undefined;
  const code: unknown = (error as Record<string, unknown>).code;
  const text = typeof code === 'number' && Number.isSafeInteger(code) ? String(code) : code;
  return typeof text === 'string' && SAFE_CODE.test(text) ? text : undefined;
}

/** The longest wait a `Retry-After` header may ask for: longer ones (or a number too long to be finite) wait this. */
export const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000;

/**
 * Milliseconds to wait from a `Retry-After` header: delay-seconds (`120`) or an HTTP date, at most
 * {@link MAX_RETRY_AFTER_MS} (a gateway asking for years, or for 400 digits of seconds, which is `Infinity`, would
 * otherwise park the citizen's messages for ever). Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, MAX_RETRY_AFTER_MS);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.min(Math.max(0, date - now), MAX_RETRY_AFTER_MS);
}

/**
 * Turns a non-success answer of the gateway into a `SendFailedError`. `providerCode` is the gateway's
 * `error.code` when it sent one, else `http:<status>`. 401/403 mean the gateway refused our signature (a
 * misconfigured SMS_GATEWAY_SECRET): permanent, like every 3xx/4xx except 408 and 429. 408, 429 and 5xx are
 * retryable, with `retryAfterMs` from `Retry-After` when present. The gateway's message is never passed on.
 */
export function sendFailureFromResponse(status: number, headers: Headers, bodyText: string): SendFailedError {
  const providerCode = gatewayCode(bodyText) ?? `http:${status}`;
  if (isRetryableHttpStatus(status)) {
    return new SendFailedError(`SMS gateway refused the message for now: HTTP ${status} (${providerCode})`, {
      retryable: true,
      providerCode,
      retryAfterMs: parseRetryAfter(headers.get('retry-after')),
      channel: CHANNEL,
    });
  }
  const reason =
    status === 401 || status === 403
      ? ': the gateway rejected our signature, check SMS_GATEWAY_SECRET'
      : status < 400
        ? ': redirects are not followed, check SMS_GATEWAY_URL'
        : '';
  return new SendFailedError(`SMS gateway refused the message: HTTP ${status} (${providerCode})${reason}`, {
    retryable: false,
    providerCode,
    channel: CHANNEL,
  });
}

/**
 * Turns a failed `fetch` (timeout, connection refused or reset, DNS) into a retryable `SendFailedError`. The
 * original error is not attached: only its code is kept, which is safe to log.
 */
export function sendFailureFromNetwork(error: unknown): SendFailedError {
  let code = 'UNKNOWN';
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') code = 'TIMEOUT';
    else if (error.name === 'AbortError') code = 'ABORTED';
    else code = networkErrorCode(error.cause) ?? code;
  }
  return new SendFailedError(`SMS gateway could not be reached (${code})`, {
    retryable: true,
    channel: CHANNEL,
  });
}
