import { describe, expect, it } from 'vitest';
import { findBirthDate, formatBirthDate, parseBirthDate } from './birth-date.ts';

/** 15/06/2025 12:00 in Vietnam. */
const TODAY = new Date('2025-06-15T05:00:00Z');

describe('parseBirthDate', () => {
  it.each([
    ['15/02/1990', '1990-02-15', 'reads dd/mm/yyyy'],
    ['5/2/1990', '1990-02-05', 'reads d/m/yyyy'],
    ['05/2/1990', '1990-02-05', 'reads dd/m/yyyy'],
    ['15-02-1990', '1990-02-15', 'reads dd-mm-yyyy'],
    ['15.02.1990', '1990-02-15', 'reads dd.mm.yyyy'],
    ['15021990', '1990-02-15', 'reads ddmmyyyy'],
    ['  15/02/1990  ', '1990-02-15', 'ignores spaces around the date'],
    ['15 / 02 / 1990', '1990-02-15', 'ignores spaces around the separators'],
    ['\t15.02.1990\n', '1990-02-15', 'ignores tabs and new lines around the date'],
    ['15/02-1990', '1990-02-15', 'reads mixed separators'],
    ['29/02/2000', '2000-02-29', 'reads 29/02 of a leap year divisible by 400'],
    ['29/02/2024', '2024-02-29', 'reads 29/02 of a leap year'],
    ['31/12/1999', '1999-12-31', 'reads the last day of a year'],
    ['01/01/1900', '1900-01-01', 'reads the first day of 1900'],
    ['15/06/2025', '2025-06-15', 'accepts today'],
  ])('%s gives %s (%s)', (input, expected) => {
    expect(parseBirthDate(input, TODAY)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'format', 'refuses empty text'],
    ['15/02/90', 'format', 'refuses a two-digit year'],
    ['1990-02-15', 'format', 'refuses year first'],
    ['15 02 1990', 'format', 'refuses spaces as separators'],
    ['15/02/1990 abc', 'format', 'refuses trailing text'],
    ['ngay 15/02/1990', 'format', 'refuses leading text'],
    ['150290', 'format', 'refuses 6 digits'],
    ['1502199', 'format', 'refuses 7 digits'],
    ['150/02/1990', 'format', 'refuses a three-digit day'],
    ['15//02/1990', 'format', 'refuses a doubled separator'],
    ['１５/０２/１９９０', 'format', 'refuses full-width digits'],
    ['31/02/1990', 'invalid', 'refuses 31/02'],
    ['30/02/2000', 'invalid', 'refuses 30/02'],
    ['29/02/1990', 'invalid', 'refuses 29/02 of a non-leap year'],
    ['29/02/1900', 'invalid', 'refuses 29/02/1900 (not a leap year)'],
    ['31/04/1990', 'invalid', 'refuses 31/04'],
    ['00/01/1990', 'invalid', 'refuses day 0'],
    ['01/00/1990', 'invalid', 'refuses month 0'],
    ['01/13/1990', 'invalid', 'refuses month 13'],
    ['32/01/1990', 'invalid', 'refuses day 32'],
    ['31121899', 'too_old', 'refuses 1899'],
    ['01/01/1000', 'too_old', 'refuses the year 1000'],
    ['16/06/2025', 'future', 'refuses tomorrow'],
    ['01/01/2030', 'future', 'refuses a later year'],
  ])('%j is refused as %s (%s)', (input, reason) => {
    expect(parseBirthDate(input, TODAY)).toEqual({ ok: false, reason });
  });

  it.each([
    ['2025-06-14T16:59:59Z', 'future'],
    ['2025-06-14T17:00:00Z', 'ok'],
  ])('takes "today" in Vietnam time (now = %s: 15/06/2025 is %s)', (now, outcome) => {
    const result = parseBirthDate('15/06/2025', new Date(now));
    expect(result.ok ? 'ok' : result.reason).toBe(outcome);
  });
});

describe('findBirthDate', () => {
  it.each([
    ['DK Nguyen Van An 048090001234 15.02.1990', '15.02.1990'],
    ['DK Nguyen Van An 15/2/1990 048090001234', '15/2/1990'],
    ['TK,Nguyen Van An,048090001234,15-02-1990', '15-02-1990'],
    ['DK An Binh 048090001234 15021990', '15021990'],
    ['15021990 DK An', '15021990'],
    ['ngay sinh: 15 / 02 / 1990.', '15 / 02 / 1990'],
    ['dk 1/1/2000 va 2/2/2001', '1/1/2000'],
    ['dk (15021990)', '15021990'],
    ['31/02/1990', '31/02/1990'],
  ])('finds the date in %j', (text, value) => {
    const found = findBirthDate(text);
    expect(found?.value).toBe(value);
    expect(found && text.slice(found.start, found.end)).toBe(value);
  });

  it.each([
    ['DK Nguyen Van An 048090001234', 'a 12-digit ID number'],
    ['DK Nguyen Van An 0905123456', 'a 10-digit phone number'],
    ['DK An 1502199', 'a 7-digit number'],
    ['DK An 150219901', 'a 9-digit number'],
    ['DK An abc15021990', 'digits glued to a word'],
    ['DK An 15/02/90', 'a two-digit year'],
    ['DK An 15/02/19901', 'a five-digit year'],
    ['DK Nguyen Van An', 'no digits'],
    ['', 'empty text'],
  ])('finds nothing in %j (%s)', (text) => {
    expect(findBirthDate(text)).toBeNull();
  });

  it('gives indices into the original text', () => {
    const text = 'DK Nguyễn Văn An 048090001234 15.02.1990 xin';
    expect(findBirthDate(text)).toEqual({ value: '15.02.1990', start: 30, end: 40 });
  });
});

describe('formatBirthDate', () => {
  it.each([
    ['1990-02-15', '15/02/1990'],
    ['2000-12-01', '01/12/2000'],
  ])('formats %s as %s', (iso, expected) => {
    expect(formatBirthDate(iso)).toBe(expected);
  });

  it.each(['15/02/1990', '1990-2-15', ''])('throws on %j', (iso) => {
    expect(() => formatBirthDate(iso)).toThrow(RangeError);
  });

  it('round-trips with parseBirthDate', () => {
    const parsed = parseBirthDate('5.2.1990', TODAY);
    expect(parsed.ok && formatBirthDate(parsed.value)).toBe('05/02/1990');
  });
});
