import { describe, expect, it } from 'vitest';
import {
  renderTelegramCalls,
  renderTelegramMessages,
  splitTelegramText,
  truncateUtf8,
} from './telegram.render.ts';

describe('splitting long Telegram text', () => {
  it('keeps a text of exactly the limit in one part', () => {
    expect(splitTelegramText('a'.repeat(4096))).toEqual(['a'.repeat(4096)]);
  });

  it('cuts at the last line break, else the last space, dropping the separator', () => {
    expect(splitTelegramText('aaaa bbb\ncc dd', 10)).toEqual(['aaaa bbb', 'cc dd']);
    expect(splitTelegramText('aaaaaa bbbbbb', 10)).toEqual(['aaaaaa', 'bbbbbb']);
  });

  it('cuts hard when there is no separator in the second half, never inside a surrogate pair', () => {
    const parts = splitTelegramText(`${'x'.repeat(9)}😀${'y'.repeat(5)}`, 10);
    expect(parts).toEqual(['x'.repeat(9), `😀${'y'.repeat(5)}`]);
    expect(parts.join('')).toBe(`${'x'.repeat(9)}😀${'y'.repeat(5)}`);
  });

  it('does not produce an empty last part when the text ends at a separator', () => {
    expect(splitTelegramText(`${'a'.repeat(10)}\n`, 10)).toEqual(['a'.repeat(10)]);
  });
});

describe('rendering a reply for Telegram', () => {
  it('cuts callback data to 64 bytes without splitting a Vietnamese character', () => {
    expect(truncateUtf8('ệ'.repeat(30), 64)).toBe('ệ'.repeat(21));
    expect(truncateUtf8('register', 64)).toBe('register');
  });

  it('prefers the contact keyboard when a reply both asks for the phone and offers choices', () => {
    const [message] = renderTelegramMessages(
      { text: 'Chia sẻ số điện thoại', requestPhone: true, choices: [{ label: 'Bỏ qua', payload: 'skip' }] },
      'vi',
    );
    expect(message?.replyMarkup).toMatchObject({ keyboard: [[{ request_contact: true }]] });
  });
});

describe('rendering a reply with a picture for Telegram', () => {
  const image = { url: 'https://citizen.danang.example/s/abc/qr.png', alt: 'Mã QR' };

  it('makes one sendPhoto captioned with the text when it fits 1024 characters exactly', () => {
    const text = 'ả'.repeat(1024);
    expect(renderTelegramCalls({ text, image }, 'vi')).toEqual([
      { method: 'sendPhoto', photo: image.url, caption: text, carriesText: true },
    ]);
  });

  it('sends 1025 characters as text first, then the photo captioned with alt, which does not carry the text', () => {
    const text = 'ả'.repeat(1025);
    const calls = renderTelegramCalls({ text, image, choices: [{ label: 'Xong', payload: 'done' }] }, 'en');
    expect(calls).toEqual([
      {
        method: 'sendMessage',
        carriesText: true,
        text,
        replyMarkup: { inline_keyboard: [[{ text: 'Xong', callback_data: 'done' }]] },
      },
      { method: 'sendPhoto', photo: image.url, caption: 'Mã QR', carriesText: false },
    ]);
  });

  it('cuts an alt longer than a caption', () => {
    const calls = renderTelegramCalls(
      { text: 'x'.repeat(2000), image: { ...image, alt: 'y'.repeat(1500) } },
      'vi',
    );
    const photo = calls.at(-1);
    expect(photo?.method === 'sendPhoto' && photo.caption).toBe('y'.repeat(1024));
  });

  it('renders a reply without a picture as the same text messages as before', () => {
    const reply = { text: 'Xin chào', choices: [{ label: 'Đăng ký', payload: 'register' }] };
    expect(renderTelegramCalls(reply, 'vi')).toEqual(
      renderTelegramMessages(reply, 'vi').map((message) => ({
        method: 'sendMessage',
        carriesText: true,
        ...message,
      })),
    );
  });
});
