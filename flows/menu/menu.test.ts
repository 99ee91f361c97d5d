import { describe, expect, it } from 'vitest';
import { countSmsSegments } from '../../src/shared/sms-segments.ts';
import { Transcript } from '../../test/support/transcript.ts';

/** The engine's sentences as the citizen reads them (GSM-7, the default). */
const VI = {
  menu: 'Cong dan so Da Nang. Tra loi so hoac tu khoa:\n1 DK: Dang ky tai khoan\n2 TT: Xem trang thai\nGT: Giay to\nHUY: huy buoc\nEN: English\nTUCHOI: ngung nhan tin',
  notUnderstood: 'Chua hieu tin nhan. Tra loi:\n1 DK: Dang ky tai khoan\n2 TT: Xem trang thai\nHD: Huong dan',
  languageChanged: 'Da chuyen sang tieng Viet. Gui EN for English.',
  optedOut: 'Ban se khong nhan tin nhan tu Cong dan so nua. Gui DONGY de nhan lai.',
  optedIn: 'Ban se nhan lai tin nhan tu Cong dan so. Gui HD de xem huong dan.',
  askName:
    'Dang ky tai khoan cong dan so (buoc 1/3). Gui ho va ten day du, vi du: Nguyen Van An. Gui HUY de huy.',
  askCccd: 'Buoc 2/3: gui so CCCD (12 chu so) cua ban.',
  askBirthDate: 'Buoc 3/3: gui ngay sinh, vi du 15/02/1990.',
  noAccount: 'So dien thoai nay chua co tai khoan cong dan so. Gui DK de dang ky.',
} as const;

const EN = {
  menu: 'Da Nang digital citizen. Send a number or keyword:\n1 DK: Register an account\n2 TT: Check status\nGT: Your papers\nHUY: cancel step\nVI: Tieng Viet\nSTOP: opt out',
  notUnderstood:
    'Sorry, I did not understand. Reply:\n1 DK: Register an account\n2 TT: Check status\nHD: Help',
  languageChanged: 'Switched to English. Gui VI de dung tieng Viet.',
  optedOut: 'You will get no more messages from Digital Citizen. Send START to opt back in.',
  optedIn: 'You will get messages from Digital Citizen again. Send HD for help.',
  askName:
    'Digital citizen account registration (step 1/3). Send your full name, e.g. Nguyen Van An. Send HUY to cancel.',
  askCccd: 'Step 2/3: send your CCCD ID card number (12 digits).',
  askBirthDate: 'Step 3/3: send your date of birth, e.g. 15/02/1990.',
  confirm:
    'Nguyen Van An, ID 048090001234, born 15/02/1990. OK to process this data to open your account? Reply YES to agree, NO to cancel.',
} as const;

const OPENED = /^Da mo tai khoan tam thoi [2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}\. /;

describe('HD: the menu', () => {
  it.each([
    'HD',
    'hd',
    '?',
    'help',
    'HELP',
    'tro giup',
    'Trợ giúp',
    'TRỢ GIÚP',
    'hướng dẫn',
    'menu',
    ' hd. ',
  ])('%j shows the numbered menu', async (word) => {
    const chat = new Transcript();

    expect(await chat.send(word)).toEqual([VI.menu]);
  });

  it('fits the SMS menu, papers line included, in one GSM-7 segment in both languages', () => {
    for (const menu of [VI.menu, EN.menu]) {
      expect(countSmsSegments(menu), menu).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    }
  });

  it('starts the papers list from the menu line GT on SMS', async () => {
    const chat = new Transcript();

    expect(await chat.send('HD')).toEqual([VI.menu]);
    expect(await chat.send('GT')).toEqual([VI.noAccount]);
  });

  it('shows the menu with diacritics when SMS_ENCODING=unicode', async () => {
    const chat = new Transcript({ encoding: 'unicode' });

    expect(await chat.send('HD')).toEqual([
      'Công dân số Đà Nẵng. Trả lời số hoặc từ khóa:\n1 DK: Đăng ký tài khoản\n2 TT: Xem trạng thái\nGT: Giấy tờ\nHUY: hủy bước\nEN: English\nTUCHOI: ngừng nhận tin',
    ]);
  });

  it('shows the menu in English after EN', async () => {
    const chat = new Transcript();
    await chat.send('EN');

    expect(await chat.send('help')).toEqual([EN.menu]);
  });

  it('lets the citizen pick a line of the menu by its number', async () => {
    const chat = new Transcript();
    await chat.send('HD');

    expect(await chat.send('1')).toEqual([VI.askName]);
    expect(await chat.send('HUY')).toHaveLength(1);
    expect(await chat.send('2')).toEqual([VI.noAccount]);
  });
});

describe('text that is not understood', () => {
  it.each(['xin chao', 'Xin chào', 'abc', '😀', '4', '99', '   ', 'Nguyen Van An', '048090001234', 'CO'])(
    '%j gets the not-understood menu, never silence',
    async (text) => {
      const chat = new Transcript();

      expect(await chat.send(text)).toEqual([VI.notUnderstood]);
    },
  );

  it('gets the not-understood menu with diacritics when SMS_ENCODING=unicode', async () => {
    const chat = new Transcript({ encoding: 'unicode' });

    expect(await chat.send('xin chao')).toEqual([
      'Chưa hiểu tin nhắn. Trả lời:\n1 DK: Đăng ký tài khoản\n2 TT: Xem trạng thái\nHD: Hướng dẫn',
    ]);
  });

  it('gets the not-understood menu in English after EN', async () => {
    const chat = new Transcript();
    await chat.send('EN');

    expect(await chat.send('hello')).toEqual([EN.notUnderstood]);
  });
});

describe('EN / VI: the language', () => {
  it.each(['EN', 'en', 'english', 'English'])('%j switches to English and says so', async (word) => {
    const chat = new Transcript();

    expect(await chat.send(word)).toEqual([EN.languageChanged, EN.menu]);
    expect(chat.lastLanguage()).toBe('en');
    expect(await chat.send('DK')).toEqual([EN.askName]);
  });

  it.each(['VI', 'vi', 'tiếng việt', 'tieng viet', 'Vietnamese'])(
    '%j switches back to Vietnamese and says so',
    async (word) => {
      const chat = new Transcript();
      await chat.send('EN');

      expect(await chat.send(word)).toEqual([VI.languageChanged, VI.menu]);
      expect(await chat.send('DK')).toEqual([VI.askName]);
    },
  );

  it('says the switch with diacritics when SMS_ENCODING=unicode', async () => {
    const chat = new Transcript({ encoding: 'unicode' });

    expect(await chat.send('EN')).toEqual([
      'Switched to English. Gửi VI để dùng tiếng Việt.',
      'Da Nang digital citizen. Send a number or keyword:\n1 DK: Register an account\n2 TT: Check status\nGT: Your papers\nHUY: cancel step\nVI: Tiếng Việt\nSTOP: opt out',
    ]);
    expect(await chat.send('VI')).toEqual([
      'Đã chuyển sang tiếng Việt. Gửi EN for English.',
      'Công dân số Đà Nẵng. Trả lời số hoặc từ khóa:\n1 DK: Đăng ký tài khoản\n2 TT: Xem trạng thái\nGT: Giấy tờ\nHUY: hủy bước\nEN: English\nTUCHOI: ngừng nhận tin',
    ]);
  });

  it('remembers the language across messages', async () => {
    const chat = new Transcript();
    await chat.send('EN');

    expect(await chat.send('xin chao')).toEqual([EN.notUnderstood]);
    expect(await chat.send('TT')).toEqual([
      'This phone number has no digital citizen account yet. Send DK to register.',
    ]);
    expect(chat.lastLanguage()).toBe('en');
  });

  it.each([
    ['the name', 'DK', EN.askName],
    ['the CCCD', 'DK Nguyen Van An', EN.askCccd],
    ['the date of birth', 'DK Nguyen Van An 048090001234', EN.askBirthDate],
    ['the consent', 'DK Nguyen Van An 048090001234 15/02/1990', EN.confirm],
  ])('EN while asking %s repeats that question in English', async (_step, start, question) => {
    const chat = new Transcript();
    await chat.send(start);

    expect(await chat.send('EN')).toEqual([EN.languageChanged, question]);
  });

  it('continues the registration in English after EN in the middle', async () => {
    const chat = new Transcript();
    await chat.send('DK Nguyen Van An');
    await chat.send('EN');

    expect(await chat.send('048090001234')).toEqual([EN.askBirthDate]);
    expect(await chat.send('VI')).toEqual([VI.languageChanged, VI.askBirthDate]);
    expect(await chat.send('15/02/1990')).toHaveLength(1);
    expect(await chat.send('CO')).toEqual([expect.stringMatching(OPENED)]);
    expect(chat.citizens.entries[0]?.consent.language).toBe('vi');
  });
});

describe('STOP / TUCHOI / START / DONGY: opting out and in', () => {
  it.each(['STOP', 'stop', 'Stop', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'])(
    '%j opts out with no reply, and nothing is answered afterwards',
    async (word) => {
      const chat = new Transcript();

      expect(await chat.send(word)).toEqual([]);
      expect((await chat.contacts.find('twilio-sms', chat.phone))?.optedOutAt).toBeInstanceOf(Date);
      for (const text of ['DK', 'TT', 'HD', '1', 'xin chao', 'EN', 'HUY', 'STOP', 'TUCHOI']) {
        expect(await chat.send(text)).toEqual([]);
      }
      expect(chat.delivered).toEqual([]);
    },
  );

  it('STOP in the middle of a registration ends it silently and stores nothing', async () => {
    const chat = new Transcript();
    await chat.send('DK Nguyen Van An 048090001234 15/02/1990');

    expect(await chat.send('STOP')).toEqual([]);
    expect(await chat.send('CO')).toEqual([]);
    expect(chat.citizens.entries).toHaveLength(0);
    expect(await chat.send('START')).toEqual([VI.optedIn]);
    expect(await chat.send('CO')).toEqual([VI.notUnderstood]);
    expect(chat.citizens.entries).toHaveLength(0);
  });

  it.each(['START', 'start', 'DONGY', 'dong y', 'Đồng ý', 'UNSTOP', 'YES'])(
    '%j opts back in with a confirmation',
    async (word) => {
      const chat = new Transcript();
      await chat.send('STOP');

      expect(await chat.send(word)).toEqual([VI.optedIn]);
      expect((await chat.contacts.find('twilio-sms', chat.phone))?.optedOutAt).toBeNull();
      expect(await chat.send('DK')).toEqual([VI.askName]);
    },
  );

  it('confirms opting back in, in English for an English speaker', async () => {
    const chat = new Transcript();
    await chat.send('EN');
    await chat.send('STOP');

    expect(await chat.send('START')).toEqual([EN.optedIn]);
  });

  it.each(['TUCHOI', 'tuchoi', 'từ chối nhận tin', 'tu choi nhan tin'])(
    '%j opts out with exactly one confirmation',
    async (word) => {
      const chat = new Transcript();

      expect(await chat.send(word)).toEqual([VI.optedOut]);
      expect(chat.delivered.map((d) => d.purpose)).toEqual(['opt_out_confirmation']);
      expect(await chat.send('TUCHOI')).toEqual([]);
      expect(await chat.send('HD')).toEqual([]);
      expect(await chat.send('DONGY')).toEqual([VI.optedIn]);
    },
  );

  it('confirms TUCHOI in English, and with diacritics when SMS_ENCODING=unicode', async () => {
    const english = new Transcript();
    await english.send('EN');
    expect(await english.send('TUCHOI')).toEqual([EN.optedOut]);

    const unicode = new Transcript({ encoding: 'unicode' });
    expect(await unicode.send('TUCHOI')).toEqual([
      'Bạn sẽ không nhận tin nhắn từ Công dân số nữa. Gửi DONGY để nhận lại.',
    ]);
    expect(await unicode.send('START')).toEqual([
      'Bạn sẽ nhận lại tin nhắn từ Công dân số. Gửi HD để xem hướng dẫn.',
    ]);
  });

  it('takes YES in the middle of the consent question as consent, not as opting in', async () => {
    const chat = new Transcript();
    await chat.send('DK Nguyen Van An, 048090001234, 15/02/1990');

    expect(await chat.send('YES')).toEqual([expect.stringMatching(OPENED)]);
    expect(chat.citizens.entries).toHaveLength(1);
  });

  it('takes YES in the middle of another question as a wrong answer, not as opting in', async () => {
    const chat = new Transcript();
    await chat.send('DK Nguyen Van An');

    expect(await chat.send('YES')).toEqual([
      'So CCCD phai gom dung 12 chu so, vi du 048090001234. Vui long gui lai.',
    ]);
  });
});

describe('commands in the middle of a registration', () => {
  it('answers TT and repeats the question, and the registration goes on', async () => {
    const chat = new Transcript();
    await chat.send('DK Nguyen Van An');

    expect(await chat.send('TT')).toEqual([
      'So dien thoai nay chua co tai khoan cong dan so. Gui DK de dang ky.',
      'Buoc 2/3: gui so CCCD (12 chu so) cua ban.',
    ]);
    expect(await chat.send('048090001234')).toEqual(['Buoc 3/3: gui ngay sinh, vi du 15/02/1990.']);
  });

  it('shows the menu for HD without dropping the registration; HUY then ends it', async () => {
    const chat = new Transcript();
    await chat.send('DK Nguyen Van An, 048090001234');

    expect((await chat.send('HD'))[0]).toMatch(/^Cong dan so Da Nang\./);
    expect((await chat.send('15/02/1990'))[0]).toMatch(
      /^Nguyen Van An, CCCD 048090001234, NS 15\/02\/1990\./,
    );
    expect((await chat.send('HUY'))[0]).toMatch(/^Da huy/);
    expect(await chat.send('CO')).toEqual([expect.stringMatching(/^Chua hieu tin nhan/)]);
    expect(chat.citizens.entries).toHaveLength(0);
  });
});
