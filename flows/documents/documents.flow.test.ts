import { describe, expect, it } from 'vitest';
import { shareTokenHash } from '../../src/domain/shares/share-token.ts';
import { countSmsSegments } from '../../src/shared/sms-segments.ts';
import { type CitizenChat, openCitizenChat, seedAgency, seedPaper } from '../../test/support/citizen-chat.ts';
import { TEST_KEYED_HASH, Transcript } from '../../test/support/transcript.ts';

// GT, CS, LS and THUHOI as the citizen reads them, by SMS (unaccented) and on Telegram (as written, with buttons
// and the QR code). The transcript's clock is 10:00 on 27/11/2026 in Vietnam.

const CHANNELS = ['twilio-sms', 'telegram'] as const;
const LINK = /https:\/\/congdanso\.danang\.gov\.vn\/s\/([A-Za-z0-9_-]{22})/;
const HOUR = 3600_000;

const PICK_OF_TWO =
  'Gửi CS và số giấy tờ (1-2), ví dụ CS 1 để chia sẻ 7 ngày, CS 1 30 để chia sẻ 30 ngày. Gửi GT để xem danh sách.';
const NO_PAPERS =
  'Bạn chưa có giấy tờ nào. Giấy tờ do cơ quan cấp sẽ có ở đây khi bạn làm xong thủ tục hành chính. Gửi TT để xem hồ sơ.';
const NO_SHARES =
  'Bạn không có link chia sẻ nào đang mở. Gửi GT để xem giấy tờ, CS và số giấy tờ để chia sẻ.';

/** A citizen with two papers: a birth certificate (paper 1) and a marriage certificate (paper 2). */
async function withTwoPapers(channel: (typeof CHANNELS)[number]) {
  const citizen = await openCitizenChat(channel);
  const haiChau = await seedAgency(citizen.chat, 'UBND-HAICHAU', 'UBND phường Hải Châu');
  const thachThang = await seedAgency(citizen.chat, 'UBND-THACHTHANG', 'UBND phường Thạch Thang');
  const birth = await seedPaper(citizen.chat, {
    citizenId: citizen.citizenId,
    agency: haiChau,
    title: 'Giấy khai sinh',
    issuedAt: '2026-11-20',
  });
  const marriage = await seedPaper(citizen.chat, {
    citizenId: citizen.citizenId,
    agency: thachThang,
    title: 'Giấy chứng nhận kết hôn',
    issuedAt: '2026-11-25',
  });
  return { ...citizen, haiChau, birth, marriage };
}

/** The link in a reply and the share it opens right now (null once it no longer opens). */
async function linkIn(citizen: CitizenChat, reply: string | undefined) {
  const [url, token] = LINK.exec(reply ?? '') ?? [];
  if (url === undefined || token === undefined) throw new Error(`no link in: ${reply}`);
  const share = await citizen.chat.shares.findUsable(
    shareTokenHash(TEST_KEYED_HASH, token),
    new Date('2026-11-27T03:00:00Z'),
  );
  return { url, share };
}

describe.each(CHANNELS)('on %s', (channel) => {
  const messenger = channel !== 'twilio-sms';

  describe('GT: the papers', () => {
    it('says there are none yet, and how papers arrive', async () => {
      const { chat, seen } = await openCitizenChat(channel);

      expect(await chat.send('GT')).toEqual([seen(NO_PAPERS)]);
    });

    it('numbers the papers in issue order with issuer and date, and says how to share one', async () => {
      const { chat, seen } = await withTwoPapers(channel);

      expect(await chat.send('GT')).toEqual([
        seen(
          'Giấy tờ của bạn:\n' +
            '1. Giấy khai sinh, UBND phường Hải Châu, cấp ngày 20/11/2026\n' +
            '2. Giấy chứng nhận kết hôn, UBND phường Thạch Thang, cấp ngày 25/11/2026\n' +
            'Gửi CS và số giấy tờ để chia sẻ, ví dụ CS 1 (7 ngày) hoặc CS 1 30 (30 ngày).',
        ),
      ]);
      expect(chat.delivered.at(-1)?.reply.choices).toEqual(
        messenger
          ? [
              { label: 'Chia sẻ 1', payload: 'CS 1' },
              { label: 'Chia sẻ 2', payload: 'CS 2' },
            ]
          : undefined,
      );
    });

    it.each(['gt', 'giấy tờ', 'Giay to', 'papers'])('answers %j the same', async (word) => {
      const { chat } = await withTwoPapers(channel);

      expect(await chat.send(word)).toEqual(await chat.send('GT'));
    });
  });

  describe('CS: sharing a paper', () => {
    it('shares paper n for 7 days with a short link and its expiry', async () => {
      const citizen = await withTwoPapers(channel);

      const [reply] = await citizen.chat.send('CS 1');

      const { url, share } = await linkIn(citizen, reply);
      expect(reply).toBe(
        citizen.seen(
          `Link chia sẻ Giấy khai sinh, hết hạn 10:00 04/12/2026:\n${url}\nLS: xem lượt xem, thu hồi.`,
        ),
      );
      expect(share).toMatchObject({
        documentId: citizen.birth.id,
        expiresAt: new Date('2026-12-04T03:00:00Z'),
      });
    });

    it(
      messenger ? 'sends the QR code of the link as a picture' : 'sends no picture by SMS, in one segment',
      async () => {
        const citizen = await withTwoPapers(channel);

        const [reply] = await citizen.chat.send('CS 2');

        const { url } = await linkIn(citizen, reply);
        const sent = citizen.chat.delivered.at(-1)?.reply;
        if (messenger) {
          expect(sent?.image).toEqual({
            url: `${url}/qr.png`,
            alt: 'Mã QR của link chia sẻ Giấy chứng nhận kết hôn',
          });
        } else {
          expect(sent?.image).toBeUndefined();
          expect(countSmsSegments(reply ?? '')).toMatchObject({ encoding: 'GSM-7', segments: 1 });
        }
      },
    );

    it.each([
      ['CS 1 1', '10:00 28/11/2026', '2026-11-28T03:00:00Z'],
      ['CS 1 30', '10:00 27/12/2026', '2026-12-27T03:00:00Z'],
      ['cs 1 7', '10:00 04/12/2026', '2026-12-04T03:00:00Z'],
      ['chia sẻ 1, 30 ngày', '10:00 27/12/2026', '2026-12-27T03:00:00Z'],
      ['share 1 1 day', '10:00 28/11/2026', '2026-11-28T03:00:00Z'],
    ])('%j shares until %s', async (text, shown, expiresAt) => {
      const citizen = await withTwoPapers(channel);

      const [reply] = await citizen.chat.send(text);

      expect(reply).toContain(citizen.seen(`hết hạn ${shown}:`));
      expect((await linkIn(citizen, reply)).share?.expiresAt).toEqual(new Date(expiresAt));
    });

    it('takes the "Chia sẻ 2" button (or its label typed) after GT', async () => {
      const citizen = await withTwoPapers(channel);
      await citizen.chat.send('GT');

      const [reply] = await citizen.chat.send(messenger ? 'Chia sẻ 2' : 'CS 2');

      expect((await linkIn(citizen, reply)).share?.documentId).toBe(citizen.marriage.id);
    });

    it('gives the same link when its turn is replayed after a crash, and creates one share', async () => {
      const citizen = await withTwoPapers(channel);

      const [first, again] = await citizen.chat.sendCrashingOnce('CS 1');

      expect(first).toHaveLength(1);
      expect(again).toEqual(first);
      expect(citizen.chat.shares.shares).toHaveLength(1);
    });

    it('gives another link for another message', async () => {
      const citizen = await withTwoPapers(channel);

      const [one] = await citizen.chat.send('CS 1');
      const [two] = await citizen.chat.send('CS 1');

      expect((await linkIn(citizen, one)).url).not.toBe((await linkIn(citizen, two)).url);
    });

    it.each(['CS', 'cs abc', 'chia sẻ'])('%j says how to pick a paper', async (text) => {
      const { chat, seen } = await withTwoPapers(channel);

      expect(await chat.send(text)).toEqual([seen(PICK_OF_TWO)]);
      expect(chat.shares.shares).toEqual([]);
    });

    it.each(['CS 3', 'CS 0'])('%j (no such paper) says so and how to pick', async (text) => {
      const { chat, seen } = await withTwoPapers(channel);

      expect(await chat.send(text)).toEqual([seen(`Không có giấy tờ số ${text.slice(3)}. ${PICK_OF_TWO}`)]);
      expect(chat.shares.shares).toEqual([]);
    });

    it('says there are no papers yet when there is nothing to share', async () => {
      const { chat, seen } = await openCitizenChat(channel);

      expect(await chat.send('CS 1')).toEqual([seen(NO_PAPERS)]);
      expect(await chat.send('CS')).toEqual([seen(NO_PAPERS)]);
    });

    it.each(['CS 2 5', 'CS 2 abc', 'CS 2 365'])('%j says which durations exist', async (text) => {
      const { chat, seen } = await withTwoPapers(channel);

      expect(await chat.send(text)).toEqual([
        seen(
          'Chỉ chia sẻ được 1, 7 hoặc 30 ngày, ví dụ CS 2 30 để chia sẻ 30 ngày. Gửi CS 2 để chia sẻ 7 ngày.',
        ),
      ]);
      expect(chat.shares.shares).toEqual([]);
    });
  });

  describe('LS and THUHOI: the open links', () => {
    it('says there are none', async () => {
      const { chat, seen } = await withTwoPapers(channel);

      expect(await chat.send('LS')).toEqual([seen(NO_SHARES)]);
    });

    it('lists them oldest first with expiry, view count and the last 3 views, never an IP address', async () => {
      const citizen = await withTwoPapers(channel);
      const { chat } = citizen;
      await chat.send('CS 1');
      await chat.send('CS 2 30');
      const [first] = chat.shares.shares;
      const view = (at: string, place: string | null, userAgentClass: 'mobile' | 'desktop') =>
        chat.shares.recordView(first?.share.id ?? '', {
          at: new Date(at),
          ipHash: 'iphash-1',
          place,
          userAgentClass,
        });
      await view('2026-11-27T03:30:00Z', 'Huế', 'desktop');
      await view('2026-11-27T04:00:00Z', 'Hà Nội', 'mobile');
      await view('2026-11-27T05:05:00Z', null, 'desktop');
      await view('2026-11-27T07:30:00Z', 'Đà Nẵng', 'mobile');
      chat.advance(6 * HOUR);

      const listed = await chat.send('LS');

      expect(listed).toEqual([
        citizen.seen(
          'Link chia sẻ đang mở:\n' +
            '1. Giấy khai sinh, hết hạn 10:00 04/12/2026, 4 lượt xem\n' +
            '- 27/11 14:30, Đà Nẵng, điện thoại\n' +
            '- 27/11 12:05, không rõ nơi, máy tính\n' +
            '- 27/11 11:00, Hà Nội, điện thoại\n' +
            '2. Giấy chứng nhận kết hôn, hết hạn 10:00 27/12/2026, 0 lượt xem\n' +
            'Gửi THUHOI và số link để thu hồi, ví dụ THUHOI 1.',
        ),
      ]);
      expect(listed.join()).not.toContain('iphash');
    });

    it('revokes link n at once, confirms, and LS renumbers the rest', async () => {
      const citizen = await withTwoPapers(channel);
      const { chat, seen } = citizen;
      const [birthLink] = await chat.send('CS 1');
      await chat.send('CS 2 30');

      expect(await chat.send('THUHOI 1')).toEqual([
        seen('Đã thu hồi link chia sẻ Giấy khai sinh: link không mở được nữa.'),
      ]);

      expect((await linkIn(citizen, birthLink)).share).toBeNull();
      expect(await chat.send('LS')).toEqual([
        seen(
          'Link chia sẻ đang mở:\n' +
            '1. Giấy chứng nhận kết hôn, hết hạn 10:00 27/12/2026, 0 lượt xem\n' +
            'Gửi THUHOI và số link để thu hồi, ví dụ THUHOI 1.',
        ),
      ]);
    });

    it.each(['thu hồi 1', 'thu hoi 1', 'THU HOI 1', 'thuhoi 1', 'unshare 1'])(
      'revokes with %j',
      async (text) => {
        const citizen = await withTwoPapers(channel);
        const [link] = await citizen.chat.send('CS 1');

        expect(await citizen.chat.send(text)).toEqual([
          citizen.seen('Đã thu hồi link chia sẻ Giấy khai sinh: link không mở được nữa.'),
        ]);
        expect((await linkIn(citizen, link)).share).toBeNull();
      },
    );

    it('says how to pick a link for THUHOI without a number or with a wrong one', async () => {
      const { chat, seen } = await withTwoPapers(channel);
      await chat.send('CS 1');

      expect(await chat.send('THUHOI')).toEqual([
        seen('Gửi THUHOI và số link (1), ví dụ THUHOI 1. Gửi LS để xem danh sách.'),
      ]);
      expect(await chat.send('THUHOI 3')).toEqual([
        seen('Không có link số 3. Gửi THUHOI và số link (1), ví dụ THUHOI 1. Gửi LS để xem danh sách.'),
      ]);
      expect(chat.shares.shares.map((s) => s.share.revokedAt)).toEqual([null]);
    });

    it('says there is nothing to revoke', async () => {
      const { chat, seen } = await withTwoPapers(channel);

      expect(await chat.send('THUHOI 1')).toEqual([seen(NO_SHARES)]);
    });
  });
});

describe('in English', () => {
  it('lists papers, shares one and lists the links with an unknown place', async () => {
    const citizen = await withTwoPapers('telegram');
    const { chat } = citizen;
    await chat.send('EN');

    expect((await chat.send('papers'))[0]).toBe(
      'Your papers:\n' +
        '1. Giấy khai sinh, UBND phường Hải Châu, issued 20/11/2026\n' +
        '2. Giấy chứng nhận kết hôn, UBND phường Thạch Thang, issued 25/11/2026\n' +
        'Send CS and a paper number to share it, e.g. CS 1 (7 days) or CS 1 30 (30 days).',
    );
    expect(chat.delivered.at(-1)?.reply.choices?.[0]).toEqual({ label: 'Share 1', payload: 'CS 1' });
    const [shared] = await chat.send('share 1');
    const { url, share } = await linkIn(citizen, shared);
    expect(shared).toBe(
      `Share link of Giấy khai sinh, valid until 10:00 04/12/2026:\n${url}\nLS: views, revoke.`,
    );
    await chat.shares.recordView(share?.id ?? '', {
      at: new Date('2026-11-27T04:00:00Z'),
      ipHash: 'h',
      place: null,
      userAgentClass: 'bot',
    });
    expect(await chat.send('LS')).toEqual([
      'Your open share links:\n' +
        '1. Giấy khai sinh, valid until 10:00 04/12/2026, 1 view\n' +
        '- 27/11 11:00, unknown place, automated\n' +
        'Send THUHOI and a link number to revoke it, e.g. THUHOI 1.',
    ]);
    expect(await chat.send('THUHOI 1')).toEqual([
      'The share link of Giấy khai sinh is revoked: it no longer opens.',
    ]);
  });
});

/** A citizen with `count` papers titled "Giấy tờ số n" (n = 1, 2, ... in issue order). */
async function withPapers(channel: (typeof CHANNELS)[number], count: number) {
  const citizen = await openCitizenChat(channel);
  const agency = await seedAgency(citizen.chat, 'UBND-HAICHAU', 'UBND phường Hải Châu');
  const papers = [];
  for (let n = 1; n <= count; n += 1) {
    const issuedAt = `2026-${String(Math.ceil(n / 28)).padStart(2, '0')}-${String(((n - 1) % 28) + 1).padStart(2, '0')}`;
    papers.push(
      await seedPaper(citizen.chat, {
        citizenId: citizen.citizenId,
        agency,
        title: `Giấy tờ số ${n}`,
        issuedAt,
      }),
    );
  }
  return { ...citizen, papers };
}

/** The line of paper n as GT shows it (the papers of withPapers). */
const paperLine = (n: number) => {
  const day = String(((n - 1) % 28) + 1).padStart(2, '0');
  const month = String(Math.ceil(n / 28)).padStart(2, '0');
  return `${n}. Giấy tờ số ${n}, UBND phường Hải Châu, cấp ngày ${day}/${month}/2026`;
};

/** A citizen with `count` open links, one per paper (link n shares paper n). */
async function withLinks(channel: (typeof CHANNELS)[number], count: number) {
  const citizen = await withPapers(channel, count);
  for (let n = 1; n <= count; n += 1) await citizen.chat.send(`CS ${n}`);
  return citizen;
}

describe.each(CHANNELS)('pages on %s', (channel) => {
  const messenger = channel !== 'twilio-sms';

  it('shows 4 papers a page, numbered across pages, with GT 2 for the next page', async () => {
    const { chat, seen } = await withPapers(channel, 5);

    expect(await chat.send('GT')).toEqual([
      seen(
        [
          'Giấy tờ của bạn, trang 1/2:',
          ...[1, 2, 3, 4].map(paperLine),
          'Gửi CS và số giấy tờ để chia sẻ, ví dụ CS 1 (7 ngày) hoặc CS 1 30 (30 ngày).',
          'Gửi GT 2 để xem trang sau.',
        ].join('\n'),
      ),
    ]);
    expect(chat.delivered.at(-1)?.reply.choices).toEqual(
      messenger
        ? [
            ...[1, 2, 3, 4].map((n) => ({ label: `Chia sẻ ${n}`, payload: `CS ${n}` })),
            { label: 'Trang sau', payload: 'GT 2' },
          ]
        : undefined,
    );
    expect(await chat.send('GT 2')).toEqual([
      seen(
        [
          'Giấy tờ của bạn, trang 2/2:',
          paperLine(5),
          'Gửi CS và số giấy tờ để chia sẻ, ví dụ CS 5 (7 ngày) hoặc CS 5 30 (30 ngày).',
        ].join('\n'),
      ),
    ]);
    expect(chat.delivered.at(-1)?.reply.choices).toEqual(
      messenger ? [{ label: 'Chia sẻ 5', payload: 'CS 5' }] : undefined,
    );
  });

  it('shares the paper by the number it was shown with on page 2', async () => {
    const citizen = await withPapers(channel, 5);
    await citizen.chat.send('GT 2');

    const [reply] = await citizen.chat.send(messenger ? 'Chia sẻ 5' : 'CS 5');

    expect((await linkIn(citizen, reply)).share?.documentId).toBe(citizen.papers[4]?.id);
  });

  it.each(['giấy tờ 2', 'Giay to cua toi 2', 'gt trang 2', 'papers page 2', 'GT 02'])(
    'reads %j as page 2',
    async (text) => {
      const { chat, seen } = await withPapers(channel, 5);

      const [page] = await chat.send(text);

      expect(page).toMatch(new RegExp(`^${seen('Giấy tờ của bạn, trang 2/2:')}\n5\\. `, 'u'));
      expect([page]).toEqual(await chat.send('GT 2'));
    },
  );

  it.each([
    ['GT 3', 'Không có trang 3. Gửi GT và số trang (1-2), ví dụ GT 2 để xem trang 2.'],
    ['GT 0', 'Không có trang 0. Gửi GT và số trang (1-2), ví dụ GT 2 để xem trang 2.'],
    ['GT x', 'Gửi GT và số trang (1-2), ví dụ GT 2 để xem trang 2.'],
    ['GT hai', 'Gửi GT và số trang (1-2), ví dụ GT 2 để xem trang 2.'],
    ['GT 1000', 'Gửi GT và số trang (1-2), ví dụ GT 2 để xem trang 2.'],
  ])('answers %j with the pages there are', async (text, answer) => {
    const { chat, seen } = await withPapers(channel, 5);

    expect(await chat.send(text)).toEqual([seen(answer)]);
  });

  it('says a list of one page has no page 2, and that there are no papers at all', async () => {
    const { chat, seen } = await withTwoPapers(channel);
    const empty = await openCitizenChat(channel);

    expect(await chat.send('GT 2')).toEqual([
      seen('Không có trang 2. Danh sách chỉ có 1 trang: gửi GT để xem.'),
    ]);
    expect(await empty.chat.send('GT 2')).toEqual([empty.seen(NO_PAPERS)]);
  });

  it('shows 24 papers on 6 pages, every paper once under its own number, each page within its budget', async () => {
    const { chat, seen } = await withPapers(channel, 24);

    const pages = [];
    for (let page = 1; page <= 6; page += 1)
      pages.push(...(await chat.send(page === 1 ? 'GT' : `GT ${page}`)));

    const numbers = pages.flatMap((text) => [...text.matchAll(/^(\d+)\. Gi[aấ]y t[oờ] s[oố] (\d+),/gmu)]);
    expect(numbers.map(([, shown, title]) => [Number(shown), Number(title)])).toEqual(
      Array.from({ length: 24 }, (_, i) => [i + 1, i + 1]),
    );
    for (const text of pages) {
      if (messenger) expect(text.length).toBeLessThanOrEqual(2000);
      else expect(countSmsSegments(text).segments).toBeLessThanOrEqual(3);
    }
    expect(await chat.send('GT 7')).toEqual([
      seen('Không có trang 7. Gửi GT và số trang (1-6), ví dụ GT 2 để xem trang 2.'),
    ]);
  });

  it('lists 4 links a page with LS 2 for the next, and THUHOI 5 revokes the fifth', async () => {
    const citizen = await withLinks(channel, 5);
    const { chat, seen } = citizen;

    const [first] = await chat.send('LS');
    expect(first).toBe(
      seen(
        [
          'Link chia sẻ đang mở, trang 1/2:',
          ...[1, 2, 3, 4].map((n) => `${n}. Giấy tờ số ${n}, hết hạn 10:00 04/12/2026, 0 lượt xem`),
          'Gửi THUHOI và số link để thu hồi, ví dụ THUHOI 1.',
          'Gửi LS 2 để xem trang sau.',
        ].join('\n'),
      ),
    );
    expect(chat.delivered.at(-1)?.reply.choices).toEqual(
      messenger ? [{ label: 'Trang sau', payload: 'LS 2' }] : undefined,
    );
    expect(await chat.send(messenger ? 'Trang sau' : 'LS 2')).toEqual([
      seen(
        [
          'Link chia sẻ đang mở, trang 2/2:',
          '5. Giấy tờ số 5, hết hạn 10:00 04/12/2026, 0 lượt xem',
          'Gửi THUHOI và số link để thu hồi, ví dụ THUHOI 5.',
        ].join('\n'),
      ),
    ]);
    expect(await chat.send('links 2')).toEqual(await chat.send('LS 2'));
    expect(await chat.send('LS 3')).toEqual([
      seen('Không có trang 3. Gửi LS và số trang (1-2), ví dụ LS 2 để xem trang 2.'),
    ]);

    expect(await chat.send('THUHOI 5')).toEqual([
      seen('Đã thu hồi link chia sẻ Giấy tờ số 5: link không mở được nữa.'),
    ]);
    expect(chat.shares.shares.map((s) => s.share.revokedAt !== null)).toEqual([
      false,
      false,
      false,
      false,
      true,
    ]);
  });
});

describe('many papers with long titles', () => {
  it('cuts titles and issuers by SMS so a page is at most 3 segments, and keeps them whole on Telegram', async () => {
    const telegram = await openCitizenChat('telegram');
    const sms = await openCitizenChat('twilio-sms');
    const longTitle =
      'Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất';
    const issuer = 'Sở Tài nguyên và Môi trường thành phố Đà Nẵng';
    for (const { chat, citizenId } of [telegram, sms]) {
      const agency = await seedAgency(chat, 'SO-TNMT', issuer);
      for (let i = 1; i <= 12; i += 1) {
        await seedPaper(chat, { citizenId, agency, title: `${longTitle} ${i}`, issuedAt: '2026-01-01' });
      }
    }

    const [chatPage] = await telegram.chat.send('GT 3');
    const [smsPage] = await sms.chat.send('GT 3');
    const [smsShared] = await sms.chat.send('CS 12 30');

    expect(chatPage).toContain(`12. ${longTitle} 12, ${issuer}, cấp ngày 01/01/2026`);
    expect(smsPage).toMatch(
      /^Giay to cua ban, trang 3\/3:\n9\. Giay chung nhan quyen su\.\.\., So Tai nguyen va Moi\.\.\., cap ngay 01\/01\/2026\n/,
    );
    expect(countSmsSegments(smsPage ?? '')).toMatchObject({ encoding: 'GSM-7', segments: 3 });
    expect(smsShared).toMatch(/^Link chia se Giay chung nhan quyen su\.\.\., het han 10:00 27\/12\/2026:\n/);
    expect(countSmsSegments(smsShared ?? '')).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('lets the latest views give way before titles on an SMS page of links', async () => {
    const citizen = await withLinks('twilio-sms', 2);
    const { chat } = citizen;
    for (const { share } of chat.shares.shares) {
      for (const hour of [1, 2, 3]) {
        await chat.shares.recordView(share.id, {
          at: new Date(Date.UTC(2026, 10, 27, 3 + hour)),
          ipHash: 'h',
          place: 'Thành phố Hồ Chí Minh, quận Bình Thạnh, phường 25',
          userAgentClass: 'desktop',
        });
      }
    }

    const [listed] = await chat.send('LS');

    expect(listed?.split('\n')).toEqual([
      'Link chia se dang mo:',
      '1. Giay to so 1, het han 10:00 04/12/2026, 3 luot xem',
      '- 27/11 13:00, Thanh pho Ho Chi Minh..., may tinh',
      '- 27/11 12:00, Thanh pho Ho Chi Minh..., may tinh',
      '2. Giay to so 2, het han 10:00 04/12/2026, 3 luot xem',
      '- 27/11 13:00, Thanh pho Ho Chi Minh..., may tinh',
      '- 27/11 12:00, Thanh pho Ho Chi Minh..., may tinh',
      'Gui THUHOI va so link de thu hoi, vi du THUHOI 1.',
    ]);
  });
});

describe('without an account', () => {
  it.each(['GT', 'CS 1', 'LS', 'THUHOI 1'])('%j by SMS says how to register', async (text) => {
    const chat = new Transcript();

    expect(await chat.send(text)).toEqual([
      'So dien thoai nay chua co tai khoan cong dan so. Gui DK de dang ky.',
    ]);
  });

  it.each(['GT', 'CS 1', 'LS', 'THUHOI 1'])('%j on Telegram says how to link or register', async (text) => {
    const chat = new Transcript({ channel: 'telegram', phone: 'tg-1' });

    expect(await chat.send(text)).toEqual([
      'Cuộc trò chuyện này chưa liên kết với tài khoản công dân số nào. Gửi LK nếu bạn đã đăng ký (ví dụ qua SMS), hoặc DK để đăng ký.',
    ]);
  });
});
