import type { Language } from '../../src/messaging/channel.ts';
import { describeAccount } from '../account/account.copy.ts';
import { ACCOUNT_CODE, CCCD, MESSENGER_ONLY, NAME_40, samplesOf } from '../kit/copy-samples.ts';

/** The version of the consent wording below; stored with every consent. Change it whenever `confirm` changes. */
export const CONSENT_TEXT_VERSION = 'registration-consent-2026-11';
/** The purpose the consent is given for. */
export const CONSENT_PURPOSE = 'provisional_digital_citizen_account';

/** Every sentence of the registration flow. SMS renders them unaccented; each must fit one SMS. */
const vi = {
  askName: () =>
    'Đăng ký tài khoản công dân số (bước 1/3). Gửi họ và tên đầy đủ, ví dụ: Nguyễn Văn An. Gửi HUY để hủy.',
  askCccd: () => 'Bước 2/3: gửi số CCCD (12 chữ số) của bạn.',
  askBirthDate: () => 'Bước 3/3: gửi ngày sinh, ví dụ 15/02/1990.',
  nameEmpty: () => 'Vui lòng gửi họ và tên đầy đủ (ít nhất 2 chữ), ví dụ: Nguyễn Văn An.',
  nameCharacters: () => 'Họ tên chỉ gồm chữ cái và khoảng trắng, không có số. Ví dụ: Nguyễn Văn An.',
  nameTooLong: () => 'Họ tên dài quá 40 ký tự. Vui lòng gửi lại họ và tên.',
  cccdFormat: () => 'Số CCCD phải gồm đúng 12 chữ số, ví dụ 048090001234. Vui lòng gửi lại.',
  cccdProvince: () => '3 số đầu của CCCD (mã tỉnh) không đúng. Vui lòng xem lại thẻ và gửi lại.',
  cccdYear: () =>
    'Chữ số thứ 4 đến 6 của CCCD (thế kỷ, năm sinh) không hợp lệ. Vui lòng xem lại thẻ và gửi lại.',
  dateFormat: () => 'Chưa đọc được ngày sinh. Gửi theo dạng ngày/tháng/năm, ví dụ 15/02/1990.',
  dateInvalid: () => 'Ngày này không có thật. Gửi lại ngày sinh, ví dụ 15/02/1990.',
  dateFuture: () => 'Ngày sinh không thể sau hôm nay. Gửi lại, ví dụ 15/02/1990.',
  dateTooOld: () => 'Năm sinh phải từ 1900 trở đi. Gửi lại ngày sinh, ví dụ 15/02/1990.',
  dateMismatch: (year: number) =>
    `Ngày sinh không khớp số CCCD (số CCCD ghi năm sinh ${year}). Gửi lại ngày sinh, hoặc HUY rồi DK để nhập lại.`,
  confirm: (name: string, cccd: string, birthDate: string) =>
    `${name}, CCCD ${cccd}, NS ${birthDate}. Đồng ý xử lý dữ liệu cá nhân để mở tài khoản? Trả lời CO để đồng ý, KHONG để hủy.`,
  agreeLabel: () => 'Đồng ý',
  agreeKeyword: () => 'CO',
  declineLabel: () => 'Không đồng ý',
  declineKeyword: () => 'KHONG',
  confirmUnclear: () => 'Trả lời CO nếu đồng ý xử lý dữ liệu để mở tài khoản, hoặc KHONG để hủy.',
  declined: () => 'Đã hủy đăng ký, thông tin bạn gửi không được lưu. Gửi DK khi muốn đăng ký lại.',
  opened: (code: string) =>
    `Đã mở tài khoản tạm thời ${code}. Chúng tôi đang đối chiếu CSDL dân cư và sẽ nhắn kết quả. Gửi TT để xem trạng thái.`,
  alreadyRegistered: (statusLine: string) => `Số điện thoại này đã có tài khoản. ${statusLine}`,
  cccdTaken: () =>
    'Số CCCD này đã đăng ký với số điện thoại khác. Vui lòng liên hệ tổ công nghệ số cộng đồng hoặc UBND phường.',
  tooManyTries: () =>
    'Chưa đăng ký được. Tổ công nghệ số cộng đồng hoặc UBND phường sẽ giúp bạn, mang theo CCCD. Gửi DK để thử lại.',
};

const en: typeof vi = {
  askName: () =>
    'Digital citizen account registration (step 1/3). Send your full name, e.g. Nguyen Van An. Send HUY to cancel.',
  askCccd: () => 'Step 2/3: send your CCCD ID card number (12 digits).',
  askBirthDate: () => 'Step 3/3: send your date of birth, e.g. 15/02/1990.',
  nameEmpty: () => 'Please send your full name (at least 2 words), e.g. Nguyen Van An.',
  nameCharacters: () => 'A name has only letters and spaces, no digits. E.g. Nguyen Van An.',
  nameTooLong: () => 'The name is longer than 40 characters. Please send your full name again.',
  cccdFormat: () => 'A CCCD number has exactly 12 digits, e.g. 048090001234. Please send it again.',
  cccdProvince: () =>
    'The first 3 digits of the CCCD (province code) are wrong. Please check your card and resend.',
  cccdYear: () =>
    'Digits 4 to 6 of the CCCD (century and year of birth) are not valid. Please check your card and resend.',
  dateFormat: () => 'I could not read the date. Send it as day/month/year, e.g. 15/02/1990.',
  dateInvalid: () => 'That date does not exist. Send your date of birth again, e.g. 15/02/1990.',
  dateFuture: () => 'A date of birth cannot be after today. Send it again, e.g. 15/02/1990.',
  dateTooOld: () => 'The year of birth must be 1900 or later. Send it again, e.g. 15/02/1990.',
  dateMismatch: (year) =>
    `The date does not match the CCCD (it says born in ${year}). Resend the date, or HUY then DK to start over.`,
  confirm: (name, cccd, birthDate) =>
    `${name}, ID ${cccd}, born ${birthDate}. OK to process this data to open your account? Reply YES to agree, NO to cancel.`,
  agreeLabel: () => 'I agree',
  agreeKeyword: () => 'YES',
  declineLabel: () => 'No',
  declineKeyword: () => 'NO',
  confirmUnclear: () =>
    'Reply YES if you agree to the processing of this data to open your account, or NO to cancel.',
  declined: () => 'Registration cancelled; nothing you sent was kept. Send DK to register later.',
  opened: (code) =>
    `Provisional account ${code} is open. We are checking it with the population registry and will text you. Send TT for status.`,
  alreadyRegistered: (statusLine) => `This phone already has an account. ${statusLine}`,
  cccdTaken: () =>
    'This CCCD number is registered with another phone. Please contact a community digital team or the ward office.',
  tooManyTries: () =>
    'Registration did not succeed. A community digital team or the ward office can help; bring your ID card. Send DK to retry.',
};

/** The registration sentences in each language. */
export const registrationCopy: Record<Language, typeof vi> = { vi, en };

/** Worst-case arguments of every sentence, for the SMS budget (flows/sms-budget.test.ts). */
export const smsSamples = [
  samplesOf(registrationCopy, (language) => ({
    askName: [[]],
    askCccd: [[]],
    askBirthDate: [[]],
    nameEmpty: [[]],
    nameCharacters: [[]],
    nameTooLong: [[]],
    cccdFormat: [[]],
    cccdProvince: [[]],
    cccdYear: [[]],
    dateFormat: [[]],
    dateInvalid: [[]],
    dateFuture: [[]],
    dateTooOld: [[]],
    dateMismatch: [[1990]],
    confirm: [[NAME_40, CCCD, '15/02/1990']],
    agreeLabel: MESSENGER_ONLY,
    agreeKeyword: MESSENGER_ONLY,
    declineLabel: MESSENGER_ONLY,
    declineKeyword: MESSENGER_ONLY,
    confirmUnclear: [[]],
    declined: [[]],
    opened: [[ACCOUNT_CODE]],
    // Every status line an account can have.
    alreadyRegistered: (['provisional', 'verified', 'not_matched'] as const).flatMap((status) =>
      ([null, 'cccd', 'full_name', 'date_of_birth'] as const).map(
        (mismatchField) =>
          [describeAccount(language, { accountCode: ACCOUNT_CODE, status, mismatchField })] as const,
      ),
    ),
    cccdTaken: [[]],
    tooManyTries: [[]],
  })),
];
