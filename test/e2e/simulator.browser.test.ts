import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppHarness } from '../support/app-harness.ts';
import { checkPage, launchChromium } from '../support/browser.ts';
import { browserStaffSignIn } from '../support/console-session.ts';

const OUTPUT_DIR = path.join(process.cwd(), 'test-results', 'simulator');
const PHONE = { width: 360, height: 740 };
/** A person of data/population-sample.csv. */
const GIANG = { fullName: 'Hoàng Bảo Giang', cccd: '048199574878', dateOfBirth: '26/01/1999' };

describe('the console’s Simulator, in a browser at 360 px', () => {
  let h: AppHarness;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await mkdir(OUTPUT_DIR, { recursive: true });
    h = await AppHarness.start({ channels: ['zalo-oa'] });
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
});
