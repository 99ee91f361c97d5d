import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CitizenSnapshot, FlowContext } from '../src/engine/flow-context.ts';
import type { ChannelId, Language } from '../src/messaging/channel.ts';
import { renderSmsText } from '../src/messaging/sms-render.ts';
import { countSmsSegments, isGsm7 } from '../src/shared/sms-segments.ts';
import { describeAccount } from './account/account.copy.ts';
import type { PaperLine, ShareLine } from './documents/documents.effects.ts';
import { documentsText } from './documents/documents-text.ts';
import { CHAT_PAGE_CHARACTERS, PAGE_SIZE, pageCount, SMS_PAGE_SEGMENTS } from './documents/list-page.ts';
import {
  ACCOUNT_CODE,
  COMPOSED,
  type CopySamples,
  LANGUAGES,
  MESSENGER_ONLY,
  NAME_40,
} from './kit/copy-samples.ts';

/**
 * The SMS budget: every sentence the flows can send, with worst-case arguments, rendered as SMS (unaccented
 * GSM-7 by default) must be one segment of at most 160 characters. The copy files are found, not listed: every
 * `*.copy.ts` under flows/ is imported, every copy table it exports (`Record<Language, sentences>`) must have
 * its samples in the file's `smsSamples` (flows/kit/copy-samples.ts), and every sentence is called with them.
 */

const STATUSES: readonly CitizenSnapshot['status'][] = ['provisional', 'verified', 'not_matched'];
const FIELDS: readonly NonNullable<CitizenSnapshot['mismatchField']>[] = [
  'cccd',
  'full_name',
  'date_of_birth',
];

/** One sentence as the flows send it. */
interface Sentence {
  readonly id: string;
  readonly text: string;
}

/** A copy file: its path under flows/, its short name (`registration`) and its exports. */
interface CopyFile {
  readonly file: string;
  readonly name: string;
  readonly exports: Readonly<Record<string, unknown>>;
}

const FLOWS = import.meta.dirname;
const COPY_FILES: readonly CopyFile[] = await Promise.all(
  readdirSync(FLOWS, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.copy.ts'))
    .sort()
    .map(async (file) => ({
      file: file.split(path.sep).join('/'),
      name: path.basename(file, '.copy.ts'),
      exports: (await import(path.join(FLOWS, file))) as Record<string, unknown>,
    })),
);

const isSentences = (value: unknown): value is Record<string, (...args: never[]) => string> =>
  typeof value === 'object' &&
  value !== null &&
  Object.keys(value).length > 0 &&
  Object.values(value).every((sentence) => typeof sentence === 'function');

/** The exports of a copy file that are copy tables: `{ vi: sentences, en: sentences }`. */
function copyTables(copyFile: CopyFile): [string, Record<Language, object>][] {
  return Object.entries(copyFile.exports).filter((entry): entry is [string, Record<Language, object>] => {
    const value = entry[1];
    return (
      typeof value === 'object' &&
      value !== null &&
      Object.keys(value).sort().join() === [...LANGUAGES].sort().join() &&
      LANGUAGES.every((language) => isSentences((value as Record<string, unknown>)[language]))
    );
  });
}

/** The samples a copy file gives for `table`, or undefined. */
function samplesFor(copyFile: CopyFile, table: object): CopySamples | undefined {
  const given = copyFile.exports.smsSamples;
  return Array.isArray(given) ? (given as CopySamples[]).find((entry) => entry.copy === table) : undefined;
}

/** Sentences of a table with no sample arguments and no mark, and sampled keys that are no sentence. */
function gaps(table: Record<Language, object>, samples: CopySamples, language: Language): string[] {
  const given = samples.samples(language);
  const keys = Object.keys(table[language]);
  const missing = keys.filter((key) => {
    const entry = given[key];
    return entry !== MESSENGER_ONLY && entry !== COMPOSED && !(Array.isArray(entry) && entry.length > 0);
  });
  const extra = Object.keys(given).filter((key) => !keys.includes(key));
  return [...missing.map((key) => `no samples: ${key}`), ...extra.map((key) => `not a sentence: ${key}`)];
}

/** Every status answer an account can get (TT, and inside "already has an account"). */
function accountAnswers(language: Language): Sentence[] {
  return STATUSES.flatMap((status) =>
    [null, ...FIELDS].map((mismatchField) => ({
      id: `describeAccount(${status}, ${mismatchField})`,
      text: describeAccount(language, { accountCode: ACCOUNT_CODE, status, mismatchField }),
    })),
  );
}

/** Every SMS sentence of every copy file in `language`, plus the composed status answers of `TT`. */
function everySentence(language: Language): Sentence[] {
  const sentences = COPY_FILES.flatMap((copyFile) =>
    copyTables(copyFile).flatMap(([, table]) => {
      const given = samplesFor(copyFile, table)?.samples(language) ?? {};
      return Object.entries(table[language] as Record<string, (...args: unknown[]) => string>).flatMap(
        ([key, sentence]) => {
          const entry = given[key];
          const argLists = Array.isArray(entry) ? (entry as readonly (readonly unknown[])[]) : [];
          return argLists.map((args) => ({
            id: `${copyFile.name}.${key}(${args.map((arg) => JSON.stringify(arg)).join(', ')})`,
            text: sentence(...args),
          }));
        },
      );
    }),
  );
  return [...sentences, ...accountAnswers(language)];
}

const gsm7 = (text: string) => renderSmsText({ text }, 'gsm7');

describe('the copy files', () => {
  it('are all found, whatever folder they are in', () => {
    const files = COPY_FILES.map(({ file }) => file);
    expect(files).toEqual(
      expect.arrayContaining([
        'registration/registration.copy.ts',
        'registration/neighbour.copy.ts',
        'kit/answers.copy.ts',
        'documents/documents.copy.ts',
        'profile/profile.copy.ts',
      ]),
    );
    expect(COPY_FILES.flatMap(copyTables).length).toBeGreaterThanOrEqual(11);
  });

  it.each(
    COPY_FILES.flatMap((copyFile) =>
      copyTables(copyFile).map(([name, table]) => ({ ...copyFile, table, tableName: name })),
    ),
  )('$file gives samples for every sentence of $tableName in both languages', (copyFile) => {
    const samples = samplesFor(copyFile, copyFile.table);
    expect(samples, `${copyFile.file} exports no smsSamples entry for ${copyFile.tableName}`).toBeDefined();
    for (const language of LANGUAGES)
      if (samples) expect(gaps(copyFile.table, samples, language), language).toEqual([]);
  });

  it('use a name of exactly the 40 characters a name may have', () => {
    expect([...NAME_40].length).toBe(40);
  });
});

describe.each(LANGUAGES)('the SMS budget in %s', (language) => {
  const sentences = everySentence(language);
  const longest = sentences.reduce((a, b) => (gsm7(b.text).length > gsm7(a.text).length ? b : a));
  const longestLength = gsm7(longest.text).length;

  it.each(sentences)('$id is GSM-7 in one segment', ({ text }) => {
    const rendered = gsm7(text);

    expect(isGsm7(rendered)).toBe(true);
    expect(countSmsSegments(rendered)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    // Rendering replaced no character it could not send with "?".
    expect(rendered.split('?').length).toBe(text.split('?').length);
  });

  it(`has its longest SMS at ${longestLength} of 160 characters: ${longest.id}`, () => {
    expect(sentences.length).toBeGreaterThan(100);
    expect(longestLength).toBeLessThanOrEqual(160);
  });
});

/** Vietnamese text that happens to need no character outside GSM-7 (only à è é ì ò ù É are in it). */
const GSM7_AS_WRITTEN = new Set(['account.field("date_of_birth")']);

describe('the cost of SMS_ENCODING=unicode (Vietnamese with diacritics)', () => {
  const sentences = everySentence('vi').map((sentence) => {
    const rendered = renderSmsText({ text: sentence.text }, 'unicode');
    return { ...sentence, rendered, ...countSmsSegments(rendered) };
  });
  const most = Math.max(...sentences.map((sentence) => sentence.segments));

  it.each(sentences)('$id keeps its diacritics: $encoding, $segments segment(s)', (sentence) => {
    expect(sentence.rendered).toBe(sentence.text.normalize('NFC'));
    expect(sentence.encoding).toBe(GSM7_AS_WRITTEN.has(sentence.id) ? 'GSM-7' : 'UCS-2');
  });

  it(`takes up to ${most} UCS-2 segments for one reply, against 1 unaccented`, () => {
    expect(most).toBeGreaterThan(1);
  });
});

/**
 * The budget of a list page (`GT <page>`, `LS <page>`): at most {@link SMS_PAGE_SEGMENTS} GSM-7 segments by
 * SMS, for lists of any length, the longest titles, issuers and places the agency API and the share page accept,
 * in both languages. The citizen pays per segment: a page of four is three segments at most, where a whole list
 * of 24 papers took twelve. With SMS_ENCODING=unicode the same page is UCS-2 and may take up to 7. Messengers:
 * at most 2,000 characters (Zalo OA's limit) and 5 buttons. Answers about pages that are not there are one
 * segment.
 */
describe('the budget of a list page', () => {
  const COUNTS = [0, 1, PAGE_SIZE, PAGE_SIZE + 1, 24, 100];
  const longest = (text: string) =>
    text
      .repeat(Math.ceil(200 / text.length))
      .slice(0, 200)
      .trim();
  const TITLES = {
    short: { title: 'Giấy khai sinh', issuer: 'UBND phường Hải Châu', place: 'Đà Nẵng' },
    'long, with diacritics': {
      title: longest(
        'Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất ',
      ),
      issuer: longest('Sở Tài nguyên và Môi trường thành phố Đà Nẵng '),
      place: longest('Thành phố Hồ Chí Minh, quận Bình Thạnh '),
    },
    'long, without diacritics': {
      title: longest('Certificate of land use rights and ownership of houses and other assets '),
      issuer: longest('Department of Natural Resources and Environment of Da Nang City '),
      place: longest('Ho Chi Minh City, Binh Thanh District '),
    },
    'one long word': { title: 'X'.repeat(200), issuer: 'Y'.repeat(200), place: 'Z'.repeat(80) },
  } as const;
  const ctxOn = (channel: ChannelId, language: Language): FlowContext => ({
    language,
    channel,
    address: 'someone',
    phone: '+84905123456',
    citizen: null,
    now: new Date('2026-11-27T03:00:00Z'),
  });
  const papersOf = (count: number, kind: keyof typeof TITLES): PaperLine[] =>
    Array.from({ length: count }, () => ({
      title: TITLES[kind].title,
      issuer: TITLES[kind].issuer,
      issuedAt: '2026-11-20',
    }));
  const sharesOf = (count: number, kind: keyof typeof TITLES): ShareLine[] =>
    Array.from({ length: count }, (_, i) => ({
      thing:
        i % 5 === 3
          ? { type: 'export' }
          : i % 5 === 4
            ? { type: 'missing' }
            : { type: 'paper', title: TITLES[kind].title },
      expiresAt: new Date('2026-12-27T16:59:00Z'),
      viewCount: 99_999,
      views: [1, 2, 3].map((hour) => ({
        at: new Date(Date.UTC(2026, 10, 27, hour)),
        place: i % 2 === 0 ? TITLES[kind].place.slice(0, 80) : null,
        userAgentClass: 'other' as const,
      })),
    }));
  /** Every page of a list, then a page past its end and one that is not a number. */
  const everyPage = (count: number) => [
    ...Array.from({ length: pageCount(count) }, (_, i) => i + 1),
    pageCount(count) + 1,
    0,
    null,
  ];
  const lists = (channel: ChannelId, language: Language, count: number, kind: keyof typeof TITLES) =>
    everyPage(count).flatMap((page) => [
      {
        list: `GT ${page}`,
        page,
        pages: pageCount(count),
        reply: documentsText.papers(ctxOn(channel, language), papersOf(count, kind), page),
      },
      {
        list: `LS ${page}`,
        page,
        pages: pageCount(count),
        reply: documentsText.shares(ctxOn(channel, language), sharesOf(count, kind), page),
      },
    ]);
  const cases = LANGUAGES.flatMap((language) =>
    COUNTS.flatMap((count) =>
      (Object.keys(TITLES) as (keyof typeof TITLES)[]).map((kind) => ({ language, count, kind })),
    ),
  );

  it.each(cases)(
    'by SMS in $language, $count items ($kind titles): pages of at most 3 GSM-7 or 7 UCS-2 segments',
    ({ language, count, kind }) => {
      for (const { list, page, pages, reply } of lists('twilio-sms', language, count, kind)) {
        const shown = page !== null && page >= 1 && page <= pages && count > 0;
        const gsm7 = countSmsSegments(renderSmsText(reply, 'gsm7'));
        const unicode = countSmsSegments(renderSmsText(reply, 'unicode'));
        expect(gsm7.segments, list).toBeLessThanOrEqual(shown ? SMS_PAGE_SEGMENTS : 1);
        expect(unicode.segments, list).toBeLessThanOrEqual(shown ? 7 : 3);
        expect(renderSmsText(reply, 'gsm7').split('?').length, list).toBe(reply.text.split('?').length);
        expect(reply.choices, list).toBeUndefined();
      }
    },
  );

  it.each(cases)(
    'on Telegram and Zalo OA in $language, $count items ($kind titles): 2,000 characters and 5 buttons at most',
    ({ language, count, kind }) => {
      for (const channel of ['telegram', 'zalo-oa'] as const) {
        for (const { list, reply } of lists(channel, language, count, kind)) {
          expect(reply.text.length, list).toBeLessThanOrEqual(CHAT_PAGE_CHARACTERS);
          expect(reply.choices?.length ?? 0, list).toBeLessThanOrEqual(5);
        }
      }
    },
  );

  it.each([0, 1, PAGE_SIZE, PAGE_SIZE + 1, 24, 100])(
    'numbers %i papers once each across the pages',
    (count) => {
      const pages = Array.from(
        { length: pageCount(count) },
        (_, i) => documentsText.papers(ctxOn('twilio-sms', 'vi'), papersOf(count, 'short'), i + 1).text,
      );

      const numbers = pages.flatMap((text) => [...text.matchAll(/^(\d+)\. /gmu)].map(([, n]) => Number(n)));
      expect(numbers).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    },
  );
});
