import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatsFilter } from '../../src/domain/stats/campaign-stats.ts';
import { parseStatsFilter } from '../../src/domain/stats/stats-filter.ts';
import { readStatsTable, STATS_TABLE_NAMES } from '../../src/domain/stats/stats-tables.ts';
import { findWard, wards } from '../../src/domain/wards/wards.ts';
import { dashboardCopy } from '../../src/http/console/dashboard.copy.ts';
import { toCsv } from '../../src/shared/csv.ts';
import { vietnamDates } from '../../src/shared/vietnam-time.ts';
import { AppHarness } from '../support/app-harness.ts';
import {
  injectMemberSession,
  injectStaffSession,
  openAccount,
  openHandoff,
  teamWithMembers,
} from '../support/console-session.ts';

const WARD_A = wards[0] ?? { code: '', name: '' };
const WARD_B = wards[1] ?? { code: '', name: '' };
const c = dashboardCopy.vi;

/** The text of every cell of the table `id` in a page, row by row (the header row left out). */
function tableRows(page: string, id: string): string[][] {
  const table = new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`).exec(page)?.[1] ?? '';
  const body = /<tbody>([\s\S]*)<\/tbody>/.exec(table)?.[1] ?? '';
  const decode = (text: string) =>
    text
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => decode(cell[1] ?? '')),
  );
}

const wardName = (code: string | null) =>
  code === null ? c.unknownWardName : (findWard(code)?.name ?? code);

describe('the console’s Dashboard', () => {
  let h: AppHarness;
  let staff: string;
  let teamA: Awaited<ReturnType<typeof teamWithMembers>>;
  let teamB: Awaited<ReturnType<typeof teamWithMembers>>;

  beforeAll(async () => {
    h = await AppHarness.start();
    teamA = await teamWithMembers(h, 'Tổ An <Hòa>', WARD_A.code, ['+84905740001', '+84905740002']);
    teamB = await teamWithMembers(h, 'Tổ Bình', WARD_B.code, ['+84905740003']);
    const [a1, a2] = teamA.members;
    const [b1] = teamB.members;
    if (!a1 || !a2 || !b1) throw new Error('members');
    await openAccount(h, 'twilio-sms', a1, 'verified');
    await openAccount(h, 'twilio-sms', a2, 'full_name');
    await openAccount(h, 'zalo-oa', a1);
    await openAccount(h, 'twilio-sms', b1, 'verified');
    await openAccount(h, 'telegram', null, 'verified');
    await openAccount(h, 'telegram', null, 'cccd');
    await openHandoff(h, WARD_A.code, { by: a1, seconds: 90 });
    await openHandoff(h, WARD_A.code);
    await openHandoff(h, WARD_B.code, { by: b1, seconds: 30 });
    staff = await injectStaffSession(h);
  });
  afterAll(async () => {
    await h?.stop();
  });

  const get = (url: string, cookie: string) => h.app.inject({ method: 'GET', url, headers: { cookie } });
  const filterOf = (query: { from?: string; to?: string; ward?: string } = {}): StatsFilter => {
    const parsed = parseStatsFilter(query, new Date());
    if (parsed.type !== 'ok') throw new Error(parsed.type);
    return parsed.filter;
  };

  /** A day as the page shows it: dd/mm/yyyy (the CSV keeps YYYY-MM-DD). */
  const shown = (day: unknown) => vietnamDates.isoDate(String(day));

  /** What the page's table `name` should show: the port's rows, as the page writes them. */
  async function expectedRows(name: (typeof STATS_TABLE_NAMES)[number], filter: StatsFilter) {
    const { rows } = await readStatsTable(h.services.campaignStats, name, filter);
    const show: Record<(typeof STATS_TABLE_NAMES)[number], (r: Record<string, unknown>) => unknown[]> = {
      'registrations-by-channel': (r) => [shown(r.day), r.channel, r.registrations],
      'registrations-by-team': (r) => [
        shown(r.day),
        r.teamName,
        wardName(r.wardCode as string),
        r.registrations,
      ],
      'registrations-by-ward': (r) => [shown(r.day), wardName(r.wardCode as string | null), r.registrations],
      funnel: (r) => [c.stages[r.stage as 'started'], r.assisted, r.self, r.total],
      mismatches: (r) => [c.fields[r.field as 'cccd'], r.accounts],
      handoffs: (r) => [
        r.day === null ? c.total : shown(r.day),
        r.opened,
        r.answered,
        c.duration(r.medianSecondsToFirstAnswer as number | null),
        c.duration(r.averageSecondsToFirstAnswer as number | null),
      ],
      leaderboard: (r) => [
        r.rank,
        r.teamName,
        wardName(r.wardCode as string),
        r.members,
        r.registrations,
        r.verified,
        r.handoffsAnswered,
      ],
    };
    return (rows as Record<string, unknown>[]).map((r) => show[name](r).map(String));
  }

  it('shows every table with the port’s exact numbers, as a chart and a table with its CSV link', async () => {
    const page = await get('/console/dashboard', staff);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const filter = filterOf();
    for (const name of STATS_TABLE_NAMES) {
      expect(tableRows(page.body, `table-${name}`), name).toEqual(await expectedRows(name, filter));
      expect(page.body).toContain(
        `href="/console/dashboard/csv/${name}?from=${filter.from}&amp;to=${filter.to}"`,
      );
      if (name !== 'leaderboard')
        expect(page.body).toMatch(
          new RegExp(`<svg class="chart( days)?" role="img" aria-labelledby="chart-${name}-title`),
        );
    }
    // The figures the test made, read from the page.
    expect(tableRows(page.body, 'table-funnel')).toEqual([
      [c.stages.started, '0', '2', '2'],
      [c.stages.consent_given, '0', '2', '2'],
      [c.stages.account_opened, '0', '2', '2'],
      [c.stages.verified, '0', '1', '1'],
    ]);
    expect(tableRows(page.body, 'table-mismatches')).toEqual([
      [c.fields.cccd, '1'],
      [c.fields.full_name, '1'],
      [c.fields.date_of_birth, '0'],
    ]);
    expect(tableRows(page.body, 'table-leaderboard').map((r) => r.slice(0, 2).concat(r.slice(3)))).toEqual([
      ['1', 'Tổ An <Hòa>', '2', '3', '1', '1'],
      ['2', 'Tổ Bình', '1', '1', '1', '1'],
    ]);
    expect(page.body).toContain('Tổ An &lt;Hòa&gt;');
    const total = tableRows(page.body, 'table-handoffs').at(-1);
    expect(total).toEqual([c.total, '3', '2', c.duration(60), c.duration(60)]);
  });

  it('filters by period and ward, and says so when a date or ward is wrong (400)', async () => {
    const filter = filterOf({ ward: WARD_B.code });
    const page = await get(
      `/console/dashboard?ward=${WARD_B.code}&from=${filter.from}&to=${filter.to}`,
      staff,
    );
    expect(page.statusCode).toBe(200);
    for (const name of STATS_TABLE_NAMES) {
      expect(tableRows(page.body, `table-${name}`), name).toEqual(await expectedRows(name, filter));
    }
    expect(tableRows(page.body, 'table-leaderboard').map((r) => r[1])).toEqual(['Tổ Bình']);
    expect(page.body).toContain(`<option value="${WARD_B.code}" selected>`);
    // The language link keeps the period and the ward.
    expect(page.body).toContain(
      `<a href="/console/dashboard?ward=${WARD_B.code}&amp;from=${filter.from}&amp;to=${filter.to}&amp;lang=en" lang="en"`,
    );
    const switched = await get(
      `/console/dashboard?ward=${WARD_B.code}&from=${filter.from}&to=${filter.to}&lang=en`,
      staff,
    );
    expect(switched.body).toContain(
      `<a href="/console/dashboard?ward=${WARD_B.code}&amp;from=${filter.from}&amp;to=${filter.to}&amp;lang=vi" lang="vi"`,
    );
    expect(tableRows(switched.body, 'table-leaderboard').map((r) => r[1])).toEqual(['Tổ Bình']);

    const past = await get('/console/dashboard?from=2020-01-01&to=2020-01-31', staff);
    expect(tableRows(past.body, 'table-registrations-by-channel')).toEqual([[c.nothing]]);
    expect(tableRows(past.body, 'table-funnel').map((r) => r[3])).toEqual(['0', '0', '0', '0']);

    for (const query of ['from=2026-02-30', 'from=2026-11-02&to=2026-11-01', 'to=tomorrow']) {
      const bad = await get(`/console/dashboard?${query}`, staff);
      expect(bad.statusCode, query).toBe(400);
      expect(bad.body).toContain(`<p class="error" role="alert">${c.badDate}</p>`);
      expect(bad.body).not.toContain('<table');
    }
    const years = await get('/console/dashboard?from=2020-01-01&to=2026-12-31', staff);
    expect(years.statusCode).toBe(200);
    expect(years.body).toContain(c.tooManyDays(366));
    expect(years.body).not.toContain('class="chart days"');
    expect(tableRows(years.body, 'table-funnel')).toEqual(
      await expectedRows('funnel', filterOf({ from: '2020-01-01', to: '2026-12-31' })),
    );

    const english = await get('/console/dashboard?lang=en', staff);
    expect(english.body).toContain(`<h1>${dashboardCopy.en.title}</h1>`);
    expect(english.body).toContain(dashboardCopy.en.tables.leaderboard);

    const unknown = await get('/console/dashboard?ward=99999', staff);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain(c.unknownWard);
  });

  it('exports each table as CSV with the same filter, behind the console session', async () => {
    const filter = filterOf({ ward: WARD_A.code });
    for (const name of STATS_TABLE_NAMES) {
      const csv = await get(
        `/console/dashboard/csv/${name}?from=${filter.from}&to=${filter.to}&ward=${WARD_A.code}`,
        staff,
      );
      expect(csv.statusCode, name).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe(
        `attachment; filename="${name}_${filter.from}_${filter.to}_${WARD_A.code}.csv"`,
      );
      expect(csv.headers['cache-control']).toBe('no-store');
      const table = await readStatsTable(h.services.campaignStats, name, filter);
      expect(csv.body, name).toBe(toCsv(table.columns, table.cells));
    }
    const board = await get('/console/dashboard/csv/leaderboard', staff);
    expect(
      board.body
        .split('\r\n')
        .slice(1, 3)
        .map((line) => line.split(',').slice(2, 3)[0]),
    ).toEqual(['Tổ An <Hòa>', 'Tổ Bình']);

    expect((await get('/console/dashboard/csv/nothing', staff)).statusCode).toBe(404);
    expect((await get('/console/dashboard/csv/funnel?from=2026-13-01', staff)).statusCode).toBe(400);
    const anonymous = await h.app.inject({ method: 'GET', url: '/console/dashboard/csv/funnel' });
    expect([303, 401]).toContain(anonymous.statusCode);
    expect(anonymous.body).not.toContain('stage,');
  });

  it('shows a team’s leader or member their own ward only, whatever ward they ask for', async () => {
    const member = await injectMemberSession(h, '+84905740002');
    const filter = filterOf({ ward: WARD_A.code });
    const page = await get(`/console/dashboard?ward=${WARD_B.code}`, member);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('<select id="ward"');
    expect(page.body).toContain(c.teamWard(WARD_A.name));
    for (const name of STATS_TABLE_NAMES) {
      expect(tableRows(page.body, `table-${name}`), name).toEqual(await expectedRows(name, filter));
    }
    expect(tableRows(page.body, 'table-leaderboard').map((r) => r[1])).toEqual(['Tổ An <Hòa>']);

    const csv = await get(`/console/dashboard/csv/registrations-by-team?ward=${WARD_B.code}`, member);
    expect(csv.headers['content-disposition']).toContain(`_${WARD_A.code}.csv"`);
    expect(csv.body).not.toContain('Tổ Bình');
    expect(csv.body).toContain('Tổ An <Hòa>');

    const home = await get('/console', member);
    expect(home.body).toContain(`<a href="/console/dashboard">${c.nav}</a>`);
  });
});
