import type { Language } from '../../src/messaging/channel.ts';
import { MESSENGER_ONLY, samplesOf } from '../kit/copy-samples.ts';

/** What the engine itself says: the menu, cancel, language, opt-out. */
const vi = {
  menu: () =>
    'Công dân số Đà Nẵng. Trả lời số hoặc từ khóa:\n1 DK: Đăng ký tài khoản\n2 TT: Xem trạng thái\nGT: Giấy tờ\nHUY: hủy bước\nEN: English\nTUCHOI: ngừng nhận tin',
  notUnderstood: () =>
    'Chưa hiểu tin nhắn. Trả lời:\n1 DK: Đăng ký tài khoản\n2 TT: Xem trạng thái\nHD: Hướng dẫn',
  cancelled: () => 'Đã hủy, thông tin chưa hoàn tất không được lưu. Gửi HD để xem hướng dẫn.',
  nothingToCancel: () => 'Không có bước nào đang làm. Gửi HD để xem hướng dẫn.',
  languageChanged: () => 'Đã chuyển sang tiếng Việt. Gửi EN for English.',
  optedOut: () => 'Bạn sẽ không nhận tin nhắn từ Công dân số nữa. Gửi DONGY để nhận lại.',
  optedIn: () => 'Bạn sẽ nhận lại tin nhắn từ Công dân số. Gửi HD để xem hướng dẫn.',
  restarted: () => 'Phiên trò chuyện trước đã hết hạn, vui lòng bắt đầu lại.',
  failed: () =>
    'Xin lỗi, hệ thống gặp sự cố khi xử lý tin nhắn vừa rồi của bạn. Vui lòng gửi lại sau ít phút, hoặc gửi HD để xem hướng dẫn.',
  chatMenu: () =>
    'Công dân số Đà Nẵng. Bấm nút hoặc trả lời số, từ khóa:\n1 DK: Đăng ký tài khoản\n2 TT: Xem trạng thái\n3 LK: Liên kết tài khoản đã đăng ký qua SMS\nGT: Giấy tờ của bạn (xem, chia sẻ)\nHUY: hủy bước đang làm\nEN: English\nTUCHOI: ngừng nhận tin',
  welcome: () => 'Chào mừng bạn đến với Công dân số Đà Nẵng!',
  notOwnPhone: () =>
    'Đây không phải số điện thoại của bạn. Hãy bấm nút Chia sẻ số điện thoại để gửi số của chính bạn.',
  registerLabel: () => 'Đăng ký tài khoản',
  statusLabel: () => 'Xem trạng thái',
  linkLabel: () => 'Liên kết tài khoản',
  papersLabel: () => 'Giấy tờ',
};

const en: typeof vi = {
  menu: () =>
    'Da Nang digital citizen. Send a number or keyword:\n1 DK: Register an account\n2 TT: Check status\nGT: Your papers\nHUY: cancel step\nVI: Tiếng Việt\nSTOP: opt out',
  notUnderstood: () =>
    'Sorry, I did not understand. Reply:\n1 DK: Register an account\n2 TT: Check status\nHD: Help',
  cancelled: () => 'Cancelled; nothing unfinished was kept. Send HD for help.',
  nothingToCancel: () => 'Nothing to cancel. Send HD for help.',
  languageChanged: () => 'Switched to English. Gửi VI để dùng tiếng Việt.',
  optedOut: () => 'You will get no more messages from Digital Citizen. Send START to opt back in.',
  optedIn: () => 'You will get messages from Digital Citizen again. Send HD for help.',
  restarted: () => 'Your previous session ended. Please start again.',
  failed: () =>
    'Sorry, something went wrong with your last message. Please send it again in a few minutes, or send HD for help.',
  chatMenu: () =>
    'Da Nang digital citizen. Press a button or reply with a number or keyword:\n1 DK: Register an account\n2 TT: Check status\n3 LK: Link an account registered by SMS\nGT: Your papers (see, share)\nHUY: cancel current step\nVI: Tiếng Việt\nSTOP: opt out',
  welcome: () => 'Welcome to Da Nang Digital Citizen!',
  notOwnPhone: () =>
    'That is not your own phone number. Press the Share my phone number button to send your own.',
  registerLabel: () => 'Register',
  statusLabel: () => 'Check status',
  linkLabel: () => 'Link my account',
  papersLabel: () => 'My papers',
};

/** The engine's sentences in each language. */
export const menuCopy: Record<Language, typeof vi> = { vi, en };

/** Worst-case arguments of every sentence, for the SMS budget (flows/sms-budget.test.ts). */
export const smsSamples = [
  samplesOf(menuCopy, {
    menu: [[]],
    notUnderstood: [[]],
    cancelled: [[]],
    nothingToCancel: [[]],
    languageChanged: [[]],
    optedOut: [[]],
    optedIn: [[]],
    restarted: [[]],
    failed: [[]],
    chatMenu: MESSENGER_ONLY,
    welcome: MESSENGER_ONLY,
    notOwnPhone: MESSENGER_ONLY,
    registerLabel: MESSENGER_ONLY,
    statusLabel: MESSENGER_ONLY,
    linkLabel: MESSENGER_ONLY,
    papersLabel: MESSENGER_ONLY,
  }),
];
