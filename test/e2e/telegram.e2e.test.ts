import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeTelegram,
  type RecordedTelegramMessage,
  telegramCallbackUpdate,
  telegramContactUpdate,
  telegramTextUpdate,
} from '../fakes/fake-telegram-server.ts';
import { AppHarness, TELEGRAM_WEBHOOK_SECRET } from '../support/app-harness.ts';
import { eventually, inboundCount, sleep } from '../support/services.ts';

// The Telegram channel against the running app: signed webhooks in, the real grammY client out to the fake
// Bot API. Per-chat spacing is 50 ms here instead of Telegram's 1 s (telegram-rate-limit.e2e tests that).

const CODE = /[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/;
const SECRET_HEADER = { 'x-telegram-bot-api-secret-token': TELEGRAM_WEBHOOK_SECRET };
const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; message: string } }).error;

/** A private-chat message as Telegram posts it, but in a group / edited: kinds the bot must ignore. */
function groupTextUpdate(updateId: number, text: string): object {
  const from = { id: 555_900, is_bot: false, first_name: 'Minh' };
  const chat = { id: -1_001_234_567_890, type: 'supergroup', title: 'Tổ dân phố 5' };
  return { update_id: updateId, message: { message_id: 9, from, chat, date: 1_767_000_000, text } };
}
function editedTextUpdate(updateId: number, chatId: number, text: string): object {
  const original = telegramTextUpdate(updateId, chatId, text).message;
  return { update_id: updateId, edited_message: { ...original, edit_date: 1_767_000_100 } };
}

describe('Telegram by webhook: intake, registration, one identity with SMS, send failures', () => {
  let app: AppHarness;
  let updateId = 70_000;
  const nextUpdate = () => {
    updateId += 1;
    return updateId;
  };
  const fake = (): FakeTelegram => {
    if (!app.fakes.telegram) throw new Error('telegram is off');
    return app.fakes.telegram;
  };
  const sentTo = (chat: number) => fake().sent.filter((m) => m.chatId === String(chat));
  const sendCallsTo = (chat: number) =>
    fake()
      .calls('sendMessage')
      .filter((c) => String(c.payload.chat_id) === String(chat));
  const post = (update: object | string, headers: Record<string, string> = SECRET_HEADER) =>
    app.postJson('/webhooks/telegram', typeof update === 'string' ? update : JSON.stringify(update), headers);
  const storedInbound = (id: number) => inboundCount(app.services, 'telegram', String(id));
  const outboxRow = (chat: number) => app.lastOutbound('telegram', String(chat));
  /** Posts an update and resolves the `replies` next messages the chat receives. */
  async function onTelegram(chat: number, update: object, replies = 1): Promise<RecordedTelegramMessage[]> {
    const before = sentTo(chat).length;
    const response = await post(update);
    expect(response.status).toBe(200);
    await eventually(() => sentTo(chat).length >= before + replies);
    return sentTo(chat).slice(before);
  }

  beforeAll(async () => {
    app = await AppHarness.start({
      channels: ['telegram'],
      env: { OUTBOUND_RATE_LIMITS: 'telegram:recipient=20/1s' },
    });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('answers a valid update with 200 {} and replies in the chat', async () => {
    const chat = 555_001;
    const response = await post(telegramTextUpdate(nextUpdate(), chat, 'HD'));

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{}');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    await eventually(() => sentTo(chat).length === 1);
    expect(sentTo(chat)[0]?.text).toMatch(/^Công dân số Đà Nẵng\. Bấm nút hoặc trả lời số, từ khóa:/);
  });

  it('refuses a missing or wrong secret token with 403 and stores nothing', async () => {
    const chat = 555_002;
    const missingId = nextUpdate();
    const wrongId = nextUpdate();

    const missing = await post(telegramTextUpdate(missingId, chat, 'HD'), {});
    const wrong = await post(telegramTextUpdate(wrongId, chat, 'HD'), {
      'x-telegram-bot-api-secret-token': `${TELEGRAM_WEBHOOK_SECRET}-not`,
    });

    expect([missing.status, wrong.status]).toEqual([403, 403]);
    expect((await errorOf(missing)).code).toBe('TELEGRAM_SECRET_MISSING');
    expect((await errorOf(wrong)).code).toBe('TELEGRAM_SECRET_WRONG');
    expect((await storedInbound(missingId)) + (await storedInbound(wrongId))).toBe(0);
    await sleep(700);
    expect(sentTo(chat)).toEqual([]);
  });

  it('answers 400 to a body that is not a Telegram update', async () => {
    for (const body of ['[1,2]', '"DK"', '42', '{}', '{"update_id":"7"}', '{"update_id":-1}', '{"x":']) {
      const response = await post(body);
      expect(response.status, body).toBe(400);
    }
    const noId = await post(JSON.stringify({ message: telegramTextUpdate(1, 555_003, 'DK').message }));
    expect(noId.status).toBe(400);
    expect(await errorOf(noId)).toMatchObject({
      code: 'TELEGRAM_BAD_UPDATE',
      message: expect.stringMatching(/update_id/),
    });
  });

  it('checks the secret token before reading a body that is not JSON', async () => {
    expect((await post('{"update_id":', {})).status).toBe(403);
  });

  it('replies once to the same update delivered three times', async () => {
    const chat = 555_004;
    const update = telegramTextUpdate(nextUpdate(), chat, 'TT');

    const statuses = (await Promise.all([post(update), post(update)])).map((r) => r.status);
    statuses.push((await post(update)).status);
    await eventually(() => sentTo(chat).length >= 1);
    await sleep(700);

    expect(statuses).toEqual([200, 200, 200]);
    expect(sentTo(chat)).toHaveLength(1);
    expect(await storedInbound(update.update_id)).toBe(1);
  });

  it('acknowledges group messages and edited messages with 200 but neither stores nor answers them', async () => {
    const groupId = nextUpdate();
    const editedId = nextUpdate();
    const chat = 555_005;

    expect((await post(groupTextUpdate(groupId, 'DK'))).status).toBe(200);
    expect((await post(editedTextUpdate(editedId, chat, 'DK'))).status).toBe(200);
    await sleep(700);

    expect((await storedInbound(groupId)) + (await storedInbound(editedId))).toBe(0);
    expect(fake().sent.filter((m) => m.chatId.startsWith('-') || m.chatId === String(chat))).toEqual([]);
  });

  const TG_CHAT = 555_010;
  const PHONE = '+84905333444';
  let accountCode: string | undefined;

  it('registers on Telegram: buttons, own contact only, consent button, result on Telegram', async () => {
    const [welcome] = await onTelegram(TG_CHAT, telegramTextUpdate(nextUpdate(), TG_CHAT, '/start'));
    expect(welcome?.text).toMatch(/^Chào mừng bạn đến với Công dân số Đà Nẵng!\n/);
    const menu = welcome?.replyMarkup as { inline_keyboard: { callback_data: string }[][] } | undefined;
    expect(menu?.inline_keyboard.flat().map((b) => b.callback_data)).toEqual(['DK', 'TT', 'LK', 'GT']);

    // A messenger gets one message per turn: what was said, then the question, with the turn's keyboard.
    const [asked] = await onTelegram(TG_CHAT, telegramCallbackUpdate(nextUpdate(), TG_CHAT, 'DK'));
    expect(asked?.text).toMatch(
      /^Để đăng ký, trước hết cần xác nhận số điện thoại của bạn\.\n\nNhập số điện thoại di động của bạn/,
    );
    expect(asked?.replyMarkup).toEqual({
      keyboard: [[{ text: 'Chia sẻ số điện thoại', request_contact: true }]],
      resize_keyboard: true,
      one_time_keyboard: true,
    });

    const someoneElse = telegramContactUpdate(nextUpdate(), TG_CHAT, '84905999888', 424_242);
    const [refused] = await onTelegram(TG_CHAT, someoneElse);
    expect(refused?.text).toMatch(/^Đây không phải số điện thoại của bạn\..*\n\nNhập số điện thoại di động/s);
    expect(refused?.replyMarkup).toMatchObject({ keyboard: [[{ request_contact: true }]] });
    expect(await app.services.contacts.find('telegram', String(TG_CHAT))).toMatchObject({
      phone: null,
      citizenId: null,
    });

    const own = telegramContactUpdate(nextUpdate(), TG_CHAT, PHONE.slice(1), TG_CHAT);
    const [confirmed] = await onTelegram(TG_CHAT, own);
    expect(confirmed?.text).toBe(
      'Đã xác nhận số điện thoại.\n\nĐăng ký tài khoản công dân số (bước 1/3). Gửi họ và tên đầy đủ, ví dụ: Nguyễn Văn An. Gửi HUY để hủy.',
    );
    expect(await app.services.contacts.find('telegram', String(TG_CHAT))).toMatchObject({ phone: PHONE });
    const answer = async (text: string) =>
      (await onTelegram(TG_CHAT, telegramTextUpdate(nextUpdate(), TG_CHAT, text)))[0];
    expect((await answer('Nguyễn Văn An'))?.text).toBe('Bước 2/3: gửi số CCCD (12 chữ số) của bạn.');
    expect((await answer('048090001234'))?.text).toBe('Bước 3/3: gửi ngày sinh, ví dụ 15/02/1990.');
    const consent = await answer('15/02/1990');
    expect(consent?.text).toMatch(/^Nguyễn Văn An, CCCD 048090001234, NS 15\/02\/1990\. Đồng ý xử lý/);
    expect(consent?.replyMarkup).toEqual({
      inline_keyboard: [
        [{ text: 'Đồng ý', callback_data: 'CO' }],
        [{ text: 'Không đồng ý', callback_data: 'KHONG' }],
      ],
    });

    const done = await onTelegram(TG_CHAT, telegramCallbackUpdate(nextUpdate(), TG_CHAT, 'CO'), 2);
    const opened = done.find((m) => m.text.startsWith('Đã mở tài khoản tạm thời'));
    accountCode = CODE.exec(opened?.text ?? '')?.[0];
    expect(accountCode).toBeDefined();
    expect(done.map((m) => m.text)).toContain(
      `Tài khoản công dân số ${accountCode} đã được xác minh với CSDL dân cư. Bạn có thể dùng dịch vụ công trực tuyến. Gửi TT để xem.`,
    );
    expect(app.inbox(PHONE)).toEqual([]); // the result went to Telegram, the channel used last
    const [status] = await onTelegram(TG_CHAT, telegramTextUpdate(nextUpdate(), TG_CHAT, 'TT'));
    expect(status?.text).toBe(`Tài khoản ${accountCode}: đã xác minh.`);
    expect(await app.services.citizens.findByPhone(PHONE)).toMatchObject({ status: 'verified' });
    expect(await app.services.citizens.findByPhone('+84905999888')).toBeNull();
    expect(sentTo(TG_CHAT).every((m) => m.text === m.text.normalize('NFC'))).toBe(true);
  });

  it('shows the same account to the same person texting by SMS (one identity)', async () => {
    expect(accountCode).toBeDefined();

    expect(await app.say(PHONE, 'TT')).toEqual([`Tai khoan ${accountCode}: da xac minh.`]);
    const counts = await app.services.citizens.countByStatus();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('waits the retry_after of a 429 and then delivers the reply once', async () => {
    const chat = 555_020;
    fake().failNext(429, 'Too Many Requests: retry after 1', 1);

    await onTelegram(chat, telegramTextUpdate(nextUpdate(), chat, 'HD'));
    const row = await eventually(async () => {
      const found = await outboxRow(chat);
      return found?.status === 'queued' ? found : undefined;
    });
    await sleep(700);

    const [refused, accepted] = sendCallsTo(chat);
    expect(sendCallsTo(chat)).toHaveLength(2);
    expect(sentTo(chat)).toHaveLength(1);
    expect((accepted?.at.getTime() ?? 0) - (refused?.at.getTime() ?? 0)).toBeGreaterThanOrEqual(950);
    expect(row).toMatchObject({ status: 'queued', error_code: null, attempts: 2 });
  });

  it('records a 403 (bot blocked) as failed in the outbox and does not retry it', async () => {
    const chat = 555_030;
    fake().failNext(403, 'Forbidden: bot was blocked by the user');

    expect((await post(telegramTextUpdate(nextUpdate(), chat, 'HD'))).status).toBe(200);
    const row = await eventually(async () => {
      const found = await outboxRow(chat);
      return found?.status === 'failed' ? found : undefined;
    });
    await sleep(1000);

    expect(row).toMatchObject({ status: 'failed', error_code: '403', attempts: 1 });
    expect(sendCallsTo(chat)).toHaveLength(1);
    expect(sentTo(chat)).toEqual([]);
  });

  it('sends a notification the blocked bot refuses to the account phone by SMS instead', async () => {
    const citizen = await app.services.citizens.findByPhone(PHONE);
    if (!citizen) throw new Error('the registration test opened no account');
    fake().failNext(403, 'Forbidden: bot was blocked by the user');
    await app.services.queueOutbound([
      {
        dedupeKey: 'tg-note-blocked',
        channel: 'telegram',
        to: String(TG_CHAT),
        reply: { text: 'Hồ sơ của bạn đã được cập nhật.' },
        language: 'vi',
        purpose: 'notification',
        citizenId: citizen.id,
      },
    ]);

    const sms = (await app.waitForInbox(PHONE, 2)).slice(1);

    expect(sms).toEqual(['Ho so cua ban da duoc cap nhat.']);
    expect(await outboxRow(TG_CHAT)).toMatchObject({ status: 'failed', error_code: '403', attempts: 1 });
  });
});

describe('Telegram by long polling (the listener role)', () => {
  let app: AppHarness;
  const chat = 556_001;
  const fake = (): FakeTelegram => {
    if (!app.fakes.telegram) throw new Error('telegram is off');
    return app.fakes.telegram;
  };
  /** Whether the listener has asked for updates from `offset` on, i.e. confirmed every update before it. */
  const polledFrom = (offset: number) =>
    fake()
      .calls('getUpdates')
      .some((c) => Number(c.payload.offset) === offset);
  beforeAll(async () => {
    app = await AppHarness.start({ channels: ['telegram-polling'] });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('receives a pushed update by getUpdates, replies, and moves the offset past it', async () => {
    expect(app.listeners.channels).toContain('telegram');
    fake().pushUpdate(telegramTextUpdate(81_001, chat, 'HD'));

    const [reply] = await fake().waitForMessages(1);

    expect(reply?.chatId).toBe(String(chat));
    expect(reply?.text).toMatch(/^Công dân số Đà Nẵng\./);
    expect(fake().calls('deleteWebhook')).toHaveLength(1);
    await eventually(() => polledFrom(81_002));
  });

  it('answers a button press received by polling and stops its spinner', async () => {
    fake().pushUpdate(telegramCallbackUpdate(81_002, chat, 'TT'));

    const all = await fake().waitForMessages(2);

    expect(all[1]?.text).toMatch(/^Cuộc trò chuyện này chưa liên kết với tài khoản công dân số nào\./);
    await eventually(() => fake().calls('answerCallbackQuery').length === 1);
    await eventually(() => polledFrom(81_003));
  });
});
