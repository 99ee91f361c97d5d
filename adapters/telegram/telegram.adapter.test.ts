import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type ChannelAdapter,
  type EventSink,
  InboundMessageSchema,
  type Listening,
  type OutboundMessage,
  type WebhookEvent,
  type WebhookRequest,
  type WebhookRoute,
} from '../../src/messaging/index.ts';
import { AppError, SendFailedError, WebhookRejectedError } from '../../src/shared/errors.ts';
import {
  type FakeTelegram,
  startFakeTelegram,
  telegramCallbackUpdate,
  telegramContactUpdate,
  telegramTextUpdate,
} from '../../test/fakes/fake-telegram-server.ts';
import { createTelegramAdapter, type TelegramAdapterOptions } from './telegram.adapter.ts';

const TOKEN = '7012345678:AAHfakeTokenForTests-0123456789abcdefg';
const SECRET = 'k3Y_9fQ-2mZxR7tLwP0vB4nHs8dJ6cVa';
const CHAT = 5012345678;
const OTHER_USER = 5098765432;
const PHONE_DIGITS = '84905123678';
const PHONE = '+84905123678';
const DATE = 1767225600; // 2026-01-01T00:00:00Z
const BOT = {
  id: 7012345678,
  is_bot: true,
  first_name: 'Dịch vụ công Đà Nẵng',
  username: 'DanangCitizenBot',
};
const USER = { id: CHAT, is_bot: false, first_name: 'Minh', last_name: 'Nguyễn', language_code: 'vi' };
const PRIVATE_CHAT = { id: CHAT, first_name: 'Minh', last_name: 'Nguyễn', type: 'private' };

function webhookAdapter(overrides: Partial<TelegramAdapterOptions> = {}): ChannelAdapter {
  return createTelegramAdapter({ token: TOKEN, mode: 'webhook', webhookSecret: SECRET, ...overrides });
}

function route(): WebhookRoute {
  const [found] = webhookAdapter().webhooks;
  if (!found) throw new Error('no webhook route');
  return found;
}

/** A webhook request as the HTTP layer hands it over: JSON parsed, raw bytes kept. */
function request(update: unknown, secret: string | null = SECRET): WebhookRequest {
  const raw = JSON.stringify(update) ?? '';
  return {
    url: 'https://citizen.danang.example/webhooks/telegram',
    headers: {
      'content-type': 'application/json',
      ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
    },
    body: raw === '' ? undefined : (JSON.parse(raw) as unknown),
    rawBody: Buffer.from(raw),
  };
}

function handle(update: unknown): WebhookEvent {
  return route().handle(request(update));
}

function rejection(run: () => unknown): WebhookRejectedError {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookRejectedError) return error;
    throw error;
  }
  throw new Error('expected the webhook to be rejected');
}

/** A real-shaped private message with a fixed date, `extra` replacing or adding fields. */
function privateMessage(updateId: number, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    update_id: updateId,
    message: { message_id: 412, from: USER, chat: PRIVATE_CHAT, date: DATE, ...extra },
  };
}

function myChatMember(
  updateId: number,
  oldStatus: string,
  newStatus: string,
  chat: Record<string, unknown> = PRIVATE_CHAT,
) {
  return {
    update_id: updateId,
    my_chat_member: {
      chat,
      from: USER,
      date: DATE,
      old_chat_member: { user: BOT, status: oldStatus },
      new_chat_member: { user: BOT, status: newStatus, ...(newStatus === 'kicked' ? { until_date: 0 } : {}) },
    },
  };
}

describe('Telegram webhook', () => {
  it('turns a private text message into an inbound message keyed by update_id', () => {
    expect(handle(privateMessage(918273645, { text: 'Đăng ký' }))).toEqual({
      type: 'message',
      message: {
        channel: 'telegram',
        providerMessageId: '918273645',
        from: String(CHAT),
        text: 'Đăng ký',
        receivedAt: '2026-01-01T00:00:00.000Z',
      },
    });
  });

  it('accepts the update built by the fake-server helper unchanged', () => {
    const event = handle(telegramTextUpdate(7, CHAT, 'Tra cứu hồ sơ'));
    expect(event).toMatchObject({ type: 'message', message: { from: String(CHAT), text: 'Tra cứu hồ sơ' } });
  });

  it('is mounted as a JSON route at /webhooks/telegram answering {}', () => {
    expect(route().path).toBe('/webhooks/telegram');
    expect(route().bodyType).toBe('json');
    expect(route().ack).toEqual({ contentType: 'application/json', body: '{}' });
  });

  it('rejects a forged secret token with 403', () => {
    const update = privateMessage(1, { text: 'Đăng ký' });
    const forged = rejection(() => route().handle(request(update, 'k3Y_9fQ-2mZxR7tLwP0vB4nHs8dJ6cVb')));
    expect(forged).toMatchObject({ status: 403, code: 'TELEGRAM_SECRET_WRONG' });
    expect(rejection(() => route().handle(request(update, 'short'))).status).toBe(403);
    expect(rejection(() => route().handle(request(update, `${SECRET}x`))).status).toBe(403);
  });

  it('rejects a request without the secret token header with 403', () => {
    const error = rejection(() => route().handle(request(privateMessage(1, { text: 'Đăng ký' }), null)));
    expect(error).toMatchObject({ status: 403, code: 'TELEGRAM_SECRET_MISSING' });
    expect(rejection(() => route().handle(request(privateMessage(1, { text: 'x' }), ''))).status).toBe(403);
  });

  it('checks the secret before looking at the body', () => {
    expect(rejection(() => route().handle(request('not an update', 'wrong'))).status).toBe(403);
  });

  it.each([
    ['a string', 'hello'],
    ['an array', [1, 2]],
    ['null', null],
    ['an update without update_id', { message: { text: 'x' } }],
    ['a string update_id', { update_id: '12', message: { text: 'x' } }],
    ['a message without chat', { update_id: 12, message: { message_id: 1, date: DATE, text: 'x' } }],
  ])('rejects %s with 400', (_name, body) => {
    expect(rejection(() => handle(body))).toMatchObject({ status: 400, code: 'TELEGRAM_BAD_UPDATE' });
  });

  it('never quotes the message text or the chat id in a rejection', () => {
    const body = { update_id: 'x', message: { chat: { id: CHAT }, text: 'CCCD 048090001234' } };
    const error = rejection(() => handle(body));
    expect(error.message).not.toContain('048090001234');
    expect(error.message).not.toContain(String(CHAT));
  });

  it('reads the raw JSON body when the HTTP layer did not parse it, and rejects non-JSON with 400', () => {
    const req = { ...request(privateMessage(3, { text: 'TT' })), body: undefined };
    expect(route().handle(req)).toMatchObject({ type: 'message', message: { text: 'TT' } });
    const garbage = { ...req, rawBody: Buffer.from('{"update_id":') };
    expect(rejection(() => route().handle(garbage)).status).toBe(400);
  });

  it.each([
    ['/start', 'start'],
    ['/start reg-campaign-2026', 'start with a deep-link payload'],
    ['/start@DanangCitizenBot', 'start addressed to the bot'],
  ])('turns %s (%s) into a follow event with empty text', (text) => {
    const event = handle(telegramTextUpdate(20, CHAT, text));
    expect(event).toMatchObject({ type: 'message', message: { event: 'follow', text: '' } });
  });

  it('turns /help into the /HD keyword and keeps the slash of other commands, without the bot name', () => {
    const text = (input: string) => {
      const event = handle(telegramTextUpdate(21, CHAT, input));
      return event.type === 'message' ? event.message : undefined;
    };
    expect(text('/help')).toMatchObject({ text: '/HD' });
    expect(text('/help')?.event).toBeUndefined();
    expect(text('/dangky')).toMatchObject({ text: '/dangky' });
    expect(text('/TT')).toMatchObject({ text: '/TT' });
    expect(text('/tracuu@DanangCitizenBot 048090001234')).toMatchObject({ text: '/tracuu 048090001234' });
    expect(text('/ không phải lệnh')).toMatchObject({ text: '/ không phải lệnh' });
  });

  it.each([
    ['group', { id: -4012345678, title: 'Tổ dân phố 5', type: 'group' }],
    ['supergroup', { id: -1001234567890, title: 'Phường Hải Châu', type: 'supergroup', is_forum: false }],
  ])('ignores messages in a %s', (_type, chat) => {
    expect(handle(privateMessage(30, { chat, text: 'Đăng ký' })).type).toBe('ignored');
    expect(handle(myChatMember(31, 'left', 'member', chat)).type).toBe('ignored');
  });

  it('ignores channel posts', () => {
    const post = {
      update_id: 32,
      channel_post: {
        message_id: 9,
        sender_chat: { id: -1009876543210, title: 'Tin tức', type: 'channel' },
        chat: { id: -1009876543210, title: 'Tin tức', type: 'channel' },
        date: DATE,
        text: 'Thông báo',
      },
    };
    expect(handle(post).type).toBe('ignored');
  });

  it("vouches for the sender's own shared contact, normalising the number to E.164", () => {
    expect(handle(telegramContactUpdate(40, CHAT, PHONE_DIGITS, CHAT))).toEqual({
      type: 'message',
      message: {
        channel: 'telegram',
        providerMessageId: '40',
        from: String(CHAT),
        text: '',
        receivedAt: expect.any(String),
        sharedPhone: { phone: PHONE, trust: 'vouched' },
      },
    });
    const withPlus = handle(telegramContactUpdate(41, CHAT, `+${PHONE_DIGITS}`, CHAT));
    expect(withPlus.type === 'message' && withPlus.message.sharedPhone).toEqual({
      phone: PHONE,
      trust: 'vouched',
    });
  });

  it("marks someone else's contact card, or one without user_id, as foreign", () => {
    const card = handle(telegramContactUpdate(42, CHAT, PHONE_DIGITS, OTHER_USER));
    expect(card.type === 'message' && card.message.sharedPhone).toEqual({ phone: PHONE, trust: 'foreign' });
    const noUserId = handle(
      privateMessage(43, { contact: { phone_number: '15551234567', first_name: 'Bob' } }),
    );
    expect(noUserId.type === 'message' && noUserId.message.sharedPhone).toEqual({
      phone: '+15551234567',
      trust: 'foreign',
    });
  });

  it('ignores a shared contact whose number cannot be normalised', () => {
    expect(handle(telegramContactUpdate(44, CHAT, '1234', CHAT)).type).toBe('ignored');
    expect(handle(telegramContactUpdate(45, CHAT, '84123', CHAT)).type).toBe('ignored');
  });

  it('turns an inline button press into a message whose text is the callback data', () => {
    const before = Date.now();
    const event = handle(telegramCallbackUpdate(50, CHAT, 'register'));
    expect(event).toMatchObject({
      type: 'message',
      message: { channel: 'telegram', providerMessageId: '50', from: String(CHAT), text: 'register' },
    });
    const receivedAt = event.type === 'message' ? Date.parse(event.message.receivedAt) : 0;
    expect(receivedAt).toBeGreaterThanOrEqual(before - 1000);
  });

  it('uses the presser as sender when the button message is not available, and ignores presses in groups', () => {
    const update = telegramCallbackUpdate(51, CHAT, 'status');
    const { message: _message, ...query } = update.callback_query ?? { message: undefined };
    const inlineMode = { update_id: 51, callback_query: { ...query, inline_message_id: 'AgAAAN8vAQC' } };
    expect(handle(inlineMode)).toMatchObject({
      type: 'message',
      message: { from: String(CHAT), text: 'status' },
    });
    const inGroup = {
      update_id: 52,
      callback_query: {
        ...query,
        message: {
          message_id: 7,
          from: BOT,
          chat: { id: -4012345678, title: 'Tổ 5', type: 'group' },
          date: DATE,
        },
      },
    };
    expect(handle(inGroup).type).toBe('ignored');
  });

  it.each([
    [
      'photo',
      {
        photo: [
          {
            file_id: 'AgACAgUAAxkBAAIBQ2Z',
            file_unique_id: 'AQADy7wxGw',
            file_size: 1350,
            width: 90,
            height: 67,
          },
          {
            file_id: 'AgACAgUAAxkBAAIBQ2Y',
            file_unique_id: 'AQADy7wxGx',
            file_size: 58812,
            width: 800,
            height: 600,
          },
        ],
        caption: 'CCCD mặt trước',
      },
    ],
    [
      'sticker',
      {
        sticker: {
          file_id: 'CAACAgIAAxkBAAIBRGZ',
          file_unique_id: 'AgADBQADwDZPEw',
          type: 'regular',
          width: 512,
          height: 512,
          is_animated: false,
          is_video: false,
          emoji: '👍',
          set_name: 'HotCherry',
        },
      },
    ],
    [
      'voice',
      {
        voice: {
          duration: 3,
          mime_type: 'audio/ogg',
          file_id: 'AwACAgUAAxkBAAIBRWZ',
          file_unique_id: 'AgADqA4AAk',
          file_size: 9012,
        },
      },
    ],
  ])('turns a %s into a message with empty text', (_kind, content) => {
    expect(handle(privateMessage(60, content))).toEqual({
      type: 'message',
      message: {
        channel: 'telegram',
        providerMessageId: '60',
        from: String(CHAT),
        text: '',
        receivedAt: '2026-01-01T00:00:00.000Z',
      },
    });
  });

  it('ignores edited messages', () => {
    const edited = {
      update_id: 70,
      edited_message: {
        message_id: 412,
        from: USER,
        chat: PRIVATE_CHAT,
        date: DATE,
        edit_date: DATE + 20,
        text: 'Đăng ký lại',
      },
    };
    expect(handle(edited).type).toBe('ignored');
  });

  it('ignores update kinds it does not handle', () => {
    const poll = {
      update_id: 71,
      poll_answer: { poll_id: '5093124', user: USER, option_ids: [0] },
    };
    expect(handle(poll).type).toBe('ignored');
  });

  it('turns blocking the bot into an unfollow event and unblocking into a follow event', () => {
    expect(handle(myChatMember(80, 'member', 'kicked'))).toEqual({
      type: 'message',
      message: {
        channel: 'telegram',
        providerMessageId: '80',
        from: String(CHAT),
        text: '',
        receivedAt: '2026-01-01T00:00:00.000Z',
        event: 'unfollow',
      },
    });
    expect(handle(myChatMember(81, 'kicked', 'member'))).toMatchObject({
      type: 'message',
      message: { event: 'follow', text: '' },
    });
  });

  it('produces only messages that satisfy the inbound message contract', () => {
    const updates = [
      telegramTextUpdate(90, CHAT, '/start'),
      telegramTextUpdate(91, CHAT, 'x'.repeat(4096)),
      telegramContactUpdate(92, CHAT, PHONE_DIGITS, OTHER_USER),
      telegramCallbackUpdate(93, CHAT, 'đ'.repeat(32)),
      privateMessage(94, { sticker: { file_id: 'CAAC', file_unique_id: 'AgAD', type: 'regular' } }),
      myChatMember(95, 'member', 'kicked'),
    ];
    for (const update of updates) {
      const event = handle(update);
      if (event.type !== 'message') throw new Error('expected a message');
      expect(InboundMessageSchema.parse(event.message)).toEqual(event.message);
    }
  });
});

describe('Telegram adapter set-up', () => {
  it('declares 30 messages a second overall and 1 a second per chat', () => {
    expect(webhookAdapter().rateLimits).toEqual({
      overall: { limit: 30, intervalMs: 1000 },
      perRecipient: { limit: 1, intervalMs: 1000 },
    });
    expect(webhookAdapter().channel).toBe('telegram');
  });

  it('has a webhook and no listener in webhook mode, and the reverse in polling mode', () => {
    expect(webhookAdapter().listen).toBeUndefined();
    const polling = createTelegramAdapter({ token: TOKEN, mode: 'polling' });
    expect(polling.webhooks).toEqual([]);
    expect(polling.listen).toBeTypeOf('function');
  });

  it('refuses webhook mode without a secret, or a secret Telegram would not accept, without quoting it', () => {
    expect(() => createTelegramAdapter({ token: TOKEN, mode: 'webhook' })).toThrow(AppError);
    const badSecret = () => webhookAdapter({ webhookSecret: 'has spaces and ü' });
    expect(badSecret).toThrow(/webhookSecret/);
    expect(badSecret).not.toThrow(/has spaces/);
    expect(() => webhookAdapter({ token: 'abc def' })).not.toThrow(/abc def/);
  });
});

describe('sending through the real grammY client', () => {
  let fake: FakeTelegram;
  beforeEach(async () => {
    fake = await startFakeTelegram({ token: TOKEN });
  });
  afterEach(async () => {
    await fake.close();
  });

  const adapter = () => webhookAdapter({ apiRoot: fake.url });
  const outbound = (reply: OutboundMessage['reply'], language: 'vi' | 'en' = 'vi'): OutboundMessage => ({
    channel: 'telegram',
    to: String(CHAT),
    reply,
    language,
    clientRef: 'out_01',
  });

  it('sends the text with full diacritics in NFC and no keyboard', async () => {
    const receipt = await adapter().send(
      outbound({ text: 'Chào bạn! Hồ sơ đã được tiếp nhận.'.normalize('NFD') }),
    );
    const [sent] = fake.sent;
    expect(sent).toMatchObject({ chatId: String(CHAT), text: 'Chào bạn! Hồ sơ đã được tiếp nhận.' });
    expect(sent?.text).toBe(sent?.text.normalize('NFC'));
    expect(sent?.replyMarkup).toBeUndefined();
    expect(receipt).toEqual({ providerMessageId: String(sent?.messageId) });
    expect(fake.calls('sendMessage')[0]?.payload.parse_mode).toBeUndefined();
  });

  it('renders choices as an inline keyboard, one button a row, with callback data cut to 64 bytes', async () => {
    const longPayload = `choose:${'đ'.repeat(40)}`; // 7 + 80 bytes
    await adapter().send(
      outbound({
        text: 'Bạn muốn làm gì?',
        choices: [
          { label: 'Đăng ký tài khoản', payload: 'register' },
          { label: 'Tra cứu hồ sơ', payload: longPayload },
        ],
      }),
    );
    const markup = fake.sent[0]?.replyMarkup as {
      inline_keyboard: { text: string; callback_data: string }[][];
    };
    expect(markup.inline_keyboard).toEqual([
      [{ text: 'Đăng ký tài khoản', callback_data: 'register' }],
      [{ text: 'Tra cứu hồ sơ', callback_data: `choose:${'đ'.repeat(28)}` }],
    ]);
    expect(Buffer.byteLength(markup.inline_keyboard[1]?.[0]?.callback_data ?? '')).toBe(63);
  });

  it('asks for the phone number with a one-time contact keyboard labelled in the reply language', async () => {
    await adapter().send(outbound({ text: 'Vui lòng chia sẻ số điện thoại.', requestPhone: true }));
    await adapter().send(outbound({ text: 'Please share your phone number.', requestPhone: true }, 'en'));
    expect(fake.sent.map((m) => m.replyMarkup)).toEqual([
      {
        keyboard: [[{ text: 'Chia sẻ số điện thoại', request_contact: true }]],
        resize_keyboard: true,
        one_time_keyboard: true,
      },
      {
        keyboard: [[{ text: 'Share my phone number', request_contact: true }]],
        resize_keyboard: true,
        one_time_keyboard: true,
      },
    ]);
  });

  it('splits a text longer than 4096 characters, with the keyboard on the last part', async () => {
    // Three paragraphs of about 2 450 characters: each part ends at a paragraph break.
    const paragraph = `${'Thông tin hướng dẫn đăng ký tài khoản định danh. '.repeat(50).trim()}\n`;
    const text = paragraph.repeat(3).trim();
    const receipt = await adapter().send(
      outbound({ text, choices: [{ label: 'Tiếp tục', payload: 'next' }] }),
    );
    expect(fake.sent).toHaveLength(3);
    expect(fake.sent.every((m) => m.text.length <= 4096)).toBe(true);
    expect(fake.sent.map((m) => m.text).join('\n')).toBe(text);
    expect(fake.sent.slice(0, -1).map((m) => m.replyMarkup)).toEqual([undefined, undefined]);
    expect(fake.sent[2]?.replyMarkup).toEqual({
      inline_keyboard: [[{ text: 'Tiếp tục', callback_data: 'next' }]],
    });
    expect(receipt.providerMessageId).toBe(String(fake.sent[2]?.messageId));
  });

  async function sendFailure(send: () => Promise<unknown>): Promise<SendFailedError> {
    const error = await send().catch((e: unknown) => e);
    if (!(error instanceof SendFailedError))
      throw new Error(`expected SendFailedError, got ${String(error)}`);
    expect(error.message).not.toContain(String(CHAT));
    expect(error.message).not.toContain('048090001234');
    expect(error.message).not.toContain(TOKEN);
    expect(error.cause).toBeUndefined();
    expect(error.context).toMatchObject({ channel: 'telegram' });
    return error;
  }
  const secretText = () => adapter().send(outbound({ text: 'Số CCCD của bạn: 048090001234' }));

  it('reports 429 as retryable with the wait Telegram asked for, without retrying by itself', async () => {
    fake.failNext(429, 'Too Many Requests: retry after 7', 7);
    const error = await sendFailure(secretText);
    expect(error).toMatchObject({
      retryable: true,
      retryAfterMs: 7000,
      providerCode: '429',
      code: 'SEND_FAILED_TEMPORARY',
    });
    expect(fake.calls('sendMessage')).toHaveLength(1);
  });

  it('reports a bot blocked by the user (403) as a permanent failure', async () => {
    fake.failNext(403, 'Forbidden: bot was blocked by the user');
    const error = await sendFailure(secretText);
    expect(error).toMatchObject({ retryable: false, providerCode: '403', code: 'SEND_FAILED_PERMANENT' });
    expect(error.message).toContain('bot was blocked by the user');
    expect(fake.sent).toHaveLength(0);
  });

  it('reports a deactivated user (403) and an unknown chat (400) as permanent failures', async () => {
    fake.failNext(403, 'Forbidden: user is deactivated');
    expect(await sendFailure(secretText)).toMatchObject({ retryable: false, providerCode: '403' });
    fake.failNext(400, 'Bad Request: chat not found');
    expect(await sendFailure(secretText)).toMatchObject({ retryable: false, providerCode: '400' });
  });

  it('reports a wrong token (401) as permanent', async () => {
    const wrong = webhookAdapter({ apiRoot: fake.url, token: '7012345678:AAHsomeOtherToken' });
    const error = await sendFailure(() => wrong.send(outbound({ text: 'Xin chào' })));
    expect(error).toMatchObject({ retryable: false, providerCode: '401' });
  });

  it('reports a Telegram server error as retryable', async () => {
    fake.failNext(502, 'Bad Gateway');
    expect(await sendFailure(secretText)).toMatchObject({ retryable: true, providerCode: '502' });
  });

  it('reports an unreachable Telegram as retryable', async () => {
    const closed = await startFakeTelegram({ token: TOKEN });
    await closed.close();
    const offline = webhookAdapter({ apiRoot: closed.url });
    const error = await sendFailure(() => offline.send(outbound({ text: 'Xin chào' })));
    expect(error).toMatchObject({ retryable: true, providerCode: undefined });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('refuses a recipient that is not a chat id without calling Telegram', async () => {
    const error = await sendFailure(() =>
      adapter().send({ ...outbound({ text: 'Xin chào' }), to: '@someone' }),
    );
    expect(error.retryable).toBe(false);
    expect(fake.calls('sendMessage')).toHaveLength(0);
  });
});

describe('long polling', () => {
  let fake: FakeTelegram;
  let listening: Listening | undefined;
  beforeEach(async () => {
    fake = await startFakeTelegram({ token: TOKEN });
  });
  afterEach(async () => {
    await listening?.stop();
    listening = undefined;
    await fake.close();
  });

  const polling = (pollTimeoutSeconds = 5) =>
    createTelegramAdapter({ token: TOKEN, mode: 'polling', apiRoot: fake.url, pollTimeoutSeconds });

  async function listen(sink: EventSink, adapter = polling()): Promise<Listening> {
    if (!adapter.listen) throw new Error('polling adapter without listen');
    listening = await adapter.listen(sink);
    return listening;
  }

  const ids = (events: WebhookEvent[]) =>
    events.map((e) => (e.type === 'message' ? e.message.providerMessageId : e.type));

  it('removes the webhook keeping pending updates, then delivers queued updates in order', async () => {
    fake.pushUpdate(telegramTextUpdate(101, CHAT, '/start'));
    fake.pushUpdate(telegramContactUpdate(102, CHAT, PHONE_DIGITS, CHAT));
    fake.pushUpdate(telegramTextUpdate(103, CHAT, 'Đăng ký'));
    const events: WebhookEvent[] = [];
    await listen(async (event) => {
      events.push(event);
    });
    await vi.waitFor(() => expect(events).toHaveLength(3), { timeout: 3000 });
    expect(ids(events)).toEqual(['101', '102', '103']);
    expect(events[1]).toMatchObject({ message: { sharedPhone: { phone: PHONE, trust: 'vouched' } } });
    expect(fake.calls('deleteWebhook')[0]?.payload).toEqual({ drop_pending_updates: false });
    const [first] = fake.calls('getUpdates');
    expect(first?.payload).toEqual({
      timeout: 5,
      allowed_updates: ['message', 'callback_query', 'my_chat_member'],
    });
  });

  it('waits in a long poll and delivers an update as soon as it arrives, confirming the ones handled', async () => {
    const events: WebhookEvent[] = [];
    await listen(async (event) => {
      events.push(event);
    });
    await vi.waitFor(() => expect(fake.calls('getUpdates')).toHaveLength(1));
    fake.pushUpdate(telegramCallbackUpdate(200, CHAT, 'register'));
    await vi.waitFor(() => expect(events).toHaveLength(1), { timeout: 2000 });
    expect(events[0]).toMatchObject({ message: { text: 'register', from: String(CHAT) } });
    await vi.waitFor(() => expect(fake.calls('getUpdates').at(-1)?.payload.offset).toBe(201));
    await vi.waitFor(() => expect(fake.calls('answerCallbackQuery')).toHaveLength(1));
  });

  it('hands ignored updates to the sink too, so their offset moves on', async () => {
    const { message } = telegramTextUpdate(300, CHAT, 'Đăng ký lại');
    if (message === undefined) throw new Error('no message');
    fake.pushUpdate({ update_id: 300, edited_message: { ...message, edit_date: DATE } });
    const events: WebhookEvent[] = [];
    await listen(async (event) => {
      events.push(event);
    });
    await vi.waitFor(() => expect(events).toHaveLength(1), { timeout: 2000 });
    expect(events[0]?.type).toBe('ignored');
  });

  it('retries a failing sink with the same update and loses nothing', async () => {
    for (const id of [401, 402, 403]) fake.pushUpdate(telegramTextUpdate(id, CHAT, `tin ${id}`));
    const attempts: string[] = [];
    const stored: string[] = [];
    let failed = false;
    await listen(async (event) => {
      const id = event.type === 'message' ? event.message.providerMessageId : '?';
      attempts.push(id);
      if (id === '402' && !failed) {
        failed = true;
        throw new Error('queue unavailable');
      }
      stored.push(id);
    });
    await vi.waitFor(() => expect(stored).toHaveLength(3), { timeout: 4000 });
    expect(attempts).toEqual(['401', '402', '402', '403']);
    expect(stored).toEqual(['401', '402', '403']);
  });

  it('leaves an update it could not store unconfirmed, so the next listener receives it', async () => {
    fake.pushUpdate(telegramTextUpdate(501, CHAT, 'Đăng ký'));
    let attempts = 0;
    const first = await listen(async () => {
      attempts += 1;
      throw new Error('store down');
    });
    await vi.waitFor(() => expect(attempts).toBeGreaterThan(0));
    await first.stop();
    const events: WebhookEvent[] = [];
    await listen(async (event) => {
      events.push(event);
    });
    await vi.waitFor(() => expect(ids(events)).toEqual(['501']), { timeout: 2000 });
  });

  it('keeps polling after Telegram fails a poll', async () => {
    fake.failNext(502, 'Bad Gateway', undefined, 'getUpdates');
    fake.pushUpdate(telegramTextUpdate(601, CHAT, 'TT'));
    const events: WebhookEvent[] = [];
    await listen(async (event) => {
      events.push(event);
    });
    await vi.waitFor(() => expect(ids(events)).toEqual(['601']), { timeout: 4000 });
    expect(fake.calls('getUpdates').length).toBeGreaterThanOrEqual(2);
  });

  it('stops promptly while a long poll is waiting', async () => {
    const running = await listen(async () => undefined, polling(25));
    await vi.waitFor(() => expect(fake.calls('getUpdates')).toHaveLength(1));
    const started = Date.now();
    await running.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    fake.pushUpdate(telegramTextUpdate(701, CHAT, 'late'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.calls('getUpdates')).toHaveLength(1);
  });

  it('stops promptly while waiting to retry a failing sink', async () => {
    fake.pushUpdate(telegramTextUpdate(801, CHAT, 'Đăng ký'));
    let attempts = 0;
    const running = await listen(async () => {
      attempts += 1;
      throw new Error('store down');
    });
    await vi.waitFor(() => expect(attempts).toBe(1));
    const started = Date.now();
    await running.stop();
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('fails to start with a wrong token', async () => {
    const wrong = createTelegramAdapter({ token: '7012345678:AAHwrong', mode: 'polling', apiRoot: fake.url });
    await expect(wrong.listen?.(async () => undefined)).rejects.toThrow();
  });
});
