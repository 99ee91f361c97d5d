import { execFile } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, type JsonWebKey, randomBytes, verify } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import jsQRModule from 'jsqr';
import type { Browser, BrowserContext } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentRecord } from '../../src/domain/documents/document.ts';
import { issueDocument } from '../../src/domain/documents/issue-document.ts';
import { createShare } from '../../src/domain/shares/create-share.ts';
import { sharePageCopy } from '../../src/http/share-page/share-page.copy.ts';
import { newCitizen } from '../contracts/citizen-repository.contract.ts';
import { AppHarness } from '../support/app-harness.ts';
import { launchChromium, seriousA11yViolations } from '../support/browser.ts';
import { eventually } from '../support/services.ts';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const PLACE_HEADER = 'x-viewer-city';
const DAY = 24 * 60 * 60 * 1000;
const AGENCY = { code: 'UBND-HAICHAU', name: 'UBND phường Hải Châu' };
const MARK_VI = `Bản gốc, do ${AGENCY.name} (${AGENCY.code}) cấp, không bị thay đổi`;
const MARK_EN = `Authentic, issued by ${AGENCY.name} (${AGENCY.code}), unchanged`;

/** A small but well-formed PDF, different for each `label`. */
function pdf(label: string): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${label}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );
}

const jsQR = jsQRModule.default;

/** Where the test leaves what a person should look at (screenshots); not committed. */
const OUTPUT_DIR = path.join(process.cwd(), 'test-results', 'share-page');

/** Runs `command` in `sh`, as a recipient would paste it, with this Node.js first on the PATH. */
function runShell(
  command: string,
  options: { cwd?: string; input?: string; env?: Record<string, string> } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      'sh',
      ['-c', command],
      {
        cwd: options.cwd,
        env: {
          ...process.env,
          PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}`,
          ...options.env,
        },
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}

/** The OpenSSL steps of docs/share-links.md, as a recipient copies them. */
async function documentedOpensslCheck(): Promise<string> {
  const doc = await readFile(new URL('../../docs/share-links.md', import.meta.url), 'utf8');
  const block = /<!-- hand-check-openssl[^>]*-->\s*```sh\n([\s\S]*?)```/.exec(doc)?.[1];
  if (block === undefined) throw new Error('docs/share-links.md has no hand-check-openssl block');
  return block;
}

/** Decodes the QR code in a PNG image. */
function decodeQr(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

describe('the share page in a browser', () => {
  let h: AppHarness;
  let browser: Browser;
  let context: BrowserContext;
  let filesDir: string;
  let citizenId: string;
  let agency: { id: string; code: string; name: string; createdAt: Date };
  let refs = 0;

  /** Issues a paper through the real issuing service, repositories and file store. */
  async function issuePaper(
    label: string,
    title = 'Giấy khai sinh',
  ): Promise<{ document: DocumentRecord; bytes: Buffer }> {
    const bytes = pdf(label);
    const { services } = h;
    const { document } = await issueDocument(
      {
        citizens: services.citizens,
        documents: services.documents,
        files: services.files,
        signer: services.signer,
      },
      {
        agency,
        citizen: '+84905600001',
        typeCode: 'KHAISINH',
        title,
        number: `KS-${label}`,
        issuedAt: '2025-05-01',
        expiresAt: '2030-05-01',
      },
      Readable.from([bytes]),
    );
    return { document, bytes };
  }

  /** Shares a paper as the chat's `CS` does; `at` and `days` may put its end in the past. */
  async function share(documentId: string, options: { at?: Date; maxViews?: number } = {}) {
    refs += 1;
    return createShare(
      {
        shares: h.services.shares,
        documents: h.services.documents,
        cipher: h.services.cipher,
        publicBaseUrl: h.baseUrl,
      },
      {
        citizenId,
        kind: 'document',
        documentId,
        days: 7,
        maxViews: options.maxViews ?? null,
        ref: `browser-test-${refs}-${randomBytes(4).toString('hex')}`,
        at: options.at ?? new Date(),
      },
    );
  }

  beforeAll(async () => {
    filesDir = await mkdtemp(path.join(tmpdir(), 'dcz-share-page-'));
    h = await AppHarness.start({
      workers: 0,
      env: {
        FILES_DIR: filesDir,
        DOCUMENT_SIGNING_KEY: generateKeyPairSync('ed25519')
          .privateKey.export({ format: 'der', type: 'pkcs8' })
          .toString('base64'),
        TRUST_PROXY: '127.0.0.1',
        SHARE_PLACE_HEADER: PLACE_HEADER,
      },
    });
    const opened = await h.services.citizens.create(newCitizen({ phone: '+84905600001' }));
    if (opened.type !== 'created') throw new Error(`could not open the account: ${opened.type}`);
    citizenId = opened.citizen.id;
    await h.services.citizens.recordVerification(citizenId, { outcome: 'verified' });
    const created = await h.services.agencies.create({
      ...AGENCY,
      keyHash: h.services.cipher.keyedHash('agency-key', 'k'),
    });
    if (created.type !== 'created') throw new Error(`could not create the agency: ${created.type}`);
    agency = created.agency;
    browser = await launchChromium();
    context = await browser.newContext({
      userAgent: IPHONE,
      viewport: { width: 390, height: 844 },
      extraHTTPHeaders: { [PLACE_HEADER]: 'Da Nang' },
      acceptDownloads: true,
    });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await h?.stop();
    if (filesDir) await rm(filesDir, { recursive: true, force: true });
  });

  it('shows a valid link’s paper: what it is, who issued it, when, until when, and the authentic mark', async () => {
    const { document } = await issuePaper('valid');
    const { url } = await share(document.id);
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) blocked.push(message.text());
    });
    page.on('pageerror', (error) => blocked.push(error.message));
    const response = await page.goto(url);
    expect(response?.status()).toBe(200);
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    const outline = await page.getByRole('main').ariaSnapshot();
    expect(outline).toContain('heading "Giấy khai sinh" [level=1]');
    expect(outline).toContain('heading "Mã QR của trang này" [level=2]');
    const main = await page.getByRole('main').textContent();
    for (const shown of [
      'KHAISINH',
      `${AGENCY.name} (${AGENCY.code})`,
      '01/05/2025',
      '01/05/2030',
      MARK_VI,
    ]) {
      expect(main).toContain(shown);
    }
    expect(main).toMatch(/Liên kết này hết hạn lúc \d\d:\d\d ngày \d\d\/\d\d\/\d{4}/);
    await expect(page.getByText(MARK_VI).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    // What a recipient sees first on a phone: a screenshot to look at, and no serious accessibility fault.
    await page.setViewportSize({ width: 360, height: 800 });
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'paper-360.png') });
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByText('Cách kiểm tra').click();
    await expect(page.getByText(document.sha256, { exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.getByText(h.services.signer.keyId, { exact: true }).isVisible()).resolves.toBe(true);
    // The QR image loads under the page's strict CSP, and nothing was blocked.
    await expect(
      page.locator('img.qr').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).resolves.toBeGreaterThan(0);
    expect(blocked).toEqual([]);
    await page.close();
  });

  it('lets a recipient check a paper by hand: the page’s record and signature verify with the published key, and its commands accept the paper and refuse an altered record', async () => {
    const title = `Giấy "khai sinh" <b>O'Neil</b> $(id) \`id\` & \\`;
    const { document } = await issuePaper('hand-check', title);
    const { url } = await share(document.id);
    const copy = sharePageCopy.vi;
    const labels = copy.selfCheck;
    const page = await context.newPage();
    await page.setViewportSize({ width: 360, height: 780 });
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) blocked.push(message.text());
    });
    await page.goto(url);

    // Collapsed at first; the summary opens it, without JavaScript.
    const details = page.locator('details');
    await expect(details.evaluate((d) => (d as unknown as { open: boolean }).open)).resolves.toBe(false);
    await expect(page.getByRole('figure', { name: labels.record }).count()).resolves.toBe(0);
    await page.getByText(copy.checkDetails).click();
    const block = async (label: string) => {
      const figure = page.getByRole('figure', { name: label });
      await expect(figure.isVisible()).resolves.toBe(true);
      return (await figure.locator('pre > code').textContent()) ?? '';
    };
    const shown = await block(labels.record);
    const signature = await block(labels.signature);
    const command = await block(labels.command);
    const fileCommand = await block(labels.fileCommand);
    const kid = (await page.locator(`dt:text-is("${copy.keyId}") + dd code`).textContent()) ?? '';
    expect(kid).toBe(document.signingKeyId);
    expect(await page.content()).not.toContain(document.number);

    // The recipient's own check with node:crypto and the published key.
    const { keys } = (await (await fetch(`${h.baseUrl}/.well-known/document-signing-key`)).json()) as {
      keys: (JsonWebKey & { kid: string })[];
    };
    const key = createPublicKey({ key: keys.find((k) => k.kid === kid) ?? {}, format: 'jwk' });
    const withNumber = (record: string, number: string) => JSON.stringify({ ...JSON.parse(record), number });
    const check = (record: string) =>
      verify(null, Buffer.from(record, 'utf8'), key, Buffer.from(signature, 'base64url'));
    expect(JSON.parse(shown)).toMatchObject({ title, number: '?', sha256: document.sha256 });
    expect(check(withNumber(shown, document.number))).toBe(true);
    expect(check(withNumber(shown.replace('khai sinh', 'khai tử'), document.number))).toBe(false);
    expect(check(shown)).toBe(false);

    // The page's command, pasted into a shell: the paper's number typed when asked.
    const good = await runShell(command, { input: `${document.number}\n` });
    expect(good.stdout).toContain(labels.words.valid);
    expect(good.code).toBe(0);
    const wrongNumber = await runShell(command, { input: 'KS-000\n' });
    expect(wrongNumber.stdout).toContain(labels.words.invalid);
    expect(wrongNumber.code).toBe(1);
    const size = `"sizeBytes":${document.sizeBytes}`;
    expect(command).toContain(size);
    for (const altered of [
      command.replace(size, `"sizeBytes":${document.sizeBytes + 1}`),
      command.replace('khai sinh', 'khai tử'),
      command.replace(
        document.sha256,
        document.sha256.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
      ),
    ]) {
      expect(altered).not.toBe(command);
      const refused = await runShell(altered, { input: `${document.number}\n` });
      expect(refused.stdout).toContain(labels.words.invalid);
      expect(refused.code).toBe(1);
    }

    // The downloaded file's SHA-256 with the page's sha256sum command.
    const work = await mkdtemp(path.join(tmpdir(), 'dcz-hand-check-'));
    try {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: /Tải giấy tờ \(PDF/ }).click(),
      ]);
      expect(fileCommand).toBe(`sha256sum ${download.suggestedFilename()}`);
      await download.saveAs(path.join(work, download.suggestedFilename()));
      const hashed = await runShell(fileCommand, { cwd: work });
      expect(hashed.code).toBe(0);
      expect(hashed.stdout.startsWith(`${document.sha256} `)).toBe(true);

      // The OpenSSL steps of docs/share-links.md, with what the page shows.
      const openssl = await documentedOpensslCheck();
      const env = { BASE: h.baseUrl, KID: kid, SIGNATURE: signature, NUMBER: document.number };
      await writeFile(path.join(work, 'record-shown.json'), `${shown}\n`);
      const verified = await runShell(openssl, { cwd: work, env });
      expect(verified.stdout + verified.stderr).toContain('Signature Verified Successfully');
      expect(verified.code).toBe(0);
      await writeFile(path.join(work, 'record-shown.json'), shown.replace('khai sinh', 'khai tử'));
      const refused = await runShell(openssl, { cwd: work, env });
      expect(refused.stdout + refused.stderr).toContain('Signature Verification Failure');
      expect(refused.code).not.toBe(0);
    } finally {
      await rm(work, { recursive: true, force: true });
    }

    // At 360 px: nothing scrolls sideways; a screenshot to look at.
    await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(360);
    await mkdir(OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'hand-check-360.png'), fullPage: true });
    expect(blocked).toEqual([]);
    await page.close();
  });

  it('switches to English with a visible link, and back', async () => {
    const { document } = await issuePaper('english');
    const { url } = await share(document.id);
    const page = await context.newPage();
    await page.goto(url);
    const english = page.getByRole('link', { name: 'English' });
    expect(await english.getAttribute('hreflang')).toBe('en');
    await english.click();
    await page.waitForURL(`${url}?lang=en`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await expect(page.getByText(MARK_EN).isVisible()).resolves.toBe(true);
    expect(await page.getByRole('main').textContent()).toContain('Issued on');
    await page.getByRole('link', { name: 'Tiếng Việt' }).click();
    await page.waitForURL(url);
    await expect(page.getByText(MARK_VI).isVisible()).resolves.toBe(true);
    await page.close();
  });

  it('downloads exactly the issued bytes, with the right content type', async () => {
    const { document, bytes } = await issuePaper('download');
    const { url } = await share(document.id);
    const page = await context.newPage();
    await page.goto(url);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Tải giấy tờ \(PDF/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('giay-khai-sinh.pdf');
    await expect(readFile(await download.path())).resolves.toEqual(bytes);
    await page.close();

    const file = await fetch(`${url}/file`);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-length')).toBe(String(bytes.length));
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(bytes);
  });

  it('gives QR codes that decode to exactly the share URL: the PNG and the one on the page', async () => {
    const { document } = await issuePaper('qr');
    const { url } = await share(document.id);
    expect(url).toMatch(new RegExp(`^${h.baseUrl}/s/[A-Za-z0-9_-]{22}$`));
    const png = await fetch(`${url}/qr.png`);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(decodeQr(Buffer.from(await png.arrayBuffer()))).toBe(url);
    const page = await context.newPage();
    await page.goto(url);
    expect(decodeQr(await page.locator('img.qr').screenshot())).toBe(url);
    await page.close();
  });

  it('shows the same 404 page for expired, revoked, unknown, used-up and malformed links', async () => {
    const { document } = await issuePaper('ended');
    const expired = await share(document.id, { at: new Date(Date.now() - 8 * DAY) });
    const revoked = await share(document.id);
    await h.services.shares.revoke(citizenId, revoked.share.id, new Date());
    const usedUp = await share(document.id, { maxViews: 1 });
    expect((await fetch(usedUp.url)).status).toBe(200);
    const urls = [
      expired.url,
      revoked.url,
      `${h.baseUrl}/s/${randomBytes(16).toString('base64url')}`,
      usedUp.url,
      `${h.baseUrl}/s/not-a-token`,
    ];
    const answers = await Promise.all(
      urls.map(async (u) => {
        const response = await fetch(u);
        const headers = Object.fromEntries(response.headers);
        delete headers.date;
        return { status: response.status, headers, body: await response.text() };
      }),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(answer.body).toBe(answers[0]?.body);
      expect(answer.headers).toEqual(answers[0]?.headers);
    }
    const page = await context.newPage();
    for (const u of urls.slice(0, 4)) {
      expect((await page.goto(u))?.status()).toBe(404);
      const main = await page.getByRole('main').textContent();
      expect(main).toContain('Liên kết không hợp lệ hoặc đã hết hạn');
      expect(main).toContain('Ask the person who shared it to send you a new link.');
      expect(main).not.toContain('Giấy khai sinh');
    }
    await page.close();
  });

  it('turns the mark into a red warning when the stored file is replaced or corrupted', async () => {
    const replaced = await issuePaper('replaced');
    await h.services.files.put(replaced.document.fileKey, Readable.from([pdf('forged')]));
    const corrupted = await issuePaper('corrupted');
    const onDisk = path.join(filesDir, `${corrupted.document.fileKey}.enc`);
    const bytes = await readFile(onDisk);
    bytes[bytes.length - 30] = (bytes[bytes.length - 30] ?? 0) ^ 0x01;
    await writeFile(onDisk, bytes);

    const page = await context.newPage();
    for (const paper of [replaced, corrupted]) {
      const { url } = await share(paper.document.id);
      expect((await page.goto(url))?.status()).toBe(200);
      const alert = page.getByRole('alert');
      await expect(alert.isVisible()).resolves.toBe(true);
      const warning = await alert.textContent();
      expect(warning).toContain('Cảnh báo: không xác thực được giấy tờ này');
      expect(warning).toContain('Tệp đã bị thay đổi so với bản cơ quan đã cấp.');
      await expect(page.getByText(MARK_VI).count()).resolves.toBe(0);
      await expect(page.getByRole('link', { name: /Tải giấy tờ/ }).count()).resolves.toBe(0);
    }
    await page.close();
  });

  it('logs each view with the hashed IP and device class, and claims the owner’s notice once an hour', async () => {
    const { document } = await issuePaper('views');
    const { url, share: shared } = await share(document.id);
    const page = await context.newPage();
    await page.goto(url);
    await page.goto(url);
    await page.close();
    await fetch(`${url}/file`, { headers: { 'user-agent': 'curl/8.5.0' } });

    const views = await h.services.shares.recentViews(shared.id, 10);
    const ipHash = h.services.cipher.keyedHash('viewer-ip', '127.0.0.1');
    expect(views.map((v) => [v.ipHash, v.userAgentClass, v.place])).toEqual([
      [ipHash, 'bot', null],
      [ipHash, 'mobile', 'Da Nang'],
      [ipHash, 'mobile', 'Da Nang'],
    ]);
    const { rows } = await h.services.db.query<{ view_count: number; owner_notified_at: Date; raw: string }>(
      'SELECT view_count, owner_notified_at, to_jsonb(v)::text AS raw FROM shares s JOIN share_views v ON v.share_id = s.id WHERE s.id = $1',
      [shared.id],
    );
    expect(rows[0]?.view_count).toBe(3);
    expect(rows[0]?.owner_notified_at).toEqual(views[2]?.at);
    expect(rows.map((r) => r.raw).join('\n')).not.toMatch(/127\.0\.0\.1|iPhone|Da Nang/);
    // The owner is told once (the notice is stored for sending), not once per view.
    const notices = await eventually(async () => {
      const stored = await h.services.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM outbound_messages WHERE dedupe_key LIKE $1',
        [`share-view-${shared.id}-%`],
      );
      return (stored.rows[0]?.n ?? 0) > 0 && stored.rows[0]?.n;
    });
    expect(notices).toBe(1);
  });

  it('answers 429 to a client that guessed too many links, and only to that client', async () => {
    const { document } = await issuePaper('guess');
    const { url } = await share(document.id);
    const guesser = { 'x-forwarded-for': '203.0.113.50' };
    for (let i = 0; i < 20; i++) {
      const miss = await fetch(`${h.baseUrl}/s/${randomBytes(16).toString('base64url')}`, {
        headers: guesser,
      });
      expect(miss.status).toBe(404);
      await miss.body?.cancel();
    }
    const blocked = await fetch(url, { headers: guesser });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await blocked.text()).toContain('Too many requests');
    const page = await context.newPage();
    expect((await page.goto(url))?.status()).toBe(200);
    await page.close();
  });
});
