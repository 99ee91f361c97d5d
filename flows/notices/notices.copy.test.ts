import { describe, expect, it } from 'vitest';
import { DOSSIER_STATUSES } from '../../src/domain/dossiers/dossier.ts';
import type { Language } from '../../src/messaging/channel.ts';
import { countSmsSegments, toGsm7 } from '../../src/shared/sms-segments.ts';
import { type DossierNoticeFacts, dossierNoticeText, shareViewedText } from './notices.copy.ts';

const CODE = '000.00.20.H17-261127-0001';
const LANGUAGES: readonly Language[] = ['vi', 'en'];
const base: DossierNoticeFacts = {
  code: CODE,
  procedure: 'Đăng ký khai sinh',
  status: 'processing',
  earlier: [],
  expectedAt: '2026-03-15',
  note: null,
};
const segments = (text: string) => countSmsSegments(toGsm7(text)).segments;

describe('dossier notice', () => {
  it('says the status in words, the procedure, the code, the expected date and how to see details', () => {
    expect(dossierNoticeText('vi', base)).toBe(
      `Hồ sơ Đăng ký khai sinh: đang xử lý. Hẹn trả 15/03/2026. Gửi TT ${CODE} để xem chi tiết.`,
    );
    expect(dossierNoticeText('en', base)).toBe(
      `Your dossier Đăng ký khai sinh: in progress. Expected 15/03/2026. Send TT ${CODE} for details.`,
    );
  });

  it('says the latest status and the steps passed when several statuses collapsed into one message', () => {
    expect(
      dossierNoticeText('vi', { ...base, status: 'completed', earlier: ['processing', 'needs_more_info'] }),
    ).toBe(
      `Hồ sơ Đăng ký khai sinh: đã có kết quả. Trước đó: đang xử lý, cần bổ sung. Gửi TT ${CODE} để xem chi tiết.`,
    );
  });

  it('gives the note when more papers are needed, and only then', () => {
    const note = 'Mang bản sao CCCD của cha mẹ.';
    expect(dossierNoticeText('vi', { ...base, status: 'needs_more_info', note })).toContain(
      'Ghi chú: Mang bản sao CCCD của cha mẹ. Gửi TT',
    );
    expect(dossierNoticeText('vi', { ...base, status: 'rejected', note })).not.toContain('Ghi chú');
  });

  it('fits one unaccented SMS for every status and both languages, cutting a long procedure name', () => {
    const long = 'Cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất';
    for (const language of LANGUAGES) {
      for (const status of DOSSIER_STATUSES) {
        const text = dossierNoticeText(language, { ...base, status, procedure: long, earlier: ['received'] });
        expect(segments(text), `${language} ${status}: ${text}`).toBe(1);
        expect(text).toContain(`TT ${CODE}`);
      }
    }
    expect(dossierNoticeText('vi', { ...base, procedure: long })).toContain(
      'Hồ sơ Cấp giấy chứng nhận quyền sử dụng đất',
    );
  });
});

describe('share-view notice', () => {
  const at = new Date('2026-03-10T07:05:00Z'); // 14:05 in Vietnam

  it('tells the owner which paper, when (Vietnam time), where, on what device, and how to end the link', () => {
    expect(
      shareViewedText('vi', {
        title: 'Giấy khai sinh',
        at,
        place: 'Đà Nẵng',
        device: 'mobile',
        shareNumber: 2,
      }),
    ).toBe(
      'Liên kết chia sẻ "Giấy khai sinh" vừa được mở lúc 14:05 10/03 (Đà Nẵng, điện thoại). Gửi LS để xem lượt xem, THUHOI 2 để thu hồi.',
    );
    expect(
      shareViewedText('en', { title: 'Giấy khai sinh', at, place: null, device: 'desktop', shareNumber: 1 }),
    ).toBe(
      'Your link for "Giấy khai sinh" was opened at 14:05 10/03 (place unknown, computer). Send LS to see views, THUHOI 1 to end it.',
    );
  });

  it('names the data export, and leaves THUHOI out when the link is no longer active', () => {
    expect(shareViewedText('vi', { title: null, at, place: null, device: 'other', shareNumber: null })).toBe(
      'Liên kết chia sẻ "bản sao dữ liệu" vừa được mở lúc 14:05 10/03 (không rõ nơi, thiết bị khác). Gửi LS để xem lượt xem.',
    );
  });

  it('fits one unaccented SMS with a long title and a long place', () => {
    const title = 'Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất';
    for (const language of LANGUAGES) {
      const text = shareViewedText(language, {
        title,
        at,
        place: 'Thành phố Hồ Chí Minh, Việt Nam, Đông Nam Á, châu Á',
        device: 'desktop',
        shareNumber: 12,
      });
      expect(segments(text), text).toBe(1);
      expect(text).toContain('THUHOI 12');
    }
  });
});
