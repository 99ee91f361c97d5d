import { networkErrorCode } from '../../src/shared/http-errors.ts';

/** What one HTTP call to Zalo gave: an answer (with its JSON body, when it had one) or no answer at all. */
export type ZaloHttpOutcome =
  | { readonly kind: 'answer'; readonly status: number; readonly json: unknown }
  | { readonly kind: 'unreachable'; readonly reason: string };

/** Default timeout of one call to Zalo, in milliseconds. */
export const ZALO_DEFAULT_TIMEOUT_MS = 15_000;

/** The part of a network error that is safe to log: `ECONNREFUSED`, `TimeoutError`… never a URL or a header. */
function networkReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return 'TimeoutError';
  }
  return networkErrorCode(error instanceof Error ? error.cause : undefined) ?? 'UNKNOWN';
}

/**
 * POSTs to Zalo with the global `fetch`, a timeout and no retries (the outbound queue retries). Never throws:
 * a call that got no answer (refused, reset, DNS, timeout) is `unreachable`, any answer is returned with its
 * JSON body (`undefined` when the body is not JSON).
 */
export async function zaloPost(
  url: string,
  request: { readonly headers: Readonly<Record<string, string>>; readonly body: string },
  timeoutMs: number,
): Promise<ZaloHttpOutcome> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    return { kind: 'unreachable', reason: networkReason(error) };
  }
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = undefined;
  }
  return { kind: 'answer', status: response.status, json };
}

/** Joins a base URL (with or without a trailing slash or a path prefix) and an absolute path. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}
