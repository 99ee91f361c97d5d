import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wards } from '../../src/domain/wards/wards.ts';
import { ADMIN_TOKEN, AppHarness } from '../support/app-harness.ts';
import { checkPage, launchChromium } from '../support/browser.ts';

const WARD = wards[1] ?? { code: '', name: '' };
/** Where the test leaves its screenshots (not committed). */
const OUTPUT_DIR = path.join(process.cwd(), 'test-results', 'console');
const PHONE = { width: 360, height: 740 };

describe('the console in a browser, at 360 px', () => {
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

  /** The checks every page passes: no serious accessibility violation, no horizontal scrolling; a screenshot. */
  async function check(page: Page, name: string) {
    await checkPage(page, path.join(OUTPUT_DIR, `${name}.png`), PHONE.width);
  }

  it('signs staff in with the admin token, creates a team and shows its invite code', async () => {
    const page = await newPage();
    await page.goto(`${h.baseUrl}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await check(page, 'sign-in');

    await page.fill('#token', ADMIN_TOKEN);
    await page.click('form[action="/console/sign-in/staff"] button');
    await page.waitForURL(/\/console$/);
    expect(await page.locator('.who').textContent()).toContain('Cán bộ (cán bộ thành phố)');
    await check(page, 'home-staff');

    await page.click('nav a[href="/console/teams"]');
    await page.fill('#name', 'Tổ công nghệ số TDP 7');
    await page.selectOption('#wardCode', WARD.code);
    await check(page, 'teams-staff');
    await page.click('form[action="/console/teams"] button');
    await page.waitForURL(/\/console\/teams\/[0-9a-f-]{36}\?done=created$/);

    const [team] = (await h.services.teams.list()).filter((t) => t.name === 'Tổ công nghệ số TDP 7');
    expect((await page.locator('#invite-code').textContent())?.trim()).toBe(team?.inviteCode ?? '-');
    expect(await page.locator('main').textContent()).toContain(WARD.name);
    await check(page, 'team-created');

    await page.click('form[action="/console/sign-out"] button');
    await page.waitForURL(/\/console\/sign-in$/);
    await page.goto(`${h.baseUrl}/console/teams`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
  });

  it('signs a volunteer in with the code sent to their SMS chat, shows their team, and denies a staff action', async () => {
    const team = (
      await h.admin('POST', '/api/v1/admin/teams', { name: 'Tổ CNS TDP 9', wardCode: WARD.code })
    ).json();
    const other = (
      await h.admin('POST', '/api/v1/admin/teams', { name: 'Tổ khác', wardCode: WARD.code })
    ).json();
    const phone = '+84905730001';
    await h.say(phone, `TNV ${team.inviteCode}`);
    await h.say('+84905730002', `TNV ${team.inviteCode}`);

    const page = await newPage();
    await page.goto(`${h.baseUrl}/console/sign-in?lang=en`);
    await page.fill('#phone', '0905 730 001');
    await page.click('form[action="/console/sign-in/phone"] button');
    expect(await page.locator('.note').textContent()).toContain('If this phone belongs to a team member');
    await check(page, 'code');

    const [sms] = (await h.waitForInbox(phone, 2)).slice(1);
    await page.fill('#code', /\d{6}/.exec(sms ?? '')?.[0] ?? '');
    await page.click('form[action="/console/sign-in/code"] button');
    await page.waitForURL(/\/console$/);
    expect(await page.locator('.who').textContent()).toContain('(team leader)');

    await page.click('nav a[href="/console/teams"]');
    await page.waitForURL(new RegExp(`/console/teams/${team.id}$`));
    expect((await page.locator('h1').textContent())?.trim()).toBe('Tổ CNS TDP 9');
    expect((await page.locator('#invite-code').textContent())?.trim()).toBe(team.inviteCode);
    expect(await page.locator('main').textContent()).toContain('+84905730002');
    await check(page, 'team-leader');

    // A leader may not create teams (staff only) nor open another team.
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const status = await page.evaluate(async (token) => {
      const body = new URLSearchParams({ name: 'Tổ lạ', wardCode: '20194', _csrf: token });
      return (await fetch('/console/teams', { method: 'POST', body })).status;
    }, csrf);
    expect(status).toBe(403);
    const denied = await page.goto(`${h.baseUrl}/console/teams/${other.id}`);
    expect(denied?.status()).toBe(403);
    expect((await page.locator('h1').textContent())?.trim()).toBe('You may not see this page.');
    await check(page, 'denied');
  });
});
