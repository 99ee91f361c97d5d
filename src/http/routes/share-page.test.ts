import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import pino from 'pino';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { InMemoryDocumentRepository } from '../../../test/fakes/in-memory-document-repository.ts';
import { InMemoryFileStore } from '../../../test/fakes/in-memory-file-store.ts';
import { InMemoryGuessLimiter } from '../../../test/fakes/in-memory-guess-limiter.ts';
import { InMemoryShareRepository } from '../../../test/fakes/in-memory-share-repository.ts';
import { copyBlockText } from '../../../test/support/share-page-html.ts';
import { storeSignedPaper } from '../../../test/support/signed-paper.ts';
import { createDocumentSigner } from '../../domain/documents/document-signature.ts';
import { createShare } from '../../domain/shares/create-share.ts';
import type { Share, ShareView } from '../../domain/shares/share.ts';
import { createDataCipher } from '../../shared/crypto.ts';
import { AppError } from '../../shared/errors.ts';
import { ROUTER_OPTIONS } from '../build-app.ts';
import { sharePageCopy } from '../share-page/share-page.copy.ts';
import { sharePageRoutes } from './share-page.ts';

const BASE = 'https://dcz.example.vn';
const PDF = Buffer.from('%PDF-1.4\n% the paper\n%%EOF\n');
const T0 = new Date('2025-06-01T08:00:00.000Z');
const MOBILE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148';

/** The share routes on fakes, with a paper shared for 7 days and a clock the test moves. */
async function setUp(options: { shareViewed?: (share: Share, view: ShareView) => Promise<void> } = {}) {
  const cipher = createDataCipher(randomBytes(32));
  const signer = createDocumentSigner(
    generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  );
  const agency = { id: randomUUID(), code: 'UBND-HAICHAU', name: 'UBND phường Hải Châu', createdAt: T0 };
  const documents = new InMemoryDocumentRepository({ agencies: [agency] });
  const files = new InMemoryFileStore();
  const shares = new InMemoryShareRepository();
  const guessLimiter = new InMemoryGuessLimiter();
  const citizenId = randomUUID();
  const { id } = await storeSignedPaper(
    { documents, files, signer },
    { agency, citizenId, bytes: PDF, at: T0 },
  );
  const share = (input: { ref: string; maxViews?: number; kind?: 'export' }) =>
    createShare(
      { shares, documents, cipher, publicBaseUrl: BASE },
      {
        citizenId,
        kind: input.kind ?? 'document',
        documentId: input.kind === 'export' ? null : id,
        days: 7,
        maxViews: input.maxViews ?? null,
        ref: input.ref,
        at: T0,
      },
    );
  const notices: { share: Share; view: ShareView }[] = [];
  const lines: string[] = [];
  let now = new Date(T0.getTime() + 60_000);
  const app = Fastify({
    loggerInstance: pino({ level: 'info' }, { write: (line: string) => lines.push(line) }),
    routerOptions: ROUTER_OPTIONS,
  });
  app.register(
    sharePageRoutes({
      publicBaseUrl: BASE,
      shares,
      documents,
      files,
      signer,
      cipher,
      guessLimiter,
      sharePlaceHeader: 'cf-ipcity',
      shareViewed:
        options.shareViewed ??
        (async (s, view) => {
          notices.push({ share: s, view });
        }),
      exportData: async (who) => ({ account: { id: who }, papers: [] }),
      clock: () => now,
    }),
  );
  await app.ready();
  const { token } = await share({ ref: 'in-1' });
  return {
    app,
    token,
    share,
    shares,
    files,
    cipher,
    signer,
    notices,
    lines,
    citizenId,
    fileKey: `doc-${id}`,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
  };
}

const withoutDate = (headers: Record<string, unknown>) => {
  const { date: _date, ...rest } = headers;
  return rest;
};

describe('share page routes', () => {
  it('serve the paper page with the authentic mark and strict, private headers', async () => {
    const { app, token } = await setUp();
    const page = await app.inject({ url: `/s/${token}`, headers: { 'user-agent': MOBILE } });
    expect(page.statusCode).toBe(200);
    expect(page.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-robots-tag': 'noindex, nofollow',
      'x-content-type-options': 'nosniff',
      'content-security-policy': expect.stringMatching(
        /^default-src 'none'; img-src 'self'; style-src 'sha256-/,
      ),
    });
    expect(page.body).toContain('Bản gốc, do UBND phường Hải Châu (UBND-HAICHAU) cấp, không bị thay đổi');
    const english = await app.inject({ url: `/s/${token}?lang=en` });
    expect(english.body).toContain('Authentic, issued by UBND phường Hải Châu (UBND-HAICHAU), unchanged');
  });

  it('answer every link that cannot be opened with the same 404 page and headers', async () => {
    const { app, token, share, shares, citizenId, advance } = await setUp();
    const { token: revoked, share: toRevoke } = await share({ ref: 'in-revoked' });
    await shares.revoke(citizenId, toRevoke.id, T0);
    const { token: limited } = await share({ ref: 'in-limited', maxViews: 1 });
    expect((await app.inject({ url: `/s/${limited}` })).statusCode).toBe(200);
    const answers = [
      await app.inject({ url: `/s/${'A'.repeat(22)}` }),
      await app.inject({ url: `/s/${revoked}` }),
      await app.inject({ url: `/s/${limited}` }),
      await app.inject({ url: '/s/malformed!' }),
      await app.inject({ url: `/s/${'x'.repeat(300)}` }),
      await app.inject({ url: `/s/${token}/other` }),
    ];
    advance(8 * 24 * 60 * 60_000);
    answers.push(await app.inject({ url: `/s/${token}` }));
    const [first, ...others] = answers;
    expect(first?.statusCode).toBe(404);
    expect(first?.body).toContain('This link is not valid or has ended');
    for (const other of others) {
      expect(other.statusCode).toBe(404);
      expect(other.body).toBe(first?.body);
      expect(withoutDate(other.headers)).toEqual(withoutDate(first?.headers ?? {}));
    }
  });

  it('log each page view and download with the hashed IP, device class and place, but not QR images', async () => {
    const { app, token, shares, cipher } = await setUp();
    await app.inject({
      url: `/s/${token}`,
      headers: { 'user-agent': MOBILE, 'cf-ipcity': ' Đà Nẵng\u0007 ' },
    });
    await app.inject({ url: `/s/${token}/qr.svg` });
    await app.inject({ url: `/s/${token}/qr.png` });
    await app.inject({ url: `/s/${token}/file`, headers: { 'user-agent': 'curl/8.5.0' } });
    expect(shares.views.map((v) => v.view)).toEqual([
      {
        at: expect.any(Date),
        ipHash: cipher.keyedHash('viewer-ip', '127.0.0.1'),
        userAgentClass: 'mobile',
        place: 'Đà Nẵng',
      },
      {
        at: expect.any(Date),
        ipHash: cipher.keyedHash('viewer-ip', '127.0.0.1'),
        userAgentClass: 'bot',
        place: null,
      },
    ]);
    expect(JSON.stringify(shares.views)).not.toContain('127.0.0.1');
    expect(shares.shares[0]?.share.viewCount).toBe(2);
  });

  it('tell the owner at most once an hour, without waiting, and log a failed notice without personal data', async () => {
    const { app, token, notices, advance } = await setUp();
    await app.inject({ url: `/s/${token}` });
    await app.inject({ url: `/s/${token}` });
    advance(60 * 60_000);
    await app.inject({ url: `/s/${token}` });
    expect(notices.map((n) => n.share.viewCount)).toEqual([1, 3]);

    const failing = await setUp({
      shareViewed: async () => {
        throw Object.assign(new Error('could not reach +84905123456'), { code: 'NOTICE_FAILED' });
      },
    });
    expect((await failing.app.inject({ url: `/s/${failing.token}` })).statusCode).toBe(200);
    await new Promise((resolve) => setImmediate(resolve));
    const logged = failing.lines.filter((line) => line.includes('share view notice failed'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('NOTICE_FAILED');
    expect(logged[0]).not.toContain('905123456');
    expect(logged[0]).not.toContain(failing.token);
  });

  it('show the signed record without its number and the signature, which verify with the paper’s key once the number is put back', async () => {
    const { app, token, signer, files, fileKey } = await setUp();
    for (const lang of ['vi', 'en'] as const) {
      const page = await app.inject({ url: `/s/${token}${lang === 'en' ? '?lang=en' : ''}` });
      const labels = sharePageCopy[lang].selfCheck;
      const shown = copyBlockText(page.body, labels.record) ?? '';
      const signature = copyBlockText(page.body, labels.signature) ?? '';
      // The number is nowhere (the token and the signature are random and could spell it by chance).
      expect(page.body.replaceAll(token, '').replaceAll(signature, '')).not.toContain('KS-1');
      expect(JSON.parse(shown)).toMatchObject({
        number: '?',
        title: 'Giấy khai sinh',
        issuer: 'UBND-HAICHAU',
      });
      const record = JSON.stringify({ ...JSON.parse(shown), number: 'KS-1' });
      expect(signer.verify(record, signature, signer.keyId)).toBe(true);
      expect(page.body).toContain(`<code>${signer.keyId}</code>`);
      const command = copyBlockText(page.body, labels.command) ?? '';
      expect(command).toContain(`'${BASE}/.well-known/document-signing-key'`);
      expect(command).toContain(`'${signature}'`);
    }
    files.files.set(fileKey, Buffer.from('%PDF-1.4\n% a forged one\n%%EOF'));
    const warned = await app.inject({ url: `/s/${token}` });
    expect(warned.body).toContain('Tệp đã bị thay đổi');
    expect(copyBlockText(warned.body, sharePageCopy.vi.selfCheck.record)).toBeUndefined();
    expect(copyBlockText(warned.body, sharePageCopy.vi.selfCheck.command)).toBeUndefined();
  });

  it('stream the file with its type, length and a safe attachment name', async () => {
    const { app, token } = await setUp();
    const file = await app.inject({ url: `/s/${token}/file` });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload).toEqual(PDF);
    expect(file.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-length': String(PDF.length),
      'content-disposition': 'attachment; filename="giay-khai-sinh.pdf"',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
  });

  it('serve the data export page and its JSON', async () => {
    const { app, share, citizenId } = await setUp();
    const { token } = await share({ ref: 'in-export', kind: 'export' });
    expect((await app.inject({ url: `/s/${token}` })).body).toContain('Bản sao dữ liệu của bạn');
    const json = await app.inject({ url: `/s/${token}/file` });
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json.headers['content-disposition']).toBe('attachment; filename="du-lieu-cua-toi.json"');
    expect(json.json()).toEqual({ account: { id: citizenId }, papers: [] });
  });

  it('serve QR codes of the share link as PNG and SVG', async () => {
    const { app, token } = await setUp();
    const png = await app.inject({ url: `/s/${token}/qr.png` });
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    const svg = await app.inject({ url: `/s/${token}/qr.svg` });
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.body).toBe(
      await QRCode.toString(`${BASE}/s/${token}`, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
    );
  });

  it('block a client after 20 misses: 429 with Retry-After for every share request until the window ends', async () => {
    const { app, token, advance } = await setUp();
    for (let i = 0; i < 20; i++) {
      expect((await app.inject({ url: `/s/${randomBytes(16).toString('base64url')}` })).statusCode).toBe(404);
    }
    for (const url of [`/s/${token}`, `/s/${token}/file`, `/s/${token}/qr.png`, '/s/x']) {
      const blocked = await app.inject({ url });
      expect(blocked.statusCode).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(blocked.body).toContain('Too many requests');
    }
    advance(10 * 60_000);
    expect((await app.inject({ url: `/s/${token}` })).statusCode).toBe(200);
  });

  it('do not answer HEAD requests, so link checkers do not count as views', async () => {
    const { app, token, shares } = await setUp();
    expect((await app.inject({ method: 'HEAD', url: `/s/${token}` })).statusCode).toBe(404);
    expect(shares.views).toHaveLength(0);
  });

  it('never deliver a stored file that no longer matches its record', async () => {
    const { app, token, files, fileKey } = await setUp();
    files.files.set(fileKey, Buffer.from('%PDF-1.4\n% a forged one\n%%EOF'));
    const answer = await app.inject({ url: `/s/${token}/file` });
    expect(answer.statusCode).toBe(500);
    expect(answer.body).not.toContain('forged');
  });

  it('answer 503 with Retry-After, neither “changed” nor 404, while the file store is unavailable', async () => {
    const { app, token, files } = await setUp();
    files.get = async () => {
      throw new AppError('UNAVAILABLE', "The papers' file store is unavailable; try again later", {
        retryable: true,
      });
    };

    for (const url of [`/s/${token}`, `/s/${token}/file`]) {
      const answer = await app.inject({ url });
      expect(answer.statusCode, url).toBe(503);
      expect(answer.headers['retry-after'], url).toBeDefined();
    }
  });
});
