import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anyText,
  digitRun,
  PROPERTY_RUNS,
  PROPERTY_TIMEOUT_MS,
  typedCccd,
  typedDate,
  vietnameseName,
} from '../../../test/support/text-arbitraries.ts';
import {
  ACCOUNT_CODE_ALPHABET,
  formatAccountCode,
  generateAccountCode,
  parseAccountCode,
} from './account-code.ts';
import { findBirthDate, formatBirthDate, parseBirthDate } from './birth-date.ts';
import { cccdBirthYear, findCccd, maskCccd, parseCccd } from './cccd.ts';
import { parseFullName } from './full-name.ts';

/**
 * Properties of the parsers of what a citizen types about themselves (name, CCCD, date of birth, account code):
 * for any text, no exception and one of the documented outcomes; where a value is accepted, it is in its one
 * stored form and reads back to itself.
 */

const TODAY = new Date('2026-11-27T03:00:00Z');
const text = fc.oneof(anyText, vietnameseName, typedCccd, typedDate, digitRun);

describe('parseFullName', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  it('refuses with a documented reason, or gives a clean name of 2 to 40 characters that reads back to itself', () => {
    fc.assert(
      fc.property(text, (typed) => {
        const result = parseFullName(typed);
        if (!result.ok) {
          expect(['empty', 'too_short', 'too_long', 'characters']).toContain(result.reason);
          return;
        }
        const name = result.value;
        expect(name).toBe(name.normalize('NFC'));
        expect(name).toBe(name.trim());
        expect(name).not.toMatch(/\s\s|[\t\n\r]/u);
        expect([...name].length).toBeLessThanOrEqual(40);
        expect(name.split(' ').length).toBeGreaterThanOrEqual(2);
        expect(parseFullName(name)).toEqual({ ok: true, value: name });
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });
});

describe('parseCccd', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  it('refuses as format or province, or gives 12 ASCII digits that read back to themselves', () => {
    fc.assert(
      fc.property(text, (typed) => {
        const result = parseCccd(typed);
        if (!result.ok) {
          expect(['format', 'province']).toContain(result.reason);
          return;
        }
        expect(result.value).toMatch(/^[0-9]{12}$/);
        expect(parseCccd(result.value)).toEqual(result);
        expect(cccdBirthYear(result.value)).toBeGreaterThanOrEqual(1900);
        expect(maskCccd(result.value)).not.toContain(result.value.slice(3, 10));
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('finds a 12-digit run inside any text only where there is one, with its indices', () => {
    fc.assert(
      fc.property(text, text, typedCccd, (before, after, cccd) => {
        for (const haystack of [before, `${before} ${cccd} ${after}`]) {
          const found = findCccd(haystack);
          if (found === null) continue;
          expect(haystack.slice(found.start, found.end)).toBe(found.value);
          expect(found.value).toMatch(/^[0-9]{12}$/);
        }
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });
});

describe('parseBirthDate', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  it('refuses with a documented reason, or gives a real ISO date between 1900 and today that formats and reads back', () => {
    fc.assert(
      fc.property(text, (typed) => {
        const result = parseBirthDate(typed, TODAY);
        if (!result.ok) {
          expect(['format', 'invalid', 'future', 'too_old']).toContain(result.reason);
          return;
        }
        expect(result.value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(result.value >= '1900-01-01' && result.value <= '2026-11-27').toBe(true);
        expect(new Date(`${result.value}T00:00:00Z`).toISOString().slice(0, 10)).toBe(result.value);
        expect(parseBirthDate(formatBirthDate(result.value), TODAY)).toEqual(result);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('reads back every real date it formats (format→parse)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01'), max: TODAY, noInvalidDate: true }), (date) => {
        const iso = date.toISOString().slice(0, 10);
        expect(parseBirthDate(formatBirthDate(iso), TODAY)).toEqual({ ok: true, value: iso });
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('finds a date inside any text only as a slice of it', () => {
    fc.assert(
      fc.property(text, typedDate, text, (before, date, after) => {
        const haystack = `${before} ${date} ${after}`;
        const found = findBirthDate(haystack);
        if (found !== null) expect(haystack.slice(found.start, found.end)).toBe(found.value);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });
});

describe('account codes', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  it('parse to null or to 8 characters of the alphabet', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.stringMatching(/^[0-9a-zA-Z -]{8,11}$/)), (typed) => {
        const code = parseAccountCode(typed);
        if (code === null) return;
        expect(code).toMatch(new RegExp(`^[${ACCOUNT_CODE_ALPHABET}]{8}$`));
        expect(parseAccountCode(formatAccountCode(code))).toBe(code);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('read back as formatted, in any case (format→parse)', () => {
    fc.assert(
      fc.property(fc.constant(null), fc.boolean(), (_, lower) => {
        const code = generateAccountCode();
        const shown = formatAccountCode(code);
        expect(parseAccountCode(lower ? shown.toLowerCase() : shown)).toBe(code);
      }),
      { numRuns: 200 },
    );
  });
});
