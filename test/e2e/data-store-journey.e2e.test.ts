import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, AppHarness } from '../support/app-harness.ts';
import { launchChromium } from '../support/browser.ts';
import { multipart } from '../support/multipart.ts';

const PHONE = '+84905777001';
const MINUTE = 60_000;

/**
 * The whole story of the data store, on real parts (PostgreSQL, Redis, BullMQ workers, twilio-node against a
 * fake Twilio, Debian's Chromium): an agency issues a paper and moves a dossier through its statuses over the
 * API; the citizen hears about each change by SMS, finds the paper in the chat, shares it, and someone opens the
 * link in a browser and sees it is authentic.
 */
describe('an agency issues a paper, the citizen shares it, a recipient checks it', () => {
  let h: AppHarness;
  let browser: Browser;
  // The service's clock runs ahead of real time when the test skips the 10 minutes that collapse updates.
  let skipped = 0;

  beforeAll(async () => {
    h = await AppHarness.start({ clock: () => new Date(Date.now() + skipped) });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('goes from the agency API to an authentic paper in the recipient’s browser', async () => {
    // The citizen opens an account by SMS; the registry confirms it.
    await h.say(PHONE, 'DK Nguyen Van An, 048090001234, 15/02/1990');
    const [opened, verified] = await h.say(PHONE, 'CO', 2);
    expect(opened).toMatch(/^Da mo tai khoan tam thoi/);
    expect(verified).toMatch(/da duoc xac minh/);

    // The city admin registers the ward office; the office gets its API key once.
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/v1/admin/agencies',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { code: 'UBND-HAICHAU', name: 'UBND phường Hải Châu' },
    });
    expect(created.statusCode).toBe(201);
    const { apiKey } = created.json<{ apiKey: string }>();
    const agency = { authorization: `Bearer ${apiKey}` };

    // The office moves the birth-registration dossier along; each change reaches the citizen by SMS.
    const dossier = (status: string) =>
      h.app.inject({
        method: 'PUT',
        url: '/api/v1/agency/dossiers/HC-2611-0042',
        headers: agency,
        payload: {
          citizen: '048090001234',
          procedure: 'Đăng ký khai sinh',
          status,
          expectedAt: '2026-12-04',
        },
      });
    let before = h.inbox(PHONE).length;
    expect((await dossier('received')).statusCode).toBe(201);
    const [received] = (await h.waitForInbox(PHONE, before + 1)).slice(before);
    expect(received).toMatch(/^Ho so Dang ky khai sinh: da tiep nhan\./);

    skipped += 11 * MINUTE;
    before = h.inbox(PHONE).length;
    expect((await dossier('processing')).statusCode).toBe(200);
    const [processing] = (await h.waitForInbox(PHONE, before + 1)).slice(before);
    expect(processing).toMatch(/^Ho so Dang ky khai sinh: dang xu ly\./);

    // The paper is issued into the citizen's data store, then the dossier is done.
    const pdf = await readFile(new URL('../fixtures/documents/paper.pdf', import.meta.url));
    const body = multipart([
      { name: 'citizen', value: PHONE },
      { name: 'typeCode', value: 'KHAISINH' },
      { name: 'title', value: 'Giấy khai sinh' },
      { name: 'number', value: 'KS-2026-000042' },
      { name: 'issuedAt', value: '2026-11-27' },
      { name: 'file', filename: 'khai-sinh.pdf', type: 'application/pdf', bytes: pdf },
    ]);
    const issued = await h.app.inject({
      method: 'POST',
      url: '/api/v1/agency/documents',
      headers: { ...agency, 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(issued.statusCode).toBe(201);

    skipped += 11 * MINUTE;
    before = h.inbox(PHONE).length;
    expect((await dossier('completed')).statusCode).toBe(200);
    const [completed] = (await h.waitForInbox(PHONE, before + 1)).slice(before);
    expect(completed).toMatch(/^Ho so Dang ky khai sinh: /);
    expect(completed).not.toMatch(/dang xu ly\./);

    // The citizen finds the paper and shares it for a day.
    const status = await h.say(PHONE, 'TT', 2);
    expect(status.join('\n')).toContain('HC-2611-0042');
    const [papers] = await h.say(PHONE, 'GT');
    expect(papers).toMatch(/1\. Giay khai sinh/);
    const [shared] = await h.say(PHONE, 'CS 1 1');
    const url = /(http:\/\/\S+\/s\/[A-Za-z0-9_-]{22})/.exec(shared ?? '')?.[1];
    expect(url, shared).toBeDefined();
    expect(url?.startsWith(h.baseUrl)).toBe(true);

    // Someone opens the link in a browser: the paper is authentic and downloads unchanged.
    before = h.inbox(PHONE).length;
    const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
    const response = await page.goto(url ?? '');
    expect(response?.status()).toBe(200);
    await expect.poll(() => page.getByText('Bản gốc, do UBND phường Hải Châu').count()).toBeGreaterThan(0);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Giấy khai sinh');
    const download = await h.app.inject({ method: 'GET', url: new URL(`${url}/file`).pathname });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.rawPayload.equals(pdf)).toBe(true);

    // The owner is told once that the link was opened, and sees the views in LS.
    const [viewed] = (await h.waitForInbox(PHONE, before + 1)).slice(before);
    expect(viewed).toMatch(/^Lien ket chia se "Giay khai sinh" vua duoc mo/);
    const [shares] = await h.say(PHONE, 'LS');
    expect(shares).toMatch(/1\. Giay khai sinh/);
    expect(shares).toMatch(/[1-9] luot xem/);
  });
});
