/**
 * Reading provider HTTP failures the same way in every adapter: which statuses to retry, and the part of a
 * network error that is safe to log.
 */

/** Whether an HTTP error status is worth trying again: request timeout (408), rate limit (429), any 5xx. */
export function isRetryableHttpStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** An errno-style name (`ECONNREFUSED`, `UND_ERR_CONNECT_TIMEOUT`): capitals and underscores only. */
const NETWORK_CODE = /^[A-Z_]{1,40}$/;

/**
 * The `code` of a network error (Node's `ECONNREFUSED`, `ECONNRESET`, `ENOTFOUND`, undici's
 * `UND_ERR_CONNECT_TIMEOUT`…) when `error` is an object carrying one that looks like that; undefined otherwise.
 * Nothing else of the error is read, so the result never quotes a URL, a header or a body and is safe to log.
 * For `fetch`, pass the error's `cause`: undici puts the code there.
 */
export function networkErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code: unknown = (error as Record<string, unknown>).code;
  return typeof code === 'string' && NETWORK_CODE.test(code) ? code : undefined;
}
