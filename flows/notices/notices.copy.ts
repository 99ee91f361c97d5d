import type { DossierStatus } from '../../src/domain/dossiers/dossier.ts';
import type { ShareView } from '../../src/domain/shares/share.ts';
import type { Language } from '../../src/messaging/channel.ts';
import { countSmsSegments, toGsm7 } from '../../src/shared/sms-segments.ts';
import { vietnamDates } from '../../src/shared/vietnam-time.ts';
import { documentsCopy } from '../documents/documents.copy.ts';
import { dossierStatusWords } from '../status/dossier-status.copy.ts';

/** What one dossier message says: the latest status, the steps passed since the citizen was last told. */
export interface DossierNoticeFacts {
  readonly code: string;
  readonly procedure: string;
  readonly status: DossierStatus;
  /** The statuses passed before `status` since the citizen was last told, oldest first (often none). */
  readonly earlier: readonly DossierStatus[];
  /** YYYY-MM-DD, when the agency expects to finish. */
  readonly expectedAt: string | null;
  /** The agency's note; said only when more papers are needed. */
  readonly note: string | null;
}

/** What the owner of a share link hears when it was opened. */
export interface ShareViewFacts {
  /** The shared paper's title; null for the citizen's data export. */
  readonly title: string | null;
  readonly at: Date;
  readonly place: string | null;
  readonly device: ShareView['userAgentClass'];
  /** The share's number in LS (for THUHOI), or null when it is no longer active. */
  readonly shareNumber: number | null;
}

/** Statuses after which the expected date still matters. */
const OPEN: readonly DossierStatus[] = ['received', 'processing', 'needs_more_info'];
/** The shortest a procedure or title is cut to, to keep a message in one SMS. */
const MIN_NAME = 12;
/** The longest place name said (it comes from a proxy header). */
const MAX_PLACE = 30;

const date = vietnamDates.isoDate;
const clockTime = vietnamDates.timeAndDay;
const sentence = (text: string) => text.trim().replace(/[.!?;:,\s]+$/u, '');

const vi = {
  dossier: (f: DossierNoticeFacts, procedure: string) => [
    `Hồ sơ ${procedure}: ${dossierStatusWords.vi[f.status]}.`,
    f.earlier.length > 0 && `Trước đó: ${f.earlier.map((s) => dossierStatusWords.vi[s]).join(', ')}.`,
    f.expectedAt && OPEN.includes(f.status) && `Hẹn trả ${date(f.expectedAt)}.`,
    f.note && f.status === 'needs_more_info' && `Ghi chú: ${sentence(f.note)}.`,
    `Gửi TT ${f.code} để xem chi tiết.`,
  ],
  shareViewed: (f: ShareViewFacts, title: string) => [
    `Liên kết chia sẻ "${title}" vừa được mở lúc ${clockTime(f.at)} (${f.place ?? 'không rõ nơi'}, ${documentsCopy.vi.device(f.device)}).`,
    f.shareNumber === null
      ? 'Gửi LS để xem lượt xem.'
      : `Gửi LS để xem lượt xem, THUHOI ${f.shareNumber} để thu hồi.`,
  ],
  exportTitle: () => 'bản sao dữ liệu',
};

const en: typeof vi = {
  dossier: (f, procedure) => [
    `Your dossier ${procedure}: ${dossierStatusWords.en[f.status]}.`,
    f.earlier.length > 0 && `Before that: ${f.earlier.map((s) => dossierStatusWords.en[s]).join(', ')}.`,
    f.expectedAt && OPEN.includes(f.status) && `Expected ${date(f.expectedAt)}.`,
    f.note && f.status === 'needs_more_info' && `Note: ${sentence(f.note)}.`,
    `Send TT ${f.code} for details.`,
  ],
  shareViewed: (f, title) => [
    `Your link for "${title}" was opened at ${clockTime(f.at)} (${f.place ?? 'place unknown'}, ${documentsCopy.en.device(f.device)}).`,
    f.shareNumber === null
      ? 'Send LS to see views.'
      : `Send LS to see views, THUHOI ${f.shareNumber} to end it.`,
  ],
  exportTitle: () => 'your data export',
};

/** The notice sentences in each language (vi with diacritics; SMS sends them unaccented). */
const noticesCopy: Record<Language, typeof vi> = { vi, en };

/**
 * Builds a message from `parts`, cutting `name` (a procedure or a title, which can be long) just enough for the
 * unaccented SMS rendering to fit one segment; a message that cannot fit (a long note) keeps the name whole.
 */
function fitOneSegment(name: string, parts: (name: string) => readonly (string | false | null)[]): string {
  const build = (n: string) =>
    parts(n)
      .filter((p): p is string => typeof p === 'string' && p !== '')
      .join(' ');
  const whole = build(name);
  const fits = (text: string) => countSmsSegments(toGsm7(text)).segments === 1;
  if (fits(whole)) return whole;
  const chars = Array.from(name.trim());
  for (let length = chars.length - 1; length >= MIN_NAME; length -= 1) {
    const cut = build(`${chars.slice(0, length).join('').trimEnd()}...`);
    if (fits(cut)) return cut;
  }
  return whole;
}

/** The one message about a dossier's news (several statuses passed: the latest, and the steps before it). */
export function dossierNoticeText(language: Language, facts: DossierNoticeFacts): string {
  return fitOneSegment(facts.procedure, (procedure) => noticesCopy[language].dossier(facts, procedure));
}

/** The message telling a share's owner that their link was opened. */
export function shareViewedText(language: Language, facts: ShareViewFacts): string {
  const copy = noticesCopy[language];
  const place =
    facts.place === null ? null : Array.from(facts.place.trim()).slice(0, MAX_PLACE).join('').trim();
  const withPlace = { ...facts, place: place === '' ? null : place };
  return fitOneSegment(facts.title ?? copy.exportTitle(), (title) => copy.shareViewed(withPlace, title));
}
