import type { ShareView } from '../../src/domain/shares/share.ts';
import type { Language } from '../../src/messaging/channel.ts';
import { COMPOSED, MESSENGER_ONLY, samplesOf } from '../kit/copy-samples.ts';

/** The keywords of the lists that have pages. */
type ListKeyword = 'GT' | 'LS';

/** "1-3", or just "1" when there is one. */
const range = (count: number) => (count === 1 ? '1' : `1-${count}`);

/** Sentences of the papers (GT), sharing (CS), the share list (LS) and revoking (THUHOI). */
const vi = {
  papersHeader: (page: number, pages: number) =>
    pages === 1 ? 'Giấy tờ của bạn:' : `Giấy tờ của bạn, trang ${page}/${pages}:`,
  paperLine: (n: number, title: string, issuer: string, issuedOn: string) =>
    `${n}. ${title}, ${issuer}, cấp ngày ${issuedOn}`,
  papersFooter: (n: number) =>
    `Gửi CS và số giấy tờ để chia sẻ, ví dụ CS ${n} (7 ngày) hoặc CS ${n} 30 (30 ngày).`,
  noPapers: () =>
    'Bạn chưa có giấy tờ nào. Giấy tờ do cơ quan cấp sẽ có ở đây khi bạn làm xong thủ tục hành chính. Gửi TT để xem hồ sơ.',
  shareButton: (n: number) => `Chia sẻ ${n}`,
  shared: (title: string, until: string, url: string) =>
    `Link chia sẻ ${title}, hết hạn ${until}:\n${url}\nLS: xem lượt xem, thu hồi.`,
  qrAlt: (title: string) => `Mã QR của link chia sẻ ${title}`,
  pickPaper: (count: number) =>
    `Gửi CS và số giấy tờ (${range(count)}), ví dụ CS 1 để chia sẻ 7 ngày, CS 1 30 để chia sẻ 30 ngày. Gửi GT để xem danh sách.`,
  noSuchPaper: (n: number, count: number) => `Không có giấy tờ số ${n}. ${vi.pickPaper(count)}`,
  badDays: (n: number) =>
    `Chỉ chia sẻ được 1, 7 hoặc 30 ngày, ví dụ CS ${n} 30 để chia sẻ 30 ngày. Gửi CS ${n} để chia sẻ 7 ngày.`,
  sharesHeader: (page: number, pages: number) =>
    pages === 1 ? 'Link chia sẻ đang mở:' : `Link chia sẻ đang mở, trang ${page}/${pages}:`,
  shareLine: (n: number, title: string, until: string, views: number) =>
    `${n}. ${title}, hết hạn ${until}, ${views} lượt xem`,
  viewLine: (when: string, place: string, device: string) => `- ${when}, ${place}, ${device}`,
  unknownPlace: () => 'không rõ nơi',
  device: (device: ShareView['userAgentClass']) =>
    ({ mobile: 'điện thoại', desktop: 'máy tính', bot: 'máy tự động', other: 'thiết bị khác' })[device],
  exportTitle: () => 'bản sao dữ liệu của bạn',
  missingPaper: () => 'giấy tờ đã xóa',
  sharesFooter: (n: number) => `Gửi THUHOI và số link để thu hồi, ví dụ THUHOI ${n}.`,
  nextPage: (keyword: ListKeyword, page: number) => `Gửi ${keyword} ${page} để xem trang sau.`,
  nextButton: () => 'Trang sau',
  pickPage: (keyword: ListKeyword, pages: number) =>
    pages === 1
      ? `Danh sách chỉ có 1 trang: gửi ${keyword} để xem.`
      : `Gửi ${keyword} và số trang (1-${pages}), ví dụ ${keyword} 2 để xem trang 2.`,
  noSuchPage: (keyword: ListKeyword, page: number, pages: number) =>
    `Không có trang ${page}. ${vi.pickPage(keyword, pages)}`,
  noShares: () =>
    'Bạn không có link chia sẻ nào đang mở. Gửi GT để xem giấy tờ, CS và số giấy tờ để chia sẻ.',
  pickShare: (count: number) =>
    `Gửi THUHOI và số link (${range(count)}), ví dụ THUHOI 1. Gửi LS để xem danh sách.`,
  noSuchShare: (n: number, count: number) => `Không có link số ${n}. ${vi.pickShare(count)}`,
  revoked: (title: string) => `Đã thu hồi link chia sẻ ${title}: link không mở được nữa.`,
};

const en: typeof vi = {
  papersHeader: (page, pages) => (pages === 1 ? 'Your papers:' : `Your papers, page ${page}/${pages}:`),
  paperLine: (n, title, issuer, issuedOn) => `${n}. ${title}, ${issuer}, issued ${issuedOn}`,
  papersFooter: (n) =>
    `Send CS and a paper number to share it, e.g. CS ${n} (7 days) or CS ${n} 30 (30 days).`,
  noPapers: () =>
    'You have no papers yet. Papers issued by an agency appear here when you complete an administrative procedure. Send TT to see your dossiers.',
  shareButton: (n) => `Share ${n}`,
  shared: (title, until, url) => `Share link of ${title}, valid until ${until}:\n${url}\nLS: views, revoke.`,
  qrAlt: (title) => `QR code of the share link of ${title}`,
  pickPaper: (count) =>
    `Send CS and a paper number (${range(count)}), e.g. CS 1 to share for 7 days, CS 1 30 for 30 days. Send GT to see the list.`,
  noSuchPaper: (n, count) => `There is no paper ${n}. ${en.pickPaper(count)}`,
  badDays: (n) =>
    `A paper can be shared for 1, 7 or 30 days, e.g. CS ${n} 30 for 30 days. Send CS ${n} for 7 days.`,
  sharesHeader: (page, pages) =>
    pages === 1 ? 'Your open share links:' : `Your open share links, page ${page}/${pages}:`,
  shareLine: (n, title, until, views) =>
    `${n}. ${title}, valid until ${until}, ${views} ${views === 1 ? 'view' : 'views'}`,
  viewLine: (when, place, device) => `- ${when}, ${place}, ${device}`,
  unknownPlace: () => 'unknown place',
  device: (device) =>
    ({ mobile: 'phone', desktop: 'computer', bot: 'automated', other: 'other device' })[device],
  exportTitle: () => 'your data export',
  missingPaper: () => 'deleted paper',
  sharesFooter: (n) => `Send THUHOI and a link number to revoke it, e.g. THUHOI ${n}.`,
  nextPage: (keyword, page) => `Send ${keyword} ${page} for the next page.`,
  nextButton: () => 'Next page',
  pickPage: (keyword, pages) =>
    pages === 1
      ? `The list has 1 page: send ${keyword} to see it.`
      : `Send ${keyword} and a page number (1-${pages}), e.g. ${keyword} 2 for page 2.`,
  noSuchPage: (keyword, page, pages) => `There is no page ${page}. ${en.pickPage(keyword, pages)}`,
  noShares: () =>
    'You have no open share links. Send GT to see your papers, CS and a paper number to share one.',
  pickShare: (count) =>
    `Send THUHOI and a link number (${range(count)}), e.g. THUHOI 1. Send LS to see the list.`,
  noSuchShare: (n, count) => `There is no link ${n}. ${en.pickShare(count)}`,
  revoked: (title) => `The share link of ${title} is revoked: it no longer opens.`,
};

/** The papers and shares sentences in each language. */
export const documentsCopy: Record<Language, typeof vi> = { vi, en };

/** A paper title as an SMS shows it: cut to 30 characters (documents-text.ts). */
const TITLE_30 = 'Giấy chứng nhận quyền sử dụn…';

/** Worst-case arguments of every sentence, for the SMS budget (flows/sms-budget.test.ts). */
export const smsSamples = [
  samplesOf(documentsCopy, {
    // The lines of a page: list-page budget in sms-budget.test.ts.
    papersHeader: COMPOSED,
    paperLine: COMPOSED,
    papersFooter: COMPOSED,
    noPapers: [[]],
    shareButton: MESSENGER_ONLY,
    // The title is cut to fit the link: documents-sms-budget.test.ts.
    shared: COMPOSED,
    qrAlt: MESSENGER_ONLY,
    pickPaper: [[1], [99]],
    noSuchPaper: [[999, 99]],
    badDays: [[999]],
    sharesHeader: COMPOSED,
    shareLine: COMPOSED,
    viewLine: COMPOSED,
    unknownPlace: COMPOSED,
    device: COMPOSED,
    exportTitle: COMPOSED,
    missingPaper: COMPOSED,
    sharesFooter: COMPOSED,
    nextPage: COMPOSED,
    nextButton: MESSENGER_ONLY,
    pickPage: [
      ['GT', 1],
      ['GT', 9999],
      ['LS', 9999],
    ],
    noSuchPage: [
      ['LS', 999, 1],
      ['LS', 999, 9999],
    ],
    noShares: [[]],
    pickShare: [[1], [99]],
    noSuchShare: [[999, 99]],
    revoked: [[TITLE_30]],
  }),
];
