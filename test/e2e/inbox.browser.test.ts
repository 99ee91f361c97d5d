import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handoffCopy } from '../../flows/handoff/handoff.copy.ts';
import { renderSmsText } from '../../src/messaging/sms-render.ts';
import { AppHarness } from '../support/app-harness.ts';
import { checkPage, launchChromium } from '../support/browser.ts';
import { signInConsoleMemberInBrowser } from '../support/console-sign-in.ts';

/** Where the test leaves its screenshots (not committed). */
const OUTPUT_DIR = path.join(process.cwd(), 'test-results', 'inbox');
const PHONE = { width: 360, height: 740 };
const LAN = '+84905840001';
const TUAN = '+84905840002';
const CITIZEN = '+84905849001';
const sms = (text: string) => renderSmsText({ text }, 'gsm7');

describe('the console Inbox in two browsers at 360 px: live, one takes, the other sees it taken', () => {
  let h: AppHarness;
  let browser: Browser;

  beforeAll(async () => {
    await mkdir(OUTPUT_DIR, { recursive: true });
    h = await AppHarness.start();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  const newPage = async () => (await browser.newContext({ viewport: PHONE })).newPage();

  /** No serious accessibility violation, no horizontal scrolling; a screenshot. */
  async function check(page: Page, name: string) {
    await checkPage(page, path.join(OUTPUT_DIR, `${name}.png`), PHONE.width);
  }
  /** Marks the page's document: still marked later means it was updated in place, not reloaded. */
  const mark = (page: Page) => page.evaluate('window.notReloaded = true');
  const stillSamePage = async (page: Page) =>
    expect(await page.evaluate('window.notReloaded === true')).toBe(true);
  /** Waits (without reloading) until the element `selector` of the page contains `text`. */
  const showsLive = (page: Page, selector: string, text: string) =>
    page.locator(selector, { hasText: text }).first().waitFor({ timeout: 10_000 });
  const liveText = async (page: Page) => (await page.locator('#live').textContent()) ?? '';

  it('shows a citizen’s GAP to both volunteers live; Lan takes it, Tuan sees it taken; Lan answers and closes', async () => {
    const team = (
      await h.admin('POST', '/api/v1/admin/teams', { name: 'Tổ CNS TDP 4', wardCode: '20242' })
    ).json();
    await h.say(LAN, `TNV ${team.inviteCode}`);
    await h.say(TUAN, `TNV ${team.inviteCode}`);

    const lan = await newPage();
    const tuan = await newPage();
    await signInConsoleMemberInBrowser(lan, h, LAN);
    await signInConsoleMemberInBrowser(tuan, h, TUAN);
    for (const page of [lan, tuan]) {
      await page.click('nav a[href="/console/inbox"]');
      await page.waitForURL(/\/console\/inbox$/);
      expect(await liveText(page)).toContain('Không có yêu cầu nào đang chờ.');
      await mark(page);
    }
    await check(lan, 'inbox-empty');

    // The citizen asks for a person by SMS: both inboxes show it without a reload.
    await h.sms(CITIZEN, 'GAP tôi không nhận được mã');
    await h.waitForInbox(CITIZEN, 1);
    const [handoff] = await h.services.handoffs.list({ status: 'open' });
    const id = handoff?.id ?? 0;
    for (const page of [lan, tuan]) {
      await page.waitForSelector(`#live a[href="/console/inbox/${id}"]`, { timeout: 10_000 });
      await stillSamePage(page);
      expect(await liveText(page)).toContain('SMS · 0905***001');
    }
    await check(tuan, 'inbox-live');

    // Both open it; Lan takes it; Tuan's page shows it taken by Lan, without a reload.
    for (const page of [lan, tuan]) {
      await page.click(`#live a[href="/console/inbox/${id}"]`);
      await page.waitForURL(new RegExp(`/console/inbox/${id}$`));
      expect(await liveText(page)).toContain('tôi không nhận được mã');
    }
    await mark(tuan);
    await check(tuan, 'thread-open');
    await lan.click(`form[action="/console/inbox/${id}/take"] button`);
    await lan.waitForURL(new RegExp(`/console/inbox/${id}\\?done=taken$`));
    expect(await lan.locator('.note').textContent()).toContain('Bạn đã nhận yêu cầu');
    await showsLive(tuan, '#live', 'Người nhận: Tổ CNS TDP 4');
    await stillSamePage(tuan);
    expect(await liveText(tuan)).toContain(`Người nhận: Tổ CNS TDP 4, 0905***${LAN.slice(-3)}`);
    expect(await tuan.locator(`form[action="/console/inbox/${id}/take"]`).count()).toBe(0);
    expect(await tuan.locator(`form[action="/console/inbox/${id}/reply"]`).count()).toBe(0);
    expect(await tuan.locator('#live-status').textContent()).toBe('Đã cập nhật.');
    await check(tuan, 'thread-taken-by-other');

    // Lan answers from the console: it reaches the citizen's SMS like a relayed message.
    await lan.fill('#reply-text', 'Chào bạn, bạn thử gửi lại mã nhé.');
    await lan.click(`form[action="/console/inbox/${id}/reply"] button`);
    await lan.waitForURL(new RegExp(`/console/inbox/${id}\\?done=sent$`));
    const texts = await h.waitForInbox(CITIZEN, 3);
    expect(texts.slice(1)).toEqual([sms(handoffCopy.vi.taken(id)), 'Chao ban, ban thu gui lai ma nhe.']);
    // The citizen writes back: Lan's page shows it live, keeping what she is typing.
    await mark(lan);
    await lan.fill('#reply-text', 'Đang gõ');
    await h.sms(CITIZEN, 'Được rồi, cảm ơn!');
    await showsLive(lan, '#live', 'Được rồi, cảm ơn!');
    await stillSamePage(lan);
    expect(await lan.locator('#reply-text').inputValue()).toBe('Đang gõ');
    await check(lan, 'thread-holder');

    // Lan closes it: the citizen is told, Tuan's page shows it closed.
    await lan.click(`form[action="/console/inbox/${id}/close"] button`);
    await lan.waitForURL(new RegExp(`/console/inbox/${id}\\?done=closed$`));
    expect((await h.waitForInbox(CITIZEN, 4)).at(-1)).toBe(sms(handoffCopy.vi.closedForCitizen(id)));
    await showsLive(tuan, '#live .badge', 'đã đóng');
    await stillSamePage(tuan);
    await check(lan, 'thread-closed');
    await tuan.goto(`${h.baseUrl}/console/inbox`);
    expect(await liveText(tuan)).not.toContain(`#${id}`);
  });
});
