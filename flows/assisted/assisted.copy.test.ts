import { describe, expect, it } from 'vitest';
import { renderSmsText } from '../../src/messaging/sms-render.ts';
import { countSmsSegments, isGsm7 } from '../../src/shared/sms-segments.ts';
import { assistedCopy, maskCccd, TEAM_NAME_IN_SMS, teamForSms } from './assisted.copy.ts';

/** The longest name a citizen may register: 40 characters. */
const NAME_40 = 'Nguyễn Thị Phương Thảo Hoàng Khánh Trinh';
const PHONE = '+84******456';
const CODE = 'ABCD-EFGH';
const LONG_TEAM = teamForSms('Tổ công nghệ số cộng đồng số 12 phường Hải Châu, Đà Nẵng');

describe('assisted registration copy', () => {
  it.each(['vi', 'en'] as const)(
    'fits every %s sentence in one GSM-7 segment, the consent SMS in two',
    (language) => {
      const copy = assistedCopy[language];
      const sentences: [string, string][] = [
        ['notMember', copy.notMember()],
        ['askPhone', copy.askPhone()],
        ['phoneInvalid', copy.phoneInvalid()],
        ['ownPhone', copy.ownPhone()],
        ['sent', copy.sent(PHONE, 1440)],
        ['unavailable', copy.unavailable()],
        ['phoneHasAccount', copy.phoneHasAccount()],
        ['cccdTaken', copy.cccdTaken()],
        ['phonePending', copy.phonePending()],
        ['optedOut', copy.optedOut()],
        ['tooManyPending', copy.tooManyPending(3)],
        ['hourlyLimit', copy.hourlyLimit(60)],
        ['waiting', copy.waiting(PHONE)],
        ['wrongCode', copy.wrongCode(4)],
        ['failedCodes', copy.failedCodes(PHONE)],
        ['opened', copy.opened(PHONE, CODE)],
        ['refused', copy.refused(PHONE)],
        ['expired', copy.expired(PHONE)],
        ['alreadyDone', copy.alreadyDone()],
        ['noPending', copy.noPending()],
        ['verified', copy.verified(CODE)],
        ...[copy.fieldCccd(), copy.fieldName(), copy.fieldBirthDate()].map((field): [string, string] => [
          'notMatched',
          copy.notMatched(CODE, field),
        ]),
        ['neighbourRefused', copy.neighbourRefused()],
        ['neighbourPhoneTaken', copy.neighbourPhoneTaken()],
        ['neighbourExpired', copy.neighbourExpired()],
      ];
      for (const [id, text] of sentences) {
        const sms = renderSmsText({ text }, 'gsm7');
        expect(isGsm7(sms), id).toBe(true);
        expect(countSmsSegments(sms).segments, `${id}: ${sms}`).toBe(1);
      }
      const consent = renderSmsText(
        { text: copy.consentSms(LONG_TEAM, NAME_40, maskCccd('048150001234'), '01/01/1950', '123456', 1440) },
        'gsm7',
      );
      expect(isGsm7(consent)).toBe(true);
      expect(countSmsSegments(consent).segments, consent).toBeLessThanOrEqual(2);
    },
  );

  it('masks all but the last four digits of a CCCD, and cuts a long team name', () => {
    expect(maskCccd('048150001234')).toBe('********1234');
    expect(LONG_TEAM.length).toBeLessThanOrEqual(TEAM_NAME_IN_SMS);
    expect(LONG_TEAM.endsWith('.')).toBe(true);
    expect(teamForSms('  Tổ 1  ')).toBe('Tổ 1');
  });
});
