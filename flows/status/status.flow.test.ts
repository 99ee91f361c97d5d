import { describe, expect, it } from 'vitest';
import type { MismatchField } from '../../src/domain/citizens/citizen.ts';
import { Transcript } from '../../test/support/transcript.ts';

/** An account code as shown: `XXXX-XXXX` from the alphabet without 0, O, 1 and I. */
const CODE = /[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/;

/** Opens an account for the transcript's phone and returns its code as shown and its id. */
async function register(chat: Transcript): Promise<{ code: string; id: string }> {
  await chat.send('DK Nguyen Van An, 048090001234, 15/02/1990');
  const [opened] = await chat.send('CO');
  const code = CODE.exec(opened ?? '')?.[0];
  const id = chat.citizens.entries[0]?.citizen.id;
  if (code === undefined || id === undefined) throw new Error(`no account opened: ${opened}`);
  return { code, id };
}

describe('TT: the status of the account', () => {
  describe('before registering', () => {
    it.each(['TT', 'tt', 'Tt', 'trạng thái', 'trang thai', 'TRẠNG THÁI', '2', 'tra cuu'])(
      '%j says how to register',
      async (word) => {
        const chat = new Transcript();

        expect(await chat.send(word)).toEqual([
          'So dien thoai nay chua co tai khoan cong dan so. Gui DK de dang ky.',
        ]);
        expect(chat.citizens.entries).toHaveLength(0);
      },
    );

    it('says it with diacritics when SMS_ENCODING=unicode', async () => {
      const chat = new Transcript({ encoding: 'unicode' });

      expect(await chat.send('TT')).toEqual([
        'Số điện thoại này chưa có tài khoản công dân số. Gửi DK để đăng ký.',
      ]);
    });

    it('says it in English after EN', async () => {
      const chat = new Transcript();
      await chat.send('EN');

      expect(await chat.send('status')).toEqual([
        'This phone number has no digital citizen account yet. Send DK to register.',
      ]);
    });

    it('leaves nothing in progress: the next message is handled fresh', async () => {
      const chat = new Transcript();
      await chat.send('TT');

      expect(await chat.send('HUY')).toEqual(['Khong co buoc nao dang lam. Gui HD de xem huong dan.']);
    });
  });

  describe('after registering', () => {
    it('gives the account code and "tam thoi" while the registry check is pending', async () => {
      const chat = new Transcript();
      const { code } = await register(chat);

      expect(await chat.send('TT')).toEqual([`Tai khoan ${code}: tam thoi, dang cho doi chieu CSDL dan cu.`]);
      expect(await chat.send('2')).toEqual([`Tai khoan ${code}: tam thoi, dang cho doi chieu CSDL dan cu.`]);
    });

    it('says "tạm thời" with diacritics when SMS_ENCODING=unicode', async () => {
      const chat = new Transcript({ encoding: 'unicode' });
      const { code } = await register(chat);

      expect(await chat.send('trạng thái')).toEqual([
        `Tài khoản ${code}: tạm thời, đang chờ đối chiếu CSDL dân cư.`,
      ]);
    });

    it('says verified once the registry confirmed the account', async () => {
      const chat = new Transcript();
      const { code, id } = await register(chat);
      await chat.citizens.recordVerification(id, { outcome: 'verified' });

      expect(await chat.send('tt')).toEqual([`Tai khoan ${code}: da xac minh.`]);
    });

    it.each<[MismatchField, string]>([
      ['full_name', 'ho ten'],
      ['date_of_birth', 'ngay sinh'],
      ['cccd', 'so CCCD'],
    ])('says which field did not match (%s) and what to do', async (field, shown) => {
      const chat = new Transcript();
      const { code, id } = await register(chat);
      await chat.citizens.recordVerification(id, { outcome: 'not_matched', field });

      expect(await chat.send('TT')).toEqual([
        `Tai khoan ${code}: ${shown} chua khop CSDL dan cu. Vui long mang CCCD den to cong nghe so cong dong hoac UBND phuong.`,
      ]);
    });

    it('says "not matched" with diacritics when SMS_ENCODING=unicode', async () => {
      const chat = new Transcript({ encoding: 'unicode' });
      const { code, id } = await register(chat);
      await chat.citizens.recordVerification(id, { outcome: 'not_matched', field: 'date_of_birth' });

      expect(await chat.send('TT')).toEqual([
        `Tài khoản ${code}: ngày sinh chưa khớp CSDL dân cư. Vui lòng mang CCCD đến tổ công nghệ số cộng đồng hoặc UBND phường.`,
      ]);
    });

    it('asks nothing back: a CO after TT is not taken as an answer', async () => {
      const chat = new Transcript();
      const { code } = await register(chat);

      expect(await chat.send('TT')).toEqual([`Tai khoan ${code}: tam thoi, dang cho doi chieu CSDL dan cu.`]);
      expect(await chat.send('CO')).toEqual([
        'Chua hieu tin nhan. Tra loi:\n1 DK: Dang ky tai khoan\n2 TT: Xem trang thai\nHD: Huong dan',
      ]);
    });
  });

  describe('in English', () => {
    it('gives the provisional status', async () => {
      const chat = new Transcript();
      const { code } = await register(chat);
      await chat.send('EN');

      expect(await chat.send('TT')).toEqual([
        `Account ${code}: provisional, waiting for the population registry check.`,
      ]);
    });

    it('gives the verified status', async () => {
      const chat = new Transcript();
      const { code, id } = await register(chat);
      await chat.send('EN');
      await chat.citizens.recordVerification(id, { outcome: 'verified' });

      expect(await chat.send('status')).toEqual([`Account ${code}: verified.`]);
    });

    it.each<[MismatchField, string]>([
      ['full_name', 'name'],
      ['date_of_birth', 'date of birth'],
      ['cccd', 'ID number'],
    ])('says which field did not match (%s) and what to do', async (field, shown) => {
      const chat = new Transcript();
      const { code, id } = await register(chat);
      await chat.send('EN');
      await chat.citizens.recordVerification(id, { outcome: 'not_matched', field });

      expect(await chat.send('tt')).toEqual([
        `Account ${code}: ${shown} did not match the registry. Bring your ID card to a community digital team or ward office.`,
      ]);
    });
  });
});
