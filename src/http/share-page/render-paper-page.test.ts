import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { copyBlockText } from '../../../test/support/share-page-html.ts';
import type { DocumentRecord } from '../../domain/documents/document.ts';
import { createDocumentSigner, signedDocumentRecord } from '../../domain/documents/document-signature.ts';
import { SHARE_PAGE_CSP } from './page-layout.ts';
import { renderExportPage } from './render-export-page.ts';
import { NOT_FOUND_PAGE, renderTooManyPage } from './render-notice-page.ts';
import { type PaperPageModel, renderPaperPage } from './render-paper-page.ts';
import { sharePageCopy } from './share-page.copy.ts';

const TOKEN = 'AbCdEfGhIjKlMnOpQrStUv';
const document: DocumentRecord = {
  id: 'd1',
  citizenId: 'c1',
  agency: { id: 'a1', code: 'UBND-HAICHAU', name: 'UBND phường Hải Châu' },
  typeCode: 'KHAISINH',
  title: 'Giấy khai sinh',
  number: 'KS-2025-000123',
  issuedAt: '2025-05-01',
  expiresAt: null,
  contentType: 'application/pdf',
  sizeBytes: 2048,
  sha256: 'ab'.repeat(32),
  fileKey: 'doc-d1',
  signature: 'sig',
  signingKeyId: '0123456789abcdef',
  createdAt: new Date('2025-05-01T02:00:00Z'),
};
const model = (overrides: Partial<PaperPageModel> = {}): PaperPageModel => ({
  lang: 'vi',
  token: TOKEN,
  publicBaseUrl: 'https://dcz.example.vn',
  document,
  authenticity: { authentic: true },
  keyId: '0123456789abcdef',
  shareExpiresAt: new Date('2025-06-08T07:30:00Z'),
  ...overrides,
});
const signer = createDocumentSigner(
  generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
);
/** `paper` signed as the agency API signs it. */
const signed = (paper: DocumentRecord): DocumentRecord => ({
  ...paper,
  signature: signer.sign(signedDocumentRecord(paper)),
  signingKeyId: signer.keyId,
});
/** The record as the page's check command makes it: the shown record with the paper's number put back. */
const withNumber = (shown: string, number: string) => JSON.stringify({ ...JSON.parse(shown), number });
const text = (page: string) => page.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' ');

describe('renderPaperPage', () => {
  it('shows the paper in Vietnamese: title, type, issuer, dates, the authentic mark, download, QR and expiry', () => {
    const page = renderPaperPage(model());
    expect(page).toContain('<html lang="vi">');
    expect(page).toMatch(/<main id="main">/);
    expect(page).toContain('<h1>Giấy khai sinh</h1>');
    const words = text(page);
    for (const shown of [
      'KHAISINH',
      'UBND phường Hải Châu (UBND-HAICHAU)',
      '01/05/2025',
      'Không thời hạn',
      'Bản gốc, do UBND phường Hải Châu (UBND-HAICHAU) cấp, không bị thay đổi',
      'ab'.repeat(32),
      '0123456789abcdef',
      'Tải giấy tờ (PDF, 2 KB)',
      'Liên kết này hết hạn lúc 14:30 ngày 08/06/2025',
    ]) {
      expect(words).toContain(shown);
    }
    expect(page).toContain(`href="/s/${TOKEN}/file"`);
    expect(page).toContain(`src="/s/${TOKEN}/qr.svg"`);
    expect(page).toContain(`<a href="/s/${TOKEN}?lang=en" hreflang="en" lang="en">English</a>`);
    expect(page).toContain(`<link rel="alternate" hreflang="en" href="/s/${TOKEN}?lang=en">`);
    expect(page).not.toContain('Cảnh báo');
    expect(page).not.toContain('KS-2025-000123');
  });

  it('shows the paper in English with a switch back to Vietnamese', () => {
    const page = renderPaperPage(model({ lang: 'en', document: { ...document, expiresAt: '2030-12-31' } }));
    expect(page).toContain('<html lang="en">');
    const words = text(page);
    expect(words).toContain('Authentic, issued by UBND phường Hải Châu (UBND-HAICHAU), unchanged');
    expect(words).toContain('31/12/2030');
    expect(words).toContain('This link ends at 14:30 on 08/06/2025 (Vietnam time).');
    expect(page).toContain(`<a href="/s/${TOKEN}" hreflang="vi" lang="vi">Tiếng Việt</a>`);
  });

  it('shows a red warning instead of the mark, and no download, when the check failed', () => {
    for (const [lang, reason, said] of [
      ['vi', 'file_changed', 'Tệp đã bị thay đổi'],
      ['en', 'signature_invalid', 'digital signature is not valid'],
      ['en', 'file_missing', 'original file cannot be found'],
    ] as const) {
      const page = renderPaperPage(model({ lang, authenticity: { authentic: false, reason } }));
      expect(page).toContain('class="mark bad" role="alert"');
      expect(page).toContain(said);
      expect(page).not.toContain('mark ok');
      expect(page).not.toMatch(/Bản gốc|Authentic,/);
      expect(page).not.toContain('/file"');
    }
  });

  it('escapes what agencies wrote', () => {
    const hostile = {
      ...document,
      title: '<img src=x onerror=alert(1)>',
      typeCode: '"><script>',
      agency: { id: 'a', code: 'X&Y', name: '<b>Agency</b>' },
    };
    const page = renderPaperPage(model({ document: hostile }));
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<b>Agency');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('&lt;b&gt;Agency&lt;/b&gt; (X&amp;Y)');
  });

  it('has no scripts and no external assets, and its one style sheet is allowed by the CSP hash', () => {
    const page = renderPaperPage(model());
    expect(page).not.toMatch(/<script|https?:\/\/(?!dcz\.example\.vn)/);
    expect(SHARE_PAGE_CSP).toMatch(/default-src 'none'; img-src 'self'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(SHARE_PAGE_CSP).not.toContain('unsafe');
  });
});

describe('the self-check on the paper page', () => {
  const labels = sharePageCopy.vi.selfCheck;

  it('shows, collapsed, the signed record and its signature, which verify once the paper’s number is put back', () => {
    const paper = signed(document);
    const page = renderPaperPage(model({ document: paper, keyId: paper.signingKeyId }));
    const details = page.slice(page.indexOf('<details>'), page.indexOf('</details>'));
    expect(details).not.toBe('');
    expect(page).not.toMatch(/<details[^>]* open/);
    const shown = copyBlockText(details, labels.record) ?? '';
    expect(JSON.parse(shown).number).toBe('?');
    expect(withNumber(shown, paper.number)).toBe(signedDocumentRecord(paper));
    const signature = copyBlockText(details, labels.signature) ?? '';
    expect(signature).toBe(paper.signature);
    expect(signer.verify(withNumber(shown, paper.number), signature, paper.signingKeyId)).toBe(true);
    expect(signer.verify(withNumber(shown, 'KS-2025-000124'), signature, paper.signingKeyId)).toBe(false);
    expect(details).toContain(`<code>${paper.signingKeyId}</code>`);
    expect(copyBlockText(details, labels.fileCommand)).toBe('sha256sum giay-khai-sinh.pdf');
    expect(text(details)).toContain(`Kết quả phải bắt đầu bằng ${paper.sha256}`);
  });

  it('puts the record, the key id, the signature and the published key’s address into the check command', () => {
    const paper = signed(document);
    const page = renderPaperPage(model({ document: paper, keyId: paper.signingKeyId }));
    const command = copyBlockText(page, labels.command) ?? '';
    expect(command).toMatch(/^node -e '\n/);
    expect(command).toContain(`'https://dcz.example.vn/.well-known/document-signing-key' \\\n`);
    expect(command).toContain(`'${paper.signingKeyId}' \\\n`);
    expect(command).toContain(`'${paper.signature}' \\\n`);
    expect(command.endsWith(`'${copyBlockText(page, labels.record)}'`)).toBe(true);
    expect(command).toContain(JSON.stringify(labels.words.prompt));
  });

  it('never shows the paper’s number, in either language', () => {
    for (const lang of ['vi', 'en'] as const) {
      const paper = signed(document);
      const page = renderPaperPage(model({ lang, document: paper, keyId: paper.signingKeyId }));
      expect(page).not.toContain(paper.number);
      expect(copyBlockText(page, sharePageCopy[lang].selfCheck.record)).toContain('"number":"?"');
    }
  });

  it('is in English with ?lang=en', () => {
    const paper = signed(document);
    const page = renderPaperPage(model({ lang: 'en', document: paper, keyId: paper.signingKeyId }));
    const words = text(page);
    expect(words).toContain('How this was checked, and how to check it yourself');
    expect(words).toContain('Check it yourself on your computer');
    expect(words).toContain('type the number exactly as printed on the paper you downloaded');
    const en = sharePageCopy.en.selfCheck;
    for (const label of [en.record, en.signature, en.command, en.fileCommand]) {
      expect(copyBlockText(page, label)).toBeDefined();
    }
    expect(copyBlockText(page, en.command)).toContain(JSON.stringify(en.words.valid));
  });

  it('escapes markup and keeps quotes and shell characters exact in the record and the command', () => {
    for (const title of [
      '</code></pre><script>alert(1)</script>',
      'Giấy "khai sinh" & <b>O’Neil</b>',
      "it's $(touch pwned) `id` \\ \n done",
      '\u2028\u007f\t tab',
    ]) {
      const paper = signed({ ...document, title, agency: { ...document.agency, name: `${title} UBND` } });
      const page = renderPaperPage(model({ document: paper, keyId: paper.signingKeyId }));
      expect(page).not.toMatch(/<script|<b>|<\/code><\/pre><script/);
      const shown = copyBlockText(page, labels.record) ?? '';
      expect(withNumber(shown, paper.number)).toBe(signedDocumentRecord(paper));
      const command = copyBlockText(page, labels.command) ?? '';
      // The record is the command's last word: single-quoted, each ' written '\''.
      expect(command.endsWith(`'${shown.replaceAll("'", "'\\''")}'`)).toBe(true);
    }
  });

  it('is not offered when the check failed', () => {
    const paper = signed(document);
    for (const reason of ['file_changed', 'signature_invalid', 'file_missing'] as const) {
      const page = renderPaperPage(model({ document: paper, authenticity: { authentic: false, reason } }));
      expect(page).not.toContain('<details>');
      expect(page).not.toContain(paper.signature);
      expect(copyBlockText(page, labels.command)).toBeUndefined();
    }
  });
});

describe('other share pages', () => {
  it('the export page says what it is and offers the JSON, in both languages', () => {
    const at = new Date('2025-06-02T01:00:00Z');
    expect(text(renderExportPage({ lang: 'vi', token: TOKEN, expiresAt: at }))).toContain(
      'Bản sao dữ liệu của bạn',
    );
    const en = renderExportPage({ lang: 'en', token: TOKEN, expiresAt: at });
    expect(text(en)).toContain('Your data export');
    expect(text(en)).toContain('Download your data (JSON)');
    expect(en).toContain(`href="/s/${TOKEN}/file"`);
  });

  it('the 404 page is bilingual and says to ask for a new link', () => {
    const words = text(NOT_FOUND_PAGE);
    expect(words).toContain('Liên kết không hợp lệ hoặc đã hết hạn');
    expect(words).toContain('This link is not valid or has ended');
    expect(words).toContain('Hãy đề nghị người chia sẻ gửi cho bạn một liên kết mới.');
    expect(words).toContain('Ask the person who shared it to send you a new link.');
  });

  it('the 429 page says when to try again', () => {
    const words = text(renderTooManyPage(125));
    expect(words).toContain('thử lại sau 3 phút');
    expect(words).toContain('try again in 3 minutes');
  });
});
