import { z } from 'zod';
import type {
  ChannelAdapter,
  ChannelRateLimits,
  OutboundMessage,
  ProviderTokenStore,
  SendReceipt,
} from '../../src/messaging/index.ts';
import { SendFailedError } from '../../src/shared/errors.ts';
import { joinUrl, ZALO_DEFAULT_TIMEOUT_MS, zaloPost } from './zalo-oa.client.ts';
import {
  csErrorToSendFailed,
  httpErrorToSendFailed,
  unreachableToSendFailed,
  ZALO_TOKEN_ERRORS,
} from './zalo-oa.errors.ts';
import {
  renderZaloImage,
  renderZaloMessages,
  ZALO_DEFAULT_INFO_IMAGE_URL,
  type ZaloCsMessage,
} from './zalo-oa.render.ts';
import { createZaloTokenManager, type ZaloTokenManager } from './zalo-oa.tokens.ts';
import { zaloWebhookRoute } from './zalo-oa.webhooks.ts';

/** Configuration of the Zalo Official Account channel. */
export interface ZaloOaAdapterOptions {
  /** ZALO_OA_APP_ID: the developers.zalo.me app linked to the OA. Webhooks naming another app are rejected. */
  readonly appId: string;
  /** ZALO_OA_SECRET_KEY: the OA secret key that signs webhook events (not the app secret). */
  readonly oaSecretKey: string;
  /** ZALO_OA_APP_SECRET: the app's secret key, sent as `secret_key` when refreshing tokens. */
  readonly appSecret: string;
  /** ZALO_OA_REFRESH_TOKEN: the first refresh token; later ones are rotated into `tokens`. */
  readonly initialRefreshToken: string;
  /** ZALO_OA_API_URL: base of the OA Open API; default https://openapi.zalo.me. */
  readonly apiUrl?: string | undefined;
  /** ZALO_OAUTH_URL: base of the OAuth server; default https://oauth.zaloapp.com. */
  readonly oauthUrl?: string | undefined;
  /** Durable, shared storage of the token pair (PostgreSQL in production). */
  readonly tokens: ProviderTokenStore;
  /** `image_url` of the phone-number request form; default the banner of Zalo's own SDK samples. */
  readonly infoImageUrl?: string | undefined;
  /** The clock (webhook staleness, token expiry); default the system clock. */
  readonly now?: (() => Date) | undefined;
  /** Timeout of one call to Zalo in milliseconds; default 15 000. */
  readonly timeoutMs?: number | undefined;
  /** Receives log-safe events (`zalo-oa.image_failed`); default none. */
  readonly log?: ZaloOaLog | undefined;
}

/** A log-safe event: a name and small details (codes, flags, our `clientRef`); never user ids or text. */
export type ZaloOaLog = (event: string, details?: Record<string, string | number | boolean>) => void;

/** Default base URL of the OA Open API. */
export const ZALO_API_URL = 'https://openapi.zalo.me';
/** Default base URL of Zalo's OAuth server. */
export const ZALO_OAUTH_URL = 'https://oauth.zaloapp.com';
/** Path of the consultation (customer-service) message API, v3. */
export const ZALO_CS_MESSAGE_PATH = '/v3.0/oa/message/cs';

/**
 * Default sending limit: 50 messages a second for the whole OA (Zalo's app limit is reported as 4 000 calls a
 * minute). Operators override it with OUTBOUND_RATE_LIMITS, e.g. `zalo-oa=50/1s`.
 */
export const ZALO_OA_RATE_LIMITS: ChannelRateLimits = { overall: { limit: 50, intervalMs: 1000 } };

const CsAnswerSchema = z.object({
  error: z.union([z.number(), z.string()]),
  message: z.unknown().optional(),
  data: z
    .object({ message_id: z.union([z.string(), z.number()]).optional() })
    .loose()
    .nullish(),
});

/**
 * The Zalo Official Account channel: receives OA events on `POST /webhooks/zalo` (signature-checked) and
 * answers with consultation messages (`POST /v3.0/oa/message/cs`), refreshing the OA access token through the
 * shared token store when needed. A reply's `image` goes as a second message (the `media` template) after the
 * text; both count against the OA's reply quota. If the picture fails once the text is out, the reply still
 * succeeds with the text's receipt and `log` gets `zalo-oa.image_failed` (codes only).
 */
export function createZaloOaAdapter(options: ZaloOaAdapterOptions): ChannelAdapter {
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? ZALO_DEFAULT_TIMEOUT_MS;
  const csUrl = joinUrl(options.apiUrl ?? ZALO_API_URL, ZALO_CS_MESSAGE_PATH);
  const infoImageUrl = options.infoImageUrl ?? ZALO_DEFAULT_INFO_IMAGE_URL;
  const log: ZaloOaLog = options.log ?? (() => undefined);
  const tokens: ZaloTokenManager = createZaloTokenManager({
    appId: options.appId,
    appSecret: options.appSecret,
    initialRefreshToken: options.initialRefreshToken,
    oauthUrl: options.oauthUrl ?? ZALO_OAUTH_URL,
    tokens: options.tokens,
    now,
    timeoutMs,
  });

  type Attempt =
    | { readonly kind: 'sent'; readonly receipt: SendReceipt }
    | { readonly kind: 'token'; readonly code: number };

  async function attempt(userId: string, message: ZaloCsMessage, accessToken: string): Promise<Attempt> {
    const outcome = await zaloPost(
      csUrl,
      {
        headers: { 'content-type': 'application/json', access_token: accessToken },
        body: JSON.stringify({ recipient: { user_id: userId }, message }),
      },
      timeoutMs,
    );
    if (outcome.kind === 'unreachable') throw unreachableToSendFailed(outcome.reason, 'OA API');
    if (outcome.status < 200 || outcome.status >= 300) throw httpErrorToSendFailed(outcome.status, 'OA API');
    const answer = CsAnswerSchema.safeParse(outcome.json);
    if (!answer.success) {
      throw new SendFailedError('Zalo OA API answered without a result', {
        retryable: true,
        channel: 'zalo-oa',
      });
    }
    const code = Number(answer.data.error);
    if (code === 0) {
      const id = answer.data.data?.message_id;
      if (id === undefined || id === '') {
        // Zalo said yes without an id: the message may be out, so a retry could send it twice.
        throw new SendFailedError('Zalo accepted the message without a message id', {
          retryable: false,
          channel: 'zalo-oa',
        });
      }
      return { kind: 'sent', receipt: { providerMessageId: String(id) } };
    }
    if (ZALO_TOKEN_ERRORS.has(code)) return { kind: 'token', code };
    throw csErrorToSendFailed(code, answer.data.message);
  }

  /**
   * Sends the consultation messages of one reply to `userId`, one call at a time: the access token is read once
   * for all of them, and refreshed (then kept) when Zalo refuses it.
   */
  function deliverer(userId: string): (message: ZaloCsMessage) => Promise<SendReceipt> {
    let token: string | undefined;
    return async (message) => {
      token ??= await tokens.getAccessToken();
      const first = await attempt(userId, message, token);
      if (first.kind === 'sent') return first.receipt;
      token = await tokens.refreshAccessToken(token);
      const second = await attempt(userId, message, token);
      if (second.kind === 'sent') return second.receipt;
      throw csErrorToSendFailed(second.code, undefined);
    };
  }

  async function send(message: OutboundMessage): Promise<SendReceipt> {
    const parts = renderZaloMessages(message.reply, message.language, { infoImageUrl });
    const deliver = deliverer(message.to);
    let receipt: SendReceipt | undefined;
    for (const part of parts) receipt = await deliver(part);
    if (receipt === undefined) throw new Error('renderZaloMessages rendered nothing');
    const image = message.reply.image;
    if (image === undefined) return receipt;
    // The picture goes after the text, which holds the link: its failure is logged, not thrown.
    try {
      await deliver(renderZaloImage(image));
    } catch (error) {
      const failed = error instanceof SendFailedError ? error : undefined;
      log('zalo-oa.image_failed', {
        clientRef: message.clientRef,
        retryable: failed?.retryable ?? true,
        ...(failed?.providerCode === undefined ? {} : { providerCode: failed.providerCode }),
      });
    }
    return receipt;
  }

  return {
    channel: 'zalo-oa',
    webhooks: [zaloWebhookRoute({ appId: options.appId, oaSecretKey: options.oaSecretKey })],
    rateLimits: ZALO_OA_RATE_LIMITS,
    send,
  };
}
