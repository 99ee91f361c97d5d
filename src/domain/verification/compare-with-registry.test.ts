import { describe, expect, it } from 'vitest';
import { compareWithRegistry } from './compare-with-registry.ts';
import type { RegistryRecord } from './population-registry.ts';

const record: RegistryRecord = {
  cccd: '048090001234',
  fullName: 'Nguyễn Văn An',
  dateOfBirth: '1990-02-15',
  gender: 'male',
};

const claim = { cccd: '048090001234', fullName: 'Nguyễn Văn An', dateOfBirth: '1990-02-15' };

describe('compareWithRegistry', () => {
  it.each([
    ['the exact registered name', 'Nguyễn Văn An'],
    ['the name without diacritics', 'Nguyen Van An'],
    ['the name in upper case without diacritics', 'NGUYEN VAN AN'],
    ['the name in lower case with diacritics', 'nguyễn văn an'],
    ['the name with extra and surrounding spaces', '  Nguyễn   Văn\tAn '],
    ['the name in decomposed Unicode (NFD)', 'Nguyễn Văn An'.normalize('NFD')],
  ])('verifies a claim with %s', (_label, fullName) => {
    expect(compareWithRegistry({ ...claim, fullName }, record)).toEqual({ outcome: 'verified' });
  });

  it('verifies a name with Đ typed as plain D', () => {
    const dung: RegistryRecord = { ...record, fullName: 'Đặng Văn Dũng' };
    expect(compareWithRegistry({ ...claim, fullName: 'dang van dung' }, dung)).toEqual({
      outcome: 'verified',
    });
  });

  it.each([
    ['the registry has no such person', claim, null, 'cccd'],
    ['the record is for another CCCD', { ...claim, cccd: '048090001235' }, record, 'cccd'],
    [
      'the registry has no person even if the name is wrong too',
      { ...claim, fullName: 'Trần Bình' },
      null,
      'cccd',
    ],
    ['the name differs', { ...claim, fullName: 'Nguyễn Văn Anh' }, record, 'full_name'],
    ['a middle name is missing', { ...claim, fullName: 'Nguyễn An' }, record, 'full_name'],
    ['the names are in another order', { ...claim, fullName: 'An Nguyễn Văn' }, record, 'full_name'],
    ['the date of birth differs', { ...claim, dateOfBirth: '1990-02-16' }, record, 'date_of_birth'],
    ['day and month are swapped', { ...claim, dateOfBirth: '1990-15-02' }, record, 'date_of_birth'],
    [
      'name and date both differ (name reported first)',
      { ...claim, fullName: 'Lê Văn An', dateOfBirth: '1991-02-15' },
      record,
      'full_name',
    ],
  ] as const)('reports a mismatch when %s', (_label, input, registryRecord, field) => {
    expect(compareWithRegistry(input, registryRecord)).toEqual({ outcome: 'not_matched', field });
  });
});
