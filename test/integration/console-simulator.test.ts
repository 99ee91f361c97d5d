import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorFeedKey } from '../../adapters/simulator/simulator.adapter.ts';
import { buildHttp } from '../../src/app/http.ts';
import { parseStatsFilter } from '../../src/domain/stats/stats-filter.ts';
import { readStatsTable } from '../../src/domain/stats/stats-tables.ts';
import { wards } from '../../src/domain/wards/wards.ts';
import { renderConsolePage } from '../../src/http/console/console-page.ts';
import { html } from '../../src/http/share-page/html.ts';
import { AppHarness } from '../support/app-harness.ts';
import { injectMemberSession, injectStaffSession, teamWithMembers } from '../support/console-session.ts';
import { readEvents } from '../support/event-stream.ts';

const WARD = wards[3] ?? { code: '', name: '' };
const MEMBER = '+84905860001';

interface Entry {
  kind: 'reply' | 'sms';
  text: string;
  choices?: { label: string; payload: string }[];
  sms?: { encoding: string; characters: number; segments: number };
  countText?: string;
  label?: string;
}

/** The entries of a server-sent event stream's text. */
const entriesOf = (text: string): Entry[] =>
  [...text.matchAll(/event: entry\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1] ?? '{}') as Entry);

describe('the console’s Simulator', () => {
  let h: AppHarness;
  let staff: string;
  let staffCsrf: string;
  let member: string;
  let inviteCode: string;

  const csrfOf = async (cookie: string) => {
    const page = await h.app.inject({ method: 'GET', url: '/console/simulator', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    return /data-csrf="([^"]+)"/.exec(page.body)?.[1] ?? '';
  };
  const post = (url: string, cookie: string, csrf: string, body: unknown) =>
    h.app.inject({
      method: 'POST',
      url,
      headers: { cookie, 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
      payload: JSON.stringify(body),
    });
  const start = async (channel: string, phone: string, cookie = staff, csrf = staffCsrf) => {
    const response = await post('/console/simulator/start', cookie, csrf, { channel, phone });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { conversation: string; welcome: boolean };
  };
  /** Sends `text` (or the follow, `start`) in a conversation and waits for `count` new entries of its feed. */
  const exchange = async (conversation: string, body: { text?: string; start?: true }, count: number) => {
    const url = `${h.baseUrl}/console/simulator/events?conversation=${encodeURIComponent(conversation)}`;
    // What the feed holds already (the stream sends it all again first).
    const [channel, address] = conversation.split('.');
    const key = `${channel}:${Buffer.from(address ?? '', 'base64url').toString('utf8')}`;
    const before = (await h.services.simulatorFeed.read(key)).length;
    const { text } = await readEvents(
      url,
      staff,
      (t) => entriesOf(t).length >= before + count,
      async () => {
        const sent = await post('/console/simulator/messages', staff, staffCsrf, { conversation, ...body });
        expect(sent.statusCode, sent.body).toBe(202);
      },
      15_000,
    );
    return entriesOf(text).slice(before);
  };
  const providerTraffic = () =>
    h.twilio.messages.length + (h.fakes.zaloOa?.sent.length ?? 0) + (h.fakes.telegram?.sent.length ?? 0);

  beforeAll(async () => {
    h = await AppHarness.start({ channels: ['zalo-oa', 'telegram'] });
    ({ inviteCode } = await teamWithMembers(h, 'Tổ Mô phỏng', WARD.code, [MEMBER]));
    staff = await injectStaffSession(h);
    staffCsrf = await csrfOf(staff);
    member = await injectMemberSession(h, MEMBER);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('shows the page to staff, leaders and members outside production, with the strict policy', async () => {
    const page = await h.app.inject({ method: 'GET', url: '/console/simulator', headers: { cookie: staff } });
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('<script src="/console/assets/simulator.js" defer></script>');
    expect(page.body).toMatch(/id="sim-phone"[^>]*value="09\d{8}"/);
    expect(page.body).toContain('href="/console/simulator"');
    expect(
      (await h.app.inject({ method: 'GET', url: '/console/simulator', headers: { cookie: member } }))
        .statusCode,
    ).toBe(200);
  });

  it('is for staff only in production', async () => {
    const production = buildHttp({ ...h.services, config: { ...h.services.config, NODE_ENV: 'production' } });
    try {
      const asMember = await production.inject({
        method: 'GET',
        url: '/console/simulator',
        headers: { cookie: member },
      });
      expect(asMember.statusCode).toBe(403);
      const asStaff = await production.inject({
        method: 'GET',
        url: '/console/simulator',
        headers: { cookie: staff },
      });
      expect(asStaff.statusCode).toBe(200);
      // The navigation follows the same rule (it reads NODE_ENV of the process unless told).
      const nav = (role: 'staff' | 'member') =>
        renderConsolePage({
          lang: 'vi',
          title: 'x',
          path: '/console',
          session: { id: 'x', role, csrf: 'x' },
          content: html``,
          production: true,
        });
      expect(nav('member')).not.toContain('href="/console/simulator"');
      expect(nav('staff')).toContain('href="/console/simulator"');
      const started = await production.inject({
        method: 'POST',
        url: '/console/simulator/start',
        headers: { cookie: member, 'content-type': 'application/json', 'x-csrf-token': await csrfOf(member) },
        payload: JSON.stringify({ channel: 'sim-sms', phone: '0912000001' }),
      });
      expect(started.statusCode).toBe(403);
    } finally {
      await production.close();
    }
  });

  it('refuses a start or a message without the CSRF token, and another session’s conversation', async () => {
    expect(
      (await post('/console/simulator/start', staff, '', { channel: 'sim-sms', phone: '0912000002' }))
        .statusCode,
    ).toBe(403);
    const { conversation } = await start('sim-sms', '0912000002');
    expect(
      (await post('/console/simulator/messages', staff, '', { conversation, text: 'HD' })).statusCode,
    ).toBe(403);
    const other = await post('/console/simulator/messages', member, await csrfOf(member), {
      conversation,
      text: 'HD',
    });
    expect(other.statusCode).toBe(404);
    const stream = await h.app.inject({
      method: 'GET',
      url: `/console/simulator/events?conversation=${encodeURIComponent(conversation)}`,
      headers: { cookie: member },
    });
    expect(stream.statusCode).toBe(404);
    expect(
      (await post('/console/simulator/start', staff, staffCsrf, { channel: 'web', phone: '0912000002' }))
        .statusCode,
    ).toBe(400);
    expect(
      (await post('/console/simulator/start', staff, staffCsrf, { channel: 'sim-sms', phone: '12' }))
        .statusCode,
    ).toBe(400);
  });

  it('answers an SMS as the phone shows it, with characters and segments, and sends nothing to a provider', async () => {
    const before = providerTraffic();
    const { conversation, welcome } = await start('sim-sms', '0912000003');
    expect(welcome).toBe(false);
    const [help] = await exchange(conversation, { text: 'HD' }, 1);
    expect(help?.kind).toBe('reply');
    expect(help?.text).toMatch(/^[\x20-\x7e\n]+$/); // GSM-7 without diacritics
    expect(help?.choices).toEqual([]);
    expect(help?.sms?.encoding).toBe('GSM-7');
    expect(help?.sms?.characters).toBe(help?.text.length);
    expect(help?.sms?.segments).toBeGreaterThanOrEqual(1);
    expect(help?.countText).toBe(`${help?.sms?.characters} ký tự · ${help?.sms?.segments} tin nhắn (GSM-7)`);
    await h.waitForIdle();
    expect(providerTraffic()).toBe(before);
  });

  it('ends a conversation’s stream when its session is signed out, at the next reply', async () => {
    const cookie = await injectStaffSession(h);
    const csrf = await csrfOf(cookie);
    const { conversation } = await start('sim-sms', '0912000009', cookie, csrf);
    const url = `${h.baseUrl}/console/simulator/events?conversation=${encodeURIComponent(conversation)}`;
    const stream = await readEvents(
      url,
      cookie,
      (t) => t.includes('event: entry'),
      async () => {
        const signOut = await h.app.inject({
          method: 'POST',
          url: '/console/sign-out',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          payload: `_csrf=${encodeURIComponent(csrf)}`,
        });
        expect(signOut.statusCode).toBe(303);
        // An entry for the conversation (as a reply would be): it must not reach the signed-out page.
        await h.services.simulatorFeed.push(simulatorFeedKey('sim-sms', '+84912000009'), {
          kind: 'sms',
          to: '0912***009',
          text: 'x',
        });
      },
      15_000,
    );
    expect(stream.ended).toBe(true);
    expect(stream.text).not.toContain('event: entry');
  });

  it('opens a simulated account from SMS that the dashboard does not count', async () => {
    const filter = parseStatsFilter({}, new Date());
    if (filter.type !== 'ok') throw new Error(filter.type);
    const count = async (): Promise<number> => {
      const { rows } = await readStatsTable(
        h.services.campaignStats,
        'registrations-by-channel',
        filter.filter,
      );
      let sum = 0;
      for (const row of rows) sum += Number((row as { registrations: number }).registrations);
      return sum;
    };
    const counted = await count();
    const { conversation } = await start('sim-sms', '0912000004');
    const [summary] = await exchange(conversation, { text: 'DK Tran Thi Binh, 048185000321, 04/07/1985' }, 1);
    expect(summary?.text).toMatch(/^Tran Thi Binh, CCCD 048185000321/);
    const [opened] = await exchange(conversation, { text: 'co' }, 1);
    expect(opened?.text).toMatch(/^Da mo tai khoan tam thoi/);
    const citizen = await h.services.citizens.findByPhone('+84912000004');
    expect(citizen?.createdVia).toBe('sim-sms');
    const row = await h.services.db.query<{ simulated: boolean }>(
      'SELECT simulated FROM citizens WHERE id = $1',
      [citizen?.id],
    );
    expect(row.rows[0]?.simulated).toBe(true);
    await h.waitForIdle();
    expect(await count()).toBe(counted);
    // A real account is counted (the same query sees it).
    await h.say('+84905860099', 'DK Le Van An, 048190000123, 01/02/1990');
    await h.say('+84905860099', 'co', 2);
    expect(await count()).toBe(counted + 1);
  });

  it('marks a hand-off asked for in the simulator as simulated', async () => {
    const { conversation } = await start('sim-sms', '0912000008');
    await exchange(conversation, { text: 'GAP' }, 1);
    await h.waitForIdle();
    const rows = await h.services.db.query<{ channel: string; simulated: boolean }>(
      'SELECT channel, simulated FROM handoffs',
    );
    expect(rows.rows).toEqual([{ channel: 'sim-sms', simulated: true }]);
  });

  it('never joins a real team from the simulator, and never simulates a team member’s phone', async () => {
    const { conversation } = await start('sim-sms', '0912000010');
    const [answer] = await exchange(conversation, { text: `TNV ${inviteCode}` }, 1);
    expect(answer?.text).toMatch(/^Day la trinh mo phong: khong the vao to/); // volunteerCopy.vi.simulated, GSM-7
    expect(await h.services.teams.membershipOf('+84912000010')).toBeNull();
    // A member's phone on simulated SMS would be that member (and could take real hand-offs with NHAN).
    const refused = await post('/console/simulator/start', staff, staffCsrf, {
      channel: 'sim-sms',
      phone: MEMBER.replace('+84', '0'),
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('REAL_ACCOUNT');
  });

  it('never simulates a real account’s phone', async () => {
    const refused = await post('/console/simulator/start', staff, staffCsrf, {
      channel: 'sim-sms',
      phone: '0905860099',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('REAL_ACCOUNT');
  });

  it('greets a Zalo follower with buttons whose payload answers, without calling Zalo', async () => {
    const before = providerTraffic();
    const { conversation, welcome } = await start('sim-zalo', '0912000005');
    expect(welcome).toBe(true);
    const [greeting] = await exchange(conversation, { start: true }, 1);
    expect(greeting?.choices?.length).toBeGreaterThan(0);
    expect(greeting?.sms).toBeUndefined();
    const choice = greeting?.choices?.[0];
    const [answer] = await exchange(conversation, { text: choice?.payload ?? '' }, 1);
    expect(answer?.kind).toBe('reply');
    await h.waitForIdle();
    expect(providerTraffic()).toBe(before);
  });

  it('shows a phone code asked on simulated Telegram in the simulator, and never for a real account', async () => {
    // A real account, opened by SMS.
    await h.say('+84905860098', 'DK Le Thi Hoa, 048190000456, 03/04/1990');
    await h.say('+84905860098', 'co', 2);
    await h.waitForIdle();
    const before = providerTraffic();
    const { conversation } = await start('sim-telegram', '0912000006');
    await exchange(conversation, { start: true }, 1);
    await exchange(conversation, { text: 'DK' }, 1);
    const sent = await exchange(conversation, { text: '0912000006' }, 2);
    const code = sent.find((entry) => entry.kind === 'sms');
    expect(code?.label).toBe('SMS mã tới 0912***006 (chỉ hiện ở đây)');
    expect(code?.text).toMatch(/\d{6}/);

    // The phone of the real account gets no code in a simulated chat.
    const other = await start('sim-telegram', '0912000007');
    await exchange(other.conversation, { text: 'DK' }, 1);
    const [refused, ...more] = await exchange(other.conversation, { text: '0905860098' }, 1);
    expect(refused?.text).toMatch(/^Chế độ phát triển: số điện thoại này đã có tài khoản/);
    expect(more).toEqual([]);
    await h.waitForIdle();
    expect(providerTraffic()).toBe(before);
  });
});
