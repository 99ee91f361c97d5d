import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wards } from '../../src/domain/wards/wards.ts';
import { JobSchemas } from '../../src/queues/queues.ts';
import { AppHarness } from '../support/app-harness.ts';
import { checkPage, launchChromium, seriousA11yViolations } from '../support/browser.ts';
import { browserMemberSignIn, browserStaffSignIn, teamWithMembers } from '../support/console-session.ts';

/** Where the test leaves its screenshots (not committed). */
const OUTPUT_DIR = path.join(process.cwd(), 'test-results', 'queues');
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 900 };
const QUEUE_NAMES = Object.keys(JobSchemas);

describe('the Queues page in a browser', () => {
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

  /** Every request the page makes to another origin, and every CSP violation it reports. */
  function watch(page: Page) {
    const origin = new URL(h.baseUrl).origin;
    const elsewhere: string[] = [];
    const refused: string[] = [];
    const apiTokens: (string | undefined)[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (!['data:', 'blob:'].includes(url.protocol) && url.origin !== origin) elsewhere.push(request.url());
      if (url.pathname.startsWith('/console/queues/api/')) apiTokens.push(request.headers()['x-xsrf-token']);
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    return { elsewhere, refused, apiTokens };
  }

  it('shows staff the service’s queues, from this origin only, at 1280 and 360 px', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const seen = watch(page);
    await browserStaffSignIn(page, h.baseUrl);
    await page.click('nav a[href="/console/queues"]');
    await page.waitForURL(/\/console\/queues$/);
    for (const name of QUEUE_NAMES) await page.getByText(name, { exact: true }).first().waitFor();
    // bull-board's own markup, with the service's script naming its icon buttons (queues-a11y.ts), passes axe.
    await page.locator('button[aria-label="Settings"]').waitFor();
    await checkPage(page, path.join(OUTPUT_DIR, 'queues-1280.png'), DESKTOP.width);
    await page.setViewportSize(PHONE);
    await checkPage(page, path.join(OUTPUT_DIR, 'queues-360.png'), PHONE.width);
    await page.setViewportSize(DESKTOP);

    // A queue's page too; its menu offers pause, not what the service refuses (emptying, obliterating, adding).
    await page.goto(`${h.baseUrl}/console/queues/queue/outbound`);
    await page.locator('button[aria-label="More actions"]').first().click();
    await page.getByRole('menuitem', { name: 'Pause' }).waitFor();
    for (const refused of ['Obliterate', 'Empty', 'Add job']) {
      expect(await page.getByRole('menuitem', { name: refused }).count(), refused).toBe(0);
    }
    await page.keyboard.press('Escape');
    await checkPage(page, path.join(OUTPUT_DIR, 'queue-1280.png'), DESKTOP.width);

    // The board's own HTTP client sends the session's CSRF token (from the XSRF-TOKEN cookie) with its requests:
    // its actions (retry, clean, pause…) carry it, and the access hook checks it (test/integration/console-queues).
    const cookie = (await context.cookies()).find((c) => c.name === 'XSRF-TOKEN');
    expect(cookie?.value).toMatch(/^\S{16,}$/);
    expect(cookie?.path).toBe('/console/queues');
    expect(seen.apiTokens.length).toBeGreaterThan(0);
    expect(new Set(seen.apiTokens)).toEqual(new Set([cookie?.value]));
    expect(seen.elsewhere).toEqual([]);
    expect(seen.refused).toEqual([]);
    // The console's home page with the Queues link passes axe.
    await page.goto(`${h.baseUrl}/console`);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await context.close();
  });

  it('answers a team member with the console’s 403 page, which passes axe', async () => {
    const team = await teamWithMembers(h, 'Tổ Hàng đợi', wards[0]?.code ?? '', ['+84905760001']);
    expect(team.members).toHaveLength(1);
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await browserMemberSignIn(page, h, '+84905760001');
    expect(await page.locator('nav a[href="/console/queues"]').count()).toBe(0);
    const response = await page.goto(`${h.baseUrl}/console/queues`);
    expect(response?.status()).toBe(403);
    await page.getByText('chỉ dành cho cán bộ thành phố').waitFor();
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'forbidden-360.png'), fullPage: true });
    expect(await seriousA11yViolations(page)).toEqual([]);
    await context.close();
  });
});
