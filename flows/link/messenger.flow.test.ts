import { describe, expect, it } from 'vitest';
import { InMemoryCitizenRepository } from '../../test/fakes/in-memory-citizen-repository.ts';
import { Transcript } from '../../test/support/transcript.ts';
import { identityCopy } from '../identity/identity.copy.ts';
import { menuCopy } from '../menu/menu.copy.ts';
import { registrationCopy } from '../registration/registration.copy.ts';
import { statusCopy } from '../status/status.copy.ts';

// The same flows on a messenger: the chat proves a phone first (shared contact, or a code by SMS), replies keep
// their diacritics and offer buttons, and an account opened on one channel is the account on every other.

const ID = identityCopy.vi;
const CHAT = '777001';
const PHONE = '+84905123456';
const FIVE_MINUTES = 5 * 60_000;

function telegram(citizens = new InMemoryCitizenRepository()) {
  return new Transcript({ channel: 'telegram', phone: CHAT, citizens });
}

/** Registers PHONE by SMS on the shared account store; resolves the account code. */
async function registeredBySms(citizens: InMemoryCitizenRepository): Promise<string> {
  const sms = new Transcript({ phone: PHONE, citizens });
  await sms.send('DK Nguyen Van An, 048090001234, 15/02/1990');
  const [opened] = await sms.send('CO');
  const code = /[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(opened ?? '')?.[0];
  if (!code) throw new Error('no account code in the SMS');
  return code;
}

describe('registration from a messenger chat', () => {
  it('asks to confirm the phone first, with the share button, and keeps the details sent with DK', async () => {
    const chat = telegram();
    expect(await chat.send('DK Nguyễn Văn An, 048090001234, 15/02/1990')).toEqual([
      ID.registerNeedsPhone(),
      ID.askPhone(true),
    ]);
    expect(chat.delivered.at(-1)?.reply.requestPhone).toBe(true);
    const [confirmed, confirm] = await chat.sharePhone(PHONE);
    expect(confirmed).toBe(ID.phoneConfirmed());
    expect(confirm).toBe(registrationCopy.vi.confirm('Nguyễn Văn An', '048090001234', '15/02/1990'));
    expect(chat.delivered.at(-1)?.reply.choices).toEqual([
      { label: 'Đồng ý', payload: 'CO' },
      { label: 'Không đồng ý', payload: 'KHONG' },
    ]);
    const [opened] = await chat.send('CO');
    expect(opened).toMatch(/^Đã mở tài khoản tạm thời [A-Z0-9]{4}-[A-Z0-9]{4}\./);
    expect((await chat.citizens.findByPhone(PHONE))?.createdVia).toBe('telegram');
  });

  it('takes a typed button label as the button: "Đồng ý" agrees', async () => {
    const chat = telegram();
    await chat.sharePhone(PHONE);
    await chat.send('DK Nguyễn Văn An, 048090001234, 15/02/1990');
    const [opened] = await chat.send('đồng ý');
    expect(opened).toContain('Đã mở tài khoản tạm thời');
  });

  it('proves a typed phone with a 6-digit code by SMS, counting wrong codes, then goes on with the questions', async () => {
    const chat = new Transcript({ channel: 'zalo-personal', phone: 'zalo-uid-1' });
    expect(await chat.send('DK')).toEqual([ID.registerNeedsPhone(), ID.askPhone(false)]);
    expect(await chat.send('12345')).toEqual([ID.phoneInvalid()]);
    expect(await chat.send('0905 123 456')).toEqual([ID.codeSent('0905***456')]);
    const code = chat.lastCode(PHONE);
    expect(chat.texted.at(-1)?.text).toBe(
      `Ma xac nhan Cong dan so: ${code}. Hieu luc 5 phut. Khong dua ma nay cho bat ky ai.`,
    );
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await chat.send(wrong)).toEqual([ID.codeWrong(4)]);
    expect(await chat.send('abc')).toEqual([ID.codeFormat()]);
    const [confirmed, askName] = await chat.send(code.replace(/(\d{3})/, '$1 '));
    expect(confirmed).toBe(ID.phoneConfirmed());
    expect(askName).toBe(registrationCopy.vi.askName());
    expect((await chat.contacts.find('zalo-personal', 'zalo-uid-1'))?.phone).toBe(PHONE);
  });

  it('sends a new code to a corrected number, and says when a code has expired', async () => {
    const chat = new Transcript({ channel: 'zalo-personal', phone: 'zalo-uid-2' });
    await chat.send('DK');
    await chat.send('0905123450');
    expect(await chat.send('0905123456')).toEqual([ID.codeSent('0905***456')]);
    const code = chat.lastCode(PHONE);
    chat.advance(FIVE_MINUTES + 1000);
    expect(await chat.send(code)).toEqual([ID.codeExpired()]);
  });

  it('locks the code after 5 wrong tries', async () => {
    const chat = new Transcript({ channel: 'zalo-personal', phone: 'zalo-uid-3' });
    await chat.send('LK');
    await chat.send('0905123456');
    const wrong = chat.lastCode(PHONE) === '000000' ? '111111' : '000000';
    for (const left of [4, 3, 2, 1]) expect(await chat.send(wrong)).toEqual([ID.codeWrong(left)]);
    expect(await chat.send(wrong)).toEqual([ID.codeLocked()]);
  });

  it('texts at most 3 codes to one phone an hour', async () => {
    const chat = new Transcript({ channel: 'zalo-personal', phone: 'zalo-uid-4' });
    await chat.send('LK');
    for (let i = 0; i < 3; i += 1) expect(await chat.send('0905123456')).toEqual([ID.codeSent('0905***456')]);
    const [limited, ask] = await chat.send('0905123456');
    expect(limited).toMatch(/^Số này đã nhận 3 mã trong 1 giờ qua\. Vui lòng thử lại sau \d{2}:\d{2}\.$/);
    expect(ask).toBe(ID.askPhone(false));
    expect(chat.texted).toHaveLength(3);
  });

  it('refuses a contact card that is not the sender’s own number, and keeps asking', async () => {
    const chat = telegram();
    await chat.send('DK');
    const [refused, again] = await chat.sharePhone(PHONE, 'foreign');
    expect(refused).toBe(menuCopy.vi.notOwnPhone());
    expect(again).toBe(ID.askPhone(true));
    expect((await chat.contacts.find('telegram', CHAT))?.phone).toBeNull();
  });

  it('cancels the phone question with HUY', async () => {
    const chat = telegram();
    await chat.send('DK');
    expect(await chat.send('HUY')).toEqual([menuCopy.vi.cancelled()]);
  });
});

describe('one account across channels', () => {
  it('links a chat to the account opened by SMS as soon as the phone is shared, and never asks again', async () => {
    const citizens = new InMemoryCitizenRepository();
    const code = await registeredBySms(citizens);
    const chat = telegram(citizens);
    expect(await chat.send('TT')).toEqual([statusCopy.vi.noAccountLinked()]);
    const [linked] = await chat.sharePhone(PHONE);
    expect(linked).toContain(`Đã liên kết với tài khoản của bạn. Tài khoản ${code}`);
    expect((await chat.send('TT'))[0]).toContain(code);
    const [again] = await chat.send('DK');
    expect(again).toContain('đã có tài khoản');
  });

  it('links through DK too: proving the phone of an existing account ends registration with that account', async () => {
    const citizens = new InMemoryCitizenRepository();
    const code = await registeredBySms(citizens);
    const chat = new Transcript({ channel: 'zalo-personal', phone: 'zalo-uid-5', citizens });
    await chat.send('DK');
    await chat.send('0905123456');
    const [linked] = await chat.send(chat.lastCode(PHONE));
    expect(linked).toContain(`Đã liên kết với tài khoản của bạn. Tài khoản ${code}`);
  });

  it('says when the proven phone has no account yet', async () => {
    const chat = telegram();
    await chat.send('LK');
    expect(await chat.sharePhone(PHONE)).toEqual([ID.noAccount()]);
  });

  it('answers LK by SMS at once: the SMS sender is the phone', async () => {
    const citizens = new InMemoryCitizenRepository();
    const code = await registeredBySms(citizens);
    const sms = new Transcript({ phone: PHONE, citizens });
    const [linked] = await sms.send('LK');
    expect(linked).toContain(code);
    expect(await new Transcript({ phone: '+84905999888' }).send('3')).toEqual([
      'So dien thoai nay chua co tai khoan cong dan so. Gui DK de dang ky.',
    ]);
  });
});

describe("a phone the channel does not vouch for (Zalo OA's information form) is only a claim", () => {
  const zaloOa = (citizens = new InMemoryCitizenRepository()) =>
    new Transcript({ channel: 'zalo-oa', phone: 'zalo-oa-user-1', citizens });

  it("texts the claimed number's owner a code, and links nothing until it is typed back", async () => {
    const citizens = new InMemoryCitizenRepository();
    const code = await registeredBySms(citizens);
    const chat = zaloOa(citizens);

    expect(await chat.sharePhone(PHONE, 'claimed')).toEqual([ID.codeSent('0905***456')]);
    expect(chat.texted).toEqual([{ phone: PHONE, text: expect.stringContaining('Ma xac nhan') }]);
    expect(await chat.contacts.find('zalo-oa', 'zalo-oa-user-1')).toMatchObject({
      phone: null,
      citizenId: null,
    });

    const [linked] = await chat.send(chat.lastCode(PHONE));
    expect(linked).toContain(`Đã liên kết với tài khoản của bạn. Tài khoản ${code}`);
    expect((await chat.send('TT'))[0]).toContain(code);
  });

  it.each([
    ['TT', () => statusCopy.vi.noAccountLinked()],
    ['GT', () => statusCopy.vi.noAccountLinked()],
    ['DULIEU', () => statusCopy.vi.noAccountLinked()],
  ])('gives no access to %s on the claim alone, nor after a wrong code', async (keyword, noAccount) => {
    const citizens = new InMemoryCitizenRepository();
    await registeredBySms(citizens);
    const chat = zaloOa(citizens);
    await chat.sharePhone(PHONE, 'claimed');
    const wrong = chat.lastCode(PHONE) === '000000' ? '111111' : '000000';
    expect(await chat.send(wrong)).toEqual([ID.codeWrong(4)]);

    expect(await chat.send(keyword)).toEqual([noAccount()]);
  });

  it('proves the number of the form sent while registration asks for it, then goes on with the questions', async () => {
    const chat = zaloOa();
    await chat.send('DK');
    expect(await chat.sharePhone(PHONE, 'claimed')).toEqual([ID.codeSent('0905***456')]);
    const [confirmed, askName] = await chat.send(chat.lastCode(PHONE));
    expect(confirmed).toBe(ID.phoneConfirmed());
    expect(askName).toBe(registrationCopy.vi.askName());
    expect(chat.citizens.entries).toHaveLength(0);
  });

  it('texts a new code to a corrected number sent with the form while a code is awaited', async () => {
    const chat = zaloOa();
    await chat.send('LK');
    await chat.send('0905123450');
    expect(await chat.sharePhone(PHONE, 'claimed')).toEqual([ID.codeSent('0905***456')]);
    expect(chat.texted.map((t) => t.phone)).toEqual(['+84905123450', PHONE]);
  });

  it('never opens an account on a claim: registration waits for the code', async () => {
    const chat = zaloOa();
    await chat.send('DK Nguyễn Văn An, 048090001234, 15/02/1990');
    await chat.sharePhone(PHONE, 'claimed');
    expect(await chat.send('CO')).toEqual([ID.codeFormat()]);
    expect(chat.citizens.entries).toHaveLength(0);
  });
});

describe("Telegram's contact button", () => {
  it("links at once with the sender's own contact, but not with someone else's, which texts no code", async () => {
    const citizens = new InMemoryCitizenRepository();
    const code = await registeredBySms(citizens);
    const forwarded = new Transcript({ channel: 'telegram', phone: '777002', citizens });
    expect(await forwarded.sharePhone(PHONE, 'foreign')).toEqual([menuCopy.vi.notOwnPhone()]);
    expect(forwarded.texted).toEqual([]);
    expect(await forwarded.send('TT')).toEqual([statusCopy.vi.noAccountLinked()]);

    const own = new Transcript({ channel: 'telegram', phone: '777003', citizens });
    const [linked] = await own.sharePhone(PHONE);
    expect(linked).toContain(`Đã liên kết với tài khoản của bạn. Tài khoản ${code}`);
    expect((await own.contacts.find('telegram', '777003'))?.phone).toBe(PHONE);
  });
});

describe('the menu on a messenger', () => {
  it('welcomes a new follower with the menu and its buttons', async () => {
    const chat = telegram();
    const [welcome] = await chat.event('follow');
    expect(welcome).toBe(`${menuCopy.vi.welcome()}\n${menuCopy.vi.chatMenu()}`);
    expect(chat.delivered.at(-1)?.reply.choices?.map((c) => c.payload)).toEqual(['DK', 'TT', 'LK', 'GT']);
  });

  it('takes a button label typed as text, and a number, for the menu line', async () => {
    const chat = telegram();
    await chat.send('HD');
    expect(await chat.send('Xem trạng thái')).toEqual([statusCopy.vi.noAccountLinked()]);
    expect(await chat.send('2')).toEqual([statusCopy.vi.noAccountLinked()]);
  });

  it('goes silent after the person leaves (unfollow) and welcomes them back when they follow again', async () => {
    const chat = telegram();
    expect(await chat.event('unfollow')).toEqual([]);
    expect(await chat.send('TT')).toEqual([]);
    const [welcome] = await chat.event('follow');
    expect(welcome).toContain(menuCopy.vi.welcome());
    expect(await chat.send('TT')).toEqual([statusCopy.vi.noAccountLinked()]);
  });
});
