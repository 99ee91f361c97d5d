import { describe, expect, it } from 'vitest';
import { maskOwnCccd, parseAddress, parseEmail, parseFieldUpdate } from './profile-fields.ts';

describe('parseAddress', () => {
  it('accepts 10 to 200 characters with letters, spaces collapsed', () => {
    expect(parseAddress('  12  Trần Phú,   Hải Châu ')).toEqual({ ok: true, value: '12 Trần Phú, Hải Châu' });
    expect(parseAddress('Tổ 5, Hòa Khánh')).toEqual({ ok: true, value: 'Tổ 5, Hòa Khánh' });
    expect(parseAddress('a'.repeat(200))).toMatchObject({ ok: true });
  });

  it('refuses what is too short, too long, has no letters or holds control characters', () => {
    expect(parseAddress('12 Le Loi')).toEqual({ ok: false, reason: 'too_short' });
    expect(parseAddress('a'.repeat(201))).toEqual({ ok: false, reason: 'too_long' });
    expect(parseAddress('123/456/789 0')).toEqual({ ok: false, reason: 'letters' });
    expect(parseAddress('12 Trần Phú\u0007 Hải Châu')).toEqual({ ok: false, reason: 'letters' });
  });
});

describe('parseEmail', () => {
  it.each([
    ['an@example.vn', 'an@example.vn'],
    [' An.Nguyen+dvc@Mail.Example.COM ', 'an.nguyen+dvc@mail.example.com'],
    ['nguyen_van-an@gov.vn', 'nguyen_van-an@gov.vn'],
  ])('accepts %j as %j', (typed, value) => {
    expect(parseEmail(typed)).toEqual({ ok: true, value });
  });

  it.each([
    'an',
    'an@',
    '@example.vn',
    'an@example',
    'an @example.vn',
    'an..b@example.vn',
    'an@-x.vn',
    'a@b.c',
  ])('refuses %j', (typed) => {
    expect(parseEmail(typed)).toEqual({ ok: false });
  });
});

describe('parseFieldUpdate', () => {
  it.each([
    ['DC 12 Trần Phú', { field: 'address', value: '12 Trần Phú' }],
    ['đc: 12 Trần Phú', { field: 'address', value: '12 Trần Phú' }],
    ['Địa chỉ 12 Trần Phú', { field: 'address', value: '12 Trần Phú' }],
    ['dia chi: 12 Tran Phu', { field: 'address', value: '12 Tran Phu' }],
    ['EMAIL an@example.vn', { field: 'email', value: 'an@example.vn' }],
    ['e-mail: an@example.vn', { field: 'email', value: 'an@example.vn' }],
  ])('reads %j', (args, update) => {
    expect(parseFieldUpdate(args)).toEqual(update);
  });

  it.each(['', 'DC', 'xin chao', 'DCX 12 Tran Phu'])('names no field in %j', (args) => {
    expect(parseFieldUpdate(args)).toBeNull();
  });
});

describe('maskOwnCccd', () => {
  it('keeps the first 4 and last 2 digits', () => {
    expect(maskOwnCccd('048090001234')).toBe('0480******34');
  });
});
