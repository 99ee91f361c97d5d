import type { Language } from '../../messaging/channel.ts';

/** Every text of the development phones page (`/dev/phones`), Vietnamese first. */
export const devPhonesCopy = {
  vi: {
    title: 'Điện thoại phát triển',
    skip: 'Bỏ qua đến nội dung',
    banner: 'Chế độ phát triển: không gửi SMS thật. Mọi tin nhắn tới điện thoại hiện ở trang này.',
    intro:
      'Mỗi tin nhắn SMS dịch vụ gửi tới một số điện thoại hiện ở đây, không rời khỏi máy này. Bạn có thể trả lời như chính số điện thoại đó. Chỉ dùng được với số chưa có tài khoản thật.',
    otherLanguage: { label: 'English', lang: 'en', nav: 'Ngôn ngữ' },
    chat: 'Trò chuyện trên web',
    phones: 'Các số đã nhận tin',
    none: 'Chưa có số nào nhận tin nhắn.',
    lastText: (when: string) => `tin gần nhất ${when}`,
    start: 'Dùng một số mới',
    phone: 'Số điện thoại di động',
    phoneHint: 'Ví dụ 0905123456. Số đã có tài khoản thật không dùng được.',
    open: 'Mở',
    back: 'Tất cả các số',
    texts: 'Tin nhắn SMS',
    empty: 'Chưa có tin nhắn nào tới số này.',
    answer: 'Trả lời như số này',
    send: 'Gửi',
    service: 'Dịch vụ',
    you: 'Số này',
    smsCount: (characters: number, segments: number, encoding: string) =>
      `${characters} ký tự, ${segments} tin SMS (${encoding})`,
    noscript: 'Trang này cần JavaScript để hiện tin nhắn mới.',
    errors: {
      phone: 'Hãy nhập một số di động Việt Nam, ví dụ 0905123456.',
      realAccount:
        'Số này đã có tài khoản thật: chế độ phát triển không bao giờ hiện tin nhắn của nó hay trả lời thay nó.',
      failed: 'Không gửi được, hãy thử lại.',
      limited: 'Gửi quá nhanh, hãy đợi một chút.',
    },
  },
  en: {
    title: 'Development phones',
    skip: 'Skip to content',
    banner: 'Development mode: no SMS is sent. Every text to a phone appears on this page.',
    intro:
      'Every SMS the service sends to a phone number appears here and never leaves this machine. You can answer as that phone. Only for numbers without a real account.',
    otherLanguage: { label: 'Tiếng Việt', lang: 'vi', nav: 'Language' },
    chat: 'Web chat',
    phones: 'Phones that received texts',
    none: 'No phone has received a text yet.',
    lastText: (when: string) => `last text ${when}`,
    start: 'Use a new phone',
    phone: 'Mobile number',
    phoneHint: 'For example 0905123456. A number with a real account cannot be used.',
    open: 'Open',
    back: 'All phones',
    texts: 'SMS messages',
    empty: 'No text to this phone yet.',
    answer: 'Answer as this phone',
    send: 'Send',
    service: 'Service',
    you: 'This phone',
    smsCount: (characters: number, segments: number, encoding: string) =>
      `${characters} characters, ${segments} SMS (${encoding})`,
    noscript: 'This page needs JavaScript to show new texts.',
    errors: {
      phone: 'Type a Vietnamese mobile number, for example 0905123456.',
      realAccount: 'This number has a real account: development mode never shows its texts or answers as it.',
      failed: 'Not sent, try again.',
      limited: 'Too fast: wait a moment.',
    },
  },
} as const satisfies Record<Language, unknown>;
