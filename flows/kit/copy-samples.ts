import type { Language } from '../../src/messaging/channel.ts';

/**
 * Worst-case arguments for the SMS budget. Every `*.copy.ts` under flows/ exports `smsSamples`: for each copy
 * table it exports (`Record<Language, { sentence: (...args) => string }>`), the arguments each sentence is
 * tried with, or a mark saying why it has none. flows/sms-budget.test.ts finds every copy file by itself,
 * calls every sentence with its samples in both languages and checks one GSM-7 segment once rendered as SMS;
 * a copy table without samples, or a sentence without any, fails it.
 */

/** A sentence only messengers ever get (button labels and their keywords, proving a phone from a chat). */
export const MESSENGER_ONLY = 'messenger only';

/**
 * A piece of a longer text (a list line, a header), or a sentence whose arguments are cut to fit by the function
 * that composes it: its budget is checked with that function (sms-budget.test.ts, documents-sms-budget.test.ts).
 */
export const COMPOSED = 'composed';

/** Sample argument lists for every sentence of a copy table: a sentence without samples does not compile. */
export type Samples<C> = {
  readonly [K in keyof C]: C[K] extends (...args: infer A) => string
    ? readonly A[] | typeof MESSENGER_ONLY | typeof COMPOSED
    : never;
};

/** The samples of one copy table, as the budget test reads them. */
export interface CopySamples {
  /** The copy table (identical to the exported one). */
  readonly copy: Readonly<Record<Language, object>>;
  /** The samples in `language` (some arguments, such as status lines, are themselves in that language). */
  samples(language: Language): Readonly<Record<string, unknown>>;
}

/** The samples of `copy`, the same in every language or depending on it. */
export function samplesOf<C extends object>(
  copy: Readonly<Record<Language, C>>,
  samples: NoInfer<Samples<C> | ((language: Language) => Samples<C>)>,
): CopySamples {
  return { copy, samples: (language) => (typeof samples === 'function' ? samples(language) : samples) };
}

/** The longest name a citizen may register: 40 characters. */
export const NAME_40 = 'Nguyễn Thị Phương Thảo Hoàng Khánh Trinh';
/** Every account code is shown as `XXXX-XXXX`. */
export const ACCOUNT_CODE = 'ABCD-EFGH';
/** A CCCD: always 12 digits. */
export const CCCD = '048090001234';
/** A CCCD as shown masked to its owner. */
export const MASKED_CCCD = '0480******34';
/** A phone as shown masked: 0905***456. */
export const MASKED_PHONE = '0905***456';
/** A date as shown: dd/mm/yyyy. */
export const DATE = '27/12/2026';
/** A time and day as shown: `HH:MM dd/mm/yyyy`. */
export const MOMENT = '10:00 28/11/2026';
/** A one-time code: 6 digits. */
export const OTP = '123456';
/** A share link under a 40-character PUBLIC_BASE_URL: 65 characters. */
export const URL_65 = `https://${'x'.repeat(32)}/s/${'T'.repeat(22)}`;
/** The copy languages, for the budget test. */
export const LANGUAGES: readonly Language[] = ['vi', 'en'];
