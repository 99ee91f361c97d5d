import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttp } from '../../src/app/http.ts';
import { wards } from '../../src/domain/wards/wards.ts';
import { JobSchemas } from '../../src/queues/queues.ts';
import { AppHarness } from '../support/app-harness.ts';
import { injectMemberSession, injectStaffSession, teamWithMembers } from '../support/console-session.ts';

const QUEUE_NAMES = Object.keys(JobSchemas).sort();
const LEADER = '+84905750001';
const MEMBER = '+84905750002';
const WARD = wards[0]?.code ?? '';

/** The `XSRF-TOKEN` cookie the board's page sets (the session's CSRF token), or ''. */
const xsrfOf = (setCookie: string | string[] | undefined) =>
  /^XSRF-TOKEN=([^;]*)/.exec([setCookie ?? []].flat().find((c) => c.startsWith('XSRF-TOKEN=')) ?? '')?.[1] ??
  '';

describe('the console’s Queues page (bull-board, staff only)', () => {
  let h: AppHarness;
  let staff: string;
  let leader: string;
  let member: string;

  beforeAll(async () => {
    h = await AppHarness.start();
    await teamWithMembers(h, 'Tổ Hàng đợi', WARD, [LEADER, MEMBER]);
    staff = await injectStaffSession(h);
    leader = await injectMemberSession(h, LEADER);
    member = await injectMemberSession(h, MEMBER);
  });
  afterAll(async () => {
    await h?.stop();
  });

  const get = (url: string, cookie = '') =>
    h.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

  it('declares every route the board registers (pages, API, static files) as the console’s, for staff only', async () => {
    const app = buildHttp(h.services);
    const routes: RouteOptions[] = [];
    app.addHook('onRoute', (route: RouteOptions) => {
      routes.push(route);
    });
    await app.ready();
    const board = routes.filter((r) => r.url.startsWith('/console/queues'));
    const lines = board.flatMap((r) => [r.method].flat().map((m) => `${m} ${r.url}`));
    const expected = [
      'GET /console/queues/',
      'GET /console/queues/queue/:queueName',
      'GET /console/queues/api/queues',
      'PUT /console/queues/api/queues/:queueName/pause',
      'PUT /console/queues/api/queues/:queueName/retry/:queueStatus',
      'GET /console/queues/static/*',
    ];
    expect(expected.filter((line) => !lines.includes(line))).toEqual([]);
    for (const route of board) {
      expect(route.config, `${route.method} ${route.url}`).toMatchObject({
        access: 'console',
        consoleRoles: ['staff'],
      });
    }
    await app.close();
  });

  it('shows staff the board, with its assets from this origin only and its own CSP', async () => {
    const page = await get('/console/queues', staff);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('<base href="/console/queues/"');
    expect(page.body).not.toMatch(/https?:\/\//);
    expect(xsrfOf(page.headers['set-cookie'])).toMatch(/^\S{16,}$/);
    expect(page.headers['set-cookie']).toEqual(expect.stringContaining('SameSite=Strict'));
    for (const src of page.body.matchAll(/(?:src|href)="(static\/[^"]+)"/g)) {
      const asset = await get(`/console/queues/${src[1]}`, staff);
      expect(asset.statusCode, src[1]).toBe(200);
    }
    // Its other pages are the same application.
    expect((await get('/console/queues/queue/verify', staff)).statusCode).toBe(200);
  });

  it('lists the service’s queues in the board’s API', async () => {
    const response = await get('/console/queues/api/queues', staff);
    expect(response.statusCode).toBe(200);
    const names = (response.json() as { queues: { name: string }[] }).queues.map((q) => q.name).sort();
    expect(names).toEqual(QUEUE_NAMES);
  });

  it('refuses leaders and members with the console’s 403 page, and its API with 403', async () => {
    for (const cookie of [leader, member]) {
      const page = await get('/console/queues', cookie);
      expect(page.statusCode).toBe(403);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.body).toContain('chỉ dành cho cán bộ thành phố');
      expect(page.headers['content-security-policy']).toContain("style-src 'self';");
      expect(page.body).not.toContain('href="/console/queues"');
      expect((await get('/console/queues/api/queues', cookie)).statusCode).toBe(403);
      expect((await get('/console/queues/static/images/logo.svg', cookie)).statusCode).toBe(403);
    }
  });

  it('sends a browser without a session to the sign-in page, and refuses its API and actions', async () => {
    const page = await get('/console/queues');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/console/sign-in');
    expect((await get('/console/queues/static/images/logo.svg')).statusCode).toBe(303);
    const pause = await h.app.inject({ method: 'PUT', url: '/console/queues/api/queues/maintenance/pause' });
    expect(pause.statusCode).toBe(401);
  });

  it('refuses the board’s actions without the session’s CSRF token, and does them with it', async () => {
    const token = xsrfOf((await get('/console/queues', staff)).headers['set-cookie']);
    const pause = (headers: Record<string, string>) =>
      h.app.inject({ method: 'PUT', url: '/console/queues/api/queues/maintenance/pause', headers });
    expect((await pause({ cookie: staff })).statusCode).toBe(403);
    expect((await pause({ cookie: staff, 'x-xsrf-token': 'wrong' })).statusCode).toBe(403);
    expect((await pause({ cookie: member, 'x-xsrf-token': token })).statusCode).toBe(403);
    expect(await h.services.queues.maintenance.isPaused()).toBe(false);
    // From another site, even with the token.
    expect(
      (await pause({ cookie: staff, 'x-xsrf-token': token, 'sec-fetch-site': 'cross-site' })).statusCode,
    ).toBe(403);
    expect((await pause({ cookie: staff, 'x-xsrf-token': token })).statusCode).toBe(200);
    expect(await h.services.queues.maintenance.isPaused()).toBe(true);
    const resume = await h.app.inject({
      method: 'PUT',
      url: '/console/queues/api/queues/maintenance/resume',
      headers: { cookie: staff, 'x-csrf-token': token },
    });
    expect(resume.statusCode).toBe(200);
    expect(await h.services.queues.maintenance.isPaused()).toBe(false);
  });

  it('refuses the actions that would destroy the pipeline (empty, obliterate, clean waiting, add…) and keeps retry and promote', async () => {
    const token = xsrfOf((await get('/console/queues', staff)).headers['set-cookie']);
    const act = (method: 'PUT' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
      h.app.inject({
        method,
        url: `/console/queues/api/queues/${url}`,
        headers: { cookie: staff, 'x-xsrf-token': token, 'content-type': 'application/json' },
        payload: JSON.stringify(payload ?? {}),
      });
    const queue = h.services.queues.maintenance;
    const waiting = await queue.add('board-test', {} as never, { delay: 3_600_000 });
    const refused = [
      act('PUT', 'maintenance/empty'),
      act('PUT', 'maintenance/obliterate'),
      act('PUT', 'maintenance/clean/delayed'),
      act('PUT', 'maintenance/clean/waiting'),
      act('PUT', 'maintenance/retry/completed'),
      act('PUT', `maintenance/${waiting.id}/clean`),
      act('POST', 'maintenance/add', { name: 'x', data: {} }),
      act('PATCH', `maintenance/${waiting.id}/update-data`, { jobData: {} }),
      act('PUT', 'maintenance/concurrency', { concurrency: 1 }),
    ];
    for (const response of await Promise.all(refused)) {
      expect(response.statusCode, response.body).toBe(403);
      expect(response.json()).toMatchObject({ error: expect.stringContaining('refuses') });
    }
    expect(await queue.getJob(String(waiting.id))).toBeDefined();
    expect(await queue.getDelayedCount()).toBeGreaterThan(0);
    // Retrying failed jobs, cleaning completed ones and promoting delayed ones stay possible.
    expect((await act('PUT', 'maintenance/retry/failed')).statusCode).toBe(200);
    expect((await act('PUT', 'maintenance/clean/completed')).statusCode).toBe(200);
    expect((await act('PUT', `maintenance/${waiting.id}/promote`)).statusCode).toBe(204);
    await queue.remove(String(waiting.id));
  });

  it('puts the script and styles that name its icon buttons in its page, served to staff only', async () => {
    const page = await get('/console/queues', staff);
    expect(page.body).toContain('<script defer src="/console/queues/console-a11y.js"></script></body>');
    expect(page.body).toContain('<link href="/console/queues/console-a11y.css" rel="stylesheet">');
    const script = await get('/console/queues/console-a11y.js', staff);
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.body).toContain('MutationObserver');
    expect((await get('/console/queues/console-a11y.css', staff)).headers['content-type']).toMatch(
      /^text\/css/,
    );
    expect((await get('/console/queues/console-a11y.js', member)).statusCode).toBe(403);
  });

  it('is in the navigation of staff only', async () => {
    expect((await get('/console', staff)).body).toContain('href="/console/queues"');
    expect((await get('/console', leader)).body).not.toContain('href="/console/queues"');
  });
});
