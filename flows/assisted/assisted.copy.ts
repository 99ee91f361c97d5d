import type { Language } from '../../src/messaging/channel.ts';
import { ACCOUNT_CODE, COMPOSED, DATE, NAME_40, OTP, samplesOf } from '../kit/copy-samples.ts';

/** The version of the consent SMS below; stored with every consent given through it. Change it with the text. */
export const ASSISTED_CONSENT_TEXT_VERSION = 'assisted-consent-2026-12';

/**
 * Every sentence of assisted registration (`DKH`): to the volunteer in their chat, and to the neighbour by SMS.
 * The questions about the neighbour's name, CCCD and date of birth, with their hints, are registration's
 * (flows/registration). SMS renders them unaccented, and each fits one GSM-7 segment. The neighbour's consent
 * request is two SMS sent in order, each one segment: what is asked (`consentSummary`: the account and its
 * purpose, the name, the masked CCCD, the date of birth) and how to answer (`consentAnswer`: the team, `CO` or
 * the code, `KHONG`, the expiry). Together, with a 40-character name and team, they cannot fit one segment.
 */
const vi = {
  notMember: () =>
    'Chỉ thành viên tổ công nghệ số cộng đồng mới đăng ký hộ được. Để vào tổ, gửi TNV <mã mời> do tổ trưởng hoặc phường cấp.',
  askPhone: () =>
    'Đăng ký hộ: gửi số điện thoại di động của người được đăng ký, ví dụ 0905123456. Gửi HUY để hủy.',
  phoneInvalid: () =>
    'Số điện thoại chưa đúng. Gửi số di động Việt Nam 10 chữ số của người được đăng ký, ví dụ 0905123456.',
  ownPhone: () => 'Đây là số của bạn. Gửi số điện thoại của người được đăng ký.',
  sent: (phone: string, minutes: number) =>
    `Đã nhắn tin tới ${phone}. Người đó phải đồng ý: trả lời CO, hoặc đọc cho bạn mã 6 số trong tin để bạn gửi vào đây. Hết hạn sau ${minutes} phút.`,
  unavailable: () => 'Đăng ký hộ đang tạm ngừng vì không gửi được tin nhắn SMS. Vui lòng thử lại sau.',
  phoneHasAccount: () => 'Số điện thoại này đã có tài khoản Công dân số, không cần đăng ký hộ.',
  cccdTaken: () =>
    'Số CCCD này đã được đăng ký cho một tài khoản khác. Người đó có thể đến UBND phường để được hỗ trợ.',
  phonePending: () =>
    'Số này đang có một yêu cầu đăng ký hộ chờ đồng ý. Vui lòng chờ kết quả hoặc thử lại sau.',
  optedOut: () =>
    'Số này đã từ chối nhận tin nhắn của Công dân số. Người đó cần gửi DONGY tới tổng đài trước, rồi bạn gửi DKH lại.',
  tooManyPending: (max: number) =>
    `Bạn đang có ${max} người chờ đồng ý. Khi có kết quả, gửi DKH để đăng ký người tiếp theo.`,
  hourlyLimit: (max: number) => `Bạn đã đăng ký hộ ${max} người trong một giờ qua. Vui lòng thử lại sau.`,
  waiting: (phone: string) =>
    `Đang chờ ${phone} đồng ý. Gửi mã 6 số người đó đọc cho bạn, hoặc chờ họ trả lời CO. Gửi HUY để làm việc khác.`,
  wrongCode: (left: number) =>
    `Mã chưa đúng, còn ${left} lần thử. Gửi lại mã 6 số trong tin nhắn của người đó.`,
  failedCodes: (phone: string) =>
    `Sai mã quá nhiều lần: yêu cầu cho ${phone} đã hủy, không mở tài khoản nào. Gửi DKH để làm lại.`,
  opened: (phone: string, code: string) =>
    `Đã mở tài khoản ${code} cho ${phone}. Kết quả đối chiếu CSDL dân cư sẽ được báo cho bạn.`,
  refused: (phone: string) => `${phone} đã từ chối. Không mở tài khoản nào, thông tin đã xóa.`,
  expired: (phone: string) =>
    `Yêu cầu đăng ký hộ cho ${phone} đã hết hạn vì chưa có trả lời. Không mở tài khoản nào.`,
  alreadyDone: () => 'Yêu cầu này đã có kết quả. Gửi DKH để đăng ký cho người khác.',
  noPending: () => 'Bạn không có yêu cầu nào đang chờ đồng ý. Gửi DKH để đăng ký hộ.',
  verified: (code: string) => `Tài khoản ${code} bạn đăng ký hộ đã được xác thực với CSDL dân cư.`,
  notMatched: (code: string, field: string) =>
    `Tài khoản ${code} bạn đăng ký hộ chưa khớp CSDL dân cư (${field}). Người đó cần đến UBND phường để kiểm tra.`,
  fieldCccd: () => 'số CCCD',
  fieldName: () => 'họ tên',
  fieldBirthDate: () => 'ngày sinh',
  consentSummary: (name: string, cccd: string, birthDate: string) =>
    `Yêu cầu mở tài khoản Công dân số (dùng dịch vụ công trực tuyến) cho: ${name}, CCCD ${cccd}, sinh ${birthDate}.`,
  consentAnswer: (team: string, code: string, minutes: number) =>
    `${team} đang giúp bạn. Đồng ý: trả lời CO, hoặc đọc mã ${code} cho tình nguyện viên. Từ chối: KHONG. Hết hạn sau ${minutes} phút.`,
  neighbourRefused: () => 'Bạn đã từ chối. Không có tài khoản nào được mở, thông tin đã được xóa.',
  neighbourPhoneTaken: () => 'Số điện thoại này đã có tài khoản Công dân số. Gửi TT để xem.',
  neighbourExpired: () =>
    'Yêu cầu đăng ký đã hết hạn, không có tài khoản nào được mở. Thông tin đã được xóa.',
};

const en: typeof vi = {
  notMember: () =>
    'Only members of a community digital team can register someone else. To join a team, send TNV <invite code> from your team leader or ward.',
  askPhone: () =>
    'Assisted registration: send the mobile number of the person you register, e.g. 0905123456. Send HUY to cancel.',
  phoneInvalid: () =>
    'That number is not right. Send their 10-digit Vietnamese mobile number, e.g. 0905123456.',
  ownPhone: () => 'That is your own number. Send the number of the person you register.',
  sent: (phone, minutes) =>
    `Texted ${phone}. They must agree: reply YES, or read you the 6-digit code in the SMS for you to send here. Expires in ${minutes} min.`,
  unavailable: () => 'Assisted registration is paused: SMS cannot be sent right now. Please try again later.',
  phoneHasAccount: () => 'This phone number already has a Digital Citizen account; no need to register it.',
  cccdTaken: () =>
    'This CCCD number is already registered to another account. They can get help at the ward office.',
  phonePending: () =>
    'A registration request is already waiting for this number to agree. Wait for it, or try again later.',
  optedOut: () =>
    'This number has opted out of Digital Citizen messages. They must text DONGY to the service first; then send DKH again.',
  tooManyPending: (max) =>
    `You have ${max} people waiting to agree. Once one answers, send DKH to register the next.`,
  hourlyLimit: (max) => `You registered ${max} people in the past hour. Please try again later.`,
  waiting: (phone) =>
    `Waiting for ${phone} to agree. Send the 6-digit code they read to you, or wait for their YES. Send HUY to do something else.`,
  wrongCode: (left) => `Wrong code, ${left} tries left. Send the 6-digit code from their SMS again.`,
  failedCodes: (phone) =>
    `Too many wrong codes: the request for ${phone} is cancelled, no account opened. Send DKH to start over.`,
  opened: (phone, code) =>
    `Account ${code} opened for ${phone}. You will be told the result of the population registry check.`,
  refused: (phone) => `${phone} refused. No account was opened and the details were deleted.`,
  expired: (phone) => `The request for ${phone} expired without an answer. No account was opened.`,
  alreadyDone: () => 'This request already has its outcome. Send DKH to register someone else.',
  noPending: () => 'You have no request waiting for consent. Send DKH to register someone.',
  verified: (code) => `Account ${code} you registered was verified with the population registry.`,
  notMatched: (code, field) =>
    `Account ${code} you registered does not match the population registry (${field}). They should visit the ward office.`,
  fieldCccd: () => 'CCCD number',
  fieldName: () => 'full name',
  fieldBirthDate: () => 'date of birth',
  consentSummary: (name, cccd, birthDate) =>
    `Request to open a Digital Citizen account (for online public services) for: ${name}, ID ${cccd}, born ${birthDate}.`,
  consentAnswer: (team, code, minutes) =>
    `${team} is helping you. Agree: reply YES, or read code ${code} to the volunteer. Refuse: reply NO. Expires in ${minutes} min.`,
  neighbourRefused: () => 'You refused. No account was opened and the details were deleted.',
  neighbourPhoneTaken: () => 'This phone number already has a Digital Citizen account. Send TT to see it.',
  neighbourExpired: () =>
    'The registration request expired; no account was opened and the details were deleted.',
};

/** The sentences of assisted registration in each language. */
export const assistedCopy: Record<Language, typeof vi> = { vi, en };

/** A neighbour's phone as the volunteer is shown it (`maskPhone`). */
const MASKED_E164 = '+84******456';

/** Worst-case arguments for the SMS budget (flows/sms-budget.test.ts): the longest names, team names and codes. */
export const smsSamples = [
  samplesOf(assistedCopy, {
    notMember: [[]],
    askPhone: [[]],
    phoneInvalid: [[]],
    ownPhone: [[]],
    sent: [[MASKED_E164, 1440]],
    unavailable: [[]],
    phoneHasAccount: [[]],
    cccdTaken: [[]],
    phonePending: [[]],
    optedOut: [[]],
    tooManyPending: [[3]],
    hourlyLimit: [[60]],
    waiting: [[MASKED_E164]],
    wrongCode: [[4]],
    failedCodes: [[MASKED_E164]],
    opened: [[MASKED_E164, ACCOUNT_CODE]],
    refused: [[MASKED_E164]],
    expired: [[MASKED_E164]],
    alreadyDone: [[]],
    noPending: [[]],
    verified: [[ACCOUNT_CODE]],
    notMatched: [
      [ACCOUNT_CODE, 'số CCCD'],
      [ACCOUNT_CODE, 'date of birth'],
    ],
    fieldCccd: COMPOSED,
    fieldName: COMPOSED,
    fieldBirthDate: COMPOSED,
    consentSummary: [[NAME_40, '********1234', DATE]],
    consentAnswer: [['Tổ công nghệ số cộng đồng số 12 phường H.', OTP, 1440]],
    neighbourRefused: [[]],
    neighbourPhoneTaken: [[]],
    neighbourExpired: [[]],
  }),
];

/** The longest team name the consent SMS carries; a longer one is cut (see `teamForSms`). */
export const TEAM_NAME_IN_SMS = 40;

/** The team's name as the consent SMS carries it: at most {@link TEAM_NAME_IN_SMS} characters. */
export function teamForSms(name: string): string {
  const trimmed = name.trim();
  return trimmed.length <= TEAM_NAME_IN_SMS
    ? trimmed
    : `${trimmed.slice(0, TEAM_NAME_IN_SMS - 1).trimEnd()}.`;
}

/** A CCCD as the consent SMS shows it: its last four digits only (`********1234`). */
export function maskCccd(cccd: string): string {
  return `${'*'.repeat(Math.max(0, cccd.length - 4))}${cccd.slice(-4)}`;
}
