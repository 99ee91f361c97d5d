import type { ConsoleLang } from './console.copy.ts';

/** The Simulator page's text (docs/console.md, Simulator): Vietnamese first, then English. */
export const simulatorCopy = {
  vi: {
    nav: 'Mô phỏng',
    title: 'Mô phỏng người dân',
    intro:
      'Trò chuyện với trợ lý thật như một người dân dùng SMS, Zalo hoặc Telegram với số điện thoại giả, để tập huấn và trình diễn. Cuộc trò chuyện được đánh dấu là mô phỏng: không tin nhắn nào được gửi tới nhà mạng, Zalo hay Telegram, và không được tính vào bảng số liệu.',
    setup: 'Bắt đầu',
    channel: 'Kênh',
    channels: { 'sim-sms': 'SMS', 'sim-zalo': 'Zalo', 'sim-telegram': 'Telegram' },
    phone: 'Số điện thoại giả',
    phoneHint: 'Số di động Việt Nam, ví dụ 0912345678. Không dùng số của người thật.',
    start: 'Bắt đầu cuộc trò chuyện',
    chat: 'Cuộc trò chuyện',
    message: 'Tin nhắn',
    send: 'Gửi',
    you: 'Bạn',
    assistant: 'Trợ lý',
    codeSms: (to: string) => `SMS mã tới ${to} (chỉ hiện ở đây)`,
    smsCount: (characters: number, segments: number, encoding: string) =>
      `${characters} ký tự · ${segments} tin nhắn (${encoding})`,
    picture: 'Hình ảnh',
    noscript: 'Trang mô phỏng cần JavaScript.',
    notStarted: 'Chọn kênh và số điện thoại rồi bắt đầu.',
    started: (channel: string, phone: string) => `Đang mô phỏng ${channel}, số ${phone}.`,
    errors: {
      phone: 'Số điện thoại không hợp lệ: nhập số di động Việt Nam, ví dụ 0912345678.',
      realAccount: 'Số này là của một người thật (tài khoản hoặc tổ viên): chọn số khác.',
      failed: 'Không gửi được, hãy thử lại.',
    },
  },
  en: {
    nav: 'Simulator',
    title: 'Citizen simulator',
    intro:
      'Talk to the real assistant as a citizen on SMS, Zalo or Telegram with a made-up phone number, for training and demonstrations. The conversation is marked as simulated: nothing is sent to a phone network, Zalo or Telegram, and it is not counted in the dashboard.',
    setup: 'Start',
    channel: 'Channel',
    channels: { 'sim-sms': 'SMS', 'sim-zalo': 'Zalo', 'sim-telegram': 'Telegram' },
    phone: 'Made-up phone number',
    phoneHint: 'A Vietnamese mobile, e.g. 0912345678. Never a real person’s number.',
    start: 'Start the conversation',
    chat: 'Conversation',
    message: 'Message',
    send: 'Send',
    you: 'You',
    assistant: 'Assistant',
    codeSms: (to: string) => `Code SMS to ${to} (shown here only)`,
    smsCount: (characters: number, segments: number, encoding: string) =>
      `${characters} characters · ${segments} SMS (${encoding})`,
    picture: 'Picture',
    noscript: 'The simulator needs JavaScript.',
    notStarted: 'Choose a channel and a phone number, then start.',
    started: (channel: string, phone: string) => `Simulating ${channel}, number ${phone}.`,
    errors: {
      phone: 'Not a valid number: type a Vietnamese mobile, e.g. 0912345678.',
      realAccount: 'This number belongs to a real person (an account or a team member): choose another.',
      failed: 'Could not send; try again.',
    },
  },
} as const satisfies Record<ConsoleLang, unknown>;
