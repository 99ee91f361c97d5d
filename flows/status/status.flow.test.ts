import { describe, expect, it } from 'vitest';
import type { MismatchField } from '../../src/domain/citizens/citizen.ts';
import { openCitizenChat, seedAgency, seedDossier } from '../../test/support/citizen-chat.ts';
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

describe.each(['twilio-sms', 'telegram'] as const)('TT and dossiers on %s', (channel) => {
  const CODE_1 = '000.00.20.H17-261127-0001';

  /** A citizen with a birth registration that went received, processing (twice), needs more info. */
  async function withDossier() {
    const citizen = await openCitizenChat(channel);
    const agency = await seedAgency(citizen.chat, 'UBND-HAICHAU', 'UBND phường Hải Châu');
    const base = { citizenId: citizen.citizenId, agency, code: CODE_1, procedure: 'Đăng ký khai sinh' };
    await seedDossier(citizen.chat, { ...base, status: 'received', at: '2026-11-20T02:00:00Z' });
    await seedDossier(citizen.chat, {
      ...base,
      status: 'processing',
      expectedAt: '2026-12-01',
      at: '2026-11-22T02:00:00Z',
    });
    await seedDossier(citizen.chat, {
      ...base,
      status: 'processing',
      expectedAt: '2026-12-05',
      at: '2026-11-23T02:00:00Z',
    });
    await seedDossier(citizen.chat, {
      ...base,
      status: 'needs_more_info',
      expectedAt: '2026-12-05',
      note: 'Thiếu bản sao CCCD của mẹ',
      at: '2026-11-25T09:00:00Z',
    });
    return { ...citizen, agency };
  }

  it('gives only the account status when there are no dossiers', async () => {
    const { chat, seen, accountCode } = await openCitizenChat(channel);

    expect(await chat.send('TT')).toEqual([
      seen(`Tài khoản ${accountCode}: tạm thời, đang chờ đối chiếu CSDL dân cư.`),
    ]);
  });

  it(`lists the ${channel === 'telegram' ? 5 : 3} latest dossiers after the account status`, async () => {
    const citizen = await openCitizenChat(channel);
    const agency = await seedAgency(citizen.chat, 'UBND-HAICHAU', 'UBND phường Hải Châu');
    const statuses = [
      'received',
      'processing',
      'needs_more_info',
      'completed',
      'rejected',
      'returned',
    ] as const;
    for (const [i, status] of statuses.entries()) {
      await seedDossier(citizen.chat, {
        citizenId: citizen.citizenId,
        agency,
        code: `HS-00${i + 1}`,
        procedure: 'Cấp bản sao trích lục',
        status,
        expectedAt: i === 0 ? null : `2026-12-0${i}`,
        at: `2026-11-2${i}T02:00:00Z`,
      });
    }

    const lines = [
      '- HS-006 Cấp bản sao trích lục: đã trả lại, hẹn trả 05/12/2026',
      '- HS-005 Cấp bản sao trích lục: bị từ chối, hẹn trả 04/12/2026',
      '- HS-004 Cấp bản sao trích lục: đã có kết quả, hẹn trả 03/12/2026',
      '- HS-003 Cấp bản sao trích lục: cần bổ sung, hẹn trả 02/12/2026',
      '- HS-002 Cấp bản sao trích lục: đang xử lý, hẹn trả 01/12/2026',
    ];
    expect(await citizen.chat.send('TT')).toEqual([
      citizen.seen(`Tài khoản ${citizen.accountCode}: tạm thời, đang chờ đối chiếu CSDL dân cư.`),
      citizen.seen(
        [
          'Hồ sơ gần đây:',
          ...lines.slice(0, channel === 'telegram' ? 5 : 3),
          'Gửi TT và mã hồ sơ để xem chi tiết.',
        ].join('\n'),
      ),
    ]);
  });

  it('shows one dossier with its history (newest last) and what to bring, with the agency note', async () => {
    const { chat, seen } = await withDossier();

    expect(await chat.send(`TT ${CODE_1}`)).toEqual([
      seen(
        'Hồ sơ 000.00.20.H17-261127-0001: Đăng ký khai sinh, UBND phường Hải Châu.\n' +
          '20/11/2026: đã tiếp nhận\n' +
          '22/11/2026: đang xử lý\n' +
          '25/11/2026: cần bổ sung\n' +
          'Cơ quan ghi chú: Thiếu bản sao CCCD của mẹ. Hãy mang hoặc gửi giấy tờ còn thiếu đến UBND phường Hải Châu.',
      ),
    ]);
  });

  it('takes the code in lower case and after "tra cứu"', async () => {
    const { chat } = await withDossier();
    const [shown] = await chat.send(`TT ${CODE_1}`);

    expect(await chat.send(`tt ${CODE_1.toLowerCase()}`)).toEqual([shown]);
    expect(await chat.send(`tra cứu ${CODE_1}`)).toEqual([shown]);
  });

  it('finds a code the agency sent in lower case, typed in any case, and shows it in upper case', async () => {
    const citizen = await openCitizenChat(channel);
    const agency = await seedAgency(citizen.chat, 'UBND-HAICHAU', 'UBND phường Hải Châu');
    await seedDossier(citizen.chat, {
      citizenId: citizen.citizenId,
      agency,
      code: 'hs-mixed-01',
      procedure: 'Đăng ký khai sinh',
      status: 'received',
      at: '2026-11-20T02:00:00Z',
    });

    const answers = [];
    for (const typed of ['hs-mixed-01', 'HS-MIXED-01', 'Hs-Mixed-01'])
      answers.push(await citizen.chat.send(`TT ${typed}`));

    expect(answers).toEqual(
      Array(3).fill([
        expect.stringContaining(citizen.seen('Hồ sơ HS-MIXED-01: Đăng ký khai sinh, UBND phường Hải Châu.')),
      ]),
    );
  });

  it.each([
    [
      'received',
      null,
      'Dự kiến có kết quả ngày 05/12/2026. Bạn chưa cần làm gì, chúng tôi sẽ nhắn khi hồ sơ thay đổi.',
    ],
    [
      'processing',
      null,
      'Dự kiến có kết quả ngày 05/12/2026. Bạn chưa cần làm gì, chúng tôi sẽ nhắn khi hồ sơ thay đổi.',
    ],
    ['completed', null, 'Giấy tờ của bạn đã sẵn sàng: gửi GT để xem.'],
    [
      'rejected',
      'Người yêu cầu không cư trú tại phường.',
      'Lý do: Người yêu cầu không cư trú tại phường. Liên hệ UBND phường Hải Châu nếu cần hỏi thêm.',
    ],
    [
      'returned',
      'Trả lại theo yêu cầu',
      'Cơ quan ghi chú: Trả lại theo yêu cầu. Liên hệ UBND phường Hải Châu nếu cần hỏi thêm.',
    ],
  ] as const)('says what to do next for a dossier %s', async (status, note, next) => {
    const citizen = await withDossier();
    await seedDossier(citizen.chat, {
      citizenId: citizen.citizenId,
      agency: citizen.agency,
      code: CODE_1,
      procedure: 'Đăng ký khai sinh',
      status,
      expectedAt: '2026-12-05',
      note,
      at: '2026-11-26T09:00:00Z',
    });

    const [shown] = await citizen.chat.send(`TT ${CODE_1}`);

    expect(shown?.split('\n').at(-1)).toBe(citizen.seen(next));
  });

  it("answers a code of someone else's dossier exactly like a code that does not exist", async () => {
    const citizen = await withDossier();
    await seedDossier(citizen.chat, {
      citizenId: 'another-citizen',
      agency: citizen.agency,
      code: 'HS-OTHER-1',
      procedure: 'Đăng ký kết hôn',
      status: 'completed',
      at: '2026-11-26T09:00:00Z',
    });

    const foreign = await citizen.chat.send('TT HS-OTHER-1');
    const unknown = await citizen.chat.send('TT HS-NOPE-9');

    expect(foreign).toEqual(unknown);
    expect(unknown).toEqual([
      citizen.seen(
        'Không tìm thấy hồ sơ có mã này trong tài khoản của bạn. Kiểm tra lại mã, hoặc gửi TT để xem các hồ sơ gần đây.',
      ),
    ]);
  });

  it('says it all in English after EN', async () => {
    const { chat, seen, accountCode } = await withDossier();
    await chat.send('EN');

    expect(await chat.send('TT')).toEqual([
      `Account ${accountCode}: provisional, waiting for the population registry check.`,
      seen(
        `Recent dossiers:\n- ${CODE_1} Đăng ký khai sinh: needs more papers, due 05/12/2026\nSend TT and a dossier code for details.`,
      ),
    ]);
    expect(await chat.send(`TT ${CODE_1}`)).toEqual([
      seen(
        `Dossier ${CODE_1}: Đăng ký khai sinh, UBND phường Hải Châu.\n` +
          '20/11/2026: received\n' +
          '22/11/2026: in progress\n' +
          '25/11/2026: needs more papers\n' +
          'Note from the agency: Thiếu bản sao CCCD của mẹ. Please bring or send the missing papers to UBND phường Hải Châu.',
      ),
    ]);
    expect(await chat.send('TT HS-NOPE-9')).toEqual([
      'No dossier with this code in your account. Check the code, or send TT to see your recent dossiers.',
    ]);
  });

  it('says how to register or link for TT with a code and no account', async () => {
    const chat = channel === 'telegram' ? new Transcript({ channel, phone: 'tg-2' }) : new Transcript();

    expect(await chat.send(`TT ${CODE_1}`)).toEqual([
      channel === 'telegram'
        ? 'Cuộc trò chuyện này chưa liên kết với tài khoản công dân số nào. Gửi LK nếu bạn đã đăng ký (ví dụ qua SMS), hoặc DK để đăng ký.'
        : 'So dien thoai nay chua co tai khoan cong dan so. Gui DK de dang ky.',
    ]);
  });
});
