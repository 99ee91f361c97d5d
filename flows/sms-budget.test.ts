import { describe, expect, it } from 'vitest';
import type { CitizenSnapshot } from '../src/engine/flow-context.ts';
import type { Language } from '../src/messaging/channel.ts';
import { renderSmsText } from '../src/messaging/sms-render.ts';
import { countSmsSegments, isGsm7 } from '../src/shared/sms-segments.ts';
import { accountCopy, describeAccount } from './account/account.copy.ts';
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
