import { describe, expect, it } from 'vitest';
import { countSmsSegments } from '../../src/shared/sms-segments.ts';
import { messagesFor, shorten } from './handoff-text.ts';

describe('messagesFor', () => {
  it('sends a messenger one message as written, diacritics and all', () => {
    const text = 'Chào bác, bác gửi giúp cháu ảnh CCCD nhé. '.repeat(10);

    expect(messagesFor('zalo-oa', '[#12] ', text)).toEqual([`[#12] ${text}`]);
  });

  it('sends a short SMS as one unaccented part', () => {
    expect(messagesFor('twilio-sms', '', 'Chào bác, đã nhận được rồi ạ')).toEqual([
      'Chao bac, da nhan duoc roi a',
    ]);
  });

  it('cuts a long SMS at words into parts of one GSM-7 segment each, the prefix on every part', () => {
    const text = `${'Bác ra phường Hải Châu mang theo CCCD và sổ hộ khẩu, hỏi bàn một tầng trệt. '.repeat(6)}Xong ạ.`;

    const parts = messagesFor('sms-gateway', '[#12] Cán bộ: ', text);

    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      expect(part.startsWith('[#12] Can bo: ')).toBe(true);
      expect(countSmsSegments(part)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    }
    const body = parts.map((p) => p.slice('[#12] Can bo: '.length)).join(' ');
    expect(body).toBe(
      `${'Bac ra phuong Hai Chau mang theo CCCD va so ho khau, hoi ban mot tang tret. '.repeat(6)}Xong a.`
        .replace(/\s+/g, ' ')
        .trim(),
    );
  });

  it('cuts a word longer than a whole part between characters', () => {
    const parts = messagesFor('twilio-sms', '', 'x'.repeat(400));

    expect(parts.map((p) => p.length)).toEqual([160, 160, 80]);
  });

  it('turns what GSM-7 cannot carry into "?" rather than a UCS-2 message', () => {
    expect(messagesFor('twilio-sms', '', 'OK 👍')).toEqual(['OK ?']);
  });
});

describe('shorten', () => {
  it('keeps a short text and cuts a long one with "..."', () => {
    expect(shorten('  Tôi   không\nđăng ký được ', 60)).toBe('Tôi không đăng ký được');
    expect(shorten('a'.repeat(70), 60)).toBe(`${'a'.repeat(57)}...`);
  });
});
