import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistedCopy } from '../../flows/assisted/assisted.copy.ts';
import { registrationCopy } from '../../flows/registration/registration.copy.ts';
import { wards } from '../../src/domain/wards/wards.ts';
import { ADMIN_TOKEN, AppHarness } from '../support/app-harness.ts';
import { consoleCookieOf, postConsoleForm, signInConsoleMember } from '../support/console-sign-in.ts';

const WARD = wards[0] ?? { code: '', name: '' };
const LEADER = '+84905810001';
const MEMBER = '+84905810002';
const OTHER_MEMBER = '+84905810003';
const STRANGER_LEADER = '+84905810009';
/** People of data/population-sample.csv. */
const AN = { fullName: 'Nguyễn Văn An', cccd: '048090001234', dateOfBirth: '15/02/1990' };
const BINH = { fullName: 'Trần Thị Bình', cccd: '048185000321', dateOfBirth: '03/07/1985' };
const CHAU = { fullName: 'Lê Minh Châu', cccd: '048201000777', dateOfBirth: '20/11/2001' };
const DUNG = { fullName: 'Phạm Văn Dũng', cccd: '048070004567', dateOfBirth: '01/01/1970' };
const CHI = { fullName: 'Đỗ Hoài Chi', cccd: '048174555806', dateOfBirth: '27/02/1974' };
const GIANG = { fullName: 'Hoàng Bảo Giang', cccd: '048199574878', dateOfBirth: '26/01/1999' };

/** Text as the page escapes it. */
const escaped = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

describe('the console: Register a neighbour', () => {
  let h: AppHarness;
  let team: { id: string; inviteCode: string };
  let leader = '';
  let member = '';
  let otherMember = '';
  let strangerLeader = '';

  beforeAll(async () => {
    h = await AppHarness.start();
    team = (
      await h.admin('POST', '/api/v1/admin/teams', { name: 'Tổ Đăng ký hộ', wardCode: WARD.code })
    ).json();
    const other = (
      await h.admin('POST', '/api/v1/admin/teams', { name: 'Tổ khác', wardCode: WARD.code })
    ).json();
    await h.say(LEADER, `TNV ${team.inviteCode}`);
    await h.say(MEMBER, `TNV ${team.inviteCode}`);
    await h.say(OTHER_MEMBER, `TNV ${team.inviteCode}`);
    await h.say(STRANGER_LEADER, `TNV ${other.inviteCode}`);
    leader = await signInConsoleMember(h, LEADER);
    member = await signInConsoleMember(h, MEMBER);
    otherMember = await signInConsoleMember(h, OTHER_MEMBER);
    strangerLeader = await signInConsoleMember(h, STRANGER_LEADER);
  });
  afterAll(async () => {
    await h?.stop();
  });

  const get = (url: string, cookie: string) => h.app.inject({ method: 'GET', url, headers: { cookie } });
  const csrfOf = async (cookie: string) =>
    /name="_csrf" value="([^"]+)"/.exec((await get('/console/register', cookie)).body)?.[1] ?? '';
  const form = async (cookie: string, fields: Record<string, string>) =>
    postConsoleForm(h, '/console/register', { _csrf: await csrfOf(cookie), ...fields }, cookie);
  /** Fills the form and confirms its summary; resolves the send's response. */
  async function send(cookie: string, phone: string, person: typeof AN) {
    const summary = await form(cookie, { phone, ...person });
    expect(summary.statusCode, summary.body).toBe(200);
    const ref = /name="ref" value="([^"]+)"/.exec(summary.body)?.[1] ?? '';
    const fields = Object.fromEntries(
      [...summary.body.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)]
        .slice(0, 6)
        .map((m) => [m[1] ?? '', (m[2] ?? '').replace(/&#39;/g, "'")]),
    );
    return {
      ref,
      response: await postConsoleForm(h, '/console/register/send', { ...fields, ref }, cookie),
      fields,
    };
  }
  const codeIn = async (phone: string) => {
    const texts = await h.waitForInbox(phone, 2);
    return /\b(\d{6})\b/.exec(texts.join('\n'))?.[1] ?? '';
  };

  it('is for team members: staff are told so (403), and may not post the form', async () => {
    const signedIn = await postConsoleForm(h, '/console/sign-in/staff', { token: ADMIN_TOKEN });
    const staff = consoleCookieOf(signedIn.headers['set-cookie']);
    const page = await get('/console/register', staff);
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain('Dành cho thành viên tổ');
    expect(page.body).not.toContain('action="/console/register"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const posted = await postConsoleForm(
      h,
      '/console/register',
      { _csrf: csrf, phone: '0905820001', ...AN },
      staff,
    );
    expect(posted.statusCode).toBe(403);

    const mine = await get('/console/register', member);
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('href="/console/register" aria-current="page"');
    const english = await get('/console/register?lang=en', member);
    expect(english.body).toContain('<h1>Register a neighbour</h1>');
    expect([english.headers['set-cookie']].flat().join()).toContain('dcz_console_lang=en; Path=/console');
    expect((await get('/console/register', `${member}; dcz_console_lang=en`)).body).toContain(
      '<h1>Register a neighbour</h1>',
    );
  });

  it('checks every field with DKH’s parsers and hints, keeping what was typed', async () => {
    const bad = await form(member, {
      phone: '12345',
      fullName: 'Nguyen 1',
      cccd: '123',
      dateOfBirth: '31/02/1990',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain(escaped(assistedCopy.vi.phoneInvalid()));
    expect(bad.body).toContain(escaped(registrationCopy.vi.nameCharacters()));
    expect(bad.body).toContain(escaped(registrationCopy.vi.cccdFormat()));
    expect(bad.body).toContain(escaped(registrationCopy.vi.dateInvalid()));
    expect(bad.body).toContain('value="Nguyen 1"');
    expect(bad.body).toContain('aria-invalid="true"');

    const own = await form(member, { phone: '0905 810 002', ...AN, dateOfBirth: '15/02/1985' });
    expect(own.statusCode).toBe(400);
    expect(own.body).toContain(escaped(assistedCopy.vi.ownPhone()));
    expect(own.body).toContain(escaped(registrationCopy.vi.dateMismatch(1990)));

    const en = await postConsoleForm(
      h,
      '/console/register?lang=en',
      {
        _csrf: await csrfOf(member),
        phone: '0905820001',
        fullName: '',
        cccd: '048090001234',
        dateOfBirth: '',
      },
      member,
    );
    expect(en.body).toContain(escaped(registrationCopy.en.nameEmpty()));
    expect(en.body).toContain(escaped(registrationCopy.en.dateFormat()));
  });

  it('refuses the forms without their CSRF token, and sends nothing', async () => {
    const phone = '+84905820009';
    expect((await postConsoleForm(h, '/console/register', { phone, ...AN }, member)).statusCode).toBe(403);
    const noToken = await postConsoleForm(
      h,
      '/console/register/send',
      { phone, ...AN, ref: '6f1d2d52-7c59-4a55-9a57-2a8f7ad1e3b1' },
      member,
    );
    expect(noToken.statusCode).toBe(403);
    const crossSite = await h.app.inject({
      method: 'POST',
      url: '/console/register/send',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: member,
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      },
      payload: new URLSearchParams({ _csrf: await csrfOf(member), phone, ...AN }).toString(),
    });
    expect(crossSite.statusCode).toBe(403);
    await h.waitForIdle();
    expect(h.inbox(phone)).toEqual([]);
  });

  it('sends the consent SMS through DKH once per summary; the request is the member’s and their leader’s to see', async () => {
    const phone = '+84905820001';
    const { ref, response, fields } = await send(member, phone, AN);
    expect(response.statusCode).toBe(303);
    const location = response.headers.location ?? '';
    expect(location).toMatch(/^\/console\/register\/[0-9a-f-]{36}$/);
    expect(await codeIn(phone)).toMatch(/^\d{6}$/);
    const again = await postConsoleForm(h, '/console/register/send', { ...fields, ref }, member);
    expect(again.headers.location).toBe(location);
    await h.waitForIdle();
    expect(h.inbox(phone)).toHaveLength(2);

    const page = await get(location, member);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('+84******001');
    expect(page.body).toContain('data-status="pending"');
    expect(page.body).toContain('Còn 15 phút');
    expect(page.body).toContain(`action="${location}/code"`);
    expect(page.body).toContain('src="/console/assets/register.js"');
    expect(page.body).not.toContain('Nguyễn Văn An');

    const byLeader = await get(location, leader);
    expect(byLeader.statusCode).toBe(200);
    expect(byLeader.body).not.toContain(`action="${location}/code"`);
    expect((await get(location, otherMember)).statusCode).toBe(404);
    expect((await get(location, strangerLeader)).statusCode).toBe(404);
    expect((await get(`${location}/wait?status=x`, otherMember)).statusCode).toBe(404);
    const typedByLeader = await postConsoleForm(
      h,
      `${location}/code`,
      { _csrf: await csrfOf(leader), code: '000000' },
      leader,
    );
    expect(typedByLeader.statusCode).toBe(404);
  });

  it('takes the code the neighbour reads out: a wrong one counts, the right one opens the account with registeredBy', async () => {
    const phone = '+84905820002';
    const { response } = await send(member, phone, BINH);
    const location = response.headers.location ?? '';
    const code = await codeIn(phone);
    const csrf = await csrfOf(member);
    const wrong = await postConsoleForm(
      h,
      `${location}/code`,
      { _csrf: csrf, code: code === '111111' ? '222222' : '111111' },
      member,
    );
    expect(wrong.headers.location).toBe(`${location}?wrong=4`);
    expect((await get(wrong.headers.location ?? '', member)).body).toContain(
      escaped(assistedCopy.vi.wrongCode(4)),
    );
    expect((await postConsoleForm(h, `${location}/code`, { code }, member)).statusCode).toBe(403);

    const right = await postConsoleForm(h, `${location}/code`, { _csrf: csrf, code }, member);
    expect(right.headers.location).toBe(location);
    const citizen = await h.services.citizens.findByPhone(phone);
    const requestId = location.split('/').pop() ?? '';
    expect(citizen?.registeredBy?.teamId).toBe(team.id);
    const membership = await h.services.teams.membershipOf(MEMBER);
    expect(citizen?.registeredBy?.memberId).toBe(membership?.member.id);
    const opened = await get(location, member);
    expect(opened.body).toContain('data-status="opened"');
    expect(opened.body).toContain(
      `Đã mở tài khoản ${citizen?.accountCode.slice(0, 4)}-${citizen?.accountCode.slice(4)}`,
    );
    expect(opened.body).toContain('+84******002');
    const status = await get(`${location}/wait?status=pending`, member);
    expect(status.json()).toEqual({ status: 'opened' });
    const { rows } = await h.services.db.query<{ actor: string; action: string; member: string }>(
      `SELECT actor, action, details->>'memberId' AS member FROM audit_log
        WHERE details->>'requestId' = $1 ORDER BY id`,
      [requestId],
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.actor === 'volunteer' && r.member === membership?.member.id)).toBe(true);
    // The welcome SMS reached the neighbour; the member's chat was told too.
    await h.waitForInbox(phone, 3);

    // Now the phone and the CCCD are taken: DKH's answers, nothing more.
    const takenPhone = await send(member, phone, CHAU);
    expect(takenPhone.response.statusCode).toBe(409);
    expect(takenPhone.response.body).toContain(escaped(assistedCopy.vi.phoneHasAccount()));
    const takenCccd = await send(member, '+84905820003', BINH);
    expect(takenCccd.response.statusCode).toBe(409);
    expect(takenCccd.response.body).toContain(escaped(assistedCopy.vi.cccdTaken()));
  });

  it('holds the status request while the request waits, and answers as soon as the neighbour replies CO', async () => {
    const phone = '+84905820005';
    const { response } = await send(member, phone, CHI);
    const location = response.headers.location ?? '';
    await codeIn(phone);
    const started = Date.now();
    const waiting = get(`${location}/wait?status=pending`, member);
    await new Promise((done) => setTimeout(done, 1500));
    await h.say(phone, 'CO');
    const answer = await waiting;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(['consented', 'opened']).toContain(answer.json().status);
    expect(answer.headers['cache-control']).toBe('no-store');
    const script = await h.app.inject({ method: 'GET', url: '/console/assets/register.js' });
    expect(script.headers['content-type']).toContain('text/javascript');
    expect(script.body).toContain('dataset.wait');
  });

  it('keeps DKH’s limit of 3 requests waiting per member', async () => {
    const people = [CHAU, DUNG, GIANG];
    for (const [index, person] of people.entries()) {
      const { response } = await send(otherMember, `+8490583000${index}`, person);
      expect(response.statusCode).toBe(303);
    }
    const fourth = await send(otherMember, '+84905830009', AN);
    expect(fourth.response.statusCode).toBe(429);
    expect(fourth.response.body).toContain(escaped(assistedCopy.vi.tooManyPending(3)));
  });
});
