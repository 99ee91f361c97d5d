import { describe, expect, it } from 'vitest';
import { Transcript } from '../../test/support/transcript.ts';

describe('registration by SMS, one question at a time', () => {
  it('opens a provisional account after name, CCCD, date of birth and consent', async () => {
    const chat = new Transcript();

    expect(await chat.send('DK')).toEqual([
      'Dang ky tai khoan cong dan so (buoc 1/3). Gui ho va ten day du, vi du: Nguyen Van An. Gui HUY de huy.',
    ]);
    expect(await chat.send('Nguyễn Văn An')).toEqual(['Buoc 2/3: gui so CCCD (12 chu so) cua ban.']);
    expect(await chat.send('048090001234')).toEqual(['Buoc 3/3: gui ngay sinh, vi du 15/02/1990.']);
    expect(await chat.send('15/02/1990')).toEqual([
      'Nguyen Van An, CCCD 048090001234, NS 15/02/1990. Dong y xu ly du lieu ca nhan de mo tai khoan? Tra loi CO de dong y, KHONG de huy.',
    ]);
    const [opened] = await chat.send('CO');

    expect(opened).toMatch(/^Da mo tai khoan tam thoi [2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}\. /);
    expect(chat.citizens.entries).toHaveLength(1);
    expect(chat.citizens.entries[0]?.identity).toEqual({
      fullName: 'Nguyễn Văn An',
      cccd: '048090001234',
      dateOfBirth: '1990-02-15',
    });
    expect(chat.citizens.entries[0]?.consent).toMatchObject({
      purpose: 'provisional_digital_citizen_account',
      channel: 'twilio-sms',
      language: 'vi',
    });
    expect(chat.verificationsScheduled).toEqual([chat.citizens.entries[0]?.citizen.id]);
  });
});
