import { describe, expect, it } from 'vitest';
import { renderTelegramMessages, splitTelegramText, truncateUtf8 } from './telegram.render.ts';

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
