import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttp } from '../../src/app/http.ts';
import { wards } from '../../src/domain/wards/wards.ts';
import { consoleCopy } from '../../src/http/console/console.copy.ts';
import { renderSmsText } from '../../src/messaging/sms-render.ts';
import { ADMIN_TOKEN, AppHarness } from '../support/app-harness.ts';

const WARD = wards[0] ?? { code: '', name: '' };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('the console: sign-in, sessions, CSRF and roles', () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await AppHarness.start();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const post = (url: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    h.app.inject({
      method: 'POST',
      url,
      headers: { ...FORM, ...headers },
      payload: new URLSearchParams(form).toString(),
    });
  const get = (url: string, cookie?: string) =>
    h.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
  const cookieOf = (setCookie: string | string[] | undefined) =>
    [setCookie ?? []]
      .flat()
      .find((c) => c.startsWith('dcz_console='))
      ?.split(';')[0] ?? '';
  const csrfOf = async (cookie: string, url = '/console/teams') => {
    const page = await get(url, cookie);
    return /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  };

  async function signInStaff(): Promise<string> {
    const response = await post('/console/sign-in/staff', { token: ADMIN_TOKEN });
    expect(response.statusCode).toBe(303);
    return cookieOf(response.headers['set-cookie']);
  }

  async function newTeam(name: string): Promise<{ id: string; inviteCode: string }> {
    return (await h.admin('POST', '/api/v1/admin/teams', { name, wardCode: WARD.code })).json();
  }

  /** Signs `phone` in with the code sent to the chat where they joined; resolves the session cookie. */
  async function signInMember(phone: string): Promise<string> {
    const before = h.inbox(phone).length;
    const asked = await post('/console/sign-in/phone', { phone });
    expect(asked.statusCode).toBe(200);
    const [text] = (await h.waitForInbox(phone, before + 1)).slice(before);
    const code = /\d{6}/.exec(text ?? '')?.[0] ?? '';
    const response = await post('/console/sign-in/code', { phone, code });
    expect(response.statusCode).toBe(303);
    return cookieOf(response.headers['set-cookie']);
  }

  it('keeps cookies Secure in production, says on the sign-in page that HTTPS is needed over plain HTTP to another host, and outside production drops the flag over HTTP', async () => {
    const signIn = (app: typeof h.app, host: string) =>
      app.inject({
        method: 'POST',
        url: '/console/sign-in/staff',
        headers: { ...FORM, host },
        payload: new URLSearchParams({ token: ADMIN_TOKEN }).toString(),
      });
    const httpsNeeded = consoleCopy.vi.httpsNeeded;
    // Development over plain HTTP from a phone on the LAN: the cookies are kept by the browser, no notice.
    const lan = await signIn(h.app, '192.168.1.20:3000');
    expect(lan.statusCode).toBe(303);
    expect([lan.headers['set-cookie']].flat().join('\n')).not.toMatch(/Secure/i);
    const langCookie = await h.app.inject({
      method: 'GET',
      url: '/console/sign-in?lang=en',
      headers: { host: '192.168.1.20:3000' },
    });
    expect(String(langCookie.headers['set-cookie'])).toMatch(/^dcz_console_lang=en; Path=\/console; /);
    expect(String(langCookie.headers['set-cookie'])).not.toMatch(/Secure/);
    expect(langCookie.body).not.toContain(consoleCopy.en.httpsNeeded);

    const production = buildHttp({ ...h.services, config: { ...h.services.config, NODE_ENV: 'production' } });
    try {
      for (const host of ['192.168.1.20:3000', 'localhost:3000']) {
        const response = await signIn(production, host);
        expect(response.statusCode).toBe(303);
        expect(String(response.headers['set-cookie'])).toMatch(/; Secure; HttpOnly; SameSite=Strict$/);
      }
      const page = (host: string) =>
        production.inject({ method: 'GET', url: '/console/sign-in', headers: { host } });
      expect((await page('192.168.1.20:3000')).body).toContain(httpsNeeded);
      expect((await page('localhost:3000')).body).not.toContain(httpsNeeded);
      expect((await page('127.0.0.1:3000')).body).not.toContain(httpsNeeded);
    } finally {
      await production.close();
    }
  });

  it('signs staff in by ADMIN_TOKEN into a session cookie (never the token), and refuses a wrong token', async () => {
    const response = await post('/console/sign-in/staff', { token: ADMIN_TOKEN });
    const setCookie = [response.headers['set-cookie']].flat().join('\n');

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/console');
    // Outside production over plain HTTP, without `Secure` (src/http/cookie-security.ts; production below).
    expect(setCookie).toMatch(
      /^dcz_console=[A-Za-z0-9_-]{43}; Path=\/console; Max-Age=43200; HttpOnly; SameSite=Strict$/m,
    );
    expect(setCookie).not.toContain(ADMIN_TOKEN);
    const home = await get('/console', cookieOf(response.headers['set-cookie']));
    expect(home.statusCode).toBe(200);
    expect(home.headers['content-security-policy']).toContain("script-src 'self'");

    const wrong = await post('/console/sign-in/staff', { token: `${ADMIN_TOKEN}x` });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect((await get('/console')).statusCode).toBe(303);
    expect((await get('/console', 'dcz_console=made-up')).headers.location).toBe('/console/sign-in');
  });

  it('keeps the session in Redis encrypted, and signing out ends it', async () => {
    const cookie = await signInStaff();
    const keys = await h.services.redis.keys(`${h.services.config.QUEUE_PREFIX}:console:session:*`);
    const values = await Promise.all(keys.map((k) => h.services.redis.get(k)));
    expect(values.join('')).not.toMatch(/staff|csrf/);
    const ttls = await Promise.all(keys.map((k) => h.services.redis.ttl(k)));
    expect(Math.min(...ttls)).toBeGreaterThan(43_100);
    expect(Math.max(...ttls)).toBeLessThanOrEqual(43_200);

    const out = await post('/console/sign-out', { _csrf: await csrfOf(cookie) }, { cookie });
    expect(out.statusCode).toBe(303);
    expect([out.headers['set-cookie']].flat().join()).toContain('Max-Age=0');
    expect((await get('/console/teams', cookie)).statusCode).toBe(303);
  });

  it('refuses a form without its CSRF token, with a wrong one, or from another site', async () => {
    const cookie = await signInStaff();
    const csrf = await csrfOf(cookie);
    const form = { name: 'Tổ CSRF', wardCode: WARD.code };

    expect((await post('/console/teams', form, { cookie })).statusCode).toBe(403);
    expect((await post('/console/teams', { ...form, _csrf: `${csrf}x` }, { cookie })).statusCode).toBe(403);
    const otherSession = await csrfOf(await signInStaff());
    expect((await post('/console/teams', { ...form, _csrf: otherSession }, { cookie })).statusCode).toBe(403);
    const crossSite = await post(
      '/console/teams',
      { ...form, _csrf: csrf },
      { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.statusCode).toBe(403);
    expect((await h.services.teams.list()).map((t) => t.name)).not.toContain('Tổ CSRF');

    const made = await post('/console/teams', { ...form, _csrf: csrf }, { cookie });
    expect(made.statusCode).toBe(303);
    expect(made.headers.location).toMatch(/^\/console\/teams\/[0-9a-f-]{36}\?done=created$/);
    const unknown = await post(
      '/console/teams',
      { name: 'Tổ X', wardCode: '99999', _csrf: csrf },
      { cookie },
    );
    expect(unknown.headers.location).toBe('/console/teams?error=unknown_ward');
    expect((await get(unknown.headers.location ?? '', cookie)).body).toContain('Không có phường, xã này.');
  });

  it('answers the phone form the same whether or not the phone is a member, and sends a member a code', async () => {
    const team = await newTeam('Tổ Mã');
    await h.say('+84905700001', `TNV ${team.inviteCode}`);
    const member = await post('/console/sign-in/phone', { phone: '0905700001' });
    const stranger = await post('/console/sign-in/phone', { phone: '0905700099' });

    expect(stranger.statusCode).toBe(member.statusCode);
    expect(stranger.body.replace(/\+84905700099/g, 'P')).toBe(member.body.replace(/\+84905700001/g, 'P'));
    const [text] = (await h.waitForInbox('+84905700001', 2)).slice(1);
    const code = /\d{6}/.exec(text ?? '')?.[0] ?? '';
    expect(text).toBe(renderSmsText({ text: consoleCopy.vi.codeMessage(code) }, 'gsm7'));
    await h.waitForIdle();
    expect(h.inbox('+84905700099')).toEqual([]);
    // Three codes an hour: the fourth request is answered the same, and sends nothing.
    await post('/console/sign-in/phone', { phone: '0905700001' });
    await post('/console/sign-in/phone', { phone: '0905700001' });
    const fourth = await post('/console/sign-in/phone', { phone: '0905700001' });
    expect(fourth.body).toBe(member.body);
    await h.waitForInbox('+84905700001', 4);
    await h.waitForIdle();
    expect(h.inbox('+84905700001')).toHaveLength(4);
    const wrong = await post('/console/sign-in/code', { phone: '+84905700001', code: '000000' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('shows a member their own team only, read-only, and lets a leader remove in their team only', async () => {
    const mine = await newTeam('Tổ Một');
    const other = await newTeam('Tổ Hai');
    await h.say('+84905710001', `TNV ${mine.inviteCode}`);
    await h.say('+84905710002', `TNV ${mine.inviteCode}`);
    await h.say('+84905710003', `TNV ${other.inviteCode}`);
    await h.say('+84905710004', `TNV ${other.inviteCode}`);
    const leader = await signInMember('+84905710001');
    const member = await signInMember('+84905710002');
    const members = await h.services.teams.members(mine.id);
    const otherMembers = await h.services.teams.members(other.id);

    expect((await get('/console/teams', member)).headers.location).toBe(`/console/teams/${mine.id}`);
    const own = await get(`/console/teams/${mine.id}`, member);
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('Tổ Một');
    expect(own.body).not.toContain('Xoá khỏi tổ');
    expect((await get(`/console/teams/${other.id}`, member)).statusCode).toBe(403);
    expect((await get(`/console/teams/${other.id}`, leader)).statusCode).toBe(403);

    const memberCsrf = await csrfOf(member, `/console/teams/${mine.id}`);
    const byMember = await post(
      `/console/teams/${mine.id}/members/${members[0]?.id}/remove`,
      { _csrf: memberCsrf },
      { cookie: member },
    );
    expect(byMember.statusCode).toBe(403);
    const memberCreates = await post(
      '/console/teams',
      { name: 'Tổ Ba', wardCode: WARD.code, _csrf: memberCsrf },
      { cookie: member },
    );
    expect(memberCreates.statusCode).toBe(403);

    const leaderCsrf = await csrfOf(leader, `/console/teams/${mine.id}`);
    const elsewhere = await post(
      `/console/teams/${other.id}/members/${otherMembers[1]?.id}/remove`,
      { _csrf: leaderCsrf },
      { cookie: leader },
    );
    expect(elsewhere.statusCode).toBe(403);
    expect(await h.services.teams.members(other.id)).toHaveLength(2);

    expect((await get('/console', member)).statusCode).toBe(200);
    const removed = await post(
      `/console/teams/${mine.id}/members/${members[1]?.id}/remove`,
      { _csrf: leaderCsrf },
      { cookie: leader },
    );
    expect(removed.headers.location).toBe(`/console/teams/${mine.id}?done=removed`);
    expect(await h.services.teams.members(mine.id)).toHaveLength(1);
    // The removed member's session stops working at once.
    expect((await get('/console', member)).statusCode).toBe(303);
    expect((await get(`/console/teams/${mine.id}`, member)).statusCode).toBe(303);
  });

  it('lets staff see every team, renew an invite code and remove any member', async () => {
    const team = await newTeam('Tổ Bốn');
    await h.say('+84905720001', `TNV ${team.inviteCode}`);
    const staff = await signInStaff();
    const list = await get('/console/teams', staff);
    expect(list.body).toContain('Tổ Bốn');
    const csrf = await csrfOf(staff);

    const renewed = await post(`/console/teams/${team.id}/invite`, { _csrf: csrf }, { cookie: staff });
    expect(renewed.headers.location).toBe(`/console/teams/${team.id}?done=invite`);
    const now = await h.services.teams.findById(team.id);
    expect(now?.inviteCode).not.toBe(team.inviteCode);
    expect((await get(`/console/teams/${team.id}`, staff)).body).toContain(now?.inviteCode ?? '-');

    const [only] = await h.services.teams.members(team.id);
    const removed = await post(
      `/console/teams/${team.id}/members/${only?.id}/remove`,
      { _csrf: csrf },
      { cookie: staff },
    );
    expect(removed.headers.location).toBe(`/console/teams/${team.id}?done=removed`);
    expect(await h.services.teams.members(team.id)).toEqual([]);
  });
});
