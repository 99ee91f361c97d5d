import { describe, expect, it } from 'vitest';
import {
  fitZaloText,
  renderZaloImage,
  renderZaloMessages,
  renderZaloText,
  ZALO_DEFAULT_INFO_IMAGE_URL,
  ZALO_MAX_TEXT,
} from './zalo-oa.render.ts';

const options = { infoImageUrl: ZALO_DEFAULT_INFO_IMAGE_URL };

describe('Zalo text', () => {
  it('keeps full diacritics and normalises to NFC', () => {
    const decomposed = 'Đăng ký tài khoản'.normalize('NFD');
    expect(renderZaloText({ text: decomposed })).toEqual({ text: 'Đăng ký tài khoản' });
    expect(renderZaloText({ text: decomposed }).text).toHaveLength('Đăng ký tài khoản'.length);
  });

  it('leaves text of exactly 2000 characters alone', () => {
    const text = 'ă'.repeat(ZALO_MAX_TEXT);
    expect(fitZaloText(text)).toBe(text);
  });

  it('cuts longer text at the last line that fits and marks the cut with …', () => {
    const line = `${'Hồ sơ của bạn đang được xử lý.'.padEnd(99, '.')}\n`; // 100 characters a line
    const text = line.repeat(30);
    const fitted = fitZaloText(text);
    expect(Array.from(fitted).length).toBeLessThanOrEqual(ZALO_MAX_TEXT);
    expect(fitted.endsWith('\n…')).toBe(true);
    expect(fitted).toBe(`${line.repeat(19).trimEnd()}\n…`);
  });

  it('cuts one very long line at a space when there is no line break', () => {
    const fitted = fitZaloText('xin chào '.repeat(400));
    expect(Array.from(fitted).length).toBeLessThanOrEqual(ZALO_MAX_TEXT);
    expect(fitted.endsWith('chào…')).toBe(true);
  });
});

describe('choices', () => {
  const reply = {
    text: 'Chào bạn! Bạn muốn làm gì?',
    choices: [
      { label: 'Đăng ký tài khoản', payload: 'register' },
      { label: 'Tra cứu hồ sơ', payload: 'status' },
    ],
  };

  it('become buttons that send their payload back as hidden user text', () => {
    expect(renderZaloText(reply)).toEqual({
      text: 'Chào bạn! Bạn muốn làm gì?',
      attachment: {
        type: 'template',
        payload: {
          buttons: [
            { title: 'Đăng ký tài khoản', type: 'oa.query.hide', payload: 'register' },
            { title: 'Tra cứu hồ sơ', type: 'oa.query.hide', payload: 'status' },
          ],
        },
      },
    });
  });

  it('are left out when there are more than 5 (Zalo shows at most 5 buttons; the text names them all)', () => {
    const six = Array.from({ length: 6 }, (_, i) => ({ label: `Lựa chọn ${i + 1}`, payload: `c${i + 1}` }));
    expect(renderZaloText({ text: 'Trả lời 1 đến 6:', choices: six })).toEqual({ text: 'Trả lời 1 đến 6:' });
  });

  it('up to 5 all become buttons', () => {
    const five = Array.from({ length: 5 }, (_, i) => ({ label: `Lựa chọn ${i + 1}`, payload: `c${i + 1}` }));
    expect(renderZaloText({ text: 'Chọn:', choices: five }).attachment?.payload.buttons).toHaveLength(5);
  });

  it('get titles cut to 100 characters', () => {
    const long = { text: 'Chọn:', choices: [{ label: 'ô'.repeat(150), payload: 'x' }] };
    const title = renderZaloText(long).attachment?.payload.buttons[0]?.title ?? '';
    expect(Array.from(title)).toHaveLength(100);
    expect(title.endsWith('…')).toBe(true);
  });
});

describe('phone number request', () => {
  it('is the request_user_info form carrying a short reply as its subtitle', () => {
    const text = 'Bạn có muốn dùng số điện thoại Zalo để đăng ký không?';
    expect(renderZaloMessages({ text, requestPhone: true }, 'vi', options)).toEqual([
      {
        attachment: {
          type: 'template',
          payload: {
            template_type: 'request_user_info',
            elements: [
              { title: 'Chia sẻ số điện thoại', subtitle: text, image_url: ZALO_DEFAULT_INFO_IMAGE_URL },
            ],
          },
        },
      },
    ]);
  });

  it('has an English title for English replies and uses the configured image', () => {
    const [form] = renderZaloMessages({ text: 'Share your number?', requestPhone: true }, 'en', {
      infoImageUrl: 'https://citizen.danang.example/zalo-form.png',
    });
    expect(form).toMatchObject({
      attachment: {
        payload: {
          elements: [
            {
              title: 'Share your phone number',
              subtitle: 'Share your number?',
              image_url: 'https://citizen.danang.example/zalo-form.png',
            },
          ],
        },
      },
    });
  });

  it('sends the text first when it is too long for the form, then the form with a standard subtitle', () => {
    const text = 'Để đăng ký, chúng tôi cần số điện thoại của bạn. '.repeat(12);
    const messages = renderZaloMessages({ text, requestPhone: true }, 'vi', options);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toEqual({ text: text.normalize('NFC') });
    expect(messages[1]).toMatchObject({
      attachment: {
        payload: { template_type: 'request_user_info', elements: [{ title: 'Chia sẻ số điện thoại' }] },
      },
    });
  });

  it('sends text and buttons first when the reply also has choices', () => {
    const reply = {
      text: 'Chia sẻ số?',
      requestPhone: true,
      choices: [{ label: 'Nhập tay', payload: 'type' }],
    };
    const messages = renderZaloMessages(reply, 'vi', options);
    expect(messages.map((m) => ('text' in m ? 'text' : 'form'))).toEqual(['text', 'form']);
  });
});

describe('picture', () => {
  const image = {
    url: 'https://citizen.danang.example/s/abc/qr.png',
    alt: 'Mã QR của liên kết'.normalize('NFD'),
  };

  it('is a media template with one image element by URL, captioned with its NFC description', () => {
    expect(renderZaloImage(image)).toEqual({
      text: 'Mã QR của liên kết',
      attachment: {
        type: 'template',
        payload: { template_type: 'media', elements: [{ media_type: 'image', url: image.url }] },
      },
    });
  });

  it('is not part of the text messages, which stay as they were', () => {
    expect(renderZaloMessages({ text: 'Liên kết của bạn', image }, 'vi', options)).toEqual([
      { text: 'Liên kết của bạn' },
    ]);
  });
});
