import type { DocumentContentType } from '../../domain/documents/document.ts';
import { stripDiacritics } from '../../shared/text.ts';

const EXTENSIONS: Record<DocumentContentType, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
};

/**
 * The file name a shared paper downloads as: its title in lower-case ASCII words joined by dashes, at most 60
 * characters, with the extension of its type: "Giấy khai sinh" gives `giay-khai-sinh.pdf`. Safe to put in a
 * quoted Content-Disposition filename.
 */
export function downloadName(title: string, contentType: DocumentContentType): string {
  const words = stripDiacritics(title)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `${words || 'giay-to'}.${EXTENSIONS[contentType]}`;
}
