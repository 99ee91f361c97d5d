import { describe, expect, it } from 'vitest';
import { downloadName } from './download-name.ts';
import { formatDay, formatMoment, formatSize } from './format.ts';

describe('downloadName', () => {
  it('names the file after the title in plain ASCII, with the extension of its type', () => {
    expect(downloadName('Giấy khai sinh', 'application/pdf')).toBe('giay-khai-sinh.pdf');
    expect(downloadName('Đăng ký tạm trú — bản sao', 'image/jpeg')).toBe('dang-ky-tam-tru-ban-sao.jpg');
    expect(downloadName('"; evil="x\r\n', 'image/png')).toBe('evil-x.png');
    expect(downloadName('证书', 'application/pdf')).toBe('giay-to.pdf');
    expect(downloadName('a'.repeat(200), 'application/pdf')).toBe(`${'a'.repeat(60)}.pdf`);
  });
});

describe('page formats', () => {
  it('writes days as dd/mm/yyyy and moments in Vietnam time', () => {
    expect(formatDay('2025-06-08')).toBe('08/06/2025');
    expect(formatMoment(new Date('2025-06-08T17:05:00Z'))).toEqual({ time: '00:05', day: '09/06/2025' });
  });

  it('writes sizes in KB or MB with the decimal mark of the language', () => {
    expect(formatSize(10, 'vi')).toBe('1 KB');
    expect(formatSize(820 * 1024, 'en')).toBe('820 KB');
    expect(formatSize(1.5 * 1024 * 1024, 'vi')).toBe('1,5 MB');
    expect(formatSize(1.5 * 1024 * 1024, 'en')).toBe('1.5 MB');
  });
});
