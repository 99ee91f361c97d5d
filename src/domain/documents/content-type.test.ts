import { describe, expect, it } from 'vitest';
import { detectContentType } from './content-type.ts';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('detectContentType', () => {
  it('recognises a PDF by %PDF-', () => {
    expect(detectContentType(Buffer.from('%PDF-1.4\n%âãÏÓ\n', 'latin1'))).toBe('application/pdf');
  });

  it('recognises a PNG by its 8-byte signature', () => {
    expect(detectContentType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13))).toBe(
      'image/png',
    );
  });

  it('recognises a JPEG by FF D8 FF', () => {
    expect(detectContentType(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46))).toBe('image/jpeg');
  });

  it('refuses text, HTML, a ZIP and a truncated PNG signature', () => {
    expect(detectContentType(Buffer.from('hello, this is not a PDF'))).toBeNull();
    expect(detectContentType(Buffer.from('<html><body>%PDF-</body></html>'))).toBeNull();
    expect(detectContentType(bytes(0x50, 0x4b, 0x03, 0x04))).toBeNull();
    expect(detectContentType(bytes(0x89, 0x50, 0x4e, 0x47))).toBeNull();
    expect(detectContentType(bytes())).toBeNull();
  });
});
