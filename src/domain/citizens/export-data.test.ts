import { describe, expect, it } from 'vitest';
import { openCitizenChat, seedAgency, seedDossier, seedPaper } from '../../../test/support/citizen-chat.ts';
import { exportCitizenData } from './export-data.ts';

// What the DULIEU link serves: everything held about the person, from the ports (here their in-memory fakes).

async function citizenWithEverything() {
  const { chat, citizenId, accountCode } = await openCitizenChat('telegram');
  await chat.send('TTCN EMAIL an@example.vn');
  const agency = await seedAgency(chat, 'UBND-HC', 'UBND phường Hải Châu');
  const paper = await seedPaper(chat, {
    citizenId,
    agency,
    title: 'Giấy khai sinh',
    issuedAt: '2026-11-01',
    number: 'KS-1',
  });
  const base = { citizenId, agency, code: 'HS-1', procedure: 'Đăng ký khai sinh' };
  await seedDossier(chat, { ...base, status: 'received', at: '2026-11-20T02:00:00Z' });
  await seedDossier(chat, {
    ...base,
    status: 'needs_more_info',
    note: 'Bổ sung ảnh',
    at: '2026-11-21T02:00:00Z',
  });
  await chat.send('DULIEU');
  const [share] = chat.shares.shares;
  if (!share) throw new Error('no share');
  await chat.shares.recordView(share.share.id, {
    at: new Date('2026-11-27T04:00:00Z'),
    ipHash: 'ip-hash',
    userAgentClass: 'mobile',
    place: 'Đà Nẵng',
  });
  const deps = {
    citizens: chat.citizens,
    contacts: chat.contacts,
    documents: chat.documents,
    dossiers: chat.dossiers,
    shares: chat.shares,
  };
  return { deps, citizenId, accountCode, paper, chat };
}

describe('exportCitizenData', () => {
  it('holds the account, identity, profile, consents and contacts, with dates as ISO strings', async () => {
    const { deps, citizenId, accountCode } = await citizenWithEverything();

    const data = await exportCitizenData(deps, citizenId, new Date('2026-11-27T05:00:00Z'));

    expect(data).toMatchObject({
      format: 'dcz-citizen-data-export/1',
      exportedAt: '2026-11-27T05:00:00.000Z',
      account: {
        code: accountCode,
        status: 'provisional',
        openedVia: 'telegram',
        closedAt: null,
        purgeAfter: null,
      },
      identity: {
        fullName: 'Nguyen Van An',
        cccd: '048090001234',
        dateOfBirth: '1990-02-15',
        phone: '+84905123456',
      },
      profile: { address: null, email: 'an@example.vn' },
      consents: [{ purpose: 'provisional_digital_citizen_account', channel: 'telegram', withdrawnAt: null }],
      contacts: [
        {
          channel: 'telegram',
          address: 'telegram-user-1',
          language: 'vi',
          optedOutAt: null,
          provenPhone: '+84905123456',
        },
      ],
    });
    expect(data?.contacts[0]?.linkedAt).toEqual(expect.any(String));
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
  });

  it('lists the papers with their hash but not their files, the dossiers with history, the links with their views', async () => {
    const { deps, citizenId, paper } = await citizenWithEverything();

    const data = await exportCitizenData(deps, citizenId);

    expect(data?.papers).toEqual([
      expect.objectContaining({
        id: paper.id,
        title: 'Giấy khai sinh',
        number: 'KS-1',
        sha256: paper.sha256,
      }),
    ]);
    expect(data?.papers[0]).not.toHaveProperty('fileKey');
    expect(data?.dossiers).toEqual([
      expect.objectContaining({
        code: 'HS-1',
        status: 'needs_more_info',
        note: 'Bổ sung ảnh',
        history: [
          expect.objectContaining({ seq: 1, status: 'received' }),
          expect.objectContaining({ seq: 2, status: 'needs_more_info', note: 'Bổ sung ảnh' }),
        ],
      }),
    ]);
    expect(data?.shares).toEqual([
      expect.objectContaining({
        kind: 'export',
        viewCount: 1,
        views: [
          { at: '2026-11-27T04:00:00.000Z', ipHash: 'ip-hash', userAgentClass: 'mobile', place: 'Đà Nẵng' },
        ],
      }),
    ]);
  });

  it('shows the closing and withdrawn consent of a closed account, and is null for an unknown one', async () => {
    const { deps, citizenId, chat } = await citizenWithEverything();
    await chat.send('XOATK');
    await chat.send('CO');

    const data = await exportCitizenData(deps, citizenId);

    expect(data?.account).toMatchObject({
      closedAt: '2026-11-27T03:00:00.000Z',
      purgeAfter: '2026-12-27T03:00:00.000Z',
    });
    expect(data?.consents[0]?.withdrawnAt).toBe('2026-11-27T03:00:00.000Z');
    expect(data?.shares[0]?.revokedAt).toBe('2026-11-27T03:00:00.000Z');
    await expect(exportCitizenData(deps, crypto.randomUUID())).resolves.toBeNull();
  });
});
