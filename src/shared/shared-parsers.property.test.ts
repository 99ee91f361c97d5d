import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anyText,
  PROPERTY_RUNS,
  PROPERTY_TIMEOUT_MS,
  typedPhone,
} from '../../test/support/text-arbitraries.ts';
import { normalizeTypedCode } from '../domain/contacts/phone-codes.ts';
import { normalizeDossierCode } from '../domain/dossiers/dossier.ts';
import { parseQuietHours } from '../domain/notifications/quiet-hours.ts';
import { isWellFormedShareToken } from '../domain/shares/share-token.ts';
import { isVietnameseMobile, maskPhone, normalizePhone } from './phone.ts';
import { collapseSpaces, foldForMatch, stripDiacritics, unsafeCharacterIn } from './text.ts';

/**
 * Properties of the shared readers of typed text (phone numbers, folding, codes): for any text, no exception and
 * one of the documented outcomes; round trips where a value has a written form.
 */

const text = fc.oneof(anyText, typedPhone);

describe('normalizePhone', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  it('gives null or E.164 that normalises to itself', () => {
    fc.assert(
      fc.property(text, (typed) => {
        const e164 = normalizePhone(typed);
        if (e164 === null) return;
        expect(e164).toMatch(/^\+[1-9]\d{7,14}$/);
        expect(normalizePhone(e164)).toBe(e164);
        expect(maskPhone(e164)).not.toContain(e164.slice(3, -3));
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('reads a Vietnamese mobile back from each way it is written: 0…, +84…, 84…, grouped (format→parse)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('3', '5', '7', '8', '9'),
        fc.stringMatching(/^\d{8}$/),
        fc.constantFrom('', ' ', '.', '-'),
        (first, rest, separator) => {
          const e164 = `+84${first}${rest}`;
          expect(isVietnameseMobile(e164)).toBe(true);
          const national = `0${first}${rest}`;
          const grouped = `${national.slice(0, 4)}${separator}${national.slice(4, 7)}${separator}${national.slice(7)}`;
          for (const written of [e164, national, `84${first}${rest}`, grouped, `+84 ${grouped}`])
            expect(normalizePhone(written), written).toBe(e164);
        },
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });
});

describe('folding', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  it('is idempotent, single-spaced, trimmed and without Vietnamese diacritics', () => {
    fc.assert(
      fc.property(anyText, (typed) => {
        const folded = foldForMatch(typed);
        expect(foldForMatch(folded)).toBe(folded);
        expect(folded).not.toMatch(/\s\s|^\s|\s$/u);
        expect(folded).not.toMatch(/[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/u);
        expect(collapseSpaces(collapseSpaces(typed))).toBe(collapseSpaces(typed));
        expect(stripDiacritics(stripDiacritics(typed))).toBe(stripDiacritics(typed));
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('folds ASCII text (its shortcut) exactly as the Unicode path folds it', () => {
    const unicodePath = (typed: string) =>
      collapseSpaces(stripDiacritics(typed).toLowerCase()).replace(
        /^[\s.,;:!?'"()-]+|[\s.,;:!?'"()-]+$/g,
        '',
      );
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 60 }), (typed) => {
        expect(foldForMatch(typed)).toBe(unicodePath(typed));
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('names an unsafe character as U+XXXX or says there is none', () => {
    fc.assert(
      fc.property(anyText, (typed) => {
        const found = unsafeCharacterIn(typed);
        if (found !== null) expect(found).toMatch(/^U\+[0-9A-F]{4,6}$/);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });
});

describe('codes typed by people', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  it('a phone code is null or exactly 6 ASCII digits, and reads back', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.stringMatching(/^[0-9 -]{6,9}$/)), (typed) => {
        const code = normalizeTypedCode(typed);
        if (code === null) return;
        expect(code).toMatch(/^[0-9]{6}$/);
        expect(normalizeTypedCode(code)).toBe(code);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('a dossier code normalises once: only ASCII letters change', () => {
    fc.assert(
      fc.property(anyText, (typed) => {
        const code = normalizeDossierCode(typed);
        expect(normalizeDossierCode(code)).toBe(code);
        expect(code.length).toBe(typed.length);
        expect(code.replace(/[A-Z]/g, '')).toBe(typed.replace(/[a-zA-Z]/g, ''));
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('a share token is well formed only as 22 base64url characters', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.stringMatching(/^[A-Za-z0-9_-]{20,24}$/)), (typed) => {
        expect(isWellFormedShareToken(typed)).toBe(/^[A-Za-z0-9_-]{22}$/.test(typed));
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('quiet hours are off (null), a problem, or a window that reads back from HH:MM-HH:MM', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.stringMatching(/^\d{1,2}:\d{2} ?- ?\d{1,2}:\d{2}$/)), (typed) => {
        const result = parseQuietHours(typed);
        if (result === null || typeof result === 'string') return;
        const hhmm = (minutes: number) =>
          `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
        expect(result.start).not.toBe(result.end);
        expect(parseQuietHours(`${hhmm(result.start)}-${hhmm(result.end)}`)).toEqual(result);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
