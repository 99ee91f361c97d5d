import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, AppHarness } from '../support/app-harness.ts';
import { checkPage, launchChromium } from '../support/browser.ts';
import { browserStaffSignIn } from '../support/console-session.ts';
import { multipart } from '../support/multipart.ts';

const OUTPUT_DIR = path.join(process.cwd(), 'test-results', 'simulator');
const PHONE = { width: 360, height: 740 };
/** A person of data/population-sample.csv. */
const GIANG = { fullName: 'Hoàng Bảo Giang', cccd: '048199574878', dateOfBirth: '26/01/1999' };
const CHAU = { fullName: 'Lê Minh Châu', cccd: '048201000777', dateOfBirth: '20/11/2001' };

describe('the console’s Simulator, in a browser at 360 px', () => {
  let h: AppHarness;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await mkdir(OUTPUT_DIR, { recursive: true });
    h = await AppHarness.start({ channels: ['zalo-oa', 'telegram'] });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: PHONE })).newPage();
    await browserStaffSignIn(page, h.baseUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  async function check(name: string) {
    await checkPage(page, path.join(OUTPUT_DIR, `${name}.png`), PHONE.width);
  }

  const assistantReplies = () => page.locator('#sim-log li.sim-bot');

  async function say(text: string, replies: number) {
    const before = await assistantReplies().count();
    await page.fill('#sim-text', text);
    await page.click('#sim-send button');
    await page
      .locator('#sim-log li.sim-bot')
      .nth(before + replies - 1)
      .waitFor();
  }

  it('talks as SMS: help with its characters and segments, then registers a made-up person', async () => {
    await page.click('nav a[href="/console/simulator"]');
    await page.waitForURL(/\/console\/simulator$/);
    await check('start');
    await page.selectOption('#sim-channel', 'sim-sms');
    await page.fill('#sim-phone', '0912300001');
    await page.click('#sim-setup button');
    await page.locator('#sim-chat').waitFor();
    await say('HD', 1);
    const help = assistantReplies().first();
    expect(await help.locator('.sim-count').textContent()).toMatch(/^\d+ ký tự · \d+ tin nhắn \(GSM-7\)$/);
    expect(await help.locator('button').count()).toBe(0);

    await say(`DK ${GIANG.fullName}, ${GIANG.cccd}, ${GIANG.dateOfBirth}`, 1);
    await say('co', 1);
    const citizen = await h.services.citizens.findByPhone('+84912300001');
    expect(citizen?.createdVia).toBe('sim-sms');
    // The code as the reply writes it, in two groups of four (2C7F-ZSMW).
    const code = (citizen?.accountCode ?? 'no account').replace(/^(.{4})(.{4})$/, '$1-$2');
    expect(await assistantReplies().last().textContent()).toContain(code);
    await check('sms');
    expect(h.twilio.messages.filter((m) => m.to === '+84912300001')).toEqual([]);
  });

  it('talks as Zalo: the welcome’s buttons send their payload', async () => {
    await page.selectOption('#sim-channel', 'sim-zalo');
    await page.fill('#sim-phone', '0912300002');
    await page.click('#sim-setup button');
    const buttons = page.locator('#sim-log li.sim-bot .sim-choices button');
    await buttons.first().waitFor();
    const label = (await buttons.first().textContent()) ?? '';
    await buttons.first().click();
    await page.locator('#sim-log li.sim-me', { hasText: label }).waitFor();
    await assistantReplies().nth(1).waitFor();
    await check('zalo');
    expect(h.fakes.zaloOa?.sent).toEqual([]);
  });

  /** An agency issues a paper to `phone`'s account (as web-chat.browser.test.ts). */
  async function issuePaper(phone: string) {
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/v1/admin/agencies',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { code: 'UBND-HAICHAU', name: 'UBND phường Hải Châu' },
    });
    const { apiKey } = created.json<{ apiKey: string }>();
    const pdf = await readFile(new URL('../fixtures/documents/paper.pdf', import.meta.url));
    const body = multipart([
      { name: 'citizen', value: phone },
      { name: 'typeCode', value: 'KHAISINH' },
      { name: 'title', value: 'Giấy khai sinh' },
      { name: 'number', value: 'KS-2026-000043' },
      { name: 'issuedAt', value: '2026-11-27' },
      { name: 'file', filename: 'khai-sinh.pdf', type: 'application/pdf', bytes: pdf },
    ]);
    const issued = await h.app.inject({
      method: 'POST',
      url: '/api/v1/agency/documents',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(issued.statusCode, issued.body).toBe(201);
    await h.waitForIdle();
  }

  it('talks as Telegram: buttons, the phone code shown here, then a share link with its QR code as a picture', async () => {
    await page.selectOption('#sim-channel', 'sim-telegram');
    await page.fill('#sim-phone', '0912300003');
    await page.click('#sim-setup button');
    const welcome = assistantReplies().last();
    const register = welcome.locator('.sim-choices button', { hasText: /Đăng ký/ });
    await register.waitFor();
    const before = await assistantReplies().count();
    await register.click();
    await assistantReplies().nth(before).waitFor();

    // The phone typed, its code shown in the simulator (never texted), then the registration's questions.
    await say('0912300003', 1);
    const codeEntry = page.locator('#sim-log li.sim-code').last();
    await codeEntry.waitFor();
    const code = /(\d{6})/.exec((await codeEntry.textContent()) ?? '')?.[1] ?? 'no code';
    await say(code, 1);
    await say(CHAU.fullName, 1);
    await say(CHAU.cccd, 1);
    await say(CHAU.dateOfBirth, 1);
    const agree = assistantReplies().last().getByRole('button', { name: 'Đồng ý', exact: true });
    const beforeAgree = await assistantReplies().count();
    await agree.click();
    await assistantReplies().nth(beforeAgree).waitFor();
    await expect
      .poll(async () => (await assistantReplies().allTextContents()).join('\n'), { timeout: 20_000 })
      .toMatch(/đã được xác minh với CSDL dân cư/);
    const citizen = await h.services.citizens.findByPhone('+84912300003');
    expect(citizen?.createdVia).toBe('sim-telegram');

    await issuePaper('+84912300003');
    await say('GT', 1);
    expect(await assistantReplies().last().textContent()).toMatch(/1\. Giấy khai sinh/);
    await say('CS 1', 1);
    const qr = assistantReplies().last().locator('img.sim-picture');
    expect(await qr.count()).toBe(1);
    await expect
      .poll(() =>
        qr.evaluate((node) => {
          const img = node as unknown as { complete: boolean; naturalWidth: number };
          return img.complete && img.naturalWidth > 0;
        }),
      )
      .toBe(true);
    expect(await qr.getAttribute('alt')).toBeTruthy();
    await qr.scrollIntoViewIfNeeded();
    await check('telegram');
    expect(h.fakes.telegram?.sent).toEqual([]);
    expect(h.twilio.messages.filter((m) => m.to === '+84912300003')).toEqual([]);
  });
});
