import type { Language } from '../../src/messaging/channel.ts';
import { CCCD, MESSENGER_ONLY, NAME_40, samplesOf } from '../kit/copy-samples.ts';

/**
 * The questions of registration when a volunteer registers a neighbour (`DKH`): the same steps and hints as
 * self-registration (registration.copy.ts), asked about "the person registered". Each must fit one SMS.
 */
const vi = {
  askName: () =>
    'Đăng ký hộ (bước 1/3). Gửi họ và tên đầy đủ của người được đăng ký, ví dụ: Trần Thị Bé. Gửi HUY để hủy.',
  askCccd: () => 'Bước 2/3: gửi số CCCD (12 chữ số) của người được đăng ký.',
  askBirthDate: () => 'Bước 3/3: gửi ngày sinh của người được đăng ký, ví dụ 01/01/1950.',
  confirm: (name: string, cccd: string, birthDate: string) =>
    `${name}, CCCD ${cccd}, NS ${birthDate}. Đúng chưa? CO: gửi tin xin người này đồng ý, KHONG: hủy.`,
  agreeLabel: () => 'Đúng, gửi tin',
  agreeKeyword: () => 'CO',
  declineLabel: () => 'Hủy',
  declineKeyword: () => 'KHONG',
  confirmUnclear: () => 'Trả lời CO nếu thông tin đúng để gửi tin xin đồng ý, hoặc KHONG để hủy.',
  declined: () => 'Đã hủy đăng ký hộ, thông tin không được lưu. Gửi DKH để đăng ký cho người khác.',
  tooManyTries: () => 'Chưa đăng ký hộ được. Gửi DKH để thử lại.',
};

const en: typeof vi = {
  askName: () =>
    'Assisted registration (step 1/3). Send the full name of the person you register, e.g. Tran Thi Be. Send HUY to cancel.',
  askCccd: () => 'Step 2/3: send their CCCD ID card number (12 digits).',
  askBirthDate: () => 'Step 3/3: send their date of birth, e.g. 01/01/1950.',
  confirm: (name, cccd, birthDate) =>
    `${name}, ID ${cccd}, born ${birthDate}. Correct? YES: text them to ask for consent, NO: cancel.`,
  agreeLabel: () => 'Correct, send',
  agreeKeyword: () => 'YES',
  declineLabel: () => 'Cancel',
  declineKeyword: () => 'NO',
  confirmUnclear: () => 'Reply YES if the details are right, to text them for consent, or NO to cancel.',
  declined: () => 'Assisted registration cancelled; nothing was kept. Send DKH to register someone else.',
  tooManyTries: () => 'Assisted registration did not succeed. Send DKH to retry.',
};

/** The questions about a neighbour in each language. */
export const neighbourCopy: Record<Language, typeof vi> = { vi, en };

/** Worst-case arguments of every sentence, for the SMS budget (flows/sms-budget.test.ts). */
export const smsSamples = [
  samplesOf(neighbourCopy, {
    askName: [[]],
    askCccd: [[]],
    askBirthDate: [[]],
    confirm: [[NAME_40, CCCD, '15/02/1990']],
    agreeLabel: MESSENGER_ONLY,
    agreeKeyword: MESSENGER_ONLY,
    declineLabel: MESSENGER_ONLY,
    declineKeyword: MESSENGER_ONLY,
    confirmUnclear: [[]],
    declined: [[]],
    tooManyTries: [[]],
  }),
];
