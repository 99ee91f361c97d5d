import { describe, expect, it } from 'vitest';
import { shareViewedText } from '../../flows/notices/notices.copy.ts';
import { newCitizen } from '../../test/contracts/citizen-repository.contract.ts';
import { newDocument } from '../../test/contracts/document-repository.contract.ts';
import { InMemoryCitizenRepository } from '../../test/fakes/in-memory-citizen-repository.ts';
import { InMemoryDocumentRepository } from '../../test/fakes/in-memory-document-repository.ts';
import { InMemoryShareRepository } from '../../test/fakes/in-memory-share-repository.ts';
import type { ShareView } from '../domain/shares/share.ts';
import { createShareNotices } from './share-notices.ts';

const AT = new Date('2026-12-04T03:20:00Z');
const HOUR = 3_600_000;
const view = (at: Date): ShareView => ({ at, ipHash: 'h', userAgentClass: 'mobile', place: 'Đà Nẵng' });

/** Share notices over in-memory citizens, papers and shares; a paper and two links of one citizen. */
async function setUp() {
  const citizens = new InMemoryCitizenRepository();
  const made = await citizens.create(newCitizen());
  if (made.type !== 'created') throw new Error(made.type);
  const documents = new InMemoryDocumentRepository();
  const issued = await documents.issue(newDocument('agency-1', made.citizen.id));
  if (issued.type !== 'created') throw new Error(issued.type);
  const shares = new InMemoryShareRepository();
  const link = (n: number, documentId: string | null) =>
    shares.create({
      citizenId: made.citizen.id,
      kind: documentId ? 'document' : 'export',
      documentId,
      tokenHash: `token-${n}`,
      expiresAt: new Date(AT.getTime() + 24 * HOUR),
      maxViews: null,
      createdByRef: `in-${n}`,
      at: new Date(AT.getTime() - (3 - n) * HOUR),
    });
  const exported = await link(1, null);
  const paper = await link(2, issued.document.id);
  const told: { key: string; text: string }[] = [];
  const notices = createShareNotices({
    shares,
    documents,
    citizens,
    notify: async (_citizen, key, reply) => {
      told.push({ key, text: reply('vi', 'twilio-sms').text });
    },
  });
  return { notices, told, exported, paper, title: issued.document.title };
}

describe('share-view notices', () => {
  it('name the paper, when and where it was opened, and the link’s number in LS, once per share and hour', async () => {
    const s = await setUp();
    await s.notices.shareViewed(s.paper, view(AT));
    await s.notices.shareViewed(s.paper, view(new Date(AT.getTime() + 30 * 60_000)));
    const hour = Math.floor(AT.getTime() / HOUR);
    const text = shareViewedText('vi', {
      title: s.title,
      at: AT,
      place: 'Đà Nẵng',
      device: 'mobile',
      shareNumber: 2,
    });
    expect(s.told).toEqual([
      { key: `share-view-${s.paper.id}-${hour}`, text },
      { key: `share-view-${s.paper.id}-${hour}`, text: expect.any(String) },
    ]);
  });

  it('tell a view of a data export without a paper title', async () => {
    const s = await setUp();
    await s.notices.shareViewed(s.exported, view(AT));
    const text = shareViewedText('vi', {
      title: null,
      at: AT,
      place: 'Đà Nẵng',
      device: 'mobile',
      shareNumber: 1,
    });
    expect(s.told.map((t) => t.text)).toEqual([text]);
  });

  it('tell nothing when the shared paper is gone', async () => {
    const s = await setUp();
    await s.notices.shareViewed({ ...s.paper, documentId: 'gone' }, view(AT));
    expect(s.told).toEqual([]);
  });
});
