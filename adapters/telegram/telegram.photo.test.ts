import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelAdapter, OutboundMessage, Reply } from '../../src/messaging/index.ts';
import { SendFailedError } from '../../src/shared/errors.ts';
import { type FakeTelegram, startFakeTelegram } from '../../test/fakes/fake-telegram-server.ts';
import { createTelegramAdapter, type TelegramLog } from './telegram.adapter.ts';

const TOKEN = '7012345678:AAHfakeTokenForTests-0123456789abcdefg';
const CHAT = 5012345678;
const QR_URL = 'https://citizen.danang.example/s/kX3vQ9mP2rT7wZ4b/qr.png';
const QR = { url: QR_URL, alt: 'Mã QR của liên kết chia sẻ' };
const LINK_TEXT = 'Liên kết chia sẻ CCCD của bạn: https://citizen.danang.example/s/kX3vQ9mP2rT7wZ4b';
const CHOICES = [
  { label: 'Thu hồi liên kết', payload: 'share:revoke' },
  { label: 'Xong', payload: 'done' },
];
const INLINE = {
  inline_keyboard: [
    [{ text: 'Thu hồi liên kết', callback_data: 'share:revoke' }],
    [{ text: 'Xong', callback_data: 'done' }],
  ],
};

/** A text of about `length` characters with full diacritics, longer than a caption. */
function longText(length: number): string {
  const sentence = 'Hồ sơ của bạn đã được tiếp nhận và đang chờ xử lý. ';
  return sentence
    .repeat(Math.ceil(length / sentence.length))
    .slice(0, length)
    .trim();
}

describe('Telegram replies with a picture (sendPhoto through the real grammY client)', () => {
  let fake: FakeTelegram;
  let events: { event: string; details: Record<string, string | number | boolean> | undefined }[];
  beforeEach(async () => {
    fake = await startFakeTelegram({ token: TOKEN });
    events = [];
  });
  afterEach(async () => {
    await fake.close();
  });

  const log: TelegramLog = (event, details) => {
    events.push({ event, details });
  };
  const adapter = (): ChannelAdapter =>
    createTelegramAdapter({ token: TOKEN, mode: 'polling', apiRoot: fake.url, log });
  const outbound = (reply: Reply): OutboundMessage => ({
    channel: 'telegram',
    to: String(CHAT),
    reply,
    language: 'vi',
    clientRef: 'out_42',
  });

  async function sendFailure(send: Promise<unknown>): Promise<SendFailedError> {
    const error = await send.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof SendFailedError))
      throw new Error(`expected SendFailedError, got ${String(error)}`);
    expect(error.message).not.toContain(String(CHAT));
    expect(error.message).not.toContain(QR_URL);
    expect(error.message).not.toContain(TOKEN);
    return error;
  }

  it('sends a short reply as one photo whose caption is the text, with the inline keyboard', async () => {
    const receipt = await adapter().send(
      outbound({ text: LINK_TEXT.normalize('NFD'), choices: CHOICES, image: QR }),
    );
    expect(fake.calls('sendMessage')).toHaveLength(0);
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({
      chatId: String(CHAT),
      photo: QR_URL,
      text: LINK_TEXT,
      replyMarkup: INLINE,
    });
    expect(fake.calls('sendPhoto')[0]?.payload.parse_mode).toBeUndefined();
    expect(receipt).toEqual({ providerMessageId: String(fake.sent[0]?.messageId) });
  });

  it('puts the contact keyboard on the photo when the reply asks for the phone number', async () => {
    await adapter().send(
      outbound({ text: 'Chia sẻ số điện thoại để nhận mã.', requestPhone: true, image: QR }),
    );
    expect(fake.sent[0]?.replyMarkup).toEqual({
      keyboard: [[{ text: 'Chia sẻ số điện thoại', request_contact: true }]],
      resize_keyboard: true,
      one_time_keyboard: true,
    });
  });

  it('sends a text too long for a caption first, with the keyboard, then the photo captioned with alt', async () => {
    const text = longText(1500);
    const receipt = await adapter().send(outbound({ text, choices: CHOICES, image: QR }));
    expect(fake.sent.map((m) => ({ photo: m.photo, text: m.text, replyMarkup: m.replyMarkup }))).toEqual([
      { photo: undefined, text, replyMarkup: INLINE },
      { photo: QR_URL, text: QR.alt, replyMarkup: undefined },
    ]);
    expect(receipt).toEqual({ providerMessageId: String(fake.sent[0]?.messageId) });
  });

  it('splits a text over 4096 characters, then sends the photo, the receipt naming the last text part', async () => {
    const receipt = await adapter().send(outbound({ text: longText(5000), image: QR }));
    expect(fake.sent.map((m) => m.photo)).toEqual([undefined, undefined, QR_URL]);
    expect(receipt.providerMessageId).toBe(String(fake.sent[1]?.messageId));
  });

  it('reports a 429 on sendPhoto as retryable with the wait Telegram asked for', async () => {
    fake.failNext(429, 'Too Many Requests: retry after 5', 5, 'sendPhoto');
    const error = await sendFailure(adapter().send(outbound({ text: LINK_TEXT, image: QR })));
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 5000, providerCode: '429' });
    expect(fake.calls('sendPhoto')).toHaveLength(1);
    expect(fake.sent).toHaveLength(0);
  });

  it('reports a bot blocked by the user on sendPhoto as permanent, like sendMessage', async () => {
    fake.failNext(403, 'Forbidden: bot was blocked by the user', undefined, 'sendPhoto');
    const error = await sendFailure(adapter().send(outbound({ text: LINK_TEXT, image: QR })));
    expect(error).toMatchObject({ retryable: false, providerCode: '403', code: 'SEND_FAILED_PERMANENT' });
  });

  it('reports a server error on the photo after the long text as retryable', async () => {
    fake.failNext(502, 'Bad Gateway', undefined, 'sendPhoto');
    const error = await sendFailure(adapter().send(outbound({ text: longText(1500), image: QR })));
    expect(error).toMatchObject({ retryable: true, providerCode: '502' });
    expect(fake.sent.map((m) => m.photo)).toEqual([undefined]);
  });

  it('sends the text with its keyboard when Telegram cannot fetch the picture of a captioned reply', async () => {
    fake.failNext(400, 'Bad Request: failed to get HTTP URL content', undefined, 'sendPhoto');
    const receipt = await adapter().send(outbound({ text: LINK_TEXT, choices: CHOICES, image: QR }));
    expect(fake.sent).toEqual([expect.objectContaining({ text: LINK_TEXT, replyMarkup: INLINE })]);
    expect(fake.sent[0]?.photo).toBeUndefined();
    expect(receipt).toEqual({ providerMessageId: String(fake.sent[0]?.messageId) });
    expect(events).toEqual([
      { event: 'telegram.photo_refused', details: { clientRef: 'out_42', textAlreadySent: false } },
    ]);
  });

  it('keeps the text receipt when Telegram cannot use the picture sent after a long text', async () => {
    fake.failNext(400, 'Bad Request: wrong file identifier/HTTP URL specified', undefined, 'sendPhoto');
    const text = longText(2000);
    const receipt = await adapter().send(outbound({ text, image: QR }));
    expect(fake.sent.map((m) => m.text)).toEqual([text]);
    expect(receipt).toEqual({ providerMessageId: String(fake.sent[0]?.messageId) });
    expect(events).toEqual([
      { event: 'telegram.photo_refused', details: { clientRef: 'out_42', textAlreadySent: true } },
    ]);
    expect(JSON.stringify(events)).not.toContain(String(CHAT));
  });

  it('does not treat other 400 refusals of sendPhoto as a picture problem', async () => {
    fake.failNext(400, 'Bad Request: chat not found', undefined, 'sendPhoto');
    const error = await sendFailure(adapter().send(outbound({ text: LINK_TEXT, image: QR })));
    expect(error).toMatchObject({ retryable: false, providerCode: '400' });
    expect(fake.calls('sendMessage')).toHaveLength(0);
    expect(events).toEqual([]);
  });
});
