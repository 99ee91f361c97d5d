import type { DataField } from '../../src/domain/datarequests/data-request.ts';
import { COMPOSED, MESSENGER_ONLY, samplesOf } from '../kit/copy-samples.ts';

/** Sentences of data requests: the notice, `YC` (list, one, answer), `YC LS` and `YC THUHOI`. */
const vi = {
  field: (field: DataField) =>
    ({
      fullName: 'họ tên',
      dateOfBirth: 'ngày sinh',
      cccd: 'số CCCD',
      phone: 'số điện thoại',
      address: 'địa chỉ',
      email: 'email',
    })[field],
  andMore: (n: number) => `và ${n} mục khác`,
  /** The notice on SMS: one segment, items and purpose cut to fit (data-request-text.ts). */
  smsNotice: (agency: string, items: string, purpose: string, until: string) =>
    `${agency} xin ${items} để ${purpose}, hạn ${until}. Trả lời CO để đồng ý, KHONG để từ chối, YC xem chi tiết.`,
  chatNotice: (agency: string, items: string, purpose: string, until: string) =>
    `${agency} xin bạn: ${items}\nĐể: ${purpose}\nHạn trả lời: ${until}\nBạn đồng ý cho cơ quan này xem các mục trên không?`,
  one: (n: number, agency: string, items: string, purpose: string, until: string) =>
    `Yêu cầu ${n}: ${agency} xin ${items} để ${purpose}, hạn ${until}. Trả lời CO để đồng ý, KHONG để từ chối.`,
  listHeader: () => 'Yêu cầu dữ liệu đang chờ bạn:',
  listLine: (n: number, agency: string, purpose: string) => `${n}. ${agency}: ${purpose}`,
  listFooter: () => 'Gửi YC và số yêu cầu để xem và trả lời, ví dụ YC 1.',
  noPending: () =>
    'Không có yêu cầu dữ liệu nào đang chờ bạn. YC LS: xem cơ quan nào đã nhận dữ liệu của bạn.',
  noSuchRequest: (n: number, count: number) =>
    count === 0 ? vi.noPending() : `Không có yêu cầu số ${n}. Gửi YC để xem ${count} yêu cầu đang chờ.`,
  approved: (agency: string, until: string) =>
    `Đã đồng ý. ${agency} xem được các mục đã xin đến ${until}. YC LS: xem ai đã nhận, YC THUHOI để rút lại.`,
  refused: (agency: string) => `Đã từ chối. ${agency} không nhận được dữ liệu của bạn.`,
  notPending: () => 'Yêu cầu này đã được trả lời hoặc đã hết hạn. Gửi YC để xem các yêu cầu đang chờ.',
  unclear: () => 'Xin trả lời CO để đồng ý hoặc KHONG để từ chối.',
  tooManyTries: () => 'Yêu cầu vẫn chờ bạn trả lời. Gửi YC để xem lại.',
  yesLabel: () => 'Đồng ý',
  noLabel: () => 'Từ chối',
  givenHeader: () => 'Dữ liệu bạn đã cho cơ quan xem:',
  givenLine: (n: number, agency: string, status: string, read: string) =>
    `${n}. ${agency}: ${status}, ${read}`,
  statusApproved: (until: string) => `xem được đến ${until}`,
  statusEnded: () => 'đã hết hạn xem',
  statusWithdrawn: () => 'đã rút lại',
  readAt: (when: string) => `đọc lần cuối ${when}`,
  notRead: () => 'chưa đọc',
  givenFooter: () => 'Gửi YC THUHOI và số để rút lại sự đồng ý, ví dụ YC THUHOI 1.',
  noneGiven: () => 'Bạn chưa cho cơ quan nào xem dữ liệu của bạn.',
  noSuchGiven: (n: number, count: number) =>
    count === 0 ? vi.noneGiven() : `Không có mục số ${n}. Gửi YC LS để xem ${count} mục.`,
  withdrawn: (agency: string) => `Đã rút lại sự đồng ý: ${agency} không xem được dữ liệu của bạn nữa.`,
  cannotWithdraw: () => 'Sự đồng ý này đã hết hạn hoặc đã được rút lại.',
};

const en: typeof vi = {
  field: (field) =>
    ({
      fullName: 'full name',
      dateOfBirth: 'date of birth',
      cccd: 'ID number',
      phone: 'phone',
      address: 'address',
      email: 'email',
    })[field],
  andMore: (n) => `and ${n} more`,
  smsNotice: (agency, items, purpose, until) =>
    `${agency} asks for ${items} for ${purpose}, by ${until}. Reply CO to agree, KHONG to refuse, YC for details.`,
  chatNotice: (agency, items, purpose, until) =>
    `${agency} asks you for: ${items}\nFor: ${purpose}\nAnswer by: ${until}\nDo you agree to let this agency see these items?`,
  one: (n, agency, items, purpose, until) =>
    `Request ${n}: ${agency} asks for ${items} for ${purpose}, by ${until}. Reply CO to agree, KHONG to refuse.`,
  listHeader: () => 'Data requests waiting for you:',
  listLine: (n, agency, purpose) => `${n}. ${agency}: ${purpose}`,
  listFooter: () => 'Send YC and the number to see and answer one, e.g. YC 1.',
  noPending: () => 'No data request is waiting for you. YC LS: see which agencies received your data.',
  noSuchRequest: (n, count) =>
    count === 0 ? en.noPending() : `There is no request ${n}. Send YC to see the ${count} waiting.`,
  approved: (agency, until) =>
    `Agreed. ${agency} can see the items asked until ${until}. YC LS: who received what; YC THUHOI to withdraw.`,
  refused: (agency) => `Refused. ${agency} gets none of your data.`,
  notPending: () => 'This request was already answered or has expired. Send YC to see the waiting ones.',
  unclear: () => 'Please reply CO to agree or KHONG to refuse.',
  tooManyTries: () => 'The request still waits for your answer. Send YC to see it again.',
  yesLabel: () => 'Agree',
  noLabel: () => 'Refuse',
  givenHeader: () => 'Data you let agencies see:',
  givenLine: (n, agency, status, read) => `${n}. ${agency}: ${status}, ${read}`,
  statusApproved: (until) => `readable until ${until}`,
  statusEnded: () => 'no longer readable',
  statusWithdrawn: () => 'withdrawn',
  readAt: (when) => `last read ${when}`,
  notRead: () => 'not read yet',
  givenFooter: () => 'Send YC THUHOI and the number to withdraw your consent, e.g. YC THUHOI 1.',
  noneGiven: () => 'You have not let any agency see your data.',
  noSuchGiven: (n, count) =>
    count === 0 ? en.noneGiven() : `There is no item ${n}. Send YC LS to see the ${count} items.`,
  withdrawn: (agency) => `Consent withdrawn: ${agency} can no longer see your data.`,
  cannotWithdraw: () => 'This consent has already expired or been withdrawn.',
};

/** Every sentence of data requests, Vietnamese first. */
export const dataRequestsCopy = { vi, en } as const;

const AGENCY_40 = 'UBND-PHUONG-HOA-KHANH-NAM-LIEN-CHIEU-001';

/** Worst-case arguments for the SMS budget (flows/sms-budget.test.ts). */
export const smsSamples = [
  samplesOf(dataRequestsCopy, {
    field: COMPOSED,
    andMore: COMPOSED,
    // Cut to one segment by data-request-text.ts (tested there).
    smsNotice: COMPOSED,
    chatNotice: MESSENGER_ONLY,
    one: COMPOSED,
    listHeader: COMPOSED,
    listLine: COMPOSED,
    listFooter: COMPOSED,
    noPending: [[]],
    noSuchRequest: [
      [999, 0],
      [999, 20],
    ],
    approved: [[AGENCY_40, '10:00 28/11/2026']],
    refused: [[AGENCY_40]],
    notPending: [[]],
    unclear: [[]],
    tooManyTries: [[]],
    yesLabel: MESSENGER_ONLY,
    noLabel: MESSENGER_ONLY,
    givenHeader: COMPOSED,
    givenLine: COMPOSED,
    statusApproved: COMPOSED,
    statusEnded: COMPOSED,
    statusWithdrawn: COMPOSED,
    readAt: COMPOSED,
    notRead: COMPOSED,
    givenFooter: COMPOSED,
    noneGiven: [[]],
    noSuchGiven: [
      [999, 0],
      [999, 99],
    ],
    withdrawn: [[AGENCY_40]],
    cannotWithdraw: [[]],
  }),
];
