import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SHARE_DAYS } from '../src/domain/shares/create-share.ts';
import { parseInviteCode } from '../src/domain/teams/invite-code.ts';
import { isVietnameseMobile } from '../src/shared/phone.ts';
import {
  anyText,
  PROPERTY_RUNS,
  PROPERTY_TIMEOUT_MS,
  typedCccd,
  typedDate,
  typedPhone,
  vietnameseName,
} from '../test/support/text-arbitraries.ts';
import { readNeighbourPhone } from './assisted/assisted.flow.ts';
import { parsePage } from './documents/list-page.ts';
import { parseShareRequest } from './documents/share.flow.ts';
import { readYesNo } from './kit/answers.ts';
import { ADDRESS_LENGTH, parseAddress, parseEmail, parseFieldUpdate } from './profile/profile-fields.ts';
import { parseAssistedRegistrationParts, parseRegistrationParts } from './registration/parse-registration.ts';

/**
 * Properties of the readers of the flows' arguments (the one-message registration forms, yes/no, `CS`, `GT`/`LS`
 * pages, `TTCN`, `TNV` codes): for any text, no exception and one of the documented outcomes; the one-message
 * form finds the fields it was given, in any order.
 */

/** A one-message registration as people send it: its fields in any order, with any separators and noise. */
const registrationForm = fc
  .tuple(
    fc.shuffledSubarray(['name', 'cccd', 'date', 'phone', 'noise'] as const, { minLength: 1 }),
    vietnameseName,
    typedCccd,
    typedDate,
    typedPhone,
    anyText,
    fc.constantFrom(', ', ' ', ',', '. ', ' ; ', '\n'),
  )
  .map(([order, name, cccd, date, phone, noise, separator]) =>
    order
      .map((field) => ({ name, cccd, date, phone, noise })[field])
      .join(separator)
      .slice(0, 2_000),
  );
const text = fc.oneof(anyText, registrationForm);

describe('the one-message registration forms', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  it('give each part as null or as non-empty text taken from the message', () => {
    fc.assert(
      fc.property(text, (typed) => {
        const parts = parseRegistrationParts(typed);
        for (const part of [parts.name, parts.cccd, parts.birthDate]) {
          if (part !== null) expect(part.trim()).not.toBe('');
        }
        if (parts.cccd !== null) expect(parts.cccd).toMatch(/^[\d /-]+$/);
        const assisted = parseAssistedRegistrationParts(typed);
        if (assisted.phone !== null) expect(isVietnameseMobile(assisted.phone)).toBe(true);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('find a 12-digit CCCD and a separated date wherever they stand', () => {
    fc.assert(
      fc.property(
        vietnameseName,
        fc.stringMatching(/^0[0-9]{11}$/),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1900, max: 2020 }),
        fc.boolean(),
        (name, cccd, day, month, year, dateFirst) => {
          const date = `${day}/${month}/${year}`;
          const parts = parseRegistrationParts(
            dateFirst ? `${date}, ${name}, ${cccd}` : `${name} ${cccd} ${date}`,
          );
          expect(parts).toMatchObject({ cccd, birthDate: date });
        },
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });
});

describe('the readers of answers and arguments', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  it('yes/no is yes, no or unclear (null)', () => {
    fc.assert(
      fc.property(text, (typed) => {
        expect(['yes', 'no', null]).toContain(readYesNo(typed));
        expect(['yes', 'no', null]).toContain(readYesNo(typed, ['luu', 'save']));
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('CS reads a paper number of 1 to 3 digits with 1, 7 or 30 days, bad days, or no number', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.stringMatching(/^\d{1,4}( \d{1,3}( ngày| days| d)?)?$/)), (typed) => {
        const request = parseShareRequest(typed);
        if (request.type === 'noNumber') return;
        expect(request.number).toBeGreaterThanOrEqual(0);
        expect(request.number).toBeLessThanOrEqual(999);
        if (request.type === 'share') expect(SHARE_DAYS).toContain(request.days);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('a page is null or a whole number up to 999, and "trang n" reads n (format→parse)', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 999 }), (typed, n) => {
        const page = parsePage(typed);
        if (page !== null) expect(Number.isInteger(page) && page >= 0 && page <= 999).toBe(true);
        expect(parsePage(`trang ${n}`)).toBe(n);
        expect(parsePage(String(n))).toBe(n);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('TTCN names the address or the email with a value, or nothing; each value is accepted or refused', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          text,
          text.map((t) => `DC ${t}`),
          text.map((t) => `email ${t}`),
        ),
        (typed) => {
          const update = parseFieldUpdate(typed);
          if (update !== null) {
            expect(['address', 'email']).toContain(update.field);
            expect(update.value.trim()).not.toBe('');
          }
          const address = parseAddress(typed);
          if (address.ok) {
            const length = [...address.value].length;
            expect(length >= ADDRESS_LENGTH.min && length <= ADDRESS_LENGTH.max).toBe(true);
            expect(parseAddress(address.value)).toEqual(address);
          } else expect(['too_short', 'too_long', 'letters']).toContain(address.reason);
          const email = parseEmail(typed);
          if (email.ok) expect(parseEmail(email.value)).toEqual(email);
        },
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it("a neighbour's phone is a Vietnamese mobile in E.164 or null; an invite code is 8 characters or null", () => {
    fc.assert(
      fc.property(fc.oneof(text, typedPhone), (typed) => {
        const phone = readNeighbourPhone(typed);
        if (phone !== null) expect(isVietnameseMobile(phone)).toBe(true);
        const code = parseInviteCode(typed);
        if (code !== null) expect(code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
