import { z } from 'zod';
import {
  type PopulationRegistry,
  type RegistryRecord,
  RegistryUnavailableError,
} from '../domain/verification/population-registry.ts';
import { AppError } from '../shared/errors.ts';

/** How long one lookup may take, connection and body included, unless `timeoutMs` says otherwise. */
export const DEFAULT_REGISTRY_TIMEOUT_MS = 5000;

/** Options of {@link createHttpRegistry}. */
export interface HttpRegistryOptions {
  /** Abort a lookup after this many milliseconds (default {@link DEFAULT_REGISTRY_TIMEOUT_MS}). */
  timeoutMs?: number;
  /** The fetch implementation (default: the global `fetch`). */
  fetch?: typeof fetch;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string;
}

const CCCD = /^\d{12}$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const personSchema = z.object({
  cccd: z.string().regex(CCCD),
  fullName: z
    .string()
    .trim()
    .min(1)
    .transform((name) => name.normalize('NFC')),
  dateOfBirth: z.iso.date(),
  gender: z.enum(['male', 'female']),
});

const answerSchema = z.discriminatedUnion('found', [
  z.object({ found: z.literal(true), person: personSchema }),
  z.object({ found: z.literal(false) }),
]);

function invalidUrl(problem: string): AppError {
  return new AppError('REGISTRY_CONFIG_INVALID', `Population registry URL ${problem}`);
}

/** Checks the base URL and returns the lookup endpoint `{url}/v1/lookup`. */
function lookupEndpoint(url: string): URL {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw invalidUrl('is not a valid URL');
  }
  const loopback = base.protocol === 'http:' && LOOPBACK_HOSTS.has(base.hostname);
  if (base.protocol !== 'https:' && !loopback) {
    throw invalidUrl(
      `must use https:// (plain http:// is allowed only for 127.0.0.1, localhost and [::1]); got ${base.protocol}//${base.host}`,
    );
  }
  if (base.username !== '' || base.password !== '') {
    throw invalidUrl('must not contain credentials: pass the token as an option');
  }
  if (base.search !== '' || base.hash !== '') {
    throw invalidUrl('must not contain a query or a fragment');
  }
  return new URL(`${base.origin}${base.pathname.replace(/\/+$/, '')}/v1/lookup`);
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/**
 * A population registry reached over HTTPS through a registry connector (docs/registry-connector.md).
 *
 * Contract: `POST {url}/v1/lookup` with the JSON body `{ "cccd": "<12 digits>" }`, headers
 * `Content-Type: application/json`, `Accept: application/json` and, when a token is given,
 * `Authorization: Bearer <token>`. Redirects are not followed. The connector answers:
 * - `200 { "found": true, "person": { "cccd", "fullName", "dateOfBirth": "YYYY-MM-DD", "gender": "male"|"female" } }`
 *   (the person's `cccd` must be the one asked for) -> the record;
 * - `200 { "found": false }` -> `null`;
 * - 5xx, 429, a timeout, a network error, or a body that is not JSON of the shapes above ->
 *   {@link RegistryUnavailableError} (retryable; context `reason` and `status`);
 * - any other status (4xx such as 400, 401, 403, 404; 3xx; a 2xx other than 200) -> a non-retryable `AppError`
 *   `REGISTRY_REJECTED` (context `status`): a configuration or credentials problem that retrying cannot fix.
 * A CCCD that is not 12 digits resolves `null` without a request.
 *
 * Only `https://` URLs are accepted, except `http://127.0.0.1`, `http://localhost` and `http://[::1]` for tests
 * and local sidecars; anything else throws `REGISTRY_CONFIG_INVALID` here, at creation. No retries happen in
 * here: the verification job retries with exponential backoff.
 */
export function createHttpRegistry(url: string, options: HttpRegistryOptions = {}): PopulationRegistry {
  const endpoint = lookupEndpoint(url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_REGISTRY_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new AppError(
      'REGISTRY_CONFIG_INVALID',
      'Population registry timeout must be a positive number of ms',
    );
  }
  const doFetch = options.fetch ?? fetch;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;

  return {
    async lookup(cccd: string): Promise<RegistryRecord | null> {
      if (!CCCD.test(cccd)) return null;

      const signal = AbortSignal.timeout(timeoutMs);
      let status: number;
      let body: string;
      try {
        const response = await doFetch(endpoint, {
          method: 'POST',
          headers,
          body: JSON.stringify({ cccd }),
          redirect: 'manual',
          signal,
        });
        status = response.status;
        if (status !== 200) {
          await response.body?.cancel().catch(() => undefined);
        }
        body = status === 200 ? await response.text() : '';
      } catch (error) {
        if (isAbort(error) || signal.aborted) {
          throw new RegistryUnavailableError(`Population registry did not answer within ${timeoutMs} ms`, {
            context: { reason: 'timeout', timeoutMs },
          });
        }
        throw new RegistryUnavailableError('Population registry cannot be reached', {
          cause: error,
          context: { reason: 'network' },
        });
      }

      if (status >= 500 || status === 429) {
        throw new RegistryUnavailableError(`Population registry answered HTTP ${status}`, {
          context: { reason: 'status', status },
        });
      }
      if (status !== 200) {
        throw new AppError(
          'REGISTRY_REJECTED',
          `Population registry refused the lookup with HTTP ${status}`,
          {
            retryable: false,
            context: { status },
          },
        );
      }

      // The body is personal data: neither it nor the parser's message (which quotes it) goes into the error.
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        throw new RegistryUnavailableError('Population registry answered something that is not JSON', {
          context: { reason: 'malformed', status },
        });
      }
      const answer = answerSchema.safeParse(json);
      if (!answer.success || (answer.data.found && answer.data.person.cccd !== cccd)) {
        throw new RegistryUnavailableError('Population registry answered JSON of an unexpected shape', {
          context: { reason: 'malformed', status },
        });
      }
      return answer.data.found ? { ...answer.data.person } : null;
    },
  };
}
