import { type Api, GrammyError } from 'grammy';
import type { Update } from 'grammy/types';
import type { EventSink, Listening, WebhookEvent } from '../../src/messaging/index.ts';
import { AppError } from '../../src/shared/errors.ts';
import { TelegramUpdateSchema, telegramUpdateToEvent } from './telegram.updates.ts';

/** The update kinds asked for with `getUpdates` (and to pass as `allowed_updates` to `setWebhook`). */
export const TELEGRAM_ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;

/** First and longest wait after a failed poll or a failed sink, in milliseconds (doubling in between). */
const BACKOFF_INITIAL_MS = 1000;
const BACKOFF_MAX_MS = 30_000;

/** Settings of {@link startTelegramPolling}. */
export interface TelegramPollingOptions {
  /** The long-poll timeout passed to `getUpdates`, in seconds. */
  readonly timeoutSeconds: number;
  /** Called after a button press was stored, to stop the button's spinner; errors are ignored. */
  readonly onCallbackQuery: (callbackQueryId: string) => Promise<unknown>;
}

/**
 * grammY's Node typings name the `abort-controller` polyfill's signal; at run time it only calls
 * `addEventListener('abort')`, which Node's own `AbortSignal` has.
 */
type GrammySignal = Parameters<Api['getUpdates']>[1];

function backoffMs(failures: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_INITIAL_MS * 2 ** Math.max(0, failures - 1));
}

/** The wait a 429 asked for (`parameters.retry_after`), or 0. */
function retryAfterMs(error: unknown): number {
  const seconds = error instanceof GrammyError ? error.parameters.retry_after : undefined;
  return typeof seconds === 'number' ? Math.min(seconds * 1000, BACKOFF_MAX_MS) : 0;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function toEvent(update: Update): WebhookEvent {
  const parsed = TelegramUpdateSchema.safeParse(update);
  return parsed.success
    ? telegramUpdateToEvent(parsed.data)
    : { type: 'ignored', reason: 'Malformed Telegram update' };
}

/**
 * Receives updates by long polling (`getUpdates`), for development without a public URL. Removes any webhook
 * first (`deleteWebhook`, pending updates kept; rejects when that fails, e.g. a wrong token), then loops:
 * every update is converted with `telegramUpdateToEvent` and handed to `sink` in order, and the offset moves
 * past an update only once `sink` resolved. A failing sink or poll waits (1 s doubling to 30 s) and tries the
 * same update again, so nothing is lost; Telegram keeps unconfirmed updates for 24 hours. `stop()` aborts the
 * long poll in flight and resolves when the loop has ended (after the sink call in progress, if any).
 */
export async function startTelegramPolling(
  api: Api,
  sink: EventSink,
  options: TelegramPollingOptions,
): Promise<Listening> {
  const controller = new AbortController();
  const { signal } = controller;
  const grammySignal = signal as unknown as GrammySignal;
  try {
    await api.deleteWebhook({ drop_pending_updates: false }, grammySignal);
  } catch (error) {
    // Only the error code is kept: grammY's network errors quote the request URL, which holds the token.
    const refused = error instanceof GrammyError;
    const detail = refused ? `error ${error.error_code}` : 'unreachable';
    throw new AppError(
      'TELEGRAM_LISTEN_FAILED',
      `Telegram polling could not start: deleteWebhook ${detail}`,
      {
        retryable: !refused || error.error_code === 429 || error.error_code >= 500,
      },
    );
  }

  async function loop(): Promise<void> {
    let offset: number | undefined;
    let batch: Update[] = [];
    let pollFailures = 0;
    let sinkFailures = 0;
    while (!signal.aborted) {
      if (batch.length === 0) {
        try {
          batch = await api.getUpdates(
            {
              ...(offset === undefined ? {} : { offset }),
              timeout: options.timeoutSeconds,
              allowed_updates: [...TELEGRAM_ALLOWED_UPDATES],
            },
            grammySignal,
          );
          pollFailures = 0;
        } catch (error) {
          if (signal.aborted) break;
          pollFailures += 1;
          await pause(Math.max(backoffMs(pollFailures), retryAfterMs(error)), signal);
        }
        continue;
      }
      const update = batch[0];
      if (update === undefined) break;
      try {
        await sink(toEvent(update));
      } catch {
        sinkFailures += 1;
        await pause(backoffMs(sinkFailures), signal);
        continue;
      }
      sinkFailures = 0;
      batch.shift();
      offset = update.update_id + 1;
      const queryId = update.callback_query?.id;
      if (queryId !== undefined) {
        Promise.resolve()
          .then(() => options.onCallbackQuery(queryId))
          .catch(() => undefined);
      }
    }
  }

  const finished = loop().catch(() => undefined);
  return {
    async stop() {
      controller.abort();
      await finished;
    },
  };
}
