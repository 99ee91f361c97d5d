import type { Language } from '../../src/messaging/channel.ts';
import { MASKED_CCCD, MASKED_PHONE, MESSENGER_ONLY, NAME_40, samplesOf } from '../kit/copy-samples.ts';

/** The profile as shown: personal data already masked and formatted. */
export interface ProfileView {
  readonly fullName: string;
  /** Masked: `0480******34`. */
  readonly cccd: string;
  /** dd/mm/yyyy. */
  readonly dateOfBirth: string;
  /** Masked: `0905***456`. */
  readonly phone: string;
  readonly address: string | null;
  readonly email: string | null;
}

/**
 * Sentences of the profile (`TTCN`). SMS renders them unaccented. The profile itself fits one SMS while the
 * address and email are not given (with a name of 40 characters); a long address makes it longer, and so do
 * the confirmations that repeat it.
 */
const vi = {
  profile: (p: ProfileView) =>
    `${p.fullName}, CCCD ${p.cccd}, NS ${p.dateOfBirth}, ĐT ${p.phone}. Địa chỉ: ${p.address ?? 'chưa có'}. Email: ${p.email ?? 'chưa có'}. Gửi 1: đổi địa chỉ, 2: đổi email.`,
  choose: () => 'Gửi 1 để đổi địa chỉ, 2 để đổi email, HUY để thoát.',
  changeAddressLabel: () => 'Đổi địa chỉ',
  changeEmailLabel: () => 'Đổi email',
  askAddress: () => 'Gửi địa chỉ mới (số nhà, đường, phường/xã), ví dụ: 12 Trần Phú, Hải Châu, Đà Nẵng.',
  addressTooShort: () => 'Địa chỉ quá ngắn (ít nhất 10 ký tự). Gửi lại, ví dụ: 12 Trần Phú, Hải Châu.',
  addressTooLong: () => 'Địa chỉ dài quá 200 ký tự. Vui lòng gửi địa chỉ ngắn gọn hơn.',
  addressLetters: () => 'Địa chỉ cần có tên đường, phường (chữ cái). Gửi lại, ví dụ: 12 Trần Phú, Hải Châu.',
  confirmAddress: (address: string) => `Địa chỉ mới: ${address}. Trả lời CO để lưu, KHONG để bỏ.`,
  askEmail: () => 'Gửi địa chỉ email mới, ví dụ: ten.ban@gmail.com.',
  emailInvalid: () => 'Email chưa đúng dạng, ví dụ: ten.ban@gmail.com. Vui lòng gửi lại.',
  confirmEmail: (email: string) => `Email mới: ${email}. Trả lời CO để lưu, KHONG để bỏ.`,
  confirmUnclear: () => 'Trả lời CO để lưu, KHONG để bỏ, hoặc HUY để thoát.',
  saveLabel: () => 'Lưu',
  saveKeyword: () => 'CO',
  discardLabel: () => 'Không lưu',
  discardKeyword: () => 'KHONG',
  addressSaved: (address: string) => `Đã lưu địa chỉ mới: ${address}. Gửi TTCN để xem thông tin cá nhân.`,
  emailSaved: (email: string) => `Đã lưu email mới: ${email}. Gửi TTCN để xem thông tin cá nhân.`,
  notSaved: () => 'Không thay đổi gì. Gửi TTCN để xem thông tin cá nhân.',
  tooManyTries: () => 'Chưa lưu được. Gửi TTCN để thử lại, hoặc nhờ tổ công nghệ số cộng đồng giúp.',
};

const en: typeof vi = {
  profile: (p) =>
    `${p.fullName}, ID ${p.cccd}, born ${p.dateOfBirth}, tel ${p.phone}. Address: ${p.address ?? 'none'}. Email: ${p.email ?? 'none'}. Reply 1: new address, 2: new email.`,
  choose: () => 'Reply 1 to change your address, 2 to change your email, HUY to stop.',
  changeAddressLabel: () => 'Change address',
  changeEmailLabel: () => 'Change email',
  askAddress: () => 'Send your new address (number, street, ward), e.g. 12 Tran Phu, Hai Chau, Da Nang.',
  addressTooShort: () =>
    'That address is too short (10 characters at least). Send it again, e.g. 12 Tran Phu, Hai Chau.',
  addressTooLong: () => 'That address is longer than 200 characters. Please send a shorter one.',
  addressLetters: () =>
    'An address needs a street or ward name (letters). Send it again, e.g. 12 Tran Phu, Hai Chau.',
  confirmAddress: (address) => `New address: ${address}. Reply YES to save, NO to discard.`,
  askEmail: () => 'Send your new email address, e.g. your.name@gmail.com.',
  emailInvalid: () => 'That is not an email address, e.g. your.name@gmail.com. Please send it again.',
  confirmEmail: (email) => `New email: ${email}. Reply YES to save, NO to discard.`,
  confirmUnclear: () => 'Reply YES to save, NO to discard, or HUY to stop.',
  saveLabel: () => 'Save',
  saveKeyword: () => 'YES',
  discardLabel: () => 'Discard',
  discardKeyword: () => 'NO',
  addressSaved: (address) => `New address saved: ${address}. Send TTCN to see your profile.`,
  emailSaved: (email) => `New email saved: ${email}. Send TTCN to see your profile.`,
  notSaved: () => 'Nothing changed. Send TTCN to see your profile.',
  tooManyTries: () => 'Nothing was saved. Send TTCN to try again, or ask a community digital team for help.',
};

/** The profile sentences in each language. */
export const profileCopy: Record<Language, typeof vi> = { vi, en };

/** An address of 30 characters and an email of 40: a confirmation repeating them still fits one SMS. */
const ADDRESS_30 = '123 Nguyễn Văn Linh, Thạc Gián';
const EMAIL_40 = `${'n'.repeat(29)}@gmail.com`;

/** Worst-case arguments of every sentence, for the SMS budget (flows/sms-budget.test.ts). */
export const smsSamples = [
  samplesOf(profileCopy, {
    // The profile fits one SMS while the address and email are not given; a given address makes it longer.
    profile: [
      [
        {
          fullName: NAME_40,
          cccd: MASKED_CCCD,
          dateOfBirth: '15/02/1990',
          phone: MASKED_PHONE,
          address: null,
          email: null,
        },
      ],
    ],
    choose: [[]],
    changeAddressLabel: MESSENGER_ONLY,
    changeEmailLabel: MESSENGER_ONLY,
    askAddress: [[]],
    addressTooShort: [[]],
    addressTooLong: [[]],
    addressLetters: [[]],
    confirmAddress: [[ADDRESS_30]],
    askEmail: [[]],
    emailInvalid: [[]],
    confirmEmail: [[EMAIL_40]],
    confirmUnclear: [[]],
    saveLabel: MESSENGER_ONLY,
    saveKeyword: MESSENGER_ONLY,
    discardLabel: MESSENGER_ONLY,
    discardKeyword: MESSENGER_ONLY,
    addressSaved: [[ADDRESS_30]],
    emailSaved: [[EMAIL_40]],
    notSaved: [[]],
    tooManyTries: [[]],
  }),
];
