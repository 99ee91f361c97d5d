import { describe, expect, it } from 'vitest';
import type { NewDataRequest } from '../../src/domain/datarequests/data-request.ts';
import { countSmsSegments, toGsm7 } from '../../src/shared/sms-segments.ts';
import { type CitizenChat, openCitizenChat, seedAgency, seedPaper } from '../../test/support/citizen-chat.ts';
import { requestRef, smsNoticeText } from './data-request-text.ts';

// YC, YC <n>, a bare CO after a notice, YC LS and YC THUHOI as the citizen reads them. The transcript's clock is
// 10:00 on 27/11/2026 in Vietnam.

const NOW = new Date('2026-11-27T03:00:00Z');
const HOUR = 3600_000;

/** A citizen with a birth certificate and a pending request of UBND-HAICHAU, marked as noticed. */
async function withRequest(channel: 'twilio-sms' | 'telegram', overrides: Partial<NewDataRequest> = {}) {
  const citizen: CitizenChat = await openCitizenChat(channel);
  const agency = await seedAgency(citizen.chat, 'UBND-HAICHAU', 'UBND phường Hải Châu');
  await seedPaper(citizen.chat, {
    citizenId: citizen.citizenId,
    agency,
    title: 'Giấy khai sinh',
    issuedAt: '2026-11-20',
  });
  const created = await citizen.chat.dataRequests.create(
    {
      agencyId: agency.id,
      citizenId: citizen.citizenId,
      purpose: 'Đăng ký thường trú',
      fields: ['fullName', 'dateOfBirth'],
      documentTypes: ['KHAISINH'],
      callbackUrl: null,
      createdAt: NOW,
      expiresAt: new Date(NOW.getTime() + 72 * HOUR),
      ...overrides,
    },
    20,
  );
  if (created.type !== 'created') throw new Error('no request');
  await citizen.chat.dataRequests.markNoticed(created.request.id, NOW);
  return { ...citizen, request: created.request };
}

describe('data requests in the chat', () => {
  it('lists the pending requests (YC), shows one whole and takes CO by SMS', async () => {
    const { chat, seen, request } = await withRequest('twilio-sms');

    expect(await chat.send('YC')).toEqual([
      seen(
        'Yêu cầu dữ liệu đang chờ bạn:\n1. UBND-HAICHAU: Đăng ký thường trú\nGửi YC và số yêu cầu để xem và trả lời, ví dụ YC 1.',
      ),
    ]);
    expect(await chat.send('YC 1')).toEqual([
      seen(
        'Yêu cầu 1: UBND-HAICHAU xin họ tên, ngày sinh, Giấy khai sinh để Đăng ký thường trú, hạn 10:00 30/11. Trả lời CO để đồng ý, KHONG để từ chối.',
      ),
    ]);
    const [answer] = await chat.send('CO');

    expect(answer).toBe(
      seen(
        'Đã đồng ý. UBND-HAICHAU xem được các mục đã xin đến 10:00 04/12. YC LS: xem ai đã nhận, YC THUHOI để rút lại.',
      ),
    );
    expect(await chat.dataRequests.findById(request.id)).toMatchObject({
      status: 'approved',
      decidedVia: 'twilio-sms',
    });
    expect(chat.dataRequestsChanged.map((r) => [r.id, r.status])).toEqual([[request.id, 'approved']]);
    expect(chat.dataRequests.audit.map((a) => a.action)).toEqual([
      'data_request_created',
      'data_request_approved',
    ]);
  });

  it('answers the notice with a bare KHONG when no conversation waits', async () => {
    const { chat, seen, request } = await withRequest('twilio-sms');

    expect(await chat.send('KHONG')).toEqual([
      seen('Đã từ chối. UBND-HAICHAU không nhận được dữ liệu của bạn.'),
    ]);
    expect((await chat.dataRequests.findById(request.id))?.status).toBe('refused');
    // Nothing waits any more: a bare CO has its ordinary meaning again.
    expect((await chat.send('CO'))[0]).not.toMatch(/dong y|đồng ý/i);
  });

  it('answers from a Telegram button naming the request, and shows buttons with YC <n>', async () => {
    const { chat, request } = await withRequest('telegram');

    const before = chat.delivered.length;
    await chat.send('YC 1');
    expect(chat.delivered.slice(before)[0]?.reply.choices).toEqual([
      { label: 'Đồng ý', payload: `YC CO ${requestRef(request.id)}` },
      { label: 'Từ chối', payload: `YC KHONG ${requestRef(request.id)}` },
    ]);
    await chat.send('HUY');
    await chat.send(`YC CO ${requestRef(request.id)}`);

    expect(await chat.dataRequests.findById(request.id)).toMatchObject({
      status: 'approved',
      decidedVia: 'telegram',
    });
  });

  it('lists what each agency received (YC LS) and withdraws an approval (YC THUHOI 1)', async () => {
    const { chat, seen, request } = await withRequest('twilio-sms');
    await chat.send('CO');
    await chat.dataRequests.recordRead(request.id, new Date(NOW.getTime() + HOUR));

    expect(await chat.send('YC LS')).toEqual([
      seen(
        'Dữ liệu bạn đã cho cơ quan xem:\n1. UBND-HAICHAU: xem được đến 10:00 04/12, đọc lần cuối 27/11 11:00\nGửi YC THUHOI và số để rút lại sự đồng ý, ví dụ YC THUHOI 1.',
      ),
    ]);
    expect(await chat.send('YC THUHOI 1')).toEqual([
      seen('Đã rút lại sự đồng ý: UBND-HAICHAU không xem được dữ liệu của bạn nữa.'),
    ]);
    expect((await chat.dataRequests.findById(request.id))?.status).toBe('withdrawn');
    expect(await chat.send('YC THUHOI 1')).toEqual([seen('Sự đồng ý này đã hết hạn hoặc đã được rút lại.')]);
  });

  it('fits the SMS notice in one GSM-7 segment, shortening long lists with "và N mục khác"', () => {
    const request = {
      id: '3f2a9c1b-0000-4000-8000-000000000000',
      agency: { id: 'a', code: 'UBND-PHUONG-HOA-KHANH-NAM-LIEN-CHIEU-001', name: 'x' },
      purpose: 'Đăng ký thường trú cho cả gia đình tại địa chỉ mới ở phường Hòa Khánh Nam, quận Liên Chiểu',
      fields: ['fullName', 'dateOfBirth', 'cccd', 'phone', 'address', 'email'] as const,
      documentTypes: ['KHAISINH', 'KETHON'],
      expiresAt: new Date(NOW.getTime() + 72 * HOUR),
    };
    for (const language of ['vi', 'en'] as const) {
      const text = smsNoticeText(language, {
        request: { ...request, fields: [...request.fields] },
        typeTitles: {},
      });
      expect(countSmsSegments(toGsm7(text)).segments, text).toBe(1);
    }
    const short = smsNoticeText('vi', {
      request: {
        ...request,
        agency: { ...request.agency, code: 'UBND-HAICHAU' },
        purpose: 'Đăng ký thường trú',
        fields: ['fullName', 'dateOfBirth', 'cccd', 'phone', 'address'],
      },
      typeTitles: { KHAISINH: 'Giấy khai sinh' },
    });
    expect(short).toMatch(/và \d mục khác/);
    expect(countSmsSegments(toGsm7(short)).segments).toBe(1);
  });
});
