import { describe, expect, it } from 'vitest';
import { isVietnameseMobile, maskPhone, normalizePhone } from './phone.ts';

describe('normalizePhone', () => {
  it.each([
    ['0905123456', '+84905123456'],
    ['+84905123456', '+84905123456'],
    ['84905123456', '+84905123456'],
    ['0905 123 456', '+84905123456'],
    ['0905.123.456', '+84905123456'],
    ['0905-123-456', '+84905123456'],
    ['(+84) 905-123-456', '+84905123456'],
    ['+84 905 123 456', '+84905123456'],
    ['  0905123456  ', '+84905123456'],
    ['+84 0905 123 456', '+84905123456'],
    ['840905123456', '+84905123456'],
    ['0312345678', '+84312345678'],
    ['0523456789', '+84523456789'],
    ['0701234567', '+84701234567'],
    ['0812345678', '+84812345678'],
    ['0987654321', '+84987654321'],
  ])('reads the Vietnamese mobile %j as %j', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each([
    ['02363822123', '+842363822123'],
    ['024 3825 1234', '+842438251234'],
    ['(028) 3829 5555', '+842838295555'],
    ['+84 236 382 2123', '+842363822123'],
    ['842363822123', '+842363822123'],
  ])('reads the Vietnamese landline %j as %j', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each([
    ['+15551234567', '+15551234567'],
    ['+1 555 123 4567', '+15551234567'],
    ['+44 20 7946 0958', '+442079460958'],
    ['+6512345678', '+6512345678'],
    ['+123456789012345', '+123456789012345'],
  ])('keeps the international E.164 number %j as %j', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['abc', 'letters'],
    ['0905l23456', 'a letter among digits'],
    ['0905123456a', 'a trailing letter'],
    ['090512345', 'one digit short'],
    ['09051234567', 'one digit long'],
    ['+8490512345', '+84 with 8 digits'],
    ['+849051234567', '+84 mobile with 10 digits'],
    ['0105123456', 'a mobile starting with 1'],
    ['0405123456', 'a mobile starting with 4'],
    ['0605123456', 'a mobile starting with 6'],
    ['0236382212', 'a landline one digit short'],
    ['+84123456789', '+84 then a 1'],
    ['905123456', 'no trunk 0 or country code'],
    ['+1555123', '7 digits after +'],
    ['+1234567890123456', '16 digits after +'],
    ['+05551234567', 'a country code starting with 0'],
    ['0905+123456', 'a plus in the middle'],
    ['++84905123456', 'two plus signs'],
    ['0905/123/456', 'slashes'],
    ['0905123456 ext 12', 'an extension'],
    ['１２３', 'full-width digits'],
  ])('rejects %j (%s)', (input) => {
    expect(normalizePhone(input)).toBeNull();
  });
});

describe('isVietnameseMobile', () => {
  it.each([
    ['+84905123456', true],
    ['+84312345678', true],
    ['+842363822123', false],
    ['+15551234567', false],
    ['0905123456', false],
    ['+8490512345', false],
  ])('says %j is a Vietnamese mobile: %s', (input, expected) => {
    expect(isVietnameseMobile(input)).toBe(expected);
  });
});

describe('maskPhone', () => {
  it.each([
    ['+84905123456', '+84******456'],
    ['+842363822123', '+84*******123'],
    ['+15551234567', '+1*******567'],
    ['+442079460958', '+4********958'],
    ['+845', '****'],
    ['', ''],
  ])('masks %j as %j', (input, expected) => {
    const masked = maskPhone(input);
    expect(masked).toBe(expected);
    expect(masked).toHaveLength(input.length);
  });
});
