import { describe, expect, it } from 'vitest';
import { shareTokenHash } from '../../src/domain/shares/share-token.ts';
import { countSmsSegments } from '../../src/shared/sms-segments.ts';
import { CITIZEN_PHONE, openCitizenChat } from '../../test/support/citizen-chat.ts';
import { TEST_KEYED_HASH, TRANSCRIPT_BASE_URL, Transcript } from '../../test/support/transcript.ts';
import { accountRightsCopy } from './account-rights.copy.ts';

// The data rights: DULIEU (a copy of my data), XOATK (close the account), RUTDONGY (withdraw consent) and
// KHOIPHUC (restore within 30 days), on SMS and on Telegram. Transcripts happen on 27/11/2026 at 10:00 in Vietnam.

const DAY = 24 * 60 * 60 * 1000;
const CO = accountRightsCopy.vi;

const VI = {
  closeAsk:
    'Xoa tai khoan: tai khoan dong ngay, moi link chia se het hieu luc, du lieu bi xoa sau 30 ngay tru khi ban gui KHOIPHUC. Tra loi CO de xoa, KHONG de giu.',
  withdrawAsk:
    'Rut dong y: ngung xu ly du lieu nen tai khoan bi dong, link chia se het hieu luc ngay, du lieu xoa sau 30 ngay tru khi gui KHOIPHUC. CO: rut, KHONG: giu.',
  kept: 'Khong thay doi gi, tai khoan cua ban van mo. Gui HD de xem huong dan.',
} as const;

const closedLine = (code: string) =>
  `Tai khoan ${code} da dong theo yeu cau cua ban, du lieu se bi xoa ngay 27/12/2026. Gui KHOIPHUC truoc ngay do de mo lai.`;

describe('DULIEU: a copy of my data', () => {
  it.each(['DULIEU', 'dulieu', 'dữ liệu của tôi', 'my data', 'export'])(
    '%j answers with a one-day link to the JSON export, in one SMS, and audits it',
    async (word) => {
      const { chat, citizenId } = await openCitizenChat();

      const [reply] = await chat.send(word);

      const token = /\/s\/([A-Za-z0-9_-]{22})\n/.exec(reply ?? '')?.[1] ?? '';
      expect(reply).toBe(
        `Ban sao du lieu cua ban (JSON): ${TRANSCRIPT_BASE_URL}/s/${token}\nHet han luc 10:00 28/11/2026. Dung chia se link nay cho ai.`,
      );
      expect(countSmsSegments(reply ?? '')).toMatchObject({ encoding: 'GSM-7', segments: 1 });
      const stored = chat.shares.shares.find((s) => s.tokenHash === shareTokenHash(TEST_KEYED_HASH, token));
      expect(stored?.share).toMatchObject({ citizenId, kind: 'export', documentId: null });
      expect(stored?.share.expiresAt).toEqual(new Date('2026-11-28T03:00:00Z'));
      expect(chat.citizens.audit.filter((a) => a.action === 'data_exported')).toEqual([
        { action: 'data_exported', citizenId, details: { channel: 'twilio-sms', shareId: stored?.share.id } },
      ]);
    },
  );

  it('answers a phone without an account with how to register', async () => {
    const chat = new Transcript();

    expect(await chat.send('DULIEU')).toEqual([
      'So dien thoai nay chua co tai khoan cong dan so. Gui DK de dang ky.',
    ]);
    expect(chat.shares.shares).toEqual([]);
  });

  it('gives the link on Telegram with diacritics', async () => {
    const { chat } = await openCitizenChat('telegram');

    const [reply] = await chat.send('DULIEU');

    expect(reply).toMatch(
      new RegExp(
        `^Bản sao dữ liệu của bạn \\(JSON\\): ${TRANSCRIPT_BASE_URL}/s/[A-Za-z0-9_-]{22}\\nHết hạn lúc 10:00 28/11/2026\\.`,
      ),
    );
  });
});

describe('XOATK: closing the account, on SMS', () => {
  it('explains what follows and keeps the account on KHONG', async () => {
    const { chat, accountCode } = await openCitizenChat();

    expect(await chat.send('XOATK')).toEqual([VI.closeAsk]);
    expect(await chat.send('KHONG')).toEqual([VI.kept]);
    expect(chat.citizens.entries[0]?.citizen.closedAt).toBeNull();
    expect(await chat.send('TT')).toEqual([
      `Tai khoan ${accountCode}: tam thoi, dang cho doi chieu CSDL dan cu.`,
    ]);
  });

  it('closes on CO: every link ends, every consent is withdrawn, and the purge date is 30 days away', async () => {
    const { chat, accountCode, citizenId } = await openCitizenChat();
    await chat.send('DULIEU');
    expect(chat.shares.shares).toHaveLength(1);

    expect(await chat.send('xoa tai khoan')).toEqual([VI.closeAsk]);
    expect(await chat.send('CO')).toEqual([
      `Da dong tai khoan ${accountCode}, cac link chia se da het hieu luc. Du lieu se bi xoa ngay 27/12/2026. Gui KHOIPHUC truoc ngay do de mo lai.`,
    ]);
    const citizen = await chat.citizens.findById(citizenId);
    expect(citizen?.closedAt).toEqual(new Date('2026-11-27T03:00:00Z'));
    expect(citizen?.purgeAfter).toEqual(new Date('2026-12-27T03:00:00Z'));
    await expect(chat.shares.listActive(citizenId, new Date('2026-11-27T04:00:00Z'))).resolves.toEqual([]);
    expect((await chat.citizens.listConsents(citizenId)).every((c) => c.withdrawnAt !== null)).toBe(true);
    expect(chat.citizens.audit.find((a) => a.action === 'account_closed')?.details).toEqual({
      reason: 'requested',
      channel: 'twilio-sms',
    });
  });

  it('while closed, TT and every account command say it is closed, when it is deleted and how to restore', async () => {
    const { chat, accountCode } = await openCitizenChat();
    await chat.send('XOATK');
    await chat.send('CO');

    for (const command of ['TT', 'TTCN', 'GT', 'LS', 'CS 1', 'XOATK', 'RUTDONGY', '2']) {
      expect(await chat.send(command), command).toEqual([closedLine(accountCode)]);
    }
    for (const line of [closedLine(accountCode)]) {
      expect(countSmsSegments(line)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    }
  });

  it('DK while closed opens no second account and says how to restore', async () => {
    const { chat, accountCode } = await openCitizenChat();
    await chat.send('XOATK');
    await chat.send('CO');

    expect(await chat.send('DK Nguyen Van An, 048090001234, 15/02/1990')).toEqual([closedLine(accountCode)]);
    expect(await chat.send('CO')).toEqual([
      'Chua hieu tin nhan. Tra loi:\n1 DK: Dang ky tai khoan\n2 TT: Xem trang thai\nHD: Huong dan',
    ]);
    expect(chat.citizens.entries).toHaveLength(1);
  });

  it('still gives a copy of the data while the account is closed', async () => {
    const { chat } = await openCitizenChat();
    await chat.send('XOATK');
    await chat.send('CO');

    expect((await chat.send('DULIEU'))[0]).toMatch(/^Ban sao du lieu cua ban \(JSON\): /);
  });

  it('KHOIPHUC within 30 days asks for consent again, records it and reopens the account', async () => {
    const { chat, accountCode, citizenId } = await openCitizenChat();
    await chat.send('XOATK');
    await chat.send('CO');
    chat.advance(29 * DAY);

    expect(await chat.send('khoi phuc')).toEqual([
      `Mo lai tai khoan ${accountCode}? Ban dong y lai cho xu ly du lieu ca nhan de dung tai khoan. Tra loi CO de dong y, KHONG de huy.`,
    ]);
    expect(await chat.send('CO')).toEqual([
      `Da mo lai tai khoan ${accountCode}. Du lieu cua ban duoc giu. Gui TT de xem trang thai.`,
    ]);
    expect(await chat.send('TT')).toEqual([
      `Tai khoan ${accountCode}: tam thoi, dang cho doi chieu CSDL dan cu.`,
    ]);
    const consents = await chat.citizens.listConsents(citizenId);
    expect(consents).toHaveLength(2);
    expect(consents[1]).toMatchObject({
      purpose: 'provisional_digital_citizen_account',
      textVersion: 'restore-consent-2026-11',
      channel: 'twilio-sms',
      withdrawnAt: null,
    });
  });

  it('KHOIPHUC answered KHONG leaves the account closed', async () => {
    const { chat, accountCode } = await openCitizenChat();
    await chat.send('XOATK');
    await chat.send('CO');
    await chat.send('KHOIPHUC');

    expect(await chat.send('KHONG')).toEqual([
      'Tai khoan van dong, du lieu se bi xoa ngay 27/12/2026. Gui KHOIPHUC truoc ngay do neu doi y.',
    ]);
    expect(await chat.send('TT')).toEqual([closedLine(accountCode)]);
  });

  it('KHOIPHUC after 30 days is too late', async () => {
    const { chat } = await openCitizenChat();
    await chat.send('XOATK');
    await chat.send('CO');
    chat.advance(30 * DAY);

    expect(await chat.send('KHOIPHUC')).toEqual([
      'Da qua 30 ngay, tai khoan khong khoi phuc duoc nua va du lieu dang duoc xoa. Gui DK de dang ky lai.',
    ]);
  });

  it('KHOIPHUC on an open account says there is nothing to restore', async () => {
    const { chat, accountCode } = await openCitizenChat();

    expect(await chat.send('KHOIPHUC')).toEqual([
      `Tai khoan ${accountCode} dang mo, khong can khoi phuc. Gui TT de xem trang thai.`,
    ]);
  });

  it('gives up after three unclear answers and changes nothing', async () => {
    const { chat } = await openCitizenChat();
    await chat.send('XOATK');

    expect(await chat.send('maybe')).toEqual(['Tra loi CO de dong tai khoan, hoac KHONG de giu tai khoan.']);
    expect(await chat.send('hmm')).toHaveLength(1);
    expect(await chat.send('?!')).toEqual([
      'Chua hieu cau tra loi nen khong thay doi gi. Gui lai tu khoa khi ban muon lam tiep.',
      'Can nguoi giup? Gui GAP de gap tinh nguyen vien hoac can bo.',
    ]);
    expect(chat.citizens.entries[0]?.citizen.closedAt).toBeNull();
  });
});

describe('RUTDONGY: withdrawing consent, on SMS', () => {
  it('explains that withdrawing stops the processing and closes the account, then closes it on CO', async () => {
    const { chat, accountCode, citizenId } = await openCitizenChat();

    expect(await chat.send('rút đồng ý')).toEqual([VI.withdrawAsk]);
    expect(await chat.send('CO')).toEqual([
      `Da ghi nhan rut dong y, tai khoan ${accountCode} da dong, link chia se het hieu luc. Du lieu bi xoa ngay 27/12/2026. Gui KHOIPHUC truoc do de mo lai.`,
    ]);
    expect(chat.citizens.audit.find((a) => a.action === 'account_closed')?.details).toMatchObject({
      reason: 'consent_withdrawn',
    });
    expect((await chat.citizens.listConsents(citizenId))[0]?.withdrawnAt).toEqual(
      new Date('2026-11-27T03:00:00Z'),
    );
    expect(await chat.send('TT')).toEqual([closedLine(accountCode)]);
  });

  it('keeps the consent on KHONG', async () => {
    const { chat, citizenId } = await openCitizenChat();
    await chat.send('RUTDONGY');

    expect(await chat.send('KHONG')).toEqual([VI.kept]);
    expect((await chat.citizens.listConsents(citizenId))[0]?.withdrawnAt).toBeNull();
  });

  it('asks in English after EN', async () => {
    const { chat } = await openCitizenChat();
    await chat.send('EN');

    expect(await chat.send('withdraw consent')).toEqual([
      'Withdraw consent: we stop processing your data, so the account closes, share links end now, data is deleted in 30 days unless you send KHOIPHUC. YES/NO?',
    ]);
  });
});

describe('closing and restoring on Telegram', () => {
  it('offers buttons, closes on the pressed button, and answers DK and TT with the closing', async () => {
    const { chat, accountCode } = await openCitizenChat('telegram');

    expect(await chat.send('XOATK')).toEqual([CO.closeAsk()]);
    expect(chat.delivered.at(-1)?.reply.choices).toEqual([
      { label: 'Đồng ý', payload: 'CO' },
      { label: 'Không', payload: 'KHONG' },
    ]);
    expect(await chat.send('Đồng ý')).toEqual([CO.closed(accountCode, '27/12/2026')]);
    expect(await chat.send('TT')).toEqual([CO.accountClosed(accountCode, '27/12/2026')]);
    expect(await chat.send('DK')).toEqual([CO.accountClosed(accountCode, '27/12/2026')]);
    expect(chat.citizens.entries).toHaveLength(1);
  });

  it('tells a new chat that proves the phone of a closed account that it is closed, and opens none', async () => {
    const { chat } = await openCitizenChat('telegram');
    await chat.send('RUTDONGY');
    await chat.send('CO');
    const other = new Transcript({
      channel: 'telegram',
      phone: 'telegram-user-2',
      citizens: chat.citizens,
      contacts: chat.contacts,
    });

    await other.send('DK');
    const replies = await other.sharePhone(CITIZEN_PHONE);

    expect(replies.join('\n')).toContain('đã đóng theo yêu cầu của bạn, dữ liệu sẽ bị xóa ngày 27/12/2026');
    expect(other.citizens.entries).toHaveLength(1);
  });

  it('restores with the consent button', async () => {
    const { chat, accountCode } = await openCitizenChat('telegram');
    await chat.send('XOATK');
    await chat.send('CO');

    expect(await chat.send('KHOIPHUC')).toEqual([CO.restoreAsk(accountCode)]);
    expect(chat.delivered.at(-1)?.reply.choices?.map((c) => c.label)).toEqual(['Đồng ý', 'Không']);
    expect(await chat.send('Đồng ý')).toEqual([CO.restored(accountCode)]);
    expect(chat.citizens.entries[0]?.citizen.closedAt).toBeNull();
  });
});
