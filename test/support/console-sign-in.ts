import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { ADMIN_TOKEN, type AppHarness } from './app-harness.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** The `dcz_console` cookie (`name=value`) of a Set-Cookie header, or ''. */
export const consoleCookieOf = (setCookie: string | string[] | undefined): string =>
  [setCookie ?? []]
    .flat()
    .find((c) => c.startsWith('dcz_console='))
    ?.split(';')[0] ?? '';

/** Console sessions made in process (`inject`): staff by the admin token, members by the code sent to them. */
export function consoleSessions(h: AppHarness) {
  const post = (url: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    h.app.inject({
      method: 'POST',
      url,
      headers: { ...FORM, ...headers },
      payload: new URLSearchParams(form).toString(),
    });
  return {
    post,
    async staff(): Promise<string> {
      const response = await post('/console/sign-in/staff', { token: ADMIN_TOKEN });
      expect(response.statusCode).toBe(303);
      return consoleCookieOf(response.headers['set-cookie']);
    },
    /** Signs `phone` (an SMS member) in with the code sent to their chat; resolves the session cookie. */
    async member(phone: string): Promise<string> {
      const before = h.inbox(phone).length;
      expect((await post('/console/sign-in/phone', { phone })).statusCode).toBe(200);
      const [text] = (await h.waitForInbox(phone, before + 1)).slice(before);
      const code = /\d{6}/.exec(text ?? '')?.[0] ?? '';
      const response = await post('/console/sign-in/code', { phone, code });
      expect(response.statusCode).toBe(303);
      return consoleCookieOf(response.headers['set-cookie']);
    },
  };
}

/** Signs an SMS team member in to the console in a browser page (phone, then the code sent by SMS). */
export async function signInMemberInBrowser(page: Page, h: AppHarness, phone: string): Promise<void> {
  const before = h.inbox(phone).length;
  await page.goto(`${h.baseUrl}/console/sign-in`);
  await page.fill('#phone', phone);
  await page.click('form[action="/console/sign-in/phone"] button');
  await page.waitForSelector('#code');
  const [sms] = (await h.waitForInbox(phone, before + 1)).slice(before);
  await page.fill('#code', /\d{6}/.exec(sms ?? '')?.[0] ?? '');
  await page.click('form[action="/console/sign-in/code"] button');
  await page.waitForURL(/\/console$/);
}
