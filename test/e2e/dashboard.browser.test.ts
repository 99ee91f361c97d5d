import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wards } from '../../src/domain/wards/wards.ts';
import { AppHarness } from '../support/app-harness.ts';
import { launchChromium, seriousA11yViolations } from '../support/browser.ts';
import {
  browserMemberSignIn,
  browserStaffSignIn,
  openAccount,
  openHandoff,
  teamWithMembers,
} from '../support/console-session.ts';

const WARD = wards[2] ?? { code: '', name: '' };
/** Where the test leaves its screenshots (not committed). */
const OUTPUT_DIR = path.join(process.cwd(), 'test-results', 'dashboard');
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 900 };

describe('the Dashboard in a browser', () => {
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

  /** The text of each cell of a table of the page, row by row. */
  const rowsOf = (page: Page, id: string) =>
    page.$$eval(`#${id} tbody tr`, (rows) =>
      rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent?.trim() ?? '')),
    );

  it('shows staff the figures of what was made, exports a CSV, and reads well at 360 and 1280 px', async () => {
    const team = await teamWithMembers(h, 'Tổ CNS Hòa Khánh', WARD.code, ['+84905750001', '+84905750002']);
    const [leader, member] = team.members;
    if (!leader || !member) throw new Error('members');
    await openAccount(h, 'zalo-oa', leader, 'verified');
    await openAccount(h, 'zalo-oa', member, 'date_of_birth');
    await openAccount(h, 'twilio-sms', member, 'verified');
    await openAccount(h, 'telegram', null);
    await openHandoff(h, WARD.code, { by: leader, seconds: 150 });

    const context = await browser.newContext({ viewport: PHONE, acceptDownloads: true });
    const page = await context.newPage();
    await browserStaffSignIn(page, h.baseUrl);
    await page.click('nav a[href="/console/dashboard"]');
    await page.waitForURL(/\/console\/dashboard$/);

    // The numbers in the page are what the test made.
    const board = await rowsOf(page, 'table-leaderboard');
    expect(board).toEqual([['1', 'Tổ CNS Hòa Khánh', WARD.name, '2', '3', '2', '1']]);
    const funnel = await rowsOf(page, 'table-funnel');
    expect(funnel.map((r) => r[3])).toEqual(['1', '1', '1', '0']);
    expect((await rowsOf(page, 'table-mismatches')).map((r) => r[1])).toEqual(['0', '0', '1']);
    const channels = await rowsOf(page, 'table-registrations-by-channel');
    expect(channels.map((r) => [r[1], r[2]])).toEqual([
      ['telegram', '1'],
      ['twilio-sms', '1'],
      ['zalo-oa', '2'],
    ]);
    const byWard = await rowsOf(page, 'table-registrations-by-ward');
    expect(byWard.map((r) => [r[1], r[2]])).toEqual([
      [WARD.name, '3'],
      ['Không rõ (tự đăng ký)', '1'],
    ]);
    expect((await rowsOf(page, 'table-handoffs')).at(-1)).toEqual([
      'Tổng',
      '1',
      '1',
      '2 phút 30 giây',
      '2 phút 30 giây',
    ]);
    expect(await page.locator('svg.chart[role="img"]').count()).toBe(6);

    // No serious accessibility violation, nothing wider than the phone; screenshots at 360 and 1280 px.
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(
      PHONE.width,
    );
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'dashboard-360.png'), fullPage: true });

    // The leaderboard's CSV, downloaded through its link, holds the same row.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv-leaderboard')]);
    expect(download.suggestedFilename()).toMatch(/^leaderboard_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(
      'rank,team_id,team_name,ward_code,members,registrations,verified,handoffs_answered',
    );
    expect(lines[1]).toBe(`1,${team.id},Tổ CNS Hòa Khánh,${WARD.code},2,3,2,1`);

    // The ward filter through the form.
    await page.selectOption('#ward', wards[3]?.code ?? '');
    await Promise.all([page.waitForURL(/ward=/), page.click('form.filters button')]);
    expect(await rowsOf(page, 'table-leaderboard')).toEqual([
      ['Không có số liệu trong khoảng thời gian này.'],
    ]);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.setViewportSize(DESKTOP);
    await page.goto(`${h.baseUrl}/console/dashboard`);
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(
      DESKTOP.width,
    );
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'dashboard-1280.png'), fullPage: true });
    await context.close();
  });

  it('shows a team member their ward’s figures only, at 360 px', async () => {
    const page = await (await browser.newContext({ viewport: PHONE })).newPage();
    await browserMemberSignIn(page, h, '+84905750002');
    await page.click('nav a[href="/console/dashboard"]');
    await page.waitForURL(/\/console\/dashboard$/);
    expect(await page.locator('#ward').count()).toBe(0);
    expect(await page.locator('main').textContent()).toContain(`Tổ của bạn thuộc ${WARD.name}`);
    const board = await rowsOf(page, 'table-leaderboard');
    expect(board.map((r) => r[1])).toEqual(['Tổ CNS Hòa Khánh']);
    // The self-registered account has no ward: it is not in the ward's figures.
    expect((await rowsOf(page, 'table-registrations-by-ward')).map((r) => [r[1], r[2]])).toEqual([
      [WARD.name, '3'],
    ]);
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(
      PHONE.width,
    );
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'dashboard-member-360.png'), fullPage: true });
  });
});
