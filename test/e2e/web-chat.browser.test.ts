import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, AppHarness } from '../support/app-harness.ts';
import { launchChromium, seriousA11yViolations } from '../support/browser.ts';
import { multipart } from '../support/multipart.ts';

/** A person of data/population-sample.csv, so the registry verifies the account. */
const PERSON = { name: 'Nguyễn Văn An', cccd: '048090001234', born: '15/02/1990', phone: '0905777001' };
const E164 = '+84905777001';
const OUTPUT_DIR = path.join(process.cwd(), 'test-results', 'web-chat');
const WIDTH = 360;

/**
 * A newcomer on a fresh service with no SMS channel (as after `npm start` with nothing configured) opens the
 * web chat in Chromium, registers with the code shown in the development outbox, checks TT, and once an agency
 * issued them a paper, lists it (GT) and shares it (CS 1): the share link and its QR code as a picture.
 * A second browser then tries to reach that account with a code shown in the page: refused.
 */
describe('the web chat in a browser, on a service without SMS', () => {
  let h: AppHarness;
  let browser: Browser;

  beforeAll(async () => {
    h = await AppHarness.start({ twilioSms: false });
    browser = await launchChromium();
    await mkdir(OUTPUT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  const newPage = async () =>
    (await browser.newContext({ viewport: { width: WIDTH, height: 780 } })).newPage();
  const bot = (page: Page) => page.locator('#log .bot');
  /** Types `text` in the chat and waits for `replies` more replies; resolves the last one's text. */
  const say = async (page: Page, text: string, replies = 1) => {
    const before = await bot(page).count();
    await page.locator('#text').fill(text);
    await page.keyboard.press('Enter');
    await expect.poll(() => bot(page).count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(before + replies);
    return (await bot(page).last().textContent()) ?? '';
  };
  const noHorizontalScroll = (page: Page) =>
    page.evaluate(() => {
      type Root = { documentElement: { scrollWidth: number; clientWidth: number } };
      const root = (globalThis as unknown as { document: Root }).document.documentElement;
      return root.scrollWidth <= root.clientWidth;
    });

  it('says so once in the start log, and has no SMS channel', () => {
    expect(h.services.smsChannel).toBe('dev-sms');
    expect(h.services.devOutbox).toBe(true);
    expect(h.logLines.filter((line) => line.includes('development mode: no SMS is sent'))).toHaveLength(1);
  });

  it('registers a newcomer, then TT, GT and CS with the share link and its QR picture', async () => {
    const page = await newPage();
    const response = await page.goto(`${h.baseUrl}/`);
    expect(response?.status()).toBe(200);
    expect(await page.getByRole('note').first().textContent()).toContain(
      'Chế độ phát triển: không gửi SMS thật',
    );

    // The welcome, with the menu as buttons.
    await expect.poll(() => bot(page).count(), { timeout: 15_000 }).toBe(1);
    expect(await bot(page).first().textContent()).toMatch(/^Chào mừng bạn đến với Công dân số Đà Nẵng!/);
    const dk = bot(page)
      .first()
      .getByRole('button', { name: /Đăng ký/ });
    expect(await dk.count()).toBe(1);
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'welcome.png'), fullPage: true });
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await noHorizontalScroll(page)).toBe(true);

    // DK by its button, the phone typed, the code read from the development outbox panel.
    const before = await bot(page).count();
    await dk.click();
    await expect.poll(() => bot(page).count(), { timeout: 15_000 }).toBe(before + 1);
    expect(await bot(page).last().textContent()).toMatch(/Nhập số điện thoại di động/);
    expect(await say(page, PERSON.phone)).toMatch(/^Đã gửi mã 6 số qua SMS tới 0905\*\*\*001/);
    const sms = page.locator('#dev-sms li');
    await expect.poll(() => sms.count(), { timeout: 15_000 }).toBe(1);
    const code = /(\d{6})/.exec((await sms.first().textContent()) ?? '')?.[1];
    expect(code).toBeDefined();
    expect(await say(page, code ?? '')).toMatch(/^Đã xác nhận số điện thoại\./);
    expect(await say(page, PERSON.name)).toBe('Bước 2/3: gửi số CCCD (12 chữ số) của bạn.');
    expect(await say(page, PERSON.cccd)).toBe('Bước 3/3: gửi ngày sinh, ví dụ 15/02/1990.');
    const consent = await say(page, PERSON.born);
    expect(consent).toMatch(/^Nguyễn Văn An, CCCD 048090001234, NS 15\/02\/1990\. Đồng ý xử lý/);
    await bot(page).last().getByRole('button', { name: 'Đồng ý', exact: true }).click();
    await expect
      .poll(async () => (await bot(page).allTextContents()).join('\n'), { timeout: 20_000 })
      .toMatch(/đã được xác minh với CSDL dân cư/);
    expect(await h.services.citizens.findByPhone(E164)).toMatchObject({ status: 'verified' });
    expect(h.twilio.messages).toEqual([]);
    expect(await say(page, 'TT')).toMatch(/^Tài khoản .*: đã xác minh\./);
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'registered.png'), fullPage: true });

    // An agency issues a paper to them.
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/v1/admin/agencies',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { code: 'UBND-HAICHAU', name: 'UBND phường Hải Châu' },
    });
    const { apiKey } = created.json<{ apiKey: string }>();
    const pdf = await readFile(new URL('../fixtures/documents/paper.pdf', import.meta.url));
    const body = multipart([
      { name: 'citizen', value: E164 },
      { name: 'typeCode', value: 'KHAISINH' },
      { name: 'title', value: 'Giấy khai sinh' },
      { name: 'number', value: 'KS-2026-000042' },
      { name: 'issuedAt', value: '2026-11-27' },
      { name: 'file', filename: 'khai-sinh.pdf', type: 'application/pdf', bytes: pdf },
    ]);
    const issued = await h.app.inject({
      method: 'POST',
      url: '/api/v1/agency/documents',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(issued.statusCode).toBe(201);
    await h.waitForIdle();

    expect(await say(page, 'GT')).toMatch(/1\. Giấy khai sinh/);
    const shared = await say(page, 'CS 1');
    const link = /(http:\/\/\S+\/s\/[A-Za-z0-9_-]{22})/.exec(shared)?.[1];
    expect(link, shared).toBeDefined();
    expect(
      await bot(page)
        .last()
        .getByRole('link', { name: link ?? '' })
        .count(),
    ).toBe(1);
    const qr = bot(page).last().locator('img');
    expect(await qr.count()).toBe(1);
    await expect
      .poll(
        () =>
          qr.evaluate((node) => {
            const img = node as unknown as { complete: boolean; naturalWidth: number };
            return img.complete && img.naturalWidth > 0;
          }),
        {
          timeout: 10_000,
        },
      )
      .toBe(true);
    expect(await qr.getAttribute('alt')).toBeTruthy();
    await qr.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'shared.png'), fullPage: true });
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await noHorizontalScroll(page)).toBe(true);
  });

  it('never links an account with a code shown in the page', async () => {
    const page = await newPage();
    await page.goto(`${h.baseUrl}/?lang=en`);
    expect(await page.getByRole('note').first().textContent()).toContain('Development mode: no SMS is sent');
    await expect.poll(() => bot(page).count(), { timeout: 15_000 }).toBe(1);
    expect(await bot(page).first().textContent()).toMatch(/^Welcome/);
    await say(page, 'LK');
    const refused = await say(page, PERSON.phone);
    expect(refused).toMatch(/^Development mode: this phone number already has an account\./);
    expect(await page.locator('#dev-sms li').count()).toBe(0);
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'refused.png'), fullPage: true });
    expect(await seriousA11yViolations(page)).toEqual([]);
  });
});
