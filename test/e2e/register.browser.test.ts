import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wards } from '../../src/domain/wards/wards.ts';
import { AppHarness } from '../support/app-harness.ts';
import { checkPage, launchChromium } from '../support/browser.ts';
import { signInConsoleMemberInBrowser } from '../support/console-sign-in.ts';

const WARD = wards[2] ?? { code: '', name: '' };
const OUTPUT_DIR = path.join(process.cwd(), 'test-results', 'register');
const PHONE = { width: 360, height: 740 };
const VOLUNTEER = '+84905840001';
/** People of data/population-sample.csv. */
const GIANG = { fullName: 'Hoàng Bảo Giang', cccd: '048199574878', dateOfBirth: '26/01/1999' };
const HOA = { fullName: 'Nguyễn Hữu Hòa', cccd: '048070356824', dateOfBirth: '30/08/1970' };

describe('Register a neighbour in the console, in a browser at 360 px', () => {
  let h: AppHarness;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await mkdir(OUTPUT_DIR, { recursive: true });
    h = await AppHarness.start();
    browser = await launchChromium();
    const team = (
      await h.admin('POST', '/api/v1/admin/teams', { name: 'Tổ CNS TDP 3', wardCode: WARD.code })
    ).json();
    await h.say(VOLUNTEER, `TNV ${team.inviteCode}`);
    page = await (await browser.newContext({ viewport: PHONE })).newPage();
    await signInConsoleMemberInBrowser(page, h, VOLUNTEER);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  async function check(name: string) {
    await checkPage(page, path.join(OUTPUT_DIR, `${name}.png`), PHONE.width);
  }

  /** Fills the form for `person` at `phone`, sends the consent SMS; ends on the request's page. */
  async function register(phone: string, person: typeof GIANG, shots = false) {
    await page.click('nav a[href="/console/register"]');
    await page.waitForURL(/\/console\/register$/);
    await page.fill('#phone', phone);
    await page.fill('#fullName', person.fullName);
    await page.fill('#cccd', person.cccd);
    await page.fill('#dateOfBirth', person.dateOfBirth);
    if (shots) await check('form');
    await page.click('form[action="/console/register"] button');
    await page.waitForSelector('form[action="/console/register/send"]');
    expect(await page.locator('main dl').textContent()).toContain(person.fullName);
    if (shots) await check('summary');
    await page.click('form[action="/console/register/send"] button');
    await page.waitForURL(/\/console\/register\/[0-9a-f-]{36}$/);
    await page.waitForSelector('#request-state[data-status="pending"]');
  }

  it('shows DKH’s hints on the form', async () => {
    await page.goto(`${h.baseUrl}/console/register`);
    await page.fill('#phone', '0905');
    await page.fill('#fullName', 'An');
    await page.fill('#cccd', '0481995748');
    await page.fill('#dateOfBirth', '31/02/1999');
    await page.click('form[action="/console/register"] button');
    await page.waitForSelector('[aria-invalid="true"]');
    expect(await page.locator('[aria-invalid="true"]').count()).toBe(4);
    await check('form-errors');
  });

  it('sends the consent SMS, and the open page shows the account opened when the neighbour replies CO', async () => {
    const neighbour = '+84905850001';
    await register(neighbour, GIANG, true);
    expect(await page.locator('main').textContent()).toContain('+84******001');
    await check('request-waiting');

    const sms = await h.waitForInbox(neighbour, 2);
    expect(sms.join(' ')).toContain('Hoang Bao Giang');
    expect(sms.join(' ')).toMatch(/\b\d{6}\b/);

    // The page is not reloaded: a marker set in it now is still there when the outcome shows.
    await page.evaluate('window.marker = 42');
    await h.say(neighbour, 'CO');
    await page.waitForSelector('#request-state[data-status="opened"]', { timeout: 30_000 });
    expect(await page.evaluate('window.marker')).toBe(42);
    const citizen = await h.services.citizens.findByPhone(neighbour);
    const code = citizen?.accountCode ?? '--------';
    expect(await page.locator('#request-state').textContent()).toContain(
      `${code.slice(0, 4)}-${code.slice(4)}`,
    );
    expect(citizen?.registeredBy).not.toBeNull();
    await check('request-opened');
  });

  it('opens the account when the volunteer types the code the neighbour reads out', async () => {
    const neighbour = '+84905850002';
    await register(neighbour, HOA);
    const sms = await h.waitForInbox(neighbour, 2);
    const code = /\b(\d{6})\b/.exec(sms.join(' '))?.[1] ?? '';
    await page.fill('#code', code);
    await page.click('form[action$="/code"] button');
    await page.waitForSelector('#request-state[data-status="opened"]');
    const citizen = await h.services.citizens.findByPhone(neighbour);
    expect(citizen?.registeredBy).not.toBeNull();
    await check('request-opened-by-code');
  });
});
