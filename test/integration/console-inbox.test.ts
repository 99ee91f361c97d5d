import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handoffCopy } from '../../flows/handoff/handoff.copy.ts';
import { renderSmsText } from '../../src/messaging/sms-render.ts';
import { AppHarness } from '../support/app-harness.ts';
import { consoleSessions } from '../support/console-sign-in.ts';
import { readEvents } from '../support/event-stream.ts';

const HAI_CHAU = '20242';
const SON_TRA = '20263';
const LEADER_A = '+84905810001';
const MEMBER_A = '+84905810002';
const MEMBER_B = '+84905810003';
const CITIZEN = '+84905819001';
const sms = (text: string) => renderSmsText({ text }, 'gsm7');

describe('the console Inbox: role filtering, take / reply / close through the desk, live events', () => {
  let h: AppHarness;
  let s: ReturnType<typeof consoleSessions>;
  let cookies: { staff: string; leaderA: string; memberA: string; memberB: string };
  let everyTeam: number;
  let sonTra: number;

  beforeAll(async () => {
    h = await AppHarness.start();
    s = consoleSessions(h);
    const a = (await h.admin('POST', '/api/v1/admin/teams', { name: 'Tổ A', wardCode: HAI_CHAU })).json();
    const b = (await h.admin('POST', '/api/v1/admin/teams', { name: 'Tổ B', wardCode: SON_TRA })).json();
    await h.say(LEADER_A, `TNV ${a.inviteCode}`);
    await h.say(MEMBER_A, `TNV ${a.inviteCode}`);
    await h.say(MEMBER_B, `TNV ${b.inviteCode}`);
    // A citizen without an account: every team is told. Another hand-off only Son Tra's teams are told about.
    await h.say(CITIZEN, 'GAP tôi cần giúp đăng ký');
    everyTeam = (await h.services.handoffs.list({ status: 'open' }))[0]?.id ?? 0;
    const opened = await h.services.handoffs.open(
      {
        chat: { channel: 'twilio-sms', address: '+84905819002' },
        citizenId: null,
        wardCode: SON_TRA,
        reason: 'asked',
        firstMessage: 'chỉ Sơn Trà',
        ref: 'inbox-test-son-tra',
      },
      new Date(),
    );
    sonTra = opened.handoff.id;
    cookies = {
      staff: await s.staff(),
      leaderA: await s.member(LEADER_A),
      memberA: await s.member(MEMBER_A),
      memberB: await s.member(MEMBER_B),
    };
  });
  afterAll(async () => {
    await h?.stop();
  });

  const get = (url: string, cookie: string) => h.app.inject({ method: 'GET', url, headers: { cookie } });
  const csrfOf = async (cookie: string) =>
    /name="_csrf" value="([^"]+)"/.exec((await get('/console/inbox', cookie)).body)?.[1] ?? '';
  const act = async (cookie: string, url: string, form: Record<string, string> = {}) =>
    s.post(url, { _csrf: await csrfOf(cookie), ...form }, { cookie });

  it('lists for staff every open hand-off, for a team those it was told about; another ward’s is 403', async () => {
    const staff = await get('/console/inbox', cookies.staff);
    expect(staff.statusCode).toBe(200);
    expect(staff.headers['cache-control']).toBe('no-store');
    expect(staff.body).toContain(`href="/console/inbox/${everyTeam}"`);
    expect(staff.body).toContain(`href="/console/inbox/${sonTra}"`);
    expect(staff.body).toContain('SMS · 0905***001');

    const teamA = await get('/console/inbox', cookies.memberA);
    expect(teamA.body).toContain(`href="/console/inbox/${everyTeam}"`);
    expect(teamA.body).not.toContain(`href="/console/inbox/${sonTra}"`);
    const teamB = await get('/console/inbox', cookies.memberB);
    expect(teamB.body).toContain(`href="/console/inbox/${sonTra}"`);

    const denied = await get(`/console/inbox/${sonTra}`, cookies.memberA);
    expect(denied.statusCode).toBe(403);
    expect(denied.body).not.toContain('chỉ Sơn Trà');
    for (const action of ['take', 'reply', 'close']) {
      const refused = await act(cookies.memberA, `/console/inbox/${sonTra}/${action}`, { text: 'x' });
      expect(refused.statusCode, action).toBe(403);
    }
    expect((await h.services.handoffs.findById(sonTra))?.status).toBe('open');
    const thread = await get(`/console/inbox/${sonTra}`, cookies.memberB);
    expect(thread.statusCode).toBe(200);
    expect(thread.headers['cache-control']).toBe('no-store');
    expect(thread.body).toContain('chỉ Sơn Trà');
    expect((await get('/console/inbox/999999', cookies.staff)).statusCode).toBe(404);
    expect((await get('/console/inbox/abc', cookies.staff)).statusCode).toBe(404);
  });

  it('refuses a take without the CSRF token, or from another site', async () => {
    const url = `/console/inbox/${everyTeam}/take`;
    expect((await s.post(url, {}, { cookie: cookies.memberA })).statusCode).toBe(403);
    const crossSite = await s.post(
      url,
      { _csrf: await csrfOf(cookies.memberA) },
      { cookie: cookies.memberA, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.statusCode).toBe(403);
    // Staff do not take hand-offs (they answer them as staff).
    expect((await act(cookies.staff, url)).statusCode).toBe(403);
    expect((await h.services.handoffs.findById(everyTeam))?.status).toBe('open');
  });

  it('lets one of two volunteers taking at once have it; the other sees who has it', async () => {
    const url = `/console/inbox/${everyTeam}/take`;
    const [csrfLeader, csrfMember] = [await csrfOf(cookies.leaderA), await csrfOf(cookies.memberA)];
    const before = h.inbox(CITIZEN).length;
    const [one, two] = await Promise.all([
      s.post(url, { _csrf: csrfLeader }, { cookie: cookies.leaderA }),
      s.post(url, { _csrf: csrfMember }, { cookie: cookies.memberA }),
    ]);
    const locations = [one.headers.location, two.headers.location].sort();
    expect(locations).toEqual([
      `/console/inbox/${everyTeam}?done=taken`,
      `/console/inbox/${everyTeam}?error=held_by_other`,
    ]);
    const winner = one.headers.location?.endsWith('done=taken') ? 'leaderA' : 'memberA';
    const loser = winner === 'leaderA' ? 'memberA' : 'leaderA';
    const winnerPhone = winner === 'leaderA' ? LEADER_A : MEMBER_A;
    const handoff = await h.services.handoffs.findById(everyTeam);
    expect(handoff?.status).toBe('held');
    expect(handoff?.holder?.chat).toEqual({ channel: 'twilio-sms', address: winnerPhone });

    const seen = await get(`/console/inbox/${everyTeam}?error=held_by_other`, cookies[loser]);
    expect(seen.body).toContain('Yêu cầu này đã có người khác nhận.');
    expect(seen.body).toContain(
      `Người nhận: Tổ A, ${winnerPhone.replace('+84', '0').slice(0, 4)}***${winnerPhone.slice(-3)}`,
    );
    expect(seen.body).not.toContain('action="/console/inbox/');
    const mine = await get(`/console/inbox/${everyTeam}`, cookies[winner]);
    expect(mine.body).toContain('Người nhận: bạn');
    expect(mine.body).toContain(`action="/console/inbox/${everyTeam}/reply"`);
    // The citizen is told once.
    expect((await h.waitForInbox(CITIZEN, before + 1)).slice(before)).toEqual([
      sms(handoffCopy.vi.taken(everyTeam)),
    ]);

    // The one who lost may neither answer nor close it.
    const notHolder = await act(cookies[loser], `/console/inbox/${everyTeam}/reply`, { text: 'chen ngang' });
    expect(notHolder.headers.location).toBe(`/console/inbox/${everyTeam}?error=not_holder`);
    const notHolderClose = await act(cookies[loser], `/console/inbox/${everyTeam}/close`);
    expect(notHolderClose.headers.location).toBe(`/console/inbox/${everyTeam}?error=not_holder`);
    expect((await h.services.handoffs.findById(everyTeam))?.status).toBe('held');
  });

  it('sends the holder’s reply to the citizen’s channel once per form, staff replies too, and closing tells the citizen', async () => {
    const handoff = await h.services.handoffs.findById(everyTeam);
    const holder = handoff?.holder?.chat.address === LEADER_A ? cookies.leaderA : cookies.memberA;
    const before = h.inbox(CITIZEN).length;
    const form = /name="ref" value="([^"]+)"/.exec(
      (await get(`/console/inbox/${everyTeam}`, holder)).body,
    )?.[1];
    expect(form).toMatch(/^[0-9a-f-]{36}$/);
    const csrf = await csrfOf(holder);
    for (let i = 0; i < 2; i += 1) {
      const sent = await s.post(
        `/console/inbox/${everyTeam}/reply`,
        { _csrf: csrf, ref: form ?? '', text: 'Chào bạn, mình giúp bạn đăng ký nhé.' },
        { cookie: holder },
      );
      expect(sent.headers.location).toBe(`/console/inbox/${everyTeam}?done=sent`);
    }
    const staffReply = await act(cookies.staff, `/console/inbox/${everyTeam}/reply`, { text: 'Cán bộ đây.' });
    expect(staffReply.headers.location).toBe(`/console/inbox/${everyTeam}?done=sent`);
    expect((await h.waitForInbox(CITIZEN, before + 2)).slice(before)).toEqual([
      'Chao ban, minh giup ban dang ky nhe.',
      'Can bo day.',
    ]);
    const thread = await h.services.handoffs.thread(everyTeam);
    expect(thread.filter((m) => m.author === 'volunteer').map((m) => m.text)).toEqual([
      'Chào bạn, mình giúp bạn đăng ký nhé.',
    ]);
    expect(thread.filter((m) => m.author === 'staff')).toHaveLength(1);
    const page = await get(`/console/inbox/${everyTeam}`, holder);
    expect(page.body).toContain('Chào bạn, mình giúp bạn đăng ký nhé.');
    expect(page.body).toContain('Tình nguyện viên');
    const empty = await act(holder, `/console/inbox/${everyTeam}/reply`, { text: '   ' });
    expect(empty.headers.location).toBe(`/console/inbox/${everyTeam}?error=empty`);

    const closed = await act(holder, `/console/inbox/${everyTeam}/close`);
    expect(closed.headers.location).toBe(`/console/inbox/${everyTeam}?done=closed`);
    expect((await h.services.handoffs.findById(everyTeam))?.closedBy).toBe('volunteer');
    expect((await h.waitForInbox(CITIZEN, before + 3)).slice(before + 2)).toEqual([
      sms(handoffCopy.vi.closedForCitizen(everyTeam)),
    ]);
    expect((await get('/console/inbox', holder)).body).not.toContain(`href="/console/inbox/${everyTeam}"`);
    const late = await act(cookies.staff, `/console/inbox/${everyTeam}/reply`, { text: 'muộn' });
    expect(late.headers.location).toBe(`/console/inbox/${everyTeam}?error=closed`);
    // Thread text is never logged.
    await h.waitForIdle();
    expect(h.logLines.join('\n')).not.toContain('giúp bạn đăng ký');
  });

  it('tells open pages by server-sent events which hand-off changed (id and kind only), each role what it sees', async () => {
    const url = `${h.baseUrl}/console/inbox/events`;
    let opened = 0;
    const open = async (ref: string) => {
      const outcome = await h.services.handoffDesk.open({
        chat: { channel: 'twilio-sms', address: `+8490581${ref.slice(-4)}` },
        citizenId: null,
        phone: null,
        reason: 'asked',
        firstMessage: 'bí mật của tôi',
        ref,
        at: new Date(),
      });
      opened = outcome.handoff.id;
    };
    const events = await readEvents(
      url,
      cookies.memberB,
      (text) => text.includes('"kind":"opened"'),
      () => open('sse-9101'),
    );
    expect(events.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(events.headers.get('cache-control')).toBe('no-store');
    expect(events.text).toContain(`event: handoff\ndata: {"id":${opened},"kind":"opened"}\n\n`);
    expect(events.text).not.toContain('bí mật');

    // Team A is not told of a change to Son Tra's hand-off; team B and staff are.
    const change = () =>
      h.services.handoffDesk.answer(sonTra, { author: 'staff' }, 'riêng', 'sse-x', new Date());
    const [a, b, staff] = await Promise.all([
      readEvents(url, cookies.memberA, () => false, change, 1_500),
      readEvents(
        url,
        cookies.memberB,
        (t) => t.includes(`"id":${sonTra}`),
        async () => {},
        3_000,
      ),
      readEvents(
        url,
        cookies.staff,
        (t) => t.includes(`"id":${sonTra}`),
        async () => {},
        3_000,
      ),
    ]);
    expect(a.text).not.toContain(`"id":${sonTra}`);
    expect(b.text).toContain(`data: {"id":${sonTra},"kind":"message"}`);
    expect(staff.text).toContain(`data: {"id":${sonTra},"kind":"message"}`);

    // Signed out, an open stream ends at the next change, without telling it.
    const extra = await s.member(MEMBER_B);
    const ended = await readEvents(
      url,
      extra,
      () => false,
      async () => {
        expect((await act(extra, '/console/sign-out')).statusCode).toBe(303);
        await h.services.handoffDesk.answer(sonTra, { author: 'staff' }, 'sau', 'sse-y', new Date());
      },
      4_000,
    );
    expect(ended.text).not.toContain('event: handoff');
    expect(ended.ended).toBe(true);

    // Without a session: no stream.
    const anonymous = await fetch(url, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
  });
});
