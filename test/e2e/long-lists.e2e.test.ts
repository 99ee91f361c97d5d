import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countSmsSegments } from '../../src/shared/sms-segments.ts';
import { AppHarness } from '../support/app-harness.ts';

const PHONE = '+84905777024';
const TITLE = 'Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất';

/**
 * A citizen with 24 papers and 24 open links asks for both lists by SMS, on real parts (PostgreSQL, Redis,
 * BullMQ workers, twilio-node against the fake Twilio, which refuses bodies over 1,600 characters like Twilio):
 * every page is accepted and takes at most 3 segments, and every paper and link is listed once.
 */
describe('long lists by SMS', () => {
  let h: AppHarness;

  beforeAll(async () => {
    h = await AppHarness.start();
    await h.say(PHONE, 'DK Nguyen Van An, 048090001234, 15/02/1990');
    await h.say(PHONE, 'CO', 2);
    const citizen = await h.services.citizens.findByPhone(PHONE);
    const created = await h.services.agencies.create({
      code: 'SO-TNMT',
      name: 'Sở Tài nguyên và Môi trường thành phố Đà Nẵng',
      keyHash: 'key-hash-of-so-tnmt',
    });
    if (citizen === null || created.type !== 'created') throw new Error('no citizen or agency');
    for (let n = 1; n <= 24; n += 1) {
      await h.services.documents.issue({
        id: crypto.randomUUID(),
        citizenId: citizen.id,
        agencyId: created.agency.id,
        typeCode: 'GCNQSDD',
        title: `${TITLE} ${n}`,
        number: `GCN-${n}`,
        issuedAt: `2026-01-${String(n).padStart(2, '0')}`,
        expiresAt: null,
        contentType: 'application/pdf',
        sizeBytes: 1234,
        sha256: 'a'.repeat(64),
        fileKey: `files/paper-${n}`,
        signature: 'signature',
        signingKeyId: 'key-1',
      });
    }
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** Asks for pages 1 to `pages` of a list; resolves the pages received, each checked to be 3 segments at most. */
  async function everyPage(keyword: 'GT' | 'LS', pages: number): Promise<string[]> {
    const texts: string[] = [];
    for (let page = 1; page <= pages; page += 1) {
      const [text] = await h.say(PHONE, page === 1 ? keyword : `${keyword} ${page}`);
      // The fake records only what it accepted: a body over 1,600 characters would never arrive (21617).
      expect(countSmsSegments(text ?? '').segments, text).toBeLessThanOrEqual(3);
      texts.push(text ?? '');
    }
    return texts;
  }

  const numbersIn = (texts: readonly string[]) =>
    texts.flatMap((text) => [...text.matchAll(/^(\d+)\. Giay chung nhan/gmu)].map(([, n]) => Number(n)));

  it('sends GT in 6 pages of at most 3 segments, each paper once under its number', async () => {
    const pages = await everyPage('GT', 6);

    expect(numbersIn(pages)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(pages[0]).toMatch(/^Giay to cua ban, trang 1\/6:\n/);
    expect(pages[0]).toMatch(/\nGui GT 2 de xem trang sau\.$/);
    expect(await h.say(PHONE, 'GT 7')).toEqual([
      'Khong co trang 7. Gui GT va so trang (1-6), vi du GT 2 de xem trang 2.',
    ]);
  });

  it('sends LS in 6 pages of at most 3 segments, and THUHOI 13 revokes the link shown as 13', async () => {
    for (let n = 1; n <= 24; n += 1) await h.say(PHONE, `CS ${n}`);

    const pages = await everyPage('LS', 6);

    expect(numbersIn(pages)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    const thirteen = /^13\. (Giay chung nhan[^,]*)/mu.exec(pages[3] ?? '')?.[1];
    expect(await h.say(PHONE, 'THUHOI 13')).toEqual([
      `Da thu hoi link chia se ${thirteen}: link khong mo duoc nua.`,
    ]);
  });
});
