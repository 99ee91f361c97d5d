import type { DocumentContentType } from './document.ts';

/** How many first bytes {@link detectContentType} needs to decide (fewer only when the file is shorter). */
export const CONTENT_TYPE_SNIFF_BYTES = 8;

const SIGNATURES: readonly { readonly type: DocumentContentType; readonly magic: readonly number[] }[] = [
  // "%PDF-"
  { type: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  // "\x89PNG\r\n\x1a\n"
  { type: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  // SOI marker followed by the first marker's 0xFF
  { type: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
];

/**
 * The content type of a paper from its first bytes (magic numbers), never from its name or the type the
 * sender claims: PDF (`%PDF-`), PNG (the 8-byte PNG signature) or JPEG (`FF D8 FF`). Null for anything else.
 */
export function detectContentType(head: Uint8Array): DocumentContentType | null {
  for (const { type, magic } of SIGNATURES) {
    if (head.length >= magic.length && magic.every((byte, i) => head[i] === byte)) return type;
  }
  return null;
}
