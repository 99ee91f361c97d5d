/**
 * A small fake of the Telegram Bot API on 127.0.0.1, for tests that drive the real grammY client (through
 * TELEGRAM_API_ROOT / the adapter's `apiRoot`). It answers `POST|GET /bot<token>/<method>` like Telegram:
 * JSON, form or query parameters in; `{ ok: true, result }` out, or `{ ok: false, error_code, description,
 * parameters? }` with the same HTTP status. Implemented: getMe, sendMessage, sendPhoto (by URL or file_id; the
 * picture is not fetched), deleteWebhook, setWebhook, getUpdates (long polling over updates queued with
 * {@link FakeTelegram.pushUpdate}) and answerCallbackQuery.
 * A wrong token gets 401 Unauthorized.
 *
 * ```ts
 * const telegram = await startFakeTelegram();
 * const adapter = createTelegramAdapter({ token: telegram.token, mode: 'polling', apiRoot: telegram.url });
 * telegram.failNext(429, 'Too Many Requests: retry after 3', 3); // the next sendMessage is refused
 * telegram.pushUpdate(telegramTextUpdate(1, 5012345678, 'Đăng ký'));
 * const [message] = await telegram.waitForMessages(1);
 * await telegram.close();
 * ```
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Update, User } from 'grammy/types';
import { closeServer, listenOnLoopback, readBody, waitForCount } from '../support/fake-server-kit.ts';

/**
 * One message the fake accepted with `sendMessage`, or with `sendPhoto` (then `photo` is set and `text` is the
 * caption, '' without one). Refused calls are not recorded here (see `calls`).
 */
export interface RecordedTelegramMessage {
  /** `chat_id` as received, as a string. */
  readonly chatId: string;
  readonly text: string;
  /** `sendPhoto` only: the `photo` parameter (a URL or a file_id) as received. */
  readonly photo?: string;
  /** `reply_markup` parsed from JSON, or undefined when none was sent. */
  readonly replyMarkup: unknown;
  /** The `message_id` answered. */
  readonly messageId: number;
  readonly at: Date;
}

/** One authorised API call, whatever its outcome. */
export interface RecordedTelegramCall {
  readonly method: string;
  /** Every parameter received (JSON body, form body and query merged). */
  readonly payload: Readonly<Record<string, unknown>>;
  readonly at: Date;
}

/** The running fake. */
export interface FakeTelegram {
  /** The API root to use instead of https://api.telegram.org, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The bot token the fake accepts. */
  readonly token: string;
  /** Messages accepted so far, oldest first. The array is live. */
  readonly sent: RecordedTelegramMessage[];
  /** Resolves with all accepted messages once there are at least `n`; rejects after `timeoutMs` (5 s). */
  waitForMessages(n: number, options?: { readonly timeoutMs?: number }): Promise<RecordedTelegramMessage[]>;
  /**
   * The next call of `method` (default `sendMessage`) fails with Telegram's error body: `error_code` and HTTP
   * status `status`, `description`, and `parameters.retry_after` when `retryAfter` is given. Calls queue up.
   */
  failNext(status: number, description: string, retryAfter?: number, method?: string): void;
  /** Queues an update for `getUpdates`; a long poll waiting for updates is answered at once. */
  pushUpdate(update: Update): void;
  /** The authorised calls of `method` received so far, oldest first. */
  calls(method: string): RecordedTelegramCall[];
  /** Stops the server, answering held long polls and closing every connection. */
  close(): Promise<void>;
}

/** Options of {@link startFakeTelegram}. */
export interface FakeTelegramOptions {
  /** The token to accept; default a well-formed fake one. */
  readonly token?: string;
}

/** The default token of the fake, shaped like a BotFather token. */
const FAKE_TELEGRAM_TOKEN = '7012345678:AAHfakeTokenForTests-0123456789abcdefg';

interface Failure {
  readonly method: string;
  readonly status: number;
  readonly description: string;
  readonly retryAfter: number | undefined;
}

interface HeldPoll {
  readonly offset: number;
  readonly limit: number;
  answer(status: number, body: unknown): void;
}

const PATH = /^\/bot([^/]+)\/([A-Za-z]+)$/u;
const TEXT_LIMIT = 4096;
const CAPTION_LIMIT = 1024;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function apiError(status: number, description: string, retryAfter?: number): Record<string, unknown> {
  return {
    ok: false,
    error_code: status,
    description,
    ...(retryAfter === undefined ? {} : { parameters: { retry_after: retryAfter } }),
  };
}

async function readPayload(req: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  const raw = (await readBody(req)).toString('utf8');
  const payload: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const type = req.headers['content-type'] ?? '';
  if (raw !== '' && type.includes('application/json')) {
    Object.assign(payload, JSON.parse(raw) as Record<string, unknown>);
  } else if (raw !== '' && type.includes('application/x-www-form-urlencoded')) {
    Object.assign(payload, Object.fromEntries(new URLSearchParams(raw)));
  }
  return payload;
}

/** Reads a parameter that may come as a JSON value or as a string (form and query parameters). */
function jsonParam(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function intParam(value: unknown, fallback: number): number {
  const parsed = jsonParam(value);
  return typeof parsed === 'number' && Number.isInteger(parsed) ? parsed : fallback;
}

/** Starts the fake on 127.0.0.1 with a free port. */
export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = options.token ?? FAKE_TELEGRAM_TOKEN;
  const botId = Number(token.split(':')[0]) || 7012345678;
  const bot: User = {
    id: botId,
    is_bot: true,
    first_name: 'Dịch vụ công Đà Nẵng',
    username: 'DanangCitizenBot',
  };
  const sent: RecordedTelegramMessage[] = [];
  const recorded: RecordedTelegramCall[] = [];
  const failures: Failure[] = [];
  const queue: Update[] = [];
  const waiters = new Set<() => void>();
  let held: HeldPoll | undefined;
  let nextMessageId = 100;

  function available(offset: number, limit: number): Update[] {
    if (offset > 0) {
      // Telegram forgets every update below the offset: they are confirmed.
      while (queue.length > 0 && (queue[0]?.update_id ?? offset) < offset) queue.shift();
    }
    return queue.slice(0, Math.max(1, Math.min(100, limit)));
  }

  function getUpdates(res: ServerResponse, payload: Record<string, unknown>): void {
    const offset = intParam(payload.offset, 0);
    const limit = intParam(payload.limit, 100);
    const timeout = intParam(payload.timeout, 0);
    if (held !== undefined) {
      held.answer(
        409,
        apiError(
          409,
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
        ),
      );
    }
    const ready = available(offset, limit);
    if (ready.length > 0 || timeout <= 0) {
      sendJson(res, 200, { ok: true, result: ready });
      return;
    }
    const poll: HeldPoll = {
      offset,
      limit,
      answer(status, body) {
        clearTimeout(timer);
        if (held === poll) held = undefined;
        sendJson(res, status, body);
      },
    };
    const timer = setTimeout(() => poll.answer(200, { ok: true, result: [] }), timeout * 1000);
    res.on('close', () => {
      clearTimeout(timer);
      if (held === poll) held = undefined;
    });
    held = poll;
  }

  function sendMessage(res: ServerResponse, payload: Record<string, unknown>): void {
    const chatId = payload.chat_id;
    const text = payload.text;
    if (chatId === undefined || chatId === '') {
      sendJson(res, 400, apiError(400, 'Bad Request: chat_id is empty'));
      return;
    }
    if (typeof text !== 'string' || text.trim() === '') {
      sendJson(res, 400, apiError(400, 'Bad Request: message text is empty'));
      return;
    }
    if (text.length > TEXT_LIMIT) {
      sendJson(res, 400, apiError(400, 'Bad Request: message is too long'));
      return;
    }
    const replyMarkup = jsonParam(payload.reply_markup);
    const at = new Date();
    const messageId = nextMessageId++;
    sent.push({ chatId: String(chatId), text, replyMarkup, messageId, at });
    for (const wake of waiters) wake();
    const inline =
      typeof replyMarkup === 'object' && replyMarkup !== null && 'inline_keyboard' in replyMarkup
        ? { reply_markup: replyMarkup }
        : {};
    sendJson(res, 200, {
      ok: true,
      result: {
        message_id: messageId,
        from: bot,
        chat: { id: Number(chatId), first_name: 'Minh', last_name: 'Nguyễn', type: 'private' },
        date: Math.floor(at.getTime() / 1000),
        text,
        ...inline,
      },
    });
  }

  function sendPhoto(res: ServerResponse, payload: Record<string, unknown>): void {
    const chatId = payload.chat_id;
    const photo = payload.photo;
    const caption = payload.caption ?? '';
    if (chatId === undefined || chatId === '') {
      sendJson(res, 400, apiError(400, 'Bad Request: chat_id is empty'));
      return;
    }
    if (typeof photo !== 'string' || photo === '') {
      sendJson(res, 400, apiError(400, 'Bad Request: there is no photo in the request'));
      return;
    }
    if (typeof caption !== 'string' || caption.length > CAPTION_LIMIT) {
      sendJson(res, 400, apiError(400, 'Bad Request: message caption is too long'));
      return;
    }
    const replyMarkup = jsonParam(payload.reply_markup);
    const at = new Date();
    const messageId = nextMessageId++;
    sent.push({ chatId: String(chatId), text: caption, photo, replyMarkup, messageId, at });
    for (const wake of waiters) wake();
    const inline =
      typeof replyMarkup === 'object' && replyMarkup !== null && 'inline_keyboard' in replyMarkup
        ? { reply_markup: replyMarkup }
        : {};
    const fileId = `AgACAgUAAxkDAAI${messageId}`;
    sendJson(res, 200, {
      ok: true,
      result: {
        message_id: messageId,
        from: bot,
        chat: { id: Number(chatId), first_name: 'Minh', last_name: 'Nguyễn', type: 'private' },
        date: Math.floor(at.getTime() / 1000),
        photo: [
          {
            file_id: `${fileId}s`,
            file_unique_id: `AQAD${messageId}s`,
            file_size: 1021,
            width: 90,
            height: 90,
          },
          { file_id: fileId, file_unique_id: `AQAD${messageId}`, file_size: 5230, width: 320, height: 320 },
        ],
        ...(caption === '' ? {} : { caption }),
        ...inline,
      },
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const match = PATH.exec(url.pathname);
    if (match === null || (req.method !== 'POST' && req.method !== 'GET')) {
      sendJson(res, 404, apiError(404, 'Not Found'));
      return;
    }
    const payload = await readPayload(req, url);
    if (decodeURIComponent(match[1] ?? '') !== token) {
      sendJson(res, 401, apiError(401, 'Unauthorized'));
      return;
    }
    const method = match[2] ?? '';
    recorded.push({ method, payload, at: new Date() });
    const failure = failures.findIndex((f) => f.method === method);
    if (failure >= 0) {
      const [f] = failures.splice(failure, 1);
      if (f !== undefined) {
        sendJson(res, f.status, apiError(f.status, f.description, f.retryAfter));
        return;
      }
    }
    switch (method) {
      case 'getMe':
        sendJson(res, 200, {
          ok: true,
          result: {
            ...bot,
            can_join_groups: true,
            can_read_all_group_messages: false,
            supports_inline_queries: false,
            can_connect_to_business: false,
            has_main_web_app: false,
          },
        });
        return;
      case 'sendMessage':
        sendMessage(res, payload);
        return;
      case 'sendPhoto':
        sendPhoto(res, payload);
        return;
      case 'deleteWebhook':
      case 'setWebhook':
      case 'answerCallbackQuery':
        sendJson(res, 200, { ok: true, result: true });
        return;
      case 'getUpdates':
        getUpdates(res, payload);
        return;
      default:
        sendJson(res, 404, apiError(404, 'Not Found: method not found'));
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => sendJson(res, 500, apiError(500, 'Internal Server Error')));
  });
  const port = await listenOnLoopback(server);

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    sent,
    waitForMessages(n, { timeoutMs = 5000 } = {}) {
      return waitForCount(sent, n, { timeoutMs, what: 'fake Telegram', waiters });
    },
    failNext(status, description, retryAfter, method = 'sendMessage') {
      failures.push({ method, status, description, retryAfter });
    },
    pushUpdate(update) {
      queue.push(update);
      queue.sort((a, b) => a.update_id - b.update_id);
      const poll = held;
      if (poll !== undefined) {
        const ready = available(poll.offset, poll.limit);
        if (ready.length > 0) poll.answer(200, { ok: true, result: ready });
      }
    },
    calls(method) {
      return recorded.filter((call) => call.method === method);
    },
    async close() {
      held?.answer(200, { ok: true, result: [] });
      await closeServer(server);
    },
  };
}

const CITIZEN_NAME = { first_name: 'Minh', last_name: 'Nguyễn' } as const;

function citizen(chatId: number): User {
  return { id: chatId, is_bot: false, ...CITIZEN_NAME, language_code: 'vi' };
}

function privateChat(chatId: number): { id: number; type: 'private'; first_name: string; last_name: string } {
  return { id: chatId, type: 'private', ...CITIZEN_NAME };
}

function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * A text message in a private chat, as Telegram delivers it; a leading `/command` gets its `bot_command`
 * entity like real clients send.
 */
export function telegramTextUpdate(updateId: number, chatId: number, text: string): Update {
  const command = /^\/\S+/u.exec(text);
  return {
    update_id: updateId,
    message: {
      message_id: 1000 + (updateId % 100_000),
      from: citizen(chatId),
      chat: privateChat(chatId),
      date: unixNow(),
      text,
      ...(command
        ? { entities: [{ offset: 0, length: command[0].length, type: 'bot_command' as const }] }
        : {}),
    },
  };
}

/**
 * A shared contact in a private chat. The person shared their own number (the contact button) when
 * `contactUserId` equals `chatId`; another value is someone else's contact card. Telegram gives the number
 * without `+`, as here when `phone` is written so.
 */
export function telegramContactUpdate(
  updateId: number,
  chatId: number,
  phone: string,
  contactUserId: number,
): Update {
  return {
    update_id: updateId,
    message: {
      message_id: 1000 + (updateId % 100_000),
      from: citizen(chatId),
      chat: privateChat(chatId),
      date: unixNow(),
      contact: { phone_number: phone, ...CITIZEN_NAME, user_id: contactUserId },
    },
  };
}

/** A press of an inline button with `callback_data` `data`, under a message the bot sent in a private chat. */
export function telegramCallbackUpdate(updateId: number, chatId: number, data: string): Update {
  return {
    update_id: updateId,
    callback_query: {
      id: `${4_382_000_000 + (updateId % 1_000_000)}${chatId % 1000}`,
      from: citizen(chatId),
      message: {
        message_id: 100,
        from: {
          id: 7012345678,
          is_bot: true,
          first_name: 'Dịch vụ công Đà Nẵng',
          username: 'DanangCitizenBot',
        },
        chat: privateChat(chatId),
        date: unixNow() - 30,
        text: 'Bạn muốn làm gì?',
        reply_markup: { inline_keyboard: [[{ text: 'Đăng ký tài khoản', callback_data: data }]] },
      },
      chat_instance: '-4823017745928143921',
      data,
    },
  };
}
