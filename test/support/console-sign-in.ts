import type { Page } from 'playwright-core';
import { ADMIN_TOKEN, type AppHarness } from './app-harness.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** The console session cookie (`dcz_console=…`) set by a response, or ''. */
export function consoleCookieOf(setCookie: string | string[] | undefined): string {
  return (
    [setCookie ?? []]
      .flat()
      .find((c) => c.startsWith('dcz_console='))
      ?.split(';')[0] ?? ''
  );
}

/** Posts a console form through `inject` (same origin: no Origin header), with the cookie if given. */
export function postConsoleForm(h: AppHarness, url: string, form: Record<string, string>, cookie = '') {
  return h.app.inject({
    method: 'POST',
    url,
    headers: { ...FORM, ...(cookie ? { cookie } : {}) },
    payload: new URLSearchParams(form).toString(),
  });
}

/** The 6-digit code of the newest message to `phone` after the first `before`. */
async function codeSentTo(h: AppHarness, phone: string, before: number): Promise<string> {
  const [text] = (await h.waitForInbox(phone, before + 1)).slice(before);
  return /\d{6}/.exec(text ?? '')?.[0] ?? '';
}

/**
 * Signs a team member in through `inject` with the code sent to the chat where they joined (SMS in the harness);
 * resolves the session cookie.
 */
export async function signInConsoleMember(h: AppHarness, phone: string): Promise<string> {
  const before = h.inbox(phone).length;
  const asked = await postConsoleForm(h, '/console/sign-in/phone', { phone });
  if (asked.statusCode !== 200) throw new Error(`sign-in phone form answered ${asked.statusCode}`);
  const code = await codeSentTo(h, phone, before);
  const response = await postConsoleForm(h, '/console/sign-in/code', { phone, code });
  if (response.statusCode !== 303) throw new Error(`sign-in code form answered ${response.statusCode}`);
  return consoleCookieOf(response.headers['set-cookie']);
}

/** Signs a team member in, in a browser page, with the code sent to their SMS chat; ends on `/console`. */
export async function signInConsoleMemberInBrowser(page: Page, h: AppHarness, phone: string): Promise<void> {
  const before = h.inbox(phone).length;
  await page.goto(`${h.baseUrl}/console/sign-in`);
  await page.fill('#phone', phone);
  await page.click('form[action="/console/sign-in/phone"] button');
  await page.waitForSelector('#code');
  await page.fill('#code', await codeSentTo(h, phone, before));
  await page.click('form[action="/console/sign-in/code"] button');
  await page.waitForURL(/\/console$/);
}

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
      if (response.statusCode !== 303) throw new Error(`staff sign-in answered ${response.statusCode}`);
      return consoleCookieOf(response.headers['set-cookie']);
    },
    /** Signs `phone` (an SMS member) in with the code sent to their chat; resolves the session cookie. */
    member: (phone: string): Promise<string> => signInConsoleMember(h, phone),
  };
}
