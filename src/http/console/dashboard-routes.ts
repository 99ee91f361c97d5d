import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type {
  CampaignStats,
  ChannelDayRow,
  FunnelRow,
  HandoffRow,
  LeaderboardRow,
  MismatchRow,
  StatsFilter,
  TeamDayRow,
  WardDayRow,
} from '../../domain/stats/campaign-stats.ts';
import { parseStatsFilter } from '../../domain/stats/stats-filter.ts';
import {
  readStatsTable,
  STATS_TABLE_NAMES,
  STATS_TABLES,
  type StatsTableName,
  statsCsvFileName,
} from '../../domain/stats/stats-tables.ts';
import type { TeamRepository } from '../../domain/teams/team.ts';
import { findWard, wards } from '../../domain/wards/wards.ts';
import { toCsv } from '../../shared/csv.ts';
import { vietnamDates } from '../../shared/vietnam-time.ts';
import type { ConsoleSessionStore } from '../../storage/redis/redis-console-sessions.ts';
import { type ConsoleSession, consoleSessionOf } from '../access-control.ts';
import { html, type SafeHtml } from '../share-page/html.ts';
import { CONSOLE_CSP, renderConsolePage } from './console-page.ts';
import { consoleLangOf } from './console-routes.ts';
import { type DashboardCopy, dashboardCopy } from './dashboard.copy.ts';
import { dayColumnChart, horizontalBarChart } from './svg-charts.ts';

/** What the Dashboard page needs. */
export interface DashboardDeps {
  readonly campaignStats: CampaignStats;
  readonly teams: Pick<TeamRepository, 'findById'>;
  readonly clock?: () => Date;
  /** Unset: the console is off (its routes do not exist). */
  readonly consoleSessions?: ConsoleSessionStore | undefined;
}

export const DASHBOARD_PATH = '/console/dashboard';
const ROLES = { access: 'console' as const, consoleRoles: ['staff', 'leader', 'member'] as const };

/** A query parameter as text (the first when repeated); empty means absent. */
function param(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown> | undefined)?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.trim() !== '' ? first.trim() : undefined;
}

/**
 * The filter a session asked for. City staff choose any ward or the whole city; a team's leaders and members see
 * their team's ward only (a `ward` they ask for is replaced by it): the issue's "a volunteer sees only their team".
 */
async function filterOf(
  request: FastifyRequest,
  session: ConsoleSession,
  deps: DashboardDeps,
  now: Date,
): Promise<{ parsed: ReturnType<typeof parseStatsFilter>; fixedWard: string | null }> {
  let ward = param(request, 'ward');
  let fixedWard: string | null = null;
  if (session.role !== 'staff') {
    const team = session.teamId ? await deps.teams.findById(session.teamId) : null;
    fixedWard = team?.wardCode ?? null;
    ward = fixedWard ?? undefined;
  }
  const parsed = parseStatsFilter({ from: param(request, 'from'), to: param(request, 'to'), ward }, now);
  return { parsed, fixedWard };
}

/** The longest period drawn as columns per day (a longer one keeps its tables, without the day charts). */
const MAX_CHART_DAYS = 366;

/** Every day from `from` to `to`, both included. */
function daysOf(filter: StatsFilter): string[] {
  const days: string[] = [];
  for (
    let t = Date.parse(`${filter.from}T00:00:00Z`);
    t <= Date.parse(`${filter.to}T00:00:00Z`);
    t += 86_400_000
  ) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** Sums `value` of `rows` by `key`, in the order keys first appear. */
function totalsBy<Row>(rows: readonly Row[], key: (row: Row) => string, value: (row: Row) => number) {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(key(row), (totals.get(key(row)) ?? 0) + value(row));
  return [...totals.entries()];
}

const wardName = (code: string | null, c: DashboardCopy) =>
  code === null ? c.unknownWardName : (findWard(code)?.name ?? code);

/** The figures of the page, read through the port. */
interface Figures {
  byChannel: ChannelDayRow[];
  byTeam: TeamDayRow[];
  byWard: WardDayRow[];
  funnel: FunnelRow[];
  mismatches: MismatchRow[];
  handoffs: HandoffRow[];
  leaderboard: LeaderboardRow[];
}

async function readFigures(stats: CampaignStats, filter: StatsFilter): Promise<Figures> {
  const [byChannel, byTeam, byWard, funnel, mismatches, handoffs, leaderboard] = await Promise.all([
    STATS_TABLES['registrations-by-channel'].read(stats, filter),
    STATS_TABLES['registrations-by-team'].read(stats, filter),
    STATS_TABLES['registrations-by-ward'].read(stats, filter),
    STATS_TABLES.funnel.read(stats, filter),
    STATS_TABLES.mismatches.read(stats, filter),
    STATS_TABLES.handoffs.read(stats, filter),
    STATS_TABLES.leaderboard.read(stats, filter),
  ]);
  return { byChannel, byTeam, byWard, funnel, mismatches, handoffs, leaderboard };
}

/** A table in its own scrolling box; `n` marks the columns holding numbers (right-aligned). */
function table(
  name: StatsTableName,
  head: readonly (string | { n: string })[],
  rows: readonly (readonly (string | number | { n: string | number })[])[],
  c: DashboardCopy,
): SafeHtml {
  const cell = (value: string | number | { n: string | number }, header: boolean) => {
    const numeric = typeof value === 'object' || typeof value === 'number';
    const text = typeof value === 'object' ? value.n : value;
    return header
      ? html`<th scope="col"${numeric ? html` class="n"` : null}>${text}</th>`
      : html`<td${numeric ? html` class="n"` : null}>${text}</td>`;
  };
  return html`<div class="table-wrap" role="region" aria-labelledby="h-${name}" tabindex="0"><table id="table-${name}">
<thead><tr>${head.map((h) => cell(h, true))}</tr></thead>
<tbody>${rows.length === 0 ? html`<tr><td colspan="${head.length}">${c.nothing}</td></tr>` : rows.map((row) => html`<tr>${row.map((v) => cell(v, false))}</tr>`)}</tbody>
</table></div>`;
}

function csvLink(name: StatsTableName, filter: StatsFilter, c: DashboardCopy): SafeHtml {
  const query = new URLSearchParams({ from: filter.from, to: filter.to });
  if (filter.wardCode) query.set('ward', filter.wardCode);
  return html`<p><a class="csv" id="csv-${name}" href="${DASHBOARD_PATH}/csv/${name}?${query.toString()}" download="${statsCsvFileName(name, filter)}">${c.csv(c.tables[name])}</a></p>`;
}

function section(name: StatsTableName, filter: StatsFilter, c: DashboardCopy, body: SafeHtml): SafeHtml {
  return html`<section aria-labelledby="h-${name}"${name === 'leaderboard' ? html` class="full"` : null}>
<h2 id="h-${name}">${c.tables[name]}</h2>
${body}
${csvLink(name, filter, c)}
</section>`;
}

/** The page's sections: each table as a chart and an accessible table, with its CSV link. */
function renderFigures(f: Figures, filter: StatsFilter, c: DashboardCopy): SafeHtml {
  const days = daysOf(filter);
  const channels = [...new Set(f.byChannel.map((r) => r.channel))].sort();
  const channelDay = new Map(f.byChannel.map((r) => [`${r.day} ${r.channel}`, r.registrations]));
  const handoffDay = new Map(f.handoffs.map((r) => [r.day, r]));
  const tooLong = html`<p class="muted">${c.tooManyDays(MAX_CHART_DAYS)}</p>`;
  const dayChart = (chart: () => SafeHtml) => (days.length > MAX_CHART_DAYS ? tooLong : chart());
  const byChannelChart = dayChart(() =>
    dayColumnChart(
      {
        id: 'chart-registrations-by-channel',
        title: c.chartOf(c.tables['registrations-by-channel']),
        description: c.describeDays(
          days.length,
          f.byChannel.reduce((sum, r) => sum + r.registrations, 0),
        ),
      },
      days.map((day) => ({
        day,
        parts: channels.map((channel) => channelDay.get(`${day} ${channel}`) ?? 0),
      })),
      channels,
    ),
  );
  const bars = (name: StatsTableName, entries: [string, number][]) =>
    horizontalBarChart(
      { id: `chart-${name}`, title: c.chartOf(c.tables[name]), description: c.describeBars(entries.length) },
      entries.map(([label, value]) => ({ label, parts: [value], value: String(value) })),
    );
  const teamTotals = totalsBy(
    f.byTeam,
    (r) => r.teamName,
    (r) => r.registrations,
  ).sort((a, b) => b[1] - a[1]);
  const wardTotals = totalsBy(
    f.byWard,
    (r) => wardName(r.wardCode, c),
    (r) => r.registrations,
  ).sort((a, b) => b[1] - a[1]);
  const handoffTotal = f.handoffs.find((r) => r.day === null);

  return html`<div class="sections">${section(
    'leaderboard',
    filter,
    c,
    table(
      'leaderboard',
      [
        { n: c.columns.rank },
        c.columns.team,
        c.columns.ward,
        { n: c.columns.members },
        { n: c.columns.registrations },
        { n: c.columns.verified },
        { n: c.columns.handoffsAnswered },
      ],
      f.leaderboard.map((r) => [
        r.rank,
        r.teamName,
        wardName(r.wardCode, c),
        r.members,
        r.registrations,
        r.verified,
        r.handoffsAnswered,
      ]),
      c,
    ),
  )}
${section(
  'registrations-by-channel',
  filter,
  c,
  html`${byChannelChart}${table(
    'registrations-by-channel',
    [c.columns.day, c.columns.channel, { n: c.columns.registrations }],
    f.byChannel.map((r) => [vietnamDates.isoDate(r.day), r.channel, r.registrations]),
    c,
  )}`,
)}
${section(
  'registrations-by-team',
  filter,
  c,
  html`${teamTotals.length > 0 ? bars('registrations-by-team', teamTotals) : null}${table(
    'registrations-by-team',
    [c.columns.day, c.columns.team, c.columns.ward, { n: c.columns.registrations }],
    f.byTeam.map((r) => [vietnamDates.isoDate(r.day), r.teamName, wardName(r.wardCode, c), r.registrations]),
    c,
  )}`,
)}
${section(
  'registrations-by-ward',
  filter,
  c,
  html`${wardTotals.length > 0 ? bars('registrations-by-ward', wardTotals) : null}${table(
    'registrations-by-ward',
    [c.columns.day, c.columns.ward, { n: c.columns.registrations }],
    f.byWard.map((r) => [vietnamDates.isoDate(r.day), wardName(r.wardCode, c), r.registrations]),
    c,
  )}`,
)}
${section(
  'funnel',
  filter,
  c,
  html`${horizontalBarChart(
    { id: 'chart-funnel', title: c.chartOf(c.tables.funnel), description: c.describeBars(f.funnel.length) },
    f.funnel.map((r) => ({ label: c.stages[r.stage], parts: [r.assisted, r.self], value: String(r.total) })),
    [c.columns.assisted, c.columns.self],
  )}${table(
    'funnel',
    [c.columns.stage, { n: c.columns.assisted }, { n: c.columns.self }, { n: c.columns.total }],
    f.funnel.map((r) => [c.stages[r.stage], r.assisted, r.self, r.total]),
    c,
  )}`,
)}
${section(
  'mismatches',
  filter,
  c,
  html`${bars(
    'mismatches',
    f.mismatches.map((r) => [c.fields[r.field], r.accounts]),
  )}${table(
    'mismatches',
    [c.columns.field, { n: c.columns.accounts }],
    f.mismatches.map((r) => [c.fields[r.field], r.accounts]),
    c,
  )}`,
)}
${section(
  'handoffs',
  filter,
  c,
  html`${dayChart(() =>
    dayColumnChart(
      {
        id: 'chart-handoffs',
        title: c.chartOf(c.tables.handoffs),
        description: c.describeDays(days.length, handoffTotal?.opened ?? 0),
      },
      days.map((day) => {
        const row = handoffDay.get(day);
        return { day, parts: [row?.opened ?? 0, row?.answered ?? 0] };
      }),
      [c.columns.opened, c.columns.answered],
      { overlay: true },
    ),
  )}${table(
    'handoffs',
    [
      c.columns.day,
      { n: c.columns.opened },
      { n: c.columns.answered },
      { n: c.columns.median },
      { n: c.columns.average },
    ],
    f.handoffs.map((r) => [
      r.day === null ? c.total : vietnamDates.isoDate(r.day),
      r.opened,
      r.answered,
      { n: c.duration(r.medianSecondsToFirstAnswer) },
      { n: c.duration(r.averageSecondsToFirstAnswer) },
    ]),
    c,
  )}`,
)}
</div>`;
}

/** The filter form (GET): the period, and the ward for city staff. */
function filterForm(
  values: { from: string; to: string; ward: string | null },
  fixedWard: string | null,
  staff: boolean,
  c: DashboardCopy,
): SafeHtml {
  return html`<form class="filters" method="get" action="${DASHBOARD_PATH}" aria-label="${c.filters}">
<div><label for="from">${c.from}</label><input id="from" name="from" type="date" value="${values.from}"></div>
<div><label for="to">${c.to}</label><input id="to" name="to" type="date" value="${values.to}"></div>
${
  staff
    ? html`<div class="span"><label for="ward">${c.ward}</label><select id="ward" name="ward"><option value="">${c.wholeCity}</option>${wards.map(
        (w) =>
          html`<option value="${w.code}"${w.code === values.ward ? html` selected` : null}>${w.name}</option>`,
      )}</select></div>`
    : null
}
<div class="span"><button type="submit">${c.show}</button></div>
</form>
${fixedWard ? html`<p class="muted">${c.teamWard(wardName(fixedWard, c))}</p>` : null}`;
}

/**
 * The console's Dashboard (`/console/dashboard`): the campaign's seven tables (docs/dashboard.md) for a period and
 * a ward, each as a server-drawn SVG chart and an accessible table, and `/console/dashboard/csv/<table>` exporting
 * each as CSV with the same filter. Staff see the whole city or any ward; leaders and members their team's ward.
 */
export function dashboardRoutes(deps: DashboardDeps): FastifyPluginAsync {
  return async (app) => {
    if (!deps.consoleSessions) return;
    const now = deps.clock ?? (() => new Date());

    const send = (reply: FastifyReply, status: number, body: string) =>
      reply
        .code(status)
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', CONSOLE_CSP)
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(body);

    app.get(DASHBOARD_PATH, { config: ROLES }, async (request, reply) => {
      const session = consoleSessionOf(request);
      const lang = consoleLangOf(request, reply);
      const c = dashboardCopy[lang];
      const query = request.url.split('?')[1];
      const { parsed, fixedWard } = await filterOf(request, session, deps, now());
      const staff = session.role === 'staff';
      const page = (content: SafeHtml) =>
        renderConsolePage({
          lang,
          title: c.title,
          path: DASHBOARD_PATH,
          query,
          session,
          content,
          developmentMode: request.server.developmentMode,
        });
      if (parsed.type !== 'ok') {
        const asked = {
          from: param(request, 'from') ?? '',
          to: param(request, 'to') ?? '',
          ward: param(request, 'ward') ?? null,
        };
        const message = parsed.type === 'invalid' ? c.badDate : c.unknownWard;
        const content = html`${filterForm(asked, fixedWard, staff, c)}<p class="error" role="alert">${message}</p>`;
        return send(reply, 400, page(content));
      }
      const { filter } = parsed;
      const figures = await readFigures(deps.campaignStats, filter);
      const content = html`<div class="dashboard">${filterForm({ from: filter.from, to: filter.to, ward: filter.wardCode }, fixedWard, staff, c)}
<p id="period">${c.period(vietnamDates.isoDate(filter.from), vietnamDates.isoDate(filter.to), filter.wardCode ? wardName(filter.wardCode, c) : c.wholeCity)}</p>
${renderFigures(figures, filter, c)}</div>`;
      return send(reply, 200, page(content));
    });

    app.get(`${DASHBOARD_PATH}/csv/:table`, { config: ROLES }, async (request, reply) => {
      const { table: name } = request.params as { table: string };
      if (!(STATS_TABLE_NAMES as string[]).includes(name)) {
        return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'No such table' } });
      }
      const session = consoleSessionOf(request);
      const { parsed } = await filterOf(request, session, deps, now());
      if (parsed.type !== 'ok') {
        const c = dashboardCopy[consoleLangOf(request, reply)];
        return reply
          .code(400)
          .header('cache-control', 'no-store')
          .type('text/plain; charset=utf-8')
          .send(parsed.type === 'invalid' ? c.badDate : c.unknownWard);
      }
      const tableName = name as StatsTableName;
      const read = await readStatsTable(deps.campaignStats, tableName, parsed.filter);
      return reply
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${statsCsvFileName(tableName, parsed.filter)}"`)
        .send(toCsv(read.columns, read.cells));
    });
  };
}
