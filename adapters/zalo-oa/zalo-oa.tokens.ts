import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ProviderTokenStore, ProviderTokens } from '../../src/messaging/index.ts';
import { SendFailedError } from '../../src/shared/errors.ts';
import { isRetryableHttpStatus } from '../../src/shared/http-errors.ts';
import { joinUrl, zaloPost } from './zalo-oa.client.ts';
import {
  httpErrorToSendFailed,
  unreachableToSendFailed,
  ZALO_RATE_LIMIT_ERROR,
  ZALO_RATE_LIMIT_RETRY_MS,
} from './zalo-oa.errors.ts';

/** The name the OA's tokens are stored under in the {@link ProviderTokenStore}. */
export const ZALO_TOKEN_NAME = 'zalo-oa';
/** A stored access token is used only while it stays valid for at least this long. */
export const ZALO_TOKEN_MARGIN_MS = 60_000;
/** Used when Zalo answers without a usable `expires_in` (it documents 25 h; some accounts report 1 h). */
const FALLBACK_EXPIRES_IN_S = 3600;

/**
 * The fingerprint of a configured initial refresh token (first 16 hex digits of its SHA-256). Stored with the
 * tokens: when an operator sets a new ZALO_OA_REFRESH_TOKEN its seed differs, and the stored chain is replaced.
 */
export function zaloTokenSeed(initialRefreshToken: string): string {
  return createHash('sha256').update(initialRefreshToken, 'utf8').digest('hex').slice(0, 16);
}

const TokenAnswerSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.union([z.string(), z.number()]).optional(),
});

const ErrorAnswerSchema = z.object({ error: z.union([z.number(), z.string()]) });

/** What the token manager needs. */
export interface ZaloTokenManagerOptions {
  readonly appId: string;
  /** ZALO_OA_APP_SECRET: sent as the `secret_key` header of the OAuth call. */
  readonly appSecret: string;
  /** ZALO_OA_REFRESH_TOKEN: where the chain starts, until a refresh has stored a newer one. */
  readonly initialRefreshToken: string;
  /** Base of the OAuth server, `https://oauth.zaloapp.com` in production. */
  readonly oauthUrl: string;
  readonly tokens: ProviderTokenStore;
  readonly now: () => Date;
  readonly timeoutMs: number;
}

/** Hands out the OA access token, refreshing it when needed; shared by all sends of one adapter. */
export interface ZaloTokenManager {
  /** A valid access token: the stored one while it has more than a minute left, else a freshly refreshed one. */
  getAccessToken(): Promise<string>;
  /**
   * Refreshes after Zalo refused `rejected`. If another process already stored a different valid token, that
   * one is returned without a refresh.
   */
  refreshAccessToken(rejected: string): Promise<string>;
}

function deadRefreshToken(detail: string): SendFailedError {
  return new SendFailedError(
    `Zalo refused to refresh the OA access token (${detail}): the refresh token is expired, revoked or was ` +
      'already used (or ZALO_OA_APP_ID / ZALO_OA_APP_SECRET are wrong). Set a new ZALO_OA_REFRESH_TOKEN ' +
      '(see docs/channels/zalo-oa.md) and restart; no Zalo OA message can be sent until then',
    { retryable: false, providerCode: 'zalo:refresh', channel: 'zalo-oa' },
  );
}

/**
 * Manages the OA token pair. Zalo's refresh tokens are single-use: each refresh returns a new one and the old
 * one is dead, so refreshes are serialised across processes by `tokens.update` (the new pair is persisted before
 * anyone uses it) and within this process by sharing one refresh promise.
 */
export function createZaloTokenManager(options: ZaloTokenManagerOptions): ZaloTokenManager {
  const seed = zaloTokenSeed(options.initialRefreshToken);
  const tokenUrl = joinUrl(options.oauthUrl, '/v4/oa/access_token');
  let inFlight: Promise<string> | null = null;

  const usable = (tokens: ProviderTokens | null): tokens is ProviderTokens =>
    tokens !== null &&
    tokens.seed === seed &&
    tokens.expiresAt.getTime() > options.now().getTime() + ZALO_TOKEN_MARGIN_MS;

  async function requestTokens(refreshToken: string): Promise<ProviderTokens> {
    const outcome = await zaloPost(
      tokenUrl,
      {
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          secret_key: options.appSecret,
        },
        body: new URLSearchParams({
          refresh_token: refreshToken,
          app_id: options.appId,
          grant_type: 'refresh_token',
        }).toString(),
      },
      options.timeoutMs,
    );
    if (outcome.kind === 'unreachable') throw unreachableToSendFailed(outcome.reason, 'OAuth');
    if (isRetryableHttpStatus(outcome.status)) throw httpErrorToSendFailed(outcome.status, 'OAuth');
    const answer = TokenAnswerSchema.safeParse(outcome.json);
    if (outcome.status === 200 && answer.success) {
      const expiresIn = Number(answer.data.expires_in);
      const seconds = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : FALLBACK_EXPIRES_IN_S;
      return {
        accessToken: answer.data.access_token,
        refreshToken: answer.data.refresh_token,
        expiresAt: new Date(options.now().getTime() + seconds * 1000),
        seed,
      };
    }
    if (outcome.status === 200 && outcome.json === undefined) {
      // Not JSON (a proxy's error page?): nothing says the refresh token was consumed; try again later.
      throw new SendFailedError('Zalo OAuth answered without JSON', { retryable: true, channel: 'zalo-oa' });
    }
    const error = ErrorAnswerSchema.safeParse(outcome.json);
    if (error.success && Number(error.data.error) === ZALO_RATE_LIMIT_ERROR) {
      throw new SendFailedError(`Zalo OAuth rate limit reached (error ${ZALO_RATE_LIMIT_ERROR})`, {
        retryable: true,
        providerCode: `zalo:${ZALO_RATE_LIMIT_ERROR}`,
        retryAfterMs: ZALO_RATE_LIMIT_RETRY_MS,
        channel: 'zalo-oa',
      });
    }
    const detail = error.success
      ? `error ${String(error.data.error)
          .replace(/[^\d-]/g, '')
          .slice(0, 12)}`
      : `HTTP ${outcome.status}, no token in the answer`;
    throw deadRefreshToken(detail);
  }

  async function refresh(rejected: string | undefined): Promise<string> {
    const stored = await options.tokens.update(ZALO_TOKEN_NAME, async (current) => {
      // Another process may have refreshed while we waited for the lock: keep its tokens.
      if (usable(current) && current.accessToken !== rejected) return null;
      const refreshToken =
        current !== null && current.seed === seed ? current.refreshToken : options.initialRefreshToken;
      return requestTokens(refreshToken);
    });
    if (stored === null) {
      throw new SendFailedError('The Zalo OA token store kept no tokens', {
        retryable: true,
        channel: 'zalo-oa',
      });
    }
    return stored.accessToken;
  }

  function shared(rejected: string | undefined): Promise<string> {
    if (inFlight === null) {
      inFlight = refresh(rejected).finally(() => {
        inFlight = null;
      });
    }
    return inFlight;
  }

  return {
    async getAccessToken() {
      if (inFlight !== null) return inFlight;
      const current = await options.tokens.read(ZALO_TOKEN_NAME);
      if (usable(current)) return current.accessToken;
      return shared(undefined);
    },
    async refreshAccessToken(rejected) {
      const token = await shared(rejected);
      // A refresh started before `rejected` was refused may have kept it: refresh once more then.
      return token === rejected ? shared(rejected) : token;
    },
  };
}
