import type { CitizenSnapshot } from '../../src/engine/flow-context.ts';
import type { Language } from '../../src/messaging/channel.ts';
import { describeClosedAccount } from '../account-rights/closed-account.ts';
import { ACCOUNT_CODE, samplesOf } from '../kit/copy-samples.ts';

type Field = NonNullable<CitizenSnapshot['mismatchField']>;

/** Sentences about an account's status, shared by the status check, registration and notifications. */
const vi = {
  status: (code: string, status: CitizenSnapshot['status']) =>
    ({
      provisional: `Tài khoản ${code}: tạm thời, đang chờ đối chiếu CSDL dân cư.`,
      verified: `Tài khoản ${code}: đã xác minh.`,
      not_matched: `Tài khoản ${code}: chưa khớp CSDL dân cư.`,
    })[status],
  field: (field: Field) => ({ cccd: 'số CCCD', full_name: 'họ tên', date_of_birth: 'ngày sinh' })[field],
  getHelp: () => 'Vui lòng mang CCCD đến tổ công nghệ số cộng đồng hoặc UBND phường.',
  verified: (code: string) =>
    `Tài khoản công dân số ${code} đã được xác minh với CSDL dân cư. Bạn có thể dùng dịch vụ công trực tuyến. Gửi TT để xem.`,
  notMatched: (code: string, field: Field) =>
    `Tài khoản ${code}: ${vi.field(field)} chưa khớp CSDL dân cư. ${vi.getHelp()}`,
  delayed: (code: string) =>
    `Việc xác minh tài khoản ${code} đang chậm do hệ thống dân cư bận. Chúng tôi sẽ nhắn khi có kết quả.`,
};

const en: typeof vi = {
  status: (code, status) =>
    ({
      provisional: `Account ${code}: provisional, waiting for the population registry check.`,
      verified: `Account ${code}: verified.`,
      not_matched: `Account ${code}: not matched with the population registry.`,
    })[status],
  field: (field) => ({ cccd: 'ID number', full_name: 'name', date_of_birth: 'date of birth' })[field],
  getHelp: () => 'Bring your ID card to a community digital team or ward office.',
  verified: (code) =>
    `Digital citizen account ${code} is verified with the population registry. You can now use online public services.`,
  notMatched: (code, field) =>
    `Account ${code}: ${en.field(field)} did not match the registry. ${en.getHelp()}`,
  delayed: (code) =>
    `The check of account ${code} is delayed: the population registry is busy. We will text you the result.`,
};

/** The account sentences in each language. */
export const accountCopy: Record<Language, typeof vi> = { vi, en };

/**
 * The full status answer for an account: its status and, when it did not match, which field and what to do.
 * Registration prefixes it ("already has an account"), so it stays well under one SMS. A closed account says
 * it is closed, when its data will be deleted and how to restore it.
 */
export function describeAccount(language: Language, citizen: Omit<CitizenSnapshot, 'id'>): string {
  const closed = describeClosedAccount(language, citizen);
  if (closed !== null) return closed;
  const copy = accountCopy[language];
  if (citizen.status === 'not_matched' && citizen.mismatchField !== null) {
    return copy.notMatched(citizen.accountCode, citizen.mismatchField);
  }
  return copy.status(citizen.accountCode, citizen.status);
}

const STATUSES = ['provisional', 'verified', 'not_matched'] as const;
const FIELDS = ['cccd', 'full_name', 'date_of_birth'] as const;

/** Worst-case arguments of every sentence, for the SMS budget (flows/sms-budget.test.ts). */
export const smsSamples = [
  samplesOf(accountCopy, {
    status: STATUSES.map((status) => [ACCOUNT_CODE, status] as const),
    field: FIELDS.map((field) => [field] as const),
    getHelp: [[]],
    verified: [[ACCOUNT_CODE]],
    notMatched: FIELDS.map((field) => [ACCOUNT_CODE, field] as const),
    delayed: [[ACCOUNT_CODE]],
  }),
];
