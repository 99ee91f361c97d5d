import type { Language } from '../../messaging/channel.ts';

/** The words of the chat page (`GET /`), Vietnamese first. */
const vi = {
  title: 'Công dân số: trò chuyện với trợ lý',
  site: 'Công dân số',
  skip: 'Bỏ qua, tới nội dung',
  otherLanguage: { label: 'English', href: '/?lang=en', lang: 'en', nav: 'Ngôn ngữ' },
  heading: 'Trợ lý Công dân số',
  intro:
    'Đăng ký tài khoản công dân số, xem giấy tờ và chia sẻ giấy tờ ngay tại đây, như trên Zalo, Telegram hay SMS. Gửi MENU để xem các lệnh.',
  chatLabel: 'Cuộc trò chuyện',
  inputLabel: 'Tin nhắn của bạn',
  send: 'Gửi',
  devBanner: 'Chế độ phát triển: không gửi SMS thật. Mã xác nhận hiện ở khung bên dưới.',
  devPhones: 'Tin nhắn tới mọi số điện thoại',
  devPanel: 'Tin nhắn SMS (phát triển)',
  devEmpty: 'Chưa có tin nhắn SMS nào.',
  noSms:
    'Hiện chưa gửi được SMS: các lệnh cần xác nhận số điện thoại (đăng ký, liên kết) tạm thời chưa dùng được ở đây.',
  noScript: 'Trang trò chuyện cần JavaScript.',
};

const en: typeof vi = {
  title: 'Digital Citizen: chat with the assistant',
  site: 'Digital Citizen',
  skip: 'Skip to content',
  otherLanguage: { label: 'Tiếng Việt', href: '/?lang=vi', lang: 'vi', nav: 'Language' },
  heading: 'Digital Citizen assistant',
  intro:
    'Register a digital citizen account, see your papers and share them right here, as on Zalo, Telegram or SMS. Send MENU for the commands.',
  chatLabel: 'Conversation',
  inputLabel: 'Your message',
  send: 'Send',
  devBanner: 'Development mode: no SMS is sent. Codes appear in the panel below.',
  devPhones: 'Texts to every phone',
  devPanel: 'SMS messages (development)',
  devEmpty: 'No SMS yet.',
  noSms:
    'SMS cannot be sent right now: commands that need a phone code (register, link) are not available here.',
  noScript: 'The chat page needs JavaScript.',
};

/** The page's words in each language. */
export const webChatCopy: Record<Language, typeof vi> = { vi, en };
