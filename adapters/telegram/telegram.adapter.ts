import { Api } from 'grammy';
import { z } from 'zod';
import type {
  ChannelAdapter,
  ChannelRateLimits,
  EventSink,
  Listening,
  OutboundMessage,
  SendReceipt,
} from '../../src/messaging/index.ts';
import { AppError, SendFailedError } from '../../src/shared/errors.ts';
import { invalidFields } from '../../src/shared/invalid-fields.ts';
import { isPhotoRefused, toSendFailedError } from './telegram.errors.ts';
import { startTelegramPolling } from './telegram.polling.ts';
import {
  renderTelegramCalls,
  renderTelegramMessages,
  type TelegramCall,
  type TelegramOutgoingMessage,
} from './telegram.render.ts';
import { telegramWebhookRoute } from './telegram.webhook.ts';

/** Settings of the Telegram channel (from TELEGRAM_*). */
export interface TelegramAdapterOptions {
  /** TELEGRAM_BOT_TOKEN, from @BotFather (`123456789:AA…`). */
  readonly token: string;
  /** TELEGRAM_MODE: `webhook` (production, needs a public URL) or `polling` (development, one process only). */
  readonly mode: 'webhook' | 'polling';
  /** TELEGRAM_WEBHOOK_SECRET: the `secret_token` given to `setWebhook`; required in webhook mode. */
  readonly webhookSecret?: string | undefined;
  /** TELEGRAM_API_ROOT: replaces https://api.telegram.org (a local Bot API server, or a fake in tests). */
  readonly apiRoot?: string | undefined;
  /** Long-poll timeout of `getUpdates` in seconds (polling mode), 1 to 50; default 25. */
  readonly pollTimeoutSeconds?: number;
  /** Receives log-safe events (`telegram.photo_refused`); default none. */
  readonly log?: TelegramLog | undefined;
}

/** A log-safe event: a name and small details (codes, flags, our `clientRef`); never chat ids or text. */
export type TelegramLog = (event: string, details?: Record<string, string | number | boolean>) => void;

/** Telegram's broadcasting limits: about 30 messages a second overall and 1 a second per chat. */
export const TELEGRAM_RATE_LIMITS: ChannelRateLimits = {
  overall: { limit: 30, intervalMs: 1000 },
  perRecipient: { limit: 1, intervalMs: 1000 },
};

const DEFAULT_API_ROOT = 'https://api.telegram.org';
const DEFAULT_POLL_TIMEOUT_SECONDS = 25;
/** Timeout of one send call; `getUpdates` gets the long-poll timeout plus this. */
const SEND_TIMEOUT_SECONDS = 30;
const CHAT_ID = /^-?\d{1,20}$/u;

const OptionsSchema = z.object({
  token: z.string().regex(/^[^\s/]+$/u),
  mode: z.enum(['webhook', 'polling']),
  webhookSecret: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/u)
    .optional(),
  apiRoot: z.url().optional(),
  pollTimeoutSeconds: z.number().int().min(1).max(50).optional(),
});

function checkOptions(options: TelegramAdapterOptions): void {
  const result = OptionsSchema.safeParse(options);
  if (!result.success) {
    const fields = invalidFields(result.error);
    throw new AppError('TELEGRAM_CONFIG', `Invalid Telegram settings: ${fields}`);
  }
  if (options.mode === 'webhook' && options.webhookSecret === undefined) {
    throw new AppError('TELEGRAM_CONFIG', 'Telegram webhook mode needs TELEGRAM_WEBHOOK_SECRET');
  }
}

/**
 * The Telegram channel, on grammY's `Api` client. In `webhook` mode it exposes `POST /webhooks/telegram`
 * (secret-token checked); in `polling` mode it has no webhook and `listen` long-polls `getUpdates` instead.
 * Both turn updates into events with the same `telegramUpdateToEvent`. `send` renders a reply as plain text
 * with an inline keyboard for choices or a contact keyboard for `requestPhone`, and a reply's `image` with
 * `sendPhoto` (see `renderTelegramCalls`). A picture Telegram cannot fetch or read (400) does not fail the
 * reply: the text, which holds the link, is sent without it and `log` gets `telegram.photo_refused`.
 */
export function createTelegramAdapter(options: TelegramAdapterOptions): ChannelAdapter {
  checkOptions(options);
  const apiRoot = (options.apiRoot ?? DEFAULT_API_ROOT).replace(/\/+$/u, '');
  const pollTimeoutSeconds = options.pollTimeoutSeconds ?? DEFAULT_POLL_TIMEOUT_SECONDS;
  const api = new Api(options.token, { apiRoot, timeoutSeconds: SEND_TIMEOUT_SECONDS });

  const log: TelegramLog = options.log ?? (() => undefined);

  /** Makes one call; a picture Telegram refused gives null (the caller carries on with the text). */
  async function invoke(to: string, call: TelegramCall | TelegramOutgoingMessage): Promise<number | null> {
    const markup = call.replyMarkup === undefined ? {} : { reply_markup: call.replyMarkup };
    try {
      const sent =
        'photo' in call
          ? await api.sendPhoto(to, call.photo, { caption: call.caption, ...markup })
          : await api.sendMessage(to, call.text, markup);
      return sent.message_id;
    } catch (error) {
      if ('photo' in call && isPhotoRefused(error)) return null;
      throw toSendFailedError(error);
    }
  }

  async function send(message: OutboundMessage): Promise<SendReceipt> {
    if (!CHAT_ID.test(message.to)) {
      throw new SendFailedError('Telegram recipient is not a chat id', {
        retryable: false,
        channel: 'telegram',
      });
    }
    let receipt: number | undefined;
    for (const call of renderTelegramCalls(message.reply, message.language)) {
      const id = await invoke(message.to, call);
      if (id === null) {
        log('telegram.photo_refused', { clientRef: message.clientRef, textAlreadySent: !call.carriesText });
        if (!call.carriesText) continue;
        // The caption was the text: send it as text messages instead, the link is in it.
        for (const part of renderTelegramMessages(message.reply, message.language)) {
          receipt = (await invoke(message.to, part)) ?? receipt;
        }
      } else if (call.carriesText) {
        receipt = id;
      }
    }
    if (receipt === undefined) {
      throw new SendFailedError('Telegram reply rendered to nothing', {
        retryable: false,
        channel: 'telegram',
      });
    }
    return { providerMessageId: String(receipt) };
  }

  if (options.mode === 'webhook') {
    return {
      channel: 'telegram',
      webhooks: [telegramWebhookRoute({ secret: options.webhookSecret ?? '' })],
      rateLimits: TELEGRAM_RATE_LIMITS,
      send,
    };
  }

  const pollApi = new Api(options.token, {
    apiRoot,
    timeoutSeconds: pollTimeoutSeconds + SEND_TIMEOUT_SECONDS,
  });
  return {
    channel: 'telegram',
    webhooks: [],
    rateLimits: TELEGRAM_RATE_LIMITS,
    send,
    listen(sink: EventSink): Promise<Listening> {
      return startTelegramPolling(pollApi, sink, {
        timeoutSeconds: pollTimeoutSeconds,
        onCallbackQuery: (id) => api.answerCallbackQuery(id),
      });
    },
  };
}
