import type { Language } from '../../src/messaging/channel.ts';
import { describeAccount } from '../account/account.copy.ts';
import { ACCOUNT_CODE, MESSENGER_ONLY, OTP, samplesOf } from '../kit/copy-samples.ts';

/**
 * Sentences of proving a phone number from a messenger chat (shared contact or a 6-digit code by SMS) and of
 * linking the chat to an account. `otpSms` is the SMS carrying the code.
 */
const vi = {
  registerNeedsPhone: () => 'Để đăng ký, trước hết cần xác nhận số điện thoại của bạn.',
  linkIntro: () => 'Liên kết cuộc trò chuyện này với tài khoản công dân số của bạn.',
  askPhone: (canShare: boolean) =>
    `Nhập số điện thoại di động của bạn, ví dụ 0905123456. Chúng tôi sẽ gửi mã xác nhận 6 số qua SMS.${canShare ? ' Hoặc bấm nút Chia sẻ số điện thoại.' : ''}`,
  phoneInvalid: () => 'Số điện thoại chưa đúng. Nhập số di động 10 chữ số, ví dụ 0905123456.',
  codeSent: (maskedPhone: string) =>
    `Đã gửi mã 6 số qua SMS tới ${maskedPhone}. Nhập mã vào đây (hiệu lực 5 phút). Sai số? Nhập lại số điện thoại.`,
  codeLimited: (time: string) => `Số này đã nhận 3 mã trong 1 giờ qua. Vui lòng thử lại sau ${time}.`,
  noSms: () =>
    'Hiện chưa gửi được mã qua SMS. Vui lòng thử lại sau hoặc nhờ tổ công nghệ số cộng đồng giúp đỡ.',
  devPhoneTaken: () =>
    'Chế độ phát triển: số điện thoại này đã có tài khoản. Mã hiển thị trên trang web không thể dùng để liên kết tài khoản đã có; hãy dùng một số chưa đăng ký.',
  codeFormat: () => 'Nhập mã 6 chữ số vừa nhận qua SMS, hoặc gửi HUY để hủy.',
  codeWrong: (triesLeft: number) => `Mã chưa đúng. Bạn còn ${triesLeft} lần thử.`,
  codeExpired: () => 'Mã đã hết hạn. Nhập lại số điện thoại để nhận mã mới.',
  codeLocked: () => 'Nhập sai mã quá 5 lần. Gửi LK để thử lại sau ít phút.',
  tooManyTries: () =>
    'Chưa xác nhận được số điện thoại. Gửi LK để thử lại, hoặc nhờ tổ công nghệ số cộng đồng giúp đỡ.',
  phoneConfirmed: () => 'Đã xác nhận số điện thoại.',
  linked: (statusLine: string) => `Đã liên kết với tài khoản của bạn. ${statusLine}`,
  noAccount: () => 'Số điện thoại này chưa có tài khoản công dân số. Gửi DK để đăng ký.',
  otpSms: (code: string) =>
    `Mã xác nhận Công dân số: ${code}. Hiệu lực 5 phút. Không đưa mã này cho bất kỳ ai.`,
};

const en: typeof vi = {
  registerNeedsPhone: () => 'To register, we first need to confirm your phone number.',
  linkIntro: () => 'Link this chat to your digital citizen account.',
  askPhone: (canShare) =>
    `Type your mobile number, e.g. 0905123456. We will text you a 6-digit code.${canShare ? ' Or press the Share my phone number button.' : ''}`,
  phoneInvalid: () => 'That is not a mobile number. Type your 10-digit number, e.g. 0905123456.',
  codeSent: (maskedPhone) =>
    `We texted a 6-digit code to ${maskedPhone}. Type it here (valid 5 minutes). Wrong number? Type it again.`,
  codeLimited: (time) => `This number got 3 codes in the last hour. Please try again after ${time}.`,
  noSms: () => 'We cannot text a code right now. Please try later or ask a community digital team for help.',
  devPhoneTaken: () =>
    'Development mode: this phone number already has an account. A code shown on the web page can never link an existing account; use a number that is not registered.',
  codeFormat: () => 'Type the 6-digit code we texted you, or send HUY to cancel.',
  codeWrong: (triesLeft) => `That code is not right. ${triesLeft} tries left.`,
  codeExpired: () => 'The code has expired. Type your phone number again for a new one.',
  codeLocked: () => 'Too many wrong codes. Send LK to try again in a few minutes.',
  tooManyTries: () =>
    'We could not confirm your phone number. Send LK to try again, or ask a community digital team for help.',
  phoneConfirmed: () => 'Phone number confirmed.',
  linked: (statusLine) => `Linked to your account. ${statusLine}`,
  noAccount: () => 'This phone number has no digital citizen account yet. Send DK to register.',
  otpSms: (code) => `Digital Citizen code: ${code}. Valid 5 minutes. Never share this code with anyone.`,
};

/** The identity sentences in each language. */
export const identityCopy: Record<Language, typeof vi> = { vi, en };

/** Worst-case arguments of every sentence, for the SMS budget (flows/sms-budget.test.ts). */
export const smsSamples = [
  samplesOf(identityCopy, (language) => ({
    registerNeedsPhone: MESSENGER_ONLY,
    linkIntro: MESSENGER_ONLY,
    askPhone: MESSENGER_ONLY,
    phoneInvalid: MESSENGER_ONLY,
    codeSent: MESSENGER_ONLY,
    codeLimited: MESSENGER_ONLY,
    noSms: MESSENGER_ONLY,
    devPhoneTaken: MESSENGER_ONLY,
    codeFormat: MESSENGER_ONLY,
    codeWrong: MESSENGER_ONLY,
    codeExpired: MESSENGER_ONLY,
    codeLocked: MESSENGER_ONLY,
    tooManyTries: MESSENGER_ONLY,
    phoneConfirmed: MESSENGER_ONLY,
    linked: (['provisional', 'verified', 'not_matched'] as const).map(
      (status) =>
        [
          describeAccount(language, { accountCode: ACCOUNT_CODE, status, mismatchField: 'full_name' }),
        ] as const,
    ),
    noAccount: [[]],
    otpSms: [[OTP]],
  })),
];
