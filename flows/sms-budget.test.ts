import { describe, expect, it } from 'vitest';
import type { CitizenSnapshot, FlowContext } from '../src/engine/flow-context.ts';
import type { ChannelId, Language } from '../src/messaging/channel.ts';
import { renderSmsText } from '../src/messaging/sms-render.ts';
import { countSmsSegments, isGsm7 } from '../src/shared/sms-segments.ts';
import { accountCopy, describeAccount } from './account/account.copy.ts';
import type { PaperLine, ShareLine } from './documents/documents.effects.ts';
import { documentsText } from './documents/documents-text.ts';
import { CHAT_PAGE_CHARACTERS, PAGE_SIZE, pageCount, SMS_PAGE_SEGMENTS } from './documents/list-page.ts';
import { identityCopy } from './identity/identity.copy.ts';
import { menuCopy } from './menu/menu.copy.ts';
import { registrationCopy } from './registration/registration.copy.ts';
import { statusCopy } from './status/status.copy.ts';

/**
 * The SMS budget: every sentence the flows can send, with worst-case arguments, rendered as SMS (unaccented
 * GSM-7 by default) must be one segment of at most 160 characters.
 */

/** The longest name a citizen may register: 40 characters. */
const NAME_40 = 'Nguyễn Thị Phương Thảo Hoàng Khánh Trinh';
/** Every account code is `XXXX-XXXX`. */
const CODE = 'ABCD-EFGH';
const CCCD = '048090001234';
const DATE = '15/02/1990';
const YEAR = 1990;
const STATUSES: readonly CitizenSnapshot['status'][] = ['provisional', 'verified', 'not_matched'];
const FIELDS: readonly NonNullable<CitizenSnapshot['mismatchField']>[] = [
  'cccd',
  'full_name',
  'date_of_birth',
];
const LANGUAGES: readonly Language[] = ['vi', 'en'];

/**
 * Marks a sentence only messengers ever get (button labels, the chat menu, proving a phone from a chat): SMS
 * identities are their phone, so these never go by SMS and have no SMS budget.
 */
const MESSENGER_ONLY = 'messenger only';

/** Sample argument lists for every sentence of a copy object: a sentence without samples does not compile. */
type Samples<C> = {
  readonly [K in keyof C]: C[K] extends (...args: infer A) => string
    ? readonly A[] | typeof MESSENGER_ONLY
    : never;
};

/** One sentence as the flows send it. */
interface Sentence {
  readonly id: string;
  readonly text: string;
}

/** Every status answer an account can get (TT, and inside "already has an account"). */
function accountAnswers(language: Language): Sentence[] {
  return STATUSES.flatMap((status) =>
    [null, ...FIELDS].map((mismatchField) => ({
      id: `describeAccount(${status}, ${mismatchField})`,
      text: describeAccount(language, { accountCode: CODE, status, mismatchField }),
    })),
  );
}

function registrationSamples(language: Language): Samples<(typeof registrationCopy)['vi']> {
  return {
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
    dateMismatch: [[YEAR]],
    confirm: [[NAME_40, CCCD, DATE]],
    agreeLabel: MESSENGER_ONLY,
    agreeKeyword: MESSENGER_ONLY,
    declineLabel: MESSENGER_ONLY,
    declineKeyword: MESSENGER_ONLY,
    confirmUnclear: [[]],
    declined: [[]],
    opened: [[CODE]],
    alreadyRegistered: accountAnswers(language).map(({ text }) => [text] as const),
    cccdTaken: [[]],
    tooManyTries: [[]],
  };
}

const accountSamples: Samples<(typeof accountCopy)['vi']> = {
  status: STATUSES.map((status) => [CODE, status] as const),
  field: FIELDS.map((field) => [field] as const),
  getHelp: [[]],
  verified: [[CODE]],
  notMatched: FIELDS.map((field) => [CODE, field] as const),
  delayed: [[CODE]],
};

const statusSamples: Samples<(typeof statusCopy)['vi']> = {
  noAccount: [[]],
  noAccountLinked: MESSENGER_ONLY,
};

const identitySamples: Samples<(typeof identityCopy)['vi']> = {
  registerNeedsPhone: MESSENGER_ONLY,
  linkIntro: MESSENGER_ONLY,
  askPhone: MESSENGER_ONLY,
  phoneInvalid: MESSENGER_ONLY,
  codeSent: MESSENGER_ONLY,
  codeLimited: MESSENGER_ONLY,
  noSms: MESSENGER_ONLY,
  codeFormat: MESSENGER_ONLY,
  codeWrong: MESSENGER_ONLY,
  codeExpired: MESSENGER_ONLY,
  codeLocked: MESSENGER_ONLY,
  tooManyTries: MESSENGER_ONLY,
  phoneConfirmed: MESSENGER_ONLY,
  linked: STATUSES.map(
    (status) => [describeAccount('vi', { accountCode: CODE, status, mismatchField: 'full_name' })] as const,
  ),
  noAccount: [[]],
  otpSms: [['123456']],
};

const menuSamples: Samples<(typeof menuCopy)['vi']> = {
  menu: [[]],
  notUnderstood: [[]],
  cancelled: [[]],
  nothingToCancel: [[]],
  languageChanged: [[]],
  optedOut: [[]],
  optedIn: [[]],
  restarted: [[]],
  chatMenu: MESSENGER_ONLY,
  welcome: MESSENGER_ONLY,
  notOwnPhone: MESSENGER_ONLY,
  registerLabel: MESSENGER_ONLY,
  statusLabel: MESSENGER_ONLY,
  linkLabel: MESSENGER_ONLY,
  papersLabel: MESSENGER_ONLY,
};

/** A copy object seen without its types, to call each sentence with its sample arguments. */
type AnyCopy = Readonly<Record<string, (...args: never[]) => string>>;
type AnySamples = Readonly<
  Record<string, readonly (readonly unknown[])[] | typeof MESSENGER_ONLY | undefined>
>;

/** Keys of a copy object that have no sample arguments (must stay empty). */
function missingSamples(copy: object, samples: object): string[] {
  const table = samples as AnySamples;
  return Object.keys(copy).filter((key) => {
    const entry = table[key];
    return entry !== MESSENGER_ONLY && (entry?.length ?? 0) === 0;
  });
}

function sentencesOf(file: string, copy: object, samples: object): Sentence[] {
  const table = samples as AnySamples;
  return Object.entries(copy as AnyCopy).flatMap(([key, sentence]) =>
    (table[key] === MESSENGER_ONLY ? [] : (table[key] ?? [])).map((args) => ({
      id: `${file}.${key}(${args.map((arg) => JSON.stringify(arg)).join(', ')})`,
      text: (sentence as (...values: unknown[]) => string)(...args),
    })),
  );
}

/** The copy files of the flows, each with its sample arguments. */
function copyFiles(language: Language) {
  return [
    { file: 'registration', copy: registrationCopy[language], samples: registrationSamples(language) },
    { file: 'status', copy: statusCopy[language], samples: statusSamples },
    { file: 'account', copy: accountCopy[language], samples: accountSamples },
    { file: 'menu', copy: menuCopy[language], samples: menuSamples },
    { file: 'identity', copy: identityCopy[language], samples: identitySamples },
  ] as const;
}

/** Every sentence in `language`, plus the composed status answers of `TT`. */
function everySentence(language: Language): Sentence[] {
  const sentences = copyFiles(language).flatMap(({ file, copy, samples }) =>
    sentencesOf(file, copy, samples),
  );
  return [...sentences, ...accountAnswers(language)];
}

const gsm7 = (text: string) => renderSmsText({ text }, 'gsm7');

describe('the worst-case samples', () => {
  it('use a name of exactly the 40 characters a name may have', () => {
    expect([...NAME_40].length).toBe(40);
  });

  it.each(LANGUAGES)('cover every sentence of every copy file (%s)', (language) => {
    for (const { copy, samples } of copyFiles(language)) expect(missingSamples(copy, samples)).toEqual([]);
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
    expect(sentences.length).toBeGreaterThan(40);
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
