import type { Language } from '../../src/messaging/channel.ts';
import { ACCOUNT_CODE, DATE, MESSENGER_ONLY, MOMENT, samplesOf, URL_65 } from '../kit/copy-samples.ts';

/** The version of the restore consent wording (`restoreAsk`); stored with the consent. Change it with the text. */
export const RESTORE_CONSENT_TEXT_VERSION = 'restore-consent-2026-11';

/** How long a closed account waits before its data is purged, unless the citizen restores it. */
export const PURGE_AFTER_DAYS = 30;

/**
 * Sentences of the data rights: a copy of my data (DULIEU), closing the account (XOATK), withdrawing consent
 * (RUTDONGY) and restoring a closed account (KHOIPHUC). SMS renders them unaccented; each fits one SMS.
 */
const vi = {
  exportReady: (url: string, until: string) =>
    `Bản sao dữ liệu của bạn (JSON): ${url}\nHết hạn lúc ${until}. Đừng chia sẻ link này cho ai.`,
  closeAsk: () =>
    'Xóa tài khoản: tài khoản đóng ngay, mọi link chia sẻ hết hiệu lực, dữ liệu bị xóa sau 30 ngày trừ khi bạn gửi KHOIPHUC. Trả lời CO để xóa, KHONG để giữ.',
  withdrawAsk: () =>
    'Rút đồng ý: ngừng xử lý dữ liệu nên tài khoản bị đóng, link chia sẻ hết hiệu lực ngay, dữ liệu xóa sau 30 ngày trừ khi gửi KHOIPHUC. CO: rút, KHONG: giữ.',
  closeUnclear: () => 'Trả lời CO để đóng tài khoản, hoặc KHONG để giữ tài khoản.',
  closed: (code: string, date: string) =>
    `Đã đóng tài khoản ${code}, các link chia sẻ đã hết hiệu lực. Dữ liệu sẽ bị xóa ngày ${date}. Gửi KHOIPHUC trước ngày đó để mở lại.`,
  withdrawn: (code: string, date: string) =>
    `Đã ghi nhận rút đồng ý, tài khoản ${code} đã đóng, link chia sẻ hết hiệu lực. Dữ liệu bị xóa ngày ${date}. Gửi KHOIPHUC trước đó để mở lại.`,
  kept: () => 'Không thay đổi gì, tài khoản của bạn vẫn mở. Gửi HD để xem hướng dẫn.',
  accountClosed: (code: string, date: string) =>
    `Tài khoản ${code} đã đóng theo yêu cầu của bạn, dữ liệu sẽ bị xóa ngày ${date}. Gửi KHOIPHUC trước ngày đó để mở lại.`,
  restoreAsk: (code: string) =>
    `Mở lại tài khoản ${code}? Bạn đồng ý lại cho xử lý dữ liệu cá nhân để dùng tài khoản. Trả lời CO để đồng ý, KHONG để hủy.`,
  restoreUnclear: () => 'Trả lời CO để mở lại tài khoản, hoặc KHONG để hủy.',
  restored: (code: string) =>
    `Đã mở lại tài khoản ${code}. Dữ liệu của bạn được giữ. Gửi TT để xem trạng thái.`,
  restoreDeclined: (date: string) =>
    `Tài khoản vẫn đóng, dữ liệu sẽ bị xóa ngày ${date}. Gửi KHOIPHUC trước ngày đó nếu đổi ý.`,
  notClosed: (code: string) => `Tài khoản ${code} đang mở, không cần khôi phục. Gửi TT để xem trạng thái.`,
  restoreTooLate: () =>
    'Đã quá 30 ngày, tài khoản không khôi phục được nữa và dữ liệu đang được xóa. Gửi DK để đăng ký lại.',
  tooManyTries: () => 'Chưa hiểu câu trả lời nên không thay đổi gì. Gửi lại từ khóa khi bạn muốn làm tiếp.',
  yesLabel: () => 'Đồng ý',
  yesKeyword: () => 'CO',
  noLabel: () => 'Không',
  noKeyword: () => 'KHONG',
};

const en: typeof vi = {
  exportReady: (url, until) =>
    `A copy of your data (JSON): ${url}\nThe link expires at ${until}. Do not share it with anyone.`,
  closeAsk: () =>
    'Delete account: it is closed now, every share link ends, and your data is deleted in 30 days unless you send KHOIPHUC. Reply YES to delete, NO to keep it.',
  withdrawAsk: () =>
    'Withdraw consent: we stop processing your data, so the account closes, share links end now, data is deleted in 30 days unless you send KHOIPHUC. YES/NO?',
  closeUnclear: () => 'Reply YES to close your account, or NO to keep it.',
  closed: (code, date) =>
    `Account ${code} is closed and its share links have ended. Your data will be deleted on ${date}. Send KHOIPHUC before then to restore it.`,
  withdrawn: (code, date) =>
    `Consent withdrawn: account ${code} is closed and its share links have ended. Data deleted on ${date}. Send KHOIPHUC before then to restore it.`,
  kept: () => 'Nothing changed, your account stays open. Send HD for help.',
  accountClosed: (code, date) =>
    `Account ${code} was closed at your request; its data will be deleted on ${date}. Send KHOIPHUC before then to restore it.`,
  restoreAsk: (code) =>
    `Restore account ${code}? You agree again to the processing of your personal data for the account. Reply YES to agree, NO to cancel.`,
  restoreUnclear: () => 'Reply YES to restore your account, or NO to cancel.',
  restored: (code) => `Account ${code} is restored, with your data kept. Send TT for status.`,
  restoreDeclined: (date) =>
    `The account stays closed; its data will be deleted on ${date}. Send KHOIPHUC before then if you change your mind.`,
  notClosed: (code) => `Account ${code} is open: nothing to restore. Send TT for status.`,
  restoreTooLate: () =>
    'More than 30 days have passed: the account can no longer be restored and its data is being deleted. Send DK to register again.',
  tooManyTries: () => 'I did not understand the answer, so nothing changed. Send the keyword again to go on.',
  yesLabel: () => 'Yes',
  yesKeyword: () => 'YES',
  noLabel: () => 'No',
  noKeyword: () => 'NO',
};

/** The data-rights sentences in each language. */
export const accountRightsCopy: Record<Language, typeof vi> = { vi, en };

/** Worst-case arguments of every sentence, for the SMS budget (flows/sms-budget.test.ts). */
export const smsSamples = [
  samplesOf(accountRightsCopy, {
    exportReady: [[URL_65, MOMENT]],
    closeAsk: [[]],
    withdrawAsk: [[]],
    closeUnclear: [[]],
    closed: [[ACCOUNT_CODE, DATE]],
    withdrawn: [[ACCOUNT_CODE, DATE]],
    kept: [[]],
    accountClosed: [[ACCOUNT_CODE, DATE]],
    restoreAsk: [[ACCOUNT_CODE]],
    restoreUnclear: [[]],
    restored: [[ACCOUNT_CODE]],
    restoreDeclined: [[DATE]],
    notClosed: [[ACCOUNT_CODE]],
    restoreTooLate: [[]],
    tooManyTries: [[]],
    yesLabel: MESSENGER_ONLY,
    yesKeyword: MESSENGER_ONLY,
    noLabel: MESSENGER_ONLY,
    noKeyword: MESSENGER_ONLY,
  }),
];
