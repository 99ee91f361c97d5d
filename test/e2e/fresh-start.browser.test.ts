import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wards } from '../../src/domain/wards/wards.ts';
import { checkPage, launchChromium } from '../support/browser.ts';
import { multipart } from '../support/multipart.ts';
import { createRedisPrefix, freePort, REDIS_URL } from '../support/services.ts';

const OUTPUT_DIR = path.join(process.cwd(), 'test-results', 'fresh-start');
const PHONE = { width: 360, height: 780 };
const WARD = wards[2] ?? { code: '', name: '' };
/** People of data/population-sample.csv (so the registry verifies them), and their phones. */
const NEWCOMER = { name: 'Nguyễn Văn An', cccd: '048090001234', born: '15/02/1990', phone: '0905661001' };
const VOLUNTEER = { name: 'Lê Minh Châu', cccd: '048201000777', born: '20/11/2001', phone: '0905661002' };
const NEIGHBOUR = { name: 'Phạm Văn Dũng', cccd: '048070004567', born: '01/01/1970', phone: '0905661003' };
/** The variables a person may have set that would configure something: a fresh start has none of them. */
const PROVIDER_VARIABLE =
  /^(NODE_ENV|DATABASE_URL|ADMIN_TOKEN|DATA_ENCRYPTION_KEY|DOCUMENT_SIGNING_KEY|TWILIO_|SMS_GATEWAY_|TELEGRAM_|ZALO_|POPULATION_REGISTRY|PUBLIC_BASE_URL|QUIET_HOURS|FILES_DIR)/;
/** How long one step may take on a busy machine. */
const STEP_MS = 30_000;

/**
 * The "done when", on the real entry point exactly as `npm start` runs it (`tsx src/app/main.ts`, a
 * child process): no provider, no ADMIN_TOKEN, embedded PostgreSQL in a fresh DATA_DIR. A newcomer registers in
 * the web chat and uses TT, GT and CS; staff sign in with the token of DATA_DIR/admin-token and create a team; a
 * volunteer registers in another web chat and joins it (TNV), signs in to the console with the code sent to her
 * chat, registers a neighbour with the form; the neighbour answers CO on /dev/phones and the form shows the
 * account opened; the newcomer's GAP reaches her Inbox, she takes it and answers in the newcomer's chat; the
 * dashboard shows the figures of all this and its CSV downloads.
 */
describe('a fresh `npm start`, in a browser', () => {
  let child: ChildProcess;
  let dataDir: string;
  let baseUrl: string;
  let browser: Browser;
  let redis: ReturnType<typeof createRedisPrefix>;
  const log: string[] = [];

  beforeAll(async () => {
    await mkdir(OUTPUT_DIR, { recursive: true });
    dataDir = await mkdtemp(path.join(tmpdir(), 'dcz-fresh-start-'));
    redis = createRedisPrefix();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !PROVIDER_VARIABLE.test(name)),
    );
    child = spawn(path.join(process.cwd(), 'node_modules', '.bin', 'tsx'), ['src/app/main.ts'], {
      cwd: process.cwd(),
      env: {
        ...env,
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        QUEUE_PREFIX: redis.prefix,
        REDIS_URL,
        LOG_LEVEL: 'info',
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const started = new Promise<void>((resolve, reject) => {
      const onLine = (chunk: Buffer) => {
        log.push(chunk.toString('utf8'));
        if (log.join('').includes('"msg":"started"')) resolve();
      };
      child.stdout?.on('data', onLine);
      child.stderr?.on('data', onLine);
      child.once('exit', (code) => reject(new Error(`npm start exited (${code}): ${log.join('')}`)));
    });
    await started;
    const ready = await fetch(`${baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (child?.pid !== undefined && child.exitCode === null) {
      const pid = child.pid;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-pid, 'SIGTERM');
      // It finishes its turns and exits; a process group still there later is killed.
      const force = setTimeout(() => {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // Gone already.
        }
      }, 30_000);
      await exited;
      clearTimeout(force);
    }
    await redis?.cleanup();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  const newPage = async () =>
    (await browser.newContext({ viewport: PHONE, acceptDownloads: true })).newPage();
  const check = (page: Page, name: string) =>
    checkPage(page, path.join(OUTPUT_DIR, `${name}.png`), PHONE.width);
  const bot = (page: Page) => page.locator('#log .bot');
  /** Types `text` in a web chat and waits for `replies` more replies; resolves the last one's text. */
  const say = async (page: Page, text: string, replies = 1) => {
    const before = await bot(page).count();
    await page.locator('#text').fill(text);
    await page.keyboard.press('Enter');
    await expect.poll(() => bot(page).count(), { timeout: STEP_MS }).toBeGreaterThanOrEqual(before + replies);
    return (await bot(page).last().textContent()) ?? '';
  };
  /** Opens a web chat and registers `person` with the code the page shows; ends with the account open. */
  const registerInWebChat = async (person: typeof NEWCOMER) => {
    const page = await newPage();
    await page.goto(`${baseUrl}/`);
    await expect.poll(() => bot(page).count(), { timeout: STEP_MS }).toBe(1);
    expect(await say(page, 'DK')).toMatch(/Nhập số điện thoại di động/);
    expect(await say(page, person.phone)).toMatch(/^Đã gửi mã 6 số qua SMS/);
    const sms = page.locator('#dev-sms li');
    await expect.poll(() => sms.count(), { timeout: STEP_MS }).toBe(1);
    const code = /(\d{6})/.exec((await sms.first().textContent()) ?? '')?.[1] ?? '';
    expect(await say(page, code)).toMatch(/^Đã xác nhận số điện thoại\./);
    await say(page, person.name);
    await say(page, person.cccd);
    expect(await say(page, person.born)).toMatch(/Đồng ý xử lý/);
    const before = await bot(page).count();
    await bot(page).last().getByRole('button', { name: 'Đồng ý', exact: true }).click();
    await expect.poll(() => bot(page).count(), { timeout: STEP_MS }).toBeGreaterThan(before);
    expect(await bot(page).nth(before).textContent()).toMatch(/tài khoản/i);
    return page;
  };

  let newcomer: Page;
  let staff: Page;
  let volunteerChat: Page;
  let volunteer: Page;
  let adminToken: string;
  let inviteCode: string;

  it('lets a newcomer register in the web chat and use TT, GT and CS', async () => {
    newcomer = await registerInWebChat(NEWCOMER);
    expect(await newcomer.getByRole('note').first().textContent()).toContain('Chế độ phát triển');
    await expect.poll(async () => say(newcomer, 'TT'), { timeout: STEP_MS }).toMatch(/: đã xác minh\./);

    // An agency (made with the admin token of the fresh start) issues a paper to the newcomer.
    adminToken = (await readFile(path.join(dataDir, 'admin-token'), 'utf8')).trim();
    expect(log.join('')).toContain(path.join(dataDir, 'admin-token'));
    expect(log.join('')).not.toContain(adminToken);
    const agency = await fetch(`${baseUrl}/api/v1/admin/agencies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'UBND-HAICHAU', name: 'UBND phường Hải Châu' }),
    });
    expect(agency.status).toBe(201);
    const { apiKey } = (await agency.json()) as { apiKey: string };
    const pdf = await readFile(new URL('../fixtures/documents/paper.pdf', import.meta.url));
    const body = multipart([
      { name: 'citizen', value: `+84${NEWCOMER.phone.slice(1)}` },
      { name: 'typeCode', value: 'KHAISINH' },
      { name: 'title', value: 'Giấy khai sinh' },
      { name: 'number', value: 'KS-2026-000042' },
      { name: 'issuedAt', value: '2026-11-27' },
      { name: 'file', filename: 'khai-sinh.pdf', type: 'application/pdf', bytes: pdf },
    ]);
    const issued = await fetch(`${baseUrl}/api/v1/agency/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': body.contentType },
      body: new Uint8Array(body.payload),
    });
    expect(issued.status).toBe(201);
    await expect.poll(async () => say(newcomer, 'GT'), { timeout: STEP_MS }).toMatch(/1\. Giấy khai sinh/);
    const shared = await say(newcomer, 'CS 1');
    expect(shared).toMatch(/\/s\/[A-Za-z0-9_-]{22}/);
    expect(await bot(newcomer).last().locator('img').count()).toBe(1);
    await check(newcomer, 'newcomer');
  });

  it('signs staff in with the token of DATA_DIR/admin-token, and staff create a team', async () => {
    staff = await newPage();
    await staff.goto(`${baseUrl}/console/sign-in`);
    expect(await staff.locator('#token-file').textContent()).toContain(path.join(dataDir, 'admin-token'));
    await check(staff, 'sign-in');
    await staff.fill('#token', adminToken);
    await staff.click('form[action="/console/sign-in/staff"] button');
    await staff.waitForURL(/\/console$/);
    await staff.click('nav a[href="/console/teams"]');
    await staff.fill('#name', 'Tổ CNS TDP 5');
    await staff.selectOption('#wardCode', WARD.code);
    await staff.click('form[action="/console/teams"] button');
    await staff.waitForURL(/\/console\/teams\/[0-9a-f-]{36}\?done=created$/);
    inviteCode = ((await staff.locator('#invite-code').textContent()) ?? '').trim();
    expect(inviteCode).not.toBe('');
  });

  it('lets a volunteer join from her web chat and sign in to the console with the code sent there', async () => {
    volunteerChat = await registerInWebChat(VOLUNTEER);
    expect(await say(volunteerChat, `TNV ${inviteCode}`)).toContain('Tổ CNS TDP 5');
    volunteer = await newPage();
    await volunteer.goto(`${baseUrl}/console/sign-in`);
    await volunteer.fill('#phone', VOLUNTEER.phone);
    const before = await bot(volunteerChat).count();
    await volunteer.click('form[action="/console/sign-in/phone"] button');
    await volunteer.waitForSelector('#code');
    // The code's message, whatever else the chat receives meanwhile (a late reply of an earlier turn).
    const codeSent = async () => {
      const texts = await bot(volunteerChat).allTextContents();
      return (
        texts
          .slice(before)
          .map((text) => /\b(\d{6})\b/.exec(text)?.[1])
          .find(Boolean) ?? ''
      );
    };
    await expect.poll(codeSent, { timeout: STEP_MS }).toMatch(/^\d{6}$/);
    const code = await codeSent();
    await volunteer.fill('#code', code);
    await volunteer.click('form[action="/console/sign-in/code"] button');
    await volunteer.waitForURL(/\/console$/);
  });

  it('registers a neighbour through the form; the neighbour answers CO on /dev/phones; the form shows it opened', async () => {
    await volunteer.click('nav a[href="/console/register"]');
    await volunteer.waitForURL(/\/console\/register$/);
    await volunteer.fill('#phone', NEIGHBOUR.phone);
    await volunteer.fill('#fullName', NEIGHBOUR.name);
    await volunteer.fill('#cccd', NEIGHBOUR.cccd);
    await volunteer.fill('#dateOfBirth', NEIGHBOUR.born);
    await volunteer.click('form[action="/console/register"] button');
    await volunteer.click('form[action="/console/register/send"] button');
    await volunteer.waitForURL(/\/console\/register\/[0-9a-f-]{36}$/);
    await volunteer.waitForSelector('#request-state[data-status="pending"]');

    const phone = await newPage();
    await phone.goto(`${baseUrl}/dev/phones`);
    const masked = `${NEIGHBOUR.phone.slice(0, 4)}***${NEIGHBOUR.phone.slice(-3)}`;
    const listed = async () => {
      await phone.reload();
      return phone.locator('.phones a', { hasText: masked }).count();
    };
    await expect.poll(listed, { timeout: STEP_MS }).toBe(1);
    await check(phone, 'dev-phones');
    await phone.click(`.phones a:has-text("${masked}")`);
    await phone.waitForURL(/\/dev\/phones\/84905661003$/);
    const texts = phone.locator('#texts .bot');
    await expect.poll(() => texts.count(), { timeout: STEP_MS }).toBe(2);
    expect(await texts.first().textContent()).toContain('Pham Van Dung');
    expect(await texts.first().locator('.count').textContent()).toMatch(/\d+ ký tự, 1 tin SMS \(GSM-7\)/);
    await phone.fill('#text', 'CO');
    await phone.click('#answer button');
    await expect.poll(() => texts.count(), { timeout: STEP_MS }).toBeGreaterThanOrEqual(3);
    expect(await phone.locator('#texts .me').textContent()).toContain('CO');
    await check(phone, 'dev-phone');
    await volunteer.waitForSelector('#request-state[data-status="opened"]', { timeout: STEP_MS });
    await check(volunteer, 'register-opened');
  });

  it('brings the newcomer’s GAP to the volunteer’s Inbox; she takes it and her reply reaches the web chat', async () => {
    await say(newcomer, 'GAP tôi cần giúp chia sẻ giấy tờ');
    await volunteer.click('nav a[href="/console/inbox"]');
    await volunteer.waitForURL(/\/console\/inbox$/);
    const link = volunteer.locator('#live a[href^="/console/inbox/"]').first();
    await link.waitFor({ timeout: STEP_MS });
    await link.click();
    await volunteer.waitForURL(/\/console\/inbox\/\d+$/);
    await volunteer.click('form[action$="/take"] button');
    await volunteer.waitForURL(/\?done=taken$/);
    await volunteer.fill('#reply-text', 'Chào bạn, tôi sẽ hướng dẫn bạn.');
    await volunteer.click('form[action$="/reply"] button');
    await volunteer.waitForURL(/\?done=sent$/);
    await expect
      .poll(async () => (await bot(newcomer).allTextContents()).join('\n'), { timeout: STEP_MS })
      .toContain('Chào bạn, tôi sẽ hướng dẫn bạn.');
    await check(volunteer, 'inbox');
  });

  it('shows staff the figures of what the test made, and downloads the CSV', async () => {
    const rowsOf = (id: string) =>
      staff.$$eval(`#${id} tbody tr`, (rows) =>
        rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent?.trim() ?? '')),
      );
    // The neighbour's account is checked against the registry a moment after it opened: wait for it.
    await expect
      .poll(
        async () => {
          await staff.goto(`${baseUrl}/console/dashboard`);
          return rowsOf('table-leaderboard');
        },
        { timeout: STEP_MS },
      )
      .toEqual([['1', 'Tổ CNS TDP 5', WARD.name, '1', '1', '1', '1']]);
    const channels = await rowsOf('table-registrations-by-channel');
    expect(channels.map((r) => [r[1], r[2]])).toEqual([
      ['dev-sms', '1'],
      ['web', '2'],
    ]);
    const funnel = await rowsOf('table-funnel');
    expect(funnel.map((r) => r[3])).toEqual(['3', '3', '3', '3']);
    const [download] = await Promise.all([staff.waitForEvent('download'), staff.click('#csv-leaderboard')]);
    const csv = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '').split('\r\n');
    expect(csv[1]).toMatch(new RegExp(`^1,[0-9a-f-]{36},Tổ CNS TDP 5,${WARD.code},1,1,1,1$`));
    await staff.screenshot({ path: path.join(OUTPUT_DIR, 'dashboard.png'), fullPage: true });
  });
});
