import { describe, expect, it } from 'vitest';
import { countSmsSegments } from '../../src/shared/sms-segments.ts';
import { CITIZEN_PHONE, openCitizenChat } from '../../test/support/citizen-chat.ts';
import { Transcript } from '../../test/support/transcript.ts';
import { menuCopy } from '../menu/menu.copy.ts';
import { profileCopy } from './profile.copy.ts';

// TTCN: the profile (masked CCCD and phone), and changing the address or the email, on SMS and on Telegram.

const VI = {
  profile:
    'Nguyen Van An, CCCD 0480******34, NS 15/02/1990, DT 0905***456. Dia chi: chua co. Email: chua co. Gui 1: doi dia chi, 2: doi email.',
  askAddress: 'Gui dia chi moi (so nha, duong, phuong/xa), vi du: 12 Tran Phu, Hai Chau, Da Nang.',
  askEmail: 'Gui dia chi email moi, vi du: ten.ban@gmail.com.',
  emailInvalid: 'Email chua dung dang, vi du: ten.ban@gmail.com. Vui long gui lai.',
  notSaved: 'Khong thay doi gi. Gui TTCN de xem thong tin ca nhan.',
} as const;

const ADDRESS = '12 Trần Phú, Hải Châu, Đà Nẵng';

/** The profile as stored for the chat's account. */
async function profileOf(chat: Transcript, citizenId: string) {
  return chat.citizens.findProfile(citizenId);
}

describe('TTCN on SMS', () => {
  it('shows the profile with the CCCD and phone masked and what is not given, in one SMS', async () => {
    const { chat } = await openCitizenChat();

    expect(await chat.send('TTCN')).toEqual([VI.profile]);
    expect(await chat.send('ttcn')).toEqual([VI.profile]);
    await chat.send('HUY');
    expect(await chat.send('thong tin ca nhan')).toEqual([VI.profile]);
    expect(countSmsSegments(VI.profile)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('changes the address: asks it, confirms it, saves it, and shows it next time', async () => {
    const { chat, citizenId } = await openCitizenChat();
    await chat.send('TTCN');

    expect(await chat.send('1')).toEqual([VI.askAddress]);
    expect(await chat.send(`  ${ADDRESS} `)).toEqual([
      'Dia chi moi: 12 Tran Phu, Hai Chau, Da Nang. Tra loi CO de luu, KHONG de bo.',
    ]);
    expect(await chat.send('co')).toEqual([
      'Da luu dia chi moi: 12 Tran Phu, Hai Chau, Da Nang. Gui TTCN de xem thong tin ca nhan.',
    ]);
    expect(await profileOf(chat, citizenId)).toMatchObject({ address: ADDRESS, email: null });
    expect(await chat.send('TTCN')).toEqual([
      'Nguyen Van An, CCCD 0480******34, NS 15/02/1990, DT 0905***456. Dia chi: 12 Tran Phu, Hai Chau, Da Nang. Email: chua co. Gui 1: doi dia chi, 2: doi email.',
    ]);
  });

  it('audits the change without the value', async () => {
    const { chat, citizenId } = await openCitizenChat();
    await chat.send(`TTCN DC ${ADDRESS}`);

    const entry = chat.citizens.audit.find((a) => a.action === 'profile_updated');
    expect(entry).toEqual({
      action: 'profile_updated',
      citizenId,
      details: { fields: ['address'], channel: 'twilio-sms' },
    });
    expect(JSON.stringify(chat.citizens.audit)).not.toContain('Trần Phú');
  });

  it('changes the email, re-asking an invalid one, and stores it lower-cased', async () => {
    const { chat, citizenId } = await openCitizenChat();
    await chat.send('TTCN');

    expect(await chat.send('2')).toEqual([VI.askEmail]);
    expect(await chat.send('an@')).toEqual([VI.emailInvalid]);
    expect(await chat.send('an nguyen@gmail')).toEqual([VI.emailInvalid]);
    expect(await chat.send(' An.Nguyen@Example.VN ')).toEqual([
      'Email moi: an.nguyen@example.vn. Tra loi CO de luu, KHONG de bo.',
    ]);
    expect(await chat.send('CO')).toEqual([
      'Da luu email moi: an.nguyen@example.vn. Gui TTCN de xem thong tin ca nhan.',
    ]);
    expect(await profileOf(chat, citizenId)).toMatchObject({ address: null, email: 'an.nguyen@example.vn' });
  });

  it('re-asks an address that is too short, too long or has no letters, with the reason', async () => {
    const { chat } = await openCitizenChat();
    await chat.send('TTCN');
    await chat.send('1');

    expect(await chat.send('12 Le Loi')).toEqual([
      'Dia chi qua ngan (it nhat 10 ky tu). Gui lai, vi du: 12 Tran Phu, Hai Chau.',
    ]);
    expect(await chat.send('123 / 456 / 789')).toEqual([
      'Dia chi can co ten duong, phuong (chu cai). Gui lai, vi du: 12 Tran Phu, Hai Chau.',
    ]);
    expect(await chat.send('x'.repeat(201))).toEqual([
      'Chua luu duoc. Gui TTCN de thu lai, hoac nho to cong nghe so cong dong giup.',
      'Can nguoi giup? Gui GAP de gap tinh nguyen vien hoac can bo.',
    ]);
    expect(await chat.send(`TTCN DC ${'Trần Phú '.repeat(23)}`)).toEqual([
      'Dia chi dai qua 200 ky tu. Vui long gui dia chi ngan gon hon.',
    ]);
  });

  it('HUY in the middle cancels and changes nothing', async () => {
    const { chat, citizenId } = await openCitizenChat();
    await chat.send('TTCN');
    await chat.send('1');

    expect(await chat.send('HUY')).toEqual([
      'Da huy, thong tin chua hoan tat khong duoc luu. Gui HD de xem huong dan.',
    ]);
    expect(await chat.send(ADDRESS)).toEqual([
      'Chua hieu tin nhan. Tra loi:\n1 DK: Dang ky tai khoan\n2 TT: Xem trang thai\nHD: Huong dan',
    ]);
    expect(await profileOf(chat, citizenId)).toMatchObject({ address: null });
  });

  it('KHONG at the confirmation saves nothing', async () => {
    const { chat, citizenId } = await openCitizenChat();
    await chat.send('TTCN');
    await chat.send('1');
    await chat.send(ADDRESS);

    expect(await chat.send('KHONG')).toEqual([VI.notSaved]);
    expect(await profileOf(chat, citizenId)).toMatchObject({ address: null });
  });

  it('saves at once with the one-shot forms TTCN DC and TTCN EMAIL', async () => {
    const { chat, citizenId } = await openCitizenChat();

    expect(await chat.send('TTCN DC 5 Lê Lợi, Hải Châu')).toEqual([
      'Da luu dia chi moi: 5 Le Loi, Hai Chau. Gui TTCN de xem thong tin ca nhan.',
    ]);
    expect(await chat.send('ttcn email: An@Gmail.com')).toEqual([
      'Da luu email moi: an@gmail.com. Gui TTCN de xem thong tin ca nhan.',
    ]);
    expect(await chat.send('TTCN Địa chỉ: 7 Bạch Đằng, Hải Châu')).toEqual([
      'Da luu dia chi moi: 7 Bach Dang, Hai Chau. Gui TTCN de xem thong tin ca nhan.',
    ]);
    expect(await profileOf(chat, citizenId)).toMatchObject({
      address: '7 Bạch Đằng, Hải Châu',
      email: 'an@gmail.com',
    });
  });

  it('asks again when the one-shot value is invalid, then goes on to the confirmation', async () => {
    const { chat } = await openCitizenChat();

    expect(await chat.send('TTCN EMAIL an.gmail.com')).toEqual([VI.emailInvalid]);
    expect(await chat.send('an@gmail.com')).toEqual([
      'Email moi: an@gmail.com. Tra loi CO de luu, KHONG de bo.',
    ]);
  });

  it('answers a phone without an account with how to register', async () => {
    const chat = new Transcript();

    expect(await chat.send('TTCN')).toEqual([
      'So dien thoai nay chua co tai khoan cong dan so. Gui DK de dang ky.',
    ]);
  });

  it('speaks English after EN, and repeats its question in English', async () => {
    const { chat } = await openCitizenChat();
    await chat.send('EN');

    expect(await chat.send('TTCN')).toEqual([
      'Nguyen Van An, ID 0480******34, born 15/02/1990, tel 0905***456. Address: none. Email: none. Reply 1: new address, 2: new email.',
    ]);
    expect(await chat.send('VI')).toEqual([
      'Da chuyen sang tieng Viet. Gui EN for English.',
      'Gui 1 de doi dia chi, 2 de doi email, HUY de thoat.',
    ]);
  });
});

describe('TTCN on Telegram', () => {
  it('shows the profile with diacritics and buttons, and a pressed button changes the email', async () => {
    const { chat, citizenId } = await openCitizenChat('telegram');

    expect(await chat.send('TTCN')).toEqual([
      'Nguyen Van An, CCCD 0480******34, NS 15/02/1990, ĐT 0905***456. Địa chỉ: chưa có. Email: chưa có. Gửi 1: đổi địa chỉ, 2: đổi email.',
    ]);
    expect(chat.delivered.at(-1)?.reply.choices).toEqual([
      { label: 'Đổi địa chỉ', payload: '1' },
      { label: 'Đổi email', payload: '2' },
    ]);
    expect(await chat.send('Đổi email')).toEqual([profileCopy.vi.askEmail()]);
    expect(await chat.send('an@example')).toEqual([profileCopy.vi.emailInvalid()]);
    expect(await chat.send('an@example.vn')).toEqual([profileCopy.vi.confirmEmail('an@example.vn')]);
    expect(chat.delivered.at(-1)?.reply.choices).toEqual([
      { label: 'Lưu', payload: 'CO' },
      { label: 'Không lưu', payload: 'KHONG' },
    ]);
    expect(await chat.send('Lưu')).toEqual([profileCopy.vi.emailSaved('an@example.vn')]);
    expect(await chat.citizens.findProfile(citizenId)).toMatchObject({ email: 'an@example.vn' });
  });

  it('changes the address by the button, and HUY cancels a second change', async () => {
    const { chat, citizenId } = await openCitizenChat('telegram');
    await chat.send('TTCN');

    expect(await chat.send('1')).toEqual([profileCopy.vi.askAddress()]);
    expect(await chat.send(ADDRESS)).toEqual([profileCopy.vi.confirmAddress(ADDRESS)]);
    expect(await chat.send('CO')).toEqual([profileCopy.vi.addressSaved(ADDRESS)]);
    await chat.send('TTCN');
    await chat.send('Đổi địa chỉ');
    expect(await chat.send('HUY')).toEqual([menuCopy.vi.cancelled()]);
    expect(await chat.citizens.findProfile(citizenId)).toMatchObject({ address: ADDRESS });
  });

  it('answers a chat that is not linked to an account with how to link or register', async () => {
    const chat = new Transcript({ channel: 'telegram', phone: 'telegram-user-9' });

    expect(await chat.send('TTCN')).toEqual([
      'Cuộc trò chuyện này chưa liên kết với tài khoản công dân số nào. Gửi LK nếu bạn đã đăng ký (ví dụ qua SMS), hoặc DK để đăng ký.',
    ]);
    expect(chat.phone).not.toBe(CITIZEN_PHONE);
  });
});
