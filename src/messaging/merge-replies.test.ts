import { describe, expect, it } from 'vitest';
import { mergeReplies } from './merge-replies.ts';

describe('mergeReplies', () => {
  it('keeps a single reply as it is, and has nothing for none', () => {
    const reply = { text: 'Xin chào', choices: [{ label: 'Đăng ký', payload: 'DK' }] };
    expect(mergeReplies([reply])).toBe(reply);
    expect(mergeReplies([])).toBeNull();
  });

  it('joins texts in order, gathers every choice once, and keeps a phone request', () => {
    expect(
      mergeReplies([
        { text: 'Đã xác nhận số điện thoại.' },
        { text: 'Menu', choices: [{ label: 'Đăng ký', payload: 'DK' }] },
        {
          text: 'Nhập số điện thoại',
          requestPhone: true,
          choices: [{ label: 'Đăng ký lại', payload: 'DK' }],
        },
      ]),
    ).toEqual({
      text: 'Đã xác nhận số điện thoại.\n\nMenu\n\nNhập số điện thoại',
      choices: [{ label: 'Đăng ký', payload: 'DK' }],
      requestPhone: true,
    });
  });
});
