import { createHash } from 'node:crypto';
import {
  type WebhookEvent,
  type WebhookRequest,
  type WebhookRoute,
  webhookHeader,
} from '../../src/messaging/index.ts';
import { safeEqual } from '../../src/shared/crypto.ts';
import { WebhookRejectedError } from '../../src/shared/errors.ts';
import { parseTelegramUpdate, telegramUpdateToEvent } from './telegram.updates.ts';

/** Path of the Telegram webhook: `setWebhook` points at `PUBLIC_BASE_URL` + this. */
export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';
/** The header carrying the `secret_token` given to `setWebhook` (lower case, as Node presents headers). */
export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

function digest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Constant-time check that does not leak the secret's length either: both sides are hashed first. */
function secretMatches(given: string, expected: string): boolean {
  return safeEqual(digest(given), digest(expected));
}

function body(request: WebhookRequest): unknown {
  if (request.body !== undefined) return request.body;
  try {
    return JSON.parse(request.rawBody.toString('utf8')) as unknown;
  } catch {
    throw new WebhookRejectedError(400, 'TELEGRAM_BAD_UPDATE', 'Telegram update is not JSON');
  }
}

/**
 * `POST /webhooks/telegram`: one Telegram update. The `X-Telegram-Bot-Api-Secret-Token` header must equal
 * `secret` (compared in constant time) or the request is rejected with 403; a body that is not an update is
 * rejected with 400. Answered `{}` (`application/json`) once the event is stored.
 */
export function telegramWebhookRoute(options: { readonly secret: string }): WebhookRoute {
  return {
    path: TELEGRAM_WEBHOOK_PATH,
    summary: 'An update from Telegram',
    authHeader: TELEGRAM_SECRET_HEADER,
    bodyType: 'json',
    ack: { contentType: 'application/json', body: '{}' },
    handle(request): WebhookEvent {
      const given = webhookHeader(request, TELEGRAM_SECRET_HEADER);
      if (given === undefined || given === '') {
        throw new WebhookRejectedError(
          403,
          'TELEGRAM_SECRET_MISSING',
          'Telegram secret token header is missing',
        );
      }
      if (!secretMatches(given, options.secret)) {
        throw new WebhookRejectedError(403, 'TELEGRAM_SECRET_WRONG', 'Telegram secret token does not match');
      }
      return telegramUpdateToEvent(parseTelegramUpdate(body(request)));
    },
  };
}
