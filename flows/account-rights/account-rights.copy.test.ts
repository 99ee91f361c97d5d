import { describe, expect, it } from 'vitest';
import type { Language } from '../../src/messaging/channel.ts';
import { renderSmsText } from '../../src/messaging/sms-render.ts';
import { countSmsSegments, isGsm7 } from '../../src/shared/sms-segments.ts';
import { profileCopy } from '../profile/profile.copy.ts';
import { accountRightsCopy } from './account-rights.copy.ts';

// The SMS budget of the data-rights and profile sentences (as flows/sms-budget.test.ts does for the others):
// every sentence an SMS user can get, with worst-case arguments, is GSM-7 in one segment once unaccented.

const CODE = 'ABCD-EFGH';
const DATE = '27/12/2026';
/** A share link under a 40-character PUBLIC_BASE_URL: 65 characters. */
const URL_65 = `https://${'x'.repeat(32)}/s/${'T'.repeat(22)}`;
const MOMENT = '10:00 28/11/2026';
/** The longest name a citizen may register: 40 characters. */
const NAME_40 = 'Nguyễn Thị Phương Thảo Hoàng Khánh Trinh';
const LANGUAGES: readonly Language[] = ['vi', 'en'];

/** Messenger-only sentences (button labels and the keywords they stand for) are never texted. */
const LABELS = new Set(['yesLabel', 'yesKeyword', 'noLabel', 'noKeyword']);
const PROFILE_LABELS = new Set([
  'changeAddressLabel',
  'changeEmailLabel',
  'saveLabel',
  'saveKeyword',
  'discardLabel',
  'discardKeyword',
]);

function sentences(language: Language): { id: string; text: string }[] {
  const rights = accountRightsCopy[language];
  const profile = profileCopy[language];
  const rightsArgs: Record<string, readonly string[]> = {
    exportReady: [URL_65, MOMENT],
    closed: [CODE, DATE],
    withdrawn: [CODE, DATE],
    accountClosed: [CODE, DATE],
    restoreAsk: [CODE],
    restored: [CODE],
    restoreDeclined: [DATE],
    notClosed: [CODE],
  };
  const profileArgs: Record<string, readonly unknown[]> = {
    // The profile fits one SMS while the address and email are not given; a given address makes it longer.
    profile: [
      {
        fullName: NAME_40,
        cccd: '0480******34',
        dateOfBirth: '15/02/1990',
        phone: '0905***456',
        address: null,
        email: null,
      },
    ],
    // A confirmation repeats the value: an address of 30 characters and an email of 40 still fit.
    confirmAddress: ['123 Nguyễn Văn Linh, Thạc Gián'],
    addressSaved: ['123 Nguyễn Văn Linh, Thạc Gián'],
    confirmEmail: [`${'n'.repeat(29)}@gmail.com`],
    emailSaved: [`${'n'.repeat(29)}@gmail.com`],
  };
  const call = (fn: unknown, args: readonly unknown[] = []) => (fn as (...a: unknown[]) => string)(...args);
  return [
    ...Object.entries(rights)
      .filter(([key]) => !LABELS.has(key))
      .map(([key, fn]) => ({ id: `account-rights.${key}`, text: call(fn, rightsArgs[key]) })),
    ...Object.entries(profile)
      .filter(([key]) => !PROFILE_LABELS.has(key))
      .map(([key, fn]) => ({ id: `profile.${key}`, text: call(fn, profileArgs[key]) })),
  ];
}

describe.each(LANGUAGES)('the data-rights and profile SMS budget in %s', (language) => {
  it.each(sentences(language))('$id is GSM-7 in one segment', ({ text }) => {
    const rendered = renderSmsText({ text }, 'gsm7');

    expect(isGsm7(rendered)).toBe(true);
    expect(countSmsSegments(rendered)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(rendered.split('?').length).toBe(text.split('?').length);
  });
});
