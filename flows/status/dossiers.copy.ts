import type { Language } from '../../src/messaging/channel.ts';
import { COMPOSED, samplesOf } from '../kit/copy-samples.ts';

/**
 * Sentences about the citizen's dossiers (hồ sơ) in `TT` and `TT <code>`; the status words themselves are in
 * dossier-status.copy.ts.
 */
const vi = {
  recentHeader: () => 'Hồ sơ gần đây:',
  dossierLine: (code: string, procedure: string, status: string, expected: string | null) =>
    `- ${code} ${procedure}: ${status}${expected === null ? '' : `, hẹn trả ${expected}`}`,
  recentFooter: () => 'Gửi TT và mã hồ sơ để xem chi tiết.',
  dossierTitle: (code: string, procedure: string, agency: string) =>
    `Hồ sơ ${code}: ${procedure}, ${agency}.`,
  historyLine: (date: string, status: string) => `${date}: ${status}`,
  expected: (date: string) => `Dự kiến có kết quả ngày ${date}.`,
  waitForNews: () => 'Bạn chưa cần làm gì, chúng tôi sẽ nhắn khi hồ sơ thay đổi.',
  agencyNote: (note: string) => `Cơ quan ghi chú: ${note}`,
  bringMissing: (agency: string) => `Hãy mang hoặc gửi giấy tờ còn thiếu đến ${agency}.`,
  resultReady: () => 'Giấy tờ của bạn đã sẵn sàng: gửi GT để xem.',
  reason: (note: string) => `Lý do: ${note}`,
  contactAgency: (agency: string) => `Liên hệ ${agency} nếu cần hỏi thêm.`,
  noSuchDossier: () =>
    'Không tìm thấy hồ sơ có mã này trong tài khoản của bạn. Kiểm tra lại mã, hoặc gửi TT để xem các hồ sơ gần đây.',
};

const en: typeof vi = {
  recentHeader: () => 'Recent dossiers:',
  dossierLine: (code, procedure, status, expected) =>
    `- ${code} ${procedure}: ${status}${expected === null ? '' : `, due ${expected}`}`,
  recentFooter: () => 'Send TT and a dossier code for details.',
  dossierTitle: (code, procedure, agency) => `Dossier ${code}: ${procedure}, ${agency}.`,
  historyLine: (date, status) => `${date}: ${status}`,
  expected: (date) => `Expected result on ${date}.`,
  waitForNews: () => 'Nothing to do for now: we will text you when it changes.',
  agencyNote: (note) => `Note from the agency: ${note}`,
  bringMissing: (agency) => `Please bring or send the missing papers to ${agency}.`,
  resultReady: () => 'Your paper is ready: send GT to see it.',
  reason: (note) => `Reason: ${note}`,
  contactAgency: (agency) => `Contact ${agency} if you have questions.`,
  noSuchDossier: () =>
    'No dossier with this code in your account. Check the code, or send TT to see your recent dossiers.',
};

/** The dossier sentences in each language. */
export const dossiersCopy: Record<Language, typeof vi> = { vi, en };

/** Worst-case arguments of every sentence, for the SMS budget (flows/sms-budget.test.ts). */
export const smsSamples = [
  samplesOf(dossiersCopy, {
    // The pieces of `TT` (3 dossiers by SMS) and `TT <code>` (a dossier's history), which may take more
    // than one segment: dossier-text.ts composes them.
    recentHeader: COMPOSED,
    dossierLine: COMPOSED,
    recentFooter: COMPOSED,
    dossierTitle: COMPOSED,
    historyLine: COMPOSED,
    expected: COMPOSED,
    waitForNews: COMPOSED,
    agencyNote: COMPOSED,
    bringMissing: COMPOSED,
    resultReady: COMPOSED,
    reason: COMPOSED,
    contactAgency: COMPOSED,
    noSuchDossier: [[]],
  }),
];
