import { describe, expect, it } from 'vitest';
import { renderSmsText } from '../../src/messaging/sms-render.ts';
import { countSmsSegments, isGsm7 } from '../../src/shared/sms-segments.ts';
import { NAME_40 } from '../kit/copy-samples.ts';
import { assistedCopy, maskCccd, TEAM_NAME_IN_SMS, teamForSms } from './assisted.copy.ts';

const LONG_TEAM = teamForSms('Tổ công nghệ số cộng đồng số 12 phường Hải Châu, Đà Nẵng');

describe('assisted registration copy', () => {
  it.each(['vi', 'en'] as const)(
    'sends the consent request as two SMS of one GSM-7 segment each (%s)',
    (language) => {
      const copy = assistedCopy[language];
      for (const text of [
        copy.consentSummary(NAME_40, maskCccd('048150001234'), '01/01/1950'),
        copy.consentAnswer(LONG_TEAM, '123456', 1440),
      ]) {
        const sms = renderSmsText({ text }, 'gsm7');
        expect(isGsm7(sms)).toBe(true);
        expect(countSmsSegments(sms).segments, sms).toBe(1);
      }
    },
  );

  it('fits the notice of a registry result in one segment for every field (vi, en)', () => {
    for (const copy of [assistedCopy.vi, assistedCopy.en])
      for (const field of [copy.fieldCccd(), copy.fieldName(), copy.fieldBirthDate()]) {
        const sms = renderSmsText({ text: copy.notMatched('ABCD-EFGH', field) }, 'gsm7');
        expect(countSmsSegments(sms).segments, sms).toBe(1);
      }
  });

  it('masks all but the last four digits of a CCCD, and cuts a long team name', () => {
    expect(maskCccd('048150001234')).toBe('********1234');
    expect(LONG_TEAM.length).toBeLessThanOrEqual(TEAM_NAME_IN_SMS);
    expect(LONG_TEAM.endsWith('.')).toBe(true);
    expect(teamForSms('  Tổ 1  ')).toBe('Tổ 1');
  });
});
