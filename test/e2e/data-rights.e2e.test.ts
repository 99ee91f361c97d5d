import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppHarness } from '../support/app-harness.ts';

// The data rights over the whole app, by SMS: the profile, the export link (opened as a recipient would, and
// it holds the person's data), closing (links end, TT says closed) and restoring.

describe('data rights end to end', () => {
  let h: AppHarness;
  const phone = '+84905400077';
  let exportPath = '';

  beforeAll(async () => {
    h = await AppHarness.start();
    await h.say(phone, 'DK Nguyen Van An, 048090001234, 15/02/1990');
    // The account opens, then the registry check answers.
    await h.say(phone, 'CO', 2);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('keeps an address and an email given with TTCN and shows them in the profile', async () => {
    expect(await h.say(phone, 'TTCN DC 12 Tran Phu, Hai Chau')).toEqual([
      'Da luu dia chi moi: 12 Tran Phu, Hai Chau. Gui TTCN de xem thong tin ca nhan.',
    ]);
    expect(await h.say(phone, 'TTCN EMAIL An@Example.vn')).toEqual([
      'Da luu email moi: an@example.vn. Gui TTCN de xem thong tin ca nhan.',
    ]);
    expect(await h.say(phone, 'TTCN')).toEqual([
      'Nguyen Van An, CCCD 0480******34, NS 15/02/1990, DT 0905***077. Dia chi: 12 Tran Phu, Hai Chau. Email: an@example.vn. Gui 1: doi dia chi, 2: doi email.',
    ]);
    await h.say(phone, 'HUY');
  });

  it('DULIEU gives a link whose file is the JSON export of everything held about the person', async () => {
    const [reply] = await h.say(phone, 'DULIEU');
    const link = /(http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9_-]{22})\n/.exec(reply ?? '')?.[1];
    expect(link, reply).toBeDefined();
    exportPath = new URL(link ?? '').pathname;

    const before = h.inbox(phone).length;
    const response = await h.app.inject({ method: 'GET', url: `${exportPath}/file` });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    // Opening the link is a view: the owner is told (wait for it, so it is not taken for a later reply).
    const [notice] = (await h.waitForInbox(phone, before + 1)).slice(before);
    expect(notice).toMatch(/^Lien ket chia se "ban sao du lieu" vua duoc mo/);
    const data = response.json();
    expect(data).toMatchObject({
      format: 'dcz-citizen-data-export/1',
      account: { status: 'verified', openedVia: 'twilio-sms', closedAt: null },
      identity: { fullName: 'Nguyen Van An', cccd: '048090001234', dateOfBirth: '1990-02-15', phone },
      profile: { address: '12 Tran Phu, Hai Chau', email: 'an@example.vn' },
      consents: [{ channel: 'twilio-sms', language: 'vi', withdrawnAt: null }],
      contacts: [{ channel: 'twilio-sms', address: phone, language: 'vi', optedOutAt: null }],
      papers: [],
      dossiers: [],
    });
    expect(data.account.code).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(data.shares).toEqual([expect.objectContaining({ kind: 'export', revokedAt: null })]);
    expect(response.body).not.toContain('127.0.0.1');
  });

  it('XOATK closes the account: the export link ends and TT says when the data is deleted', async () => {
    expect((await h.say(phone, 'XOATK'))[0]).toMatch(/^Xoa tai khoan: /);
    expect((await h.say(phone, 'CO'))[0]).toMatch(
      /^Da dong tai khoan [A-Z0-9-]{9}, cac link chia se da het hieu luc\./,
    );

    const response = await h.app.inject({ method: 'GET', url: `${exportPath}/file` });

    expect(response.statusCode).toBe(404);
    expect((await h.say(phone, 'TT'))[0]).toMatch(
      /^Tai khoan [A-Z0-9-]{9} da dong theo yeu cau cua ban, du lieu se bi xoa ngay \d{2}\/\d{2}\/\d{4}\. Gui KHOIPHUC/,
    );
    expect((await h.services.citizens.findByPhone(phone))?.closedAt).toBeInstanceOf(Date);
  });

  it('KHOIPHUC with consent reopens it', async () => {
    expect((await h.say(phone, 'KHOIPHUC'))[0]).toMatch(/^Mo lai tai khoan /);
    expect((await h.say(phone, 'CO'))[0]).toMatch(/^Da mo lai tai khoan /);
    expect((await h.say(phone, 'TT'))[0]).toMatch(/: da xac minh\.$/);
    expect((await h.services.citizens.findByPhone(phone))?.closedAt).toBeNull();
  });
});
