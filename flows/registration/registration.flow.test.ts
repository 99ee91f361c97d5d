import { describe, expect, it } from 'vitest';
import type { SmsEncoding } from '../../src/messaging/sms-render.ts';
import { toGsm7 } from '../../src/shared/sms-segments.ts';
import { InMemoryCitizenRepository } from '../../test/fakes/in-memory-citizen-repository.ts';
import { InMemoryContactRepository } from '../../test/fakes/in-memory-contact-repository.ts';
import { Transcript } from '../../test/support/transcript.ts';

/**
 * What the citizen reads, as written in the copy files (with diacritics). With the default `gsm7` encoding the
 * same sentence arrives unaccented; {@link render} gives the text for an encoding.
 */
const VI = {
  askName:
    'Đăng ký tài khoản công dân số (bước 1/3). Gửi họ và tên đầy đủ, ví dụ: Nguyễn Văn An. Gửi HUY để hủy.',
  askCccd: 'Bước 2/3: gửi số CCCD (12 chữ số) của bạn.',
  askBirthDate: 'Bước 3/3: gửi ngày sinh, ví dụ 15/02/1990.',
  nameEmpty: 'Vui lòng gửi họ và tên đầy đủ (ít nhất 2 chữ), ví dụ: Nguyễn Văn An.',
  nameCharacters: 'Họ tên chỉ gồm chữ cái và khoảng trắng, không có số. Ví dụ: Nguyễn Văn An.',
  nameTooLong: 'Họ tên dài quá 40 ký tự. Vui lòng gửi lại họ và tên.',
  cccdFormat: 'Số CCCD phải gồm đúng 12 chữ số, ví dụ 048090001234. Vui lòng gửi lại.',
  cccdProvince: '3 số đầu của CCCD (mã tỉnh) không đúng. Vui lòng xem lại thẻ và gửi lại.',
  cccdYear: 'Chữ số thứ 4 đến 6 của CCCD (thế kỷ, năm sinh) không hợp lệ. Vui lòng xem lại thẻ và gửi lại.',
  dateFormat: 'Chưa đọc được ngày sinh. Gửi theo dạng ngày/tháng/năm, ví dụ 15/02/1990.',
  dateInvalid: 'Ngày này không có thật. Gửi lại ngày sinh, ví dụ 15/02/1990.',
  dateFuture: 'Ngày sinh không thể sau hôm nay. Gửi lại, ví dụ 15/02/1990.',
  dateTooOld: 'Năm sinh phải từ 1900 trở đi. Gửi lại ngày sinh, ví dụ 15/02/1990.',
  dateMismatch1990:
    'Ngày sinh không khớp số CCCD (số CCCD ghi năm sinh 1990). Gửi lại ngày sinh, hoặc HUY rồi DK để nhập lại.',
  confirm: (name: string, date = '15/02/1990', cccd = '048090001234') =>
    `${name}, CCCD ${cccd}, NS ${date}. Đồng ý xử lý dữ liệu cá nhân để mở tài khoản? Trả lời CO để đồng ý, KHONG để hủy.`,
  confirmUnclear: 'Trả lời CO nếu đồng ý xử lý dữ liệu để mở tài khoản, hoặc KHONG để hủy.',
  declined: 'Đã hủy đăng ký, thông tin bạn gửi không được lưu. Gửi DK khi muốn đăng ký lại.',
  opened: (code: string) =>
    `Đã mở tài khoản tạm thời ${code}. Chúng tôi đang đối chiếu CSDL dân cư và sẽ nhắn kết quả. Gửi TT để xem trạng thái.`,
  alreadyProvisional: (code: string) =>
    `Số điện thoại này đã có tài khoản. Tài khoản ${code}: tạm thời, đang chờ đối chiếu CSDL dân cư.`,
  alreadyNotMatchedName: (code: string) =>
    `Số điện thoại này đã có tài khoản. Tài khoản ${code}: họ tên chưa khớp CSDL dân cư. Vui lòng mang CCCD đến tổ công nghệ số cộng đồng hoặc UBND phường.`,
  cccdTaken:
    'Số CCCD này đã đăng ký với số điện thoại khác. Vui lòng liên hệ tổ công nghệ số cộng đồng hoặc UBND phường.',
  tooManyTries:
    'Chưa đăng ký được. Tổ công nghệ số cộng đồng hoặc UBND phường sẽ giúp bạn, mang theo CCCD. Gửi DK để thử lại.',
  /** Said after `tooManyTries`, as a second reply. */
  offerPerson: 'Cần người giúp? Gửi GAP để gặp tình nguyện viên hoặc cán bộ.',
  cancelled: 'Đã hủy, thông tin chưa hoàn tất không được lưu. Gửi HD để xem hướng dẫn.',
  nothingToCancel: 'Không có bước nào đang làm. Gửi HD để xem hướng dẫn.',
  notUnderstood: 'Chưa hiểu tin nhắn. Trả lời:\n1 DK: Đăng ký tài khoản\n2 TT: Xem trạng thái\nHD: Hướng dẫn',
  languageChanged: 'Đã chuyển sang tiếng Việt. Gửi EN for English.',
  menu: 'Công dân số Đà Nẵng. Trả lời số hoặc từ khóa:\n1 DK: Đăng ký tài khoản\n2 TT: Xem trạng thái\nGT: Giấy tờ\nHUY: hủy bước\nEN: English\nTUCHOI: ngừng nhận tin',
} as const;

const EN = {
  askName:
    'Digital citizen account registration (step 1/3). Send your full name, e.g. Nguyen Van An. Send HUY to cancel.',
  askCccd: 'Step 2/3: send your CCCD ID card number (12 digits).',
  askBirthDate: 'Step 3/3: send your date of birth, e.g. 15/02/1990.',
  nameEmpty: 'Please send your full name (at least 2 words), e.g. Nguyen Van An.',
  nameCharacters: 'A name has only letters and spaces, no digits. E.g. Nguyen Van An.',
  nameTooLong: 'The name is longer than 40 characters. Please send your full name again.',
  cccdFormat: 'A CCCD number has exactly 12 digits, e.g. 048090001234. Please send it again.',
  cccdProvince:
    'The first 3 digits of the CCCD (province code) are wrong. Please check your card and resend.',
  dateFormat: 'I could not read the date. Send it as day/month/year, e.g. 15/02/1990.',
  dateInvalid: 'That date does not exist. Send your date of birth again, e.g. 15/02/1990.',
  dateFuture: 'A date of birth cannot be after today. Send it again, e.g. 15/02/1990.',
  dateTooOld: 'The year of birth must be 1900 or later. Send it again, e.g. 15/02/1990.',
  dateMismatch1990:
    'The date does not match the CCCD (it says born in 1990). Resend the date, or HUY then DK to start over.',
  confirm: (name: string) =>
    `${name}, ID 048090001234, born 15/02/1990. OK to process this data to open your account? Reply YES to agree, NO to cancel.`,
  confirmUnclear:
    'Reply YES if you agree to the processing of this data to open your account, or NO to cancel.',
  declined: 'Registration cancelled; nothing you sent was kept. Send DK to register later.',
  opened: (code: string) =>
    `Provisional account ${code} is open. We are checking it with the population registry and will text you. Send TT for status.`,
  alreadyProvisional: (code: string) =>
    `This phone already has an account. Account ${code}: provisional, waiting for the population registry check.`,
  cccdTaken:
    'This CCCD number is registered with another phone. Please contact a community digital team or the ward office.',
  tooManyTries:
    'Registration did not succeed. A community digital team or the ward office can help; bring your ID card. Send DK to retry.',
  offerPerson: 'Need help? Send GAP to talk to a person.',
  cancelled: 'Cancelled; nothing unfinished was kept. Send HD for help.',
  languageChanged: 'Switched to English. Gửi VI để dùng tiếng Việt.',
  menu: 'Da Nang digital citizen. Send a number or keyword:\n1 DK: Register an account\n2 TT: Check status\nGT: Your papers\nHUY: cancel step\nVI: Tiếng Việt\nSTOP: opt out',
} as const;

/** An account code as shown: `XXXX-XXXX` from the alphabet without 0, O, 1 and I. */
const CODE = /[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/;
const ONE_SHOT = 'DK Nguyen Van An, 048090001234, 15/02/1990';
/** 41 characters: one more than a name may have. */
const NAME_41 = 'Nguyễn Thị Phương Thảo Hoàng Anh Khánh Ly';

/** The text as the citizen's phone shows it for `encoding`. */
function render(text: string, encoding: SmsEncoding): string {
  return encoding === 'gsm7' ? toGsm7(text) : text;
}

/** The account code inside a reply. */
function codeIn(reply: string | undefined): string {
  const code = CODE.exec(reply ?? '')?.[0];
  if (code === undefined) throw new Error(`no account code in ${JSON.stringify(reply)}`);
  return code;
}

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

  it('sends the whole registration with diacritics when SMS_ENCODING=unicode', async () => {
    const chat = new Transcript({ encoding: 'unicode' });

    expect(await chat.send('Đăng ký')).toEqual([VI.askName]);
    expect(await chat.send('Nguyễn Văn An')).toEqual([VI.askCccd]);
    expect(await chat.send('048090001234')).toEqual([VI.askBirthDate]);
    expect(await chat.send('15/02/1990')).toEqual([VI.confirm('Nguyễn Văn An')]);
    const [opened] = await chat.send('Có');

    expect(opened).toBe(VI.opened(codeIn(opened)));
    expect(opened).toMatch(/^Đã mở tài khoản tạm thời /);
    expect(chat.citizens.entries).toHaveLength(1);
  });
});

describe.each<SmsEncoding>(['gsm7', 'unicode'])('registration by SMS (%s)', (encoding) => {
  const vi = (text: string) => [render(text, encoding)];
  const chatWith = () => new Transcript({ encoding });

  describe('start words', () => {
    it.each(['DK', 'dk', 'Đăng ký', 'dang ky', 'ĐĂNG KÝ', ' Dk ', 'TK', '1'])(
      'starts registration on %j',
      async (word) => {
        const chat = chatWith();

        expect(await chat.send(word)).toEqual(vi(VI.askName));
        expect(await chat.send('Nguyen Van An')).toEqual(vi(VI.askCccd));
      },
    );
  });

  describe('everything in one message', () => {
    it('answers a complete one-shot message with the summary and consent question; CO opens the account', async () => {
      const chat = chatWith();

      expect(await chat.send(ONE_SHOT)).toEqual(vi(VI.confirm('Nguyen Van An')));
      expect(chat.citizens.entries).toHaveLength(0);
      const replies = await chat.send('CO');

      expect(replies).toEqual(vi(VI.opened(codeIn(replies[0]))));
      expect(chat.citizens.entries[0]?.identity).toEqual({
        fullName: 'Nguyen Van An',
        cccd: '048090001234',
        dateOfBirth: '1990-02-15',
      });
    });

    it.each([
      ['fields in any order', 'DK 15/02/1990 048090001234 Nguyen Van An', 'Nguyen Van An'],
      ['separated by spaces', 'DK Nguyen Van An 048090001234 15/02/1990', 'Nguyen Van An'],
      ['separated by dots', 'DK.Nguyen Van An.048090001234.15.02.1990', 'Nguyen Van An'],
      ['the legacy TK order', 'TK,Nguyen Van An,048090001234,15/02/1990', 'Nguyen Van An'],
      ['a ddmmyyyy date', 'DK Nguyen Van An 048090001234 15021990', 'Nguyen Van An'],
      ['diacritics and a dashed date', 'DK Nguyễn Văn An, 048090001234, 15-02-1990', 'Nguyễn Văn An'],
      ['a spelled-out keyword', 'dang ky Nguyen Van An, 048090001234, 15/02/1990', 'Nguyen Van An'],
      ['stray spaces', '  dk   Nguyen  Van   An ,  048090001234 , 15/02/1990 ', 'Nguyen Van An'],
      ['an all-upper name', 'DK NGUYỄN VĂN AN, 048090001234, 15/02/1990', 'Nguyễn Văn An'],
    ])('reads %s', async (_what, text, shownName) => {
      const chat = chatWith();

      expect(await chat.send(text)).toEqual(vi(VI.confirm(shownName)));
      const [opened] = await chat.send('co');

      expect(opened).toBe(render(VI.opened(codeIn(opened)), encoding));
      expect(chat.citizens.entries[0]?.identity).toEqual({
        fullName: shownName,
        cccd: '048090001234',
        dateOfBirth: '1990-02-15',
      });
    });

    it('asks for the CCCD when only the name came with DK', async () => {
      const chat = chatWith();

      expect(await chat.send('DK Nguyen Van An')).toEqual(vi(VI.askCccd));
      expect(await chat.send('048090001234')).toEqual(vi(VI.askBirthDate));
      expect(await chat.send('15/02/1990')).toEqual(vi(VI.confirm('Nguyen Van An')));
    });

    it('asks for the date of birth when name and CCCD came with DK', async () => {
      const chat = chatWith();

      expect(await chat.send('DK Nguyen Van An 048090001234')).toEqual(vi(VI.askBirthDate));
      expect(await chat.send('15.02.1990')).toEqual(vi(VI.confirm('Nguyen Van An')));
    });

    it('explains a CCCD with an unknown province code and asks for the CCCD again', async () => {
      const chat = chatWith();

      expect(await chat.send('DK Nguyen Van An 999090001234 15/02/1990')).toEqual([
        render(VI.cccdProvince, encoding),
        render(VI.askCccd, encoding),
      ]);
      expect(await chat.send('048090001234')).toEqual(vi(VI.askBirthDate));
    });

    it('explains a date that does not match the CCCD year and asks for the date again', async () => {
      const chat = chatWith();

      expect(await chat.send('DK Nguyen Van An 048090001234 15/02/1991')).toEqual(vi(VI.dateMismatch1990));
      expect(await chat.send('15/02/1990')).toEqual(vi(VI.confirm('Nguyen Van An')));
    });

    it('reads a CCCD written in groups in a one-shot message', async () => {
      const chat = chatWith();

      expect(await chat.send('DK Nguyen Van An 048 090 001 234 15/02/1990')).toEqual(
        vi(VI.confirm('Nguyen Van An')),
      );
    });

    it.each([
      ['a two-digit year', 'DK Nguyen Van An 048090001234 15/02/90'],
      ['a year-first date', 'DK Nguyen Van An, 048090001234, 1990-02-15'],
    ])('blames the date, not the name, for %s in a one-shot message', async (_what, text) => {
      const chat = chatWith();

      expect(await chat.send(text)).toEqual(vi(VI.dateFormat));
      expect(await chat.send('15/02/1990')).toEqual(vi(VI.confirm('Nguyen Van An')));
    });

    it('blames the CCCD, not the name, for a short number in a one-shot message', async () => {
      const chat = chatWith();

      expect(await chat.send('DK Nguyen Van An, 04809000123, 15/02/1990')).toEqual([
        render(VI.cccdFormat, encoding),
        render(VI.askCccd, encoding),
      ]);
    });

    it('still blames the name for digits inside it when the CCCD and date were read', async () => {
      const chat = chatWith();

      expect(await chat.send('DK Nguyen Van An 2, 048090001234, 15/02/1990')).toEqual([
        render(VI.nameCharacters, encoding),
        render(VI.askName, encoding),
      ]);
    });

    it('explains a one-word name and asks for the full name', async () => {
      const chat = chatWith();

      expect(await chat.send('DK An')).toEqual([
        render(VI.nameEmpty, encoding),
        render(VI.askName, encoding),
      ]);
    });
  });

  describe('names', () => {
    it.each([
      ['all upper case is title-cased', 'NGUYỄN VĂN AN', 'Nguyễn Văn An'],
      ['all lower case is title-cased', 'nguyen van an', 'Nguyen Van An'],
      ['lower case with diacritics is title-cased', 'lê thị hồng nhung', 'Lê Thị Hồng Nhung'],
      ['mixed case is kept as typed', 'Nguyễn văn An', 'Nguyễn văn An'],
      ['decomposed (NFD) input is stored composed (NFC)', 'Nguyễn Văn An'.normalize('NFD'), 'Nguyễn Văn An'],
      ['stray spaces are collapsed', '  Trần   Văn  Bình ', 'Trần Văn Bình'],
    ])('%s', async (_what, typed, stored) => {
      const chat = chatWith();
      await chat.send('DK');
      await chat.send(typed);
      await chat.send('048090001234');

      expect(await chat.send('15/02/1990')).toEqual(vi(VI.confirm(stored)));
      await chat.send('CO');
      expect(chat.citizens.entries[0]?.identity.fullName).toBe(stored);
    });

    it.each([
      ['a one-word name', 'An', VI.nameEmpty],
      ['digits in a name', 'Nguyen Van An 2', VI.nameCharacters],
      ['a 41-character name', NAME_41, VI.nameTooLong],
      ['a blank answer', '   ', VI.nameEmpty],
    ])('re-asks with a hint for %s', async (_what, typed, hint) => {
      const chat = chatWith();
      await chat.send('DK');

      expect(await chat.send(typed)).toEqual(vi(hint));
      expect(await chat.send('Nguyen Van An')).toEqual(vi(VI.askCccd));
    });
  });

  describe('CCCD numbers', () => {
    it.each([
      ['11 digits', '04809000123', VI.cccdFormat],
      ['13 digits', '0480900012345', VI.cccdFormat],
      ['letters', '04809000123A', VI.cccdFormat],
      ['a word', 'khong nho', VI.cccdFormat],
      ['an unknown province code', '999090001234', VI.cccdProvince],
      ['a century digit that puts the birth in the future', '048999001234', VI.cccdYear],
      ['a birth year after this year', '048299001234', VI.cccdYear],
    ])('re-asks with a hint for %s', async (_what, typed, hint) => {
      const chat = chatWith();
      await chat.send('DK Nguyen Van An');

      expect(await chat.send(typed)).toEqual(vi(hint));
      expect(await chat.send('048090001234')).toEqual(vi(VI.askBirthDate));
    });

    it.each(['048 090 001 234', '048.090.001.234', ' 048090001234 '])('accepts %j', async (typed) => {
      const chat = chatWith();
      await chat.send('DK Nguyen Van An');

      expect(await chat.send(typed)).toEqual(vi(VI.askBirthDate));
      expect(await chat.send('15/02/1990')).toEqual(vi(VI.confirm('Nguyen Van An')));
    });
  });

  describe('dates of birth', () => {
    it.each([
      ['dd/mm/yyyy', '15/02/1990', '15/02/1990'],
      ['d/m/yyyy', '5/2/1990', '05/02/1990'],
      ['dd-mm-yyyy', '15-02-1990', '15/02/1990'],
      ['dd.mm.yyyy', '15.02.1990', '15/02/1990'],
      ['ddmmyyyy', '15021990', '15/02/1990'],
      ['stray spaces', ' 15 / 02 / 1990 ', '15/02/1990'],
    ])('accepts %s', async (_what, typed, shown) => {
      const chat = chatWith();
      await chat.send('DK Nguyen Van An 048090001234');

      expect(await chat.send(typed)).toEqual(vi(VI.confirm('Nguyen Van An', shown)));
    });

    it('accepts a 2000s date with the matching CCCD century digit', async () => {
      const chat = chatWith();
      await chat.send('DK Tran Thi Mai 048300001234');

      expect(await chat.send('01/01/2000')).toEqual(
        vi(VI.confirm('Tran Thi Mai', '01/01/2000', '048300001234')),
      );
    });

    it.each([
      ['a day that does not exist', '31/02/1990', VI.dateInvalid],
      ['29 February of a non-leap year', '29/02/1990', VI.dateInvalid],
      ['a future date', '15/02/2027', VI.dateFuture],
      ['a year before 1900', '15/02/1899', VI.dateTooOld],
      ['words', 'hom qua', VI.dateFormat],
      ['words with diacritics', 'hôm qua', VI.dateFormat],
      ['a year of birth that is not the CCCD year', '15/02/1991', VI.dateMismatch1990],
    ])('re-asks with a hint for %s', async (_what, typed, hint) => {
      const chat = chatWith();
      await chat.send('DK Nguyen Van An 048090001234');

      expect(await chat.send(typed)).toEqual(vi(hint));
      expect(await chat.send('15/02/1990')).toEqual(vi(VI.confirm('Nguyen Van An')));
    });
  });

  describe('three wrong answers', () => {
    it.each([
      ['the name', 'DK', ['An', 'Binh', 'Nguyen 2']],
      ['the CCCD', 'DK Nguyen Van An', ['123', '999090001234', 'abc']],
      ['the date of birth', 'DK Nguyen Van An 048090001234', ['hom qua', '31/02/1990', '15/02/1991']],
      ['the consent', ONE_SHOT, ['gi vay', 'chua biet', 'de xem']],
    ])('to %s end the flow with where to get help', async (_what, start, wrong) => {
      const chat = chatWith();
      await chat.send(start);
      const [first, second, third] = wrong;

      expect(await chat.send(first ?? '')).toHaveLength(1);
      expect(await chat.send(second ?? '')).toHaveLength(1);
      expect(await chat.send(third ?? '')).toEqual([...vi(VI.tooManyTries), ...vi(VI.offerPerson)]);
      expect(await chat.send('CO')).toEqual(vi(VI.notUnderstood));
      expect(await chat.send('048090001234')).toEqual(vi(VI.notUnderstood));
      expect(chat.citizens.entries).toHaveLength(0);
    });

    it('counts wrong answers per question, not for the whole registration', async () => {
      const chat = chatWith();
      await chat.send('DK');

      expect(await chat.send('An')).toEqual(vi(VI.nameEmpty));
      expect(await chat.send('An')).toEqual(vi(VI.nameEmpty));
      expect(await chat.send('Nguyen Van An')).toEqual(vi(VI.askCccd));
      expect(await chat.send('123')).toEqual(vi(VI.cccdFormat));
      expect(await chat.send('123')).toEqual(vi(VI.cccdFormat));
      expect(await chat.send('048090001234')).toEqual(vi(VI.askBirthDate));
      expect(await chat.send('hom qua')).toEqual(vi(VI.dateFormat));
      expect(await chat.send('hom qua')).toEqual(vi(VI.dateFormat));
      expect(await chat.send('15/02/1990')).toEqual(vi(VI.confirm('Nguyen Van An')));
    });

    it('lets the citizen start again with DK after the help message', async () => {
      const chat = chatWith();
      await chat.send('DK');
      await chat.send('An');
      await chat.send('An');

      expect(await chat.send('An')).toEqual([...vi(VI.tooManyTries), ...vi(VI.offerPerson)]);
      expect(await chat.send('DK')).toEqual(vi(VI.askName));
    });
  });

  describe('consent', () => {
    it.each(['CO', 'có', 'co', 'Có', 'CÓ', 'yes', 'YES', 'ok', 'đồng ý'])('%j agrees', async (answer) => {
      const chat = chatWith();
      await chat.send(ONE_SHOT);

      const [opened] = await chat.send(answer);

      expect(opened).toBe(render(VI.opened(codeIn(opened)), encoding));
      expect(chat.citizens.entries).toHaveLength(1);
      expect(chat.citizens.entries[0]?.citizen.accountCode).toBe(codeIn(opened).replace('-', ''));
      expect(chat.citizens.entries[0]?.consent.textVersion).toBe('registration-consent-2026-11');
      expect(chat.verificationsScheduled).toHaveLength(1);
    });

    it.each(['KHONG', 'không', 'no', 'Ko'])('%j declines and stores nothing', async (answer) => {
      const chat = chatWith();
      await chat.send(ONE_SHOT);

      expect(await chat.send(answer)).toEqual(vi(VI.declined));
      expect(chat.citizens.entries).toHaveLength(0);
      expect(chat.verificationsScheduled).toHaveLength(0);
      expect(await chat.send('CO')).toEqual(vi(VI.notUnderstood));
      expect(chat.citizens.entries).toHaveLength(0);
    });

    it.each(['co le', 'để tôi nghĩ', 'Nguyen Van An', '15/02/1990', '?!'])(
      're-asks for consent on %j',
      async (answer) => {
        const chat = chatWith();
        await chat.send(ONE_SHOT);

        expect(await chat.send(answer)).toEqual(vi(VI.confirmUnclear));
        expect(chat.citizens.entries).toHaveLength(0);
        const [opened] = await chat.send('CO');
        expect(opened).toBe(render(VI.opened(codeIn(opened)), encoding));
      },
    );

    it('never takes silence for consent: no account exists before the agreeing message', async () => {
      const chat = chatWith();
      await chat.send('DK');
      await chat.send('Nguyen Van An');
      await chat.send('048090001234');
      await chat.send('15/02/1990');

      expect(chat.citizens.entries).toHaveLength(0);
      expect(chat.citizens.audit).toEqual([]);
      expect(chat.verificationsScheduled).toEqual([]);
      await chat.send('CO');
      expect(chat.citizens.entries).toHaveLength(1);
      expect(chat.citizens.audit.map((entry) => entry.action)).toEqual(['account_opened']);
    });
  });

  describe('HUY', () => {
    it.each([
      ['the name', 'DK'],
      ['the CCCD', 'DK Nguyen Van An'],
      ['the date of birth', 'DK Nguyen Van An 048090001234'],
      ['the consent', ONE_SHOT],
    ])('cancels at %s, stores nothing, and the next message is handled fresh', async (_step, start) => {
      const chat = chatWith();
      await chat.send(start);

      expect(await chat.send('HUY')).toEqual(vi(VI.cancelled));
      expect(chat.citizens.entries).toHaveLength(0);
      expect(await chat.send('CO')).toEqual(vi(VI.notUnderstood));
      expect(await chat.send('15/02/1990')).toEqual(vi(VI.notUnderstood));
      expect(chat.citizens.entries).toHaveLength(0);
    });

    it.each(['huy', 'hủy', 'HỦY'])('accepts %j as HUY', async (word) => {
      const chat = chatWith();
      await chat.send('DK Nguyen Van An');

      expect(await chat.send(word)).toEqual(vi(VI.cancelled));
      expect(await chat.send('DK')).toEqual(vi(VI.askName));
    });

    it('says there is nothing to cancel when nothing is in progress', async () => {
      const chat = chatWith();

      expect(await chat.send('HUY')).toEqual(vi(VI.nothingToCancel));
    });
  });

  describe('one phone, one account', () => {
    it('answers a second registration from the same phone with the existing account and creates nothing', async () => {
      const chat = chatWith();
      await chat.send(ONE_SHOT);
      const code = codeIn((await chat.send('CO'))[0]);

      expect(await chat.send('DK')).toEqual(vi(VI.alreadyProvisional(code)));
      expect(await chat.send('DK Tran Thi Mai, 048190001234, 01/01/1990')).toEqual(
        vi(VI.alreadyProvisional(code)),
      );
      expect(await chat.send('CO')).toEqual(vi(VI.notUnderstood));
      expect(chat.citizens.entries).toHaveLength(1);
      expect(chat.verificationsScheduled).toHaveLength(1);
    });

    it('tells a citizen whose account did not match what to do', async () => {
      const chat = chatWith();
      await chat.send(ONE_SHOT);
      const code = codeIn((await chat.send('CO'))[0]);
      const id = chat.citizens.entries[0]?.citizen.id ?? '';
      await chat.citizens.recordVerification(id, { outcome: 'not_matched', field: 'full_name' });

      expect(await chat.send('dang ky')).toEqual(vi(VI.alreadyNotMatchedName(code)));
    });
  });

  describe('one CCCD, one account', () => {
    it('refuses the same CCCD from a second phone, audits the attempt and keeps one account', async () => {
      const citizens = new InMemoryCitizenRepository();
      const contacts = new InMemoryContactRepository();
      const first = new Transcript({ encoding, citizens, contacts, phone: '+84905123456' });
      const second = new Transcript({ encoding, citizens, contacts, phone: '+84912345678' });
      await first.send(ONE_SHOT);
      await first.send('CO');

      expect(await second.send('DK Nguyễn Văn An, 048090001234, 15/02/1990')).toEqual(
        vi(VI.confirm('Nguyễn Văn An')),
      );
      expect(await second.send('CO')).toEqual(vi(VI.cccdTaken));
      expect(citizens.entries).toHaveLength(1);
      expect(citizens.entries[0]?.citizen.phone).toBe('+84905123456');
      expect(citizens.audit.filter((entry) => entry.action === 'cccd_conflict')).toEqual([
        { action: 'cccd_conflict', citizenId: null, details: { channel: 'twilio-sms' } },
      ]);
      expect(second.verificationsScheduled).toEqual([]);
      expect(await second.send('TT')).toEqual(
        vi('Số điện thoại này chưa có tài khoản công dân số. Gửi DK để đăng ký.'),
      );
    });
  });

  describe('in English', () => {
    const en = (text: string) => [render(text, encoding)];

    it('registers in English after EN, consents with YES, and VI switches back', async () => {
      const chat = chatWith();

      expect(await chat.send('EN')).toEqual([
        render(EN.languageChanged, encoding),
        render(EN.menu, encoding),
      ]);
      expect(await chat.send('DK')).toEqual(en(EN.askName));
      expect(await chat.send('Nguyen Van An')).toEqual(en(EN.askCccd));
      expect(await chat.send('048090001234')).toEqual(en(EN.askBirthDate));
      expect(await chat.send('15/02/1990')).toEqual(en(EN.confirm('Nguyen Van An')));
      const [opened] = await chat.send('YES');
      const code = codeIn(opened);

      expect(opened).toBe(EN.opened(code));
      expect(chat.citizens.entries[0]?.consent.language).toBe('en');
      expect(chat.lastLanguage()).toBe('en');
      expect(await chat.send('DK')).toEqual(en(EN.alreadyProvisional(code)));
      expect(await chat.send('VI')).toEqual([
        render(VI.languageChanged, encoding),
        render(VI.menu, encoding),
      ]);
      expect(await chat.send('DK')).toEqual(vi(VI.alreadyProvisional(code)));
      expect(chat.lastLanguage()).toBe('vi');
    });

    it('registers in one message in English', async () => {
      const chat = chatWith();
      await chat.send('english');

      expect(await chat.send('register Nguyễn Văn An 048090001234 15/02/1990')).toEqual(
        en(EN.confirm('Nguyễn Văn An')),
      );
      const [opened] = await chat.send('yes');
      expect(opened).toBe(EN.opened(codeIn(opened)));
    });

    it('gives every hint in English', async () => {
      const chat = chatWith();
      await chat.send('EN');
      await chat.send('DK');

      expect(await chat.send('An')).toEqual(en(EN.nameEmpty));
      expect(await chat.send('An 2')).toEqual(en(EN.nameCharacters));
      expect(await chat.send(NAME_41)).toEqual([...en(EN.tooManyTries), ...en(EN.offerPerson)]);
      await chat.send('DK');
      expect(await chat.send(NAME_41)).toEqual(en(EN.nameTooLong));
      await chat.send('Nguyen Van An');
      expect(await chat.send('12345')).toEqual(en(EN.cccdFormat));
      expect(await chat.send('999090001234')).toEqual(en(EN.cccdProvince));
      expect(await chat.send('048090001234')).toEqual(en(EN.askBirthDate));
      expect(await chat.send('yesterday')).toEqual(en(EN.dateFormat));
      expect(await chat.send('31/02/1990')).toEqual(en(EN.dateInvalid));
      expect(await chat.send('15/02/1991')).toEqual([...en(EN.tooManyTries), ...en(EN.offerPerson)]);
      await chat.send('DK Nguyen Van An 048090001234');
      expect(await chat.send('15/02/2027')).toEqual(en(EN.dateFuture));
      expect(await chat.send('15/02/1899')).toEqual(en(EN.dateTooOld));
      expect(await chat.send('15/02/1990')).toEqual(en(EN.confirm('Nguyen Van An')));
      expect(await chat.send('maybe')).toEqual(en(EN.confirmUnclear));
      expect(await chat.send('NO')).toEqual(en(EN.declined));
      expect(chat.citizens.entries).toHaveLength(0);
    });

    it('explains a date that does not match the CCCD in English', async () => {
      const chat = chatWith();
      await chat.send('EN');

      expect(await chat.send('DK Nguyen Van An 048090001234 15/02/1991')).toEqual(en(EN.dateMismatch1990));
    });

    it('cancels with HUY in English', async () => {
      const chat = chatWith();
      await chat.send('EN');
      await chat.send('DK Nguyen Van An');

      expect(await chat.send('HUY')).toEqual(en(EN.cancelled));
      expect(chat.citizens.entries).toHaveLength(0);
    });

    it('refuses a CCCD of another account in English', async () => {
      const citizens = new InMemoryCitizenRepository();
      const contacts = new InMemoryContactRepository();
      const first = new Transcript({ encoding, citizens, contacts, phone: '+84905123456' });
      const second = new Transcript({ encoding, citizens, contacts, phone: '+84912345678' });
      await first.send(ONE_SHOT);
      await first.send('CO');
      await second.send('EN');
      await second.send(ONE_SHOT);

      expect(await second.send('YES')).toEqual(en(EN.cccdTaken));
      expect(citizens.entries).toHaveLength(1);
    });
  });
});
