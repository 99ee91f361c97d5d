import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CampaignStats, FUNNEL_STAGES, MISMATCH_FIELDS } from '../../domain/stats/campaign-stats.ts';
import { parseStatsFilter } from '../../domain/stats/stats-filter.ts';
import {
  readStatsTable,
  STATS_TABLES,
  type StatsTableName,
  statsCsvFileName,
} from '../../domain/stats/stats-tables.ts';
import { toCsv } from '../../shared/csv.ts';
import { apiError, ErrorBody, useZodApi } from '../api-errors.ts';

/** What the admin API of the dashboard's figures needs. */
export interface AdminStatsDeps {
  /** Unset: the admin API is off (its routes do not exist). */
  readonly adminToken: string | undefined;
  readonly campaignStats: CampaignStats;
  readonly clock?: () => Date;
}

const Day = z.string().describe('YYYY-MM-DD, Vietnam time');
const Count = z.number().int().nonnegative();

const StatsQuery = z.object({
  from: z
    .string()
    .max(10, 'must be a date written YYYY-MM-DD')
    .optional()
    .describe('The first day, YYYY-MM-DD in Vietnam time, included; default: 29 days before `to`'),
  to: z
    .string()
    .max(10, 'must be a date written YYYY-MM-DD')
    .optional()
    .describe('The last day, YYYY-MM-DD in Vietnam time, included; default: today in Vietnam'),
  ward: z
    .string()
    .max(20, 'must be at most 20 characters')
    .optional()
    .describe('Only this ward (its code, from `GET /api/v1/admin/wards`); default: the whole city'),
});

/** The JSON rows of each table (docs/dashboard.md says what each figure counts). */
const ROWS: Record<StatsTableName, z.ZodType> = {
  'registrations-by-channel': z.object({ day: Day, channel: z.string(), registrations: Count }),
  'registrations-by-team': z.object({
    day: Day,
    teamId: z.uuid(),
    teamName: z.string(),
    wardCode: z.string(),
    registrations: Count,
  }),
  'registrations-by-ward': z.object({
    day: Day,
    wardCode: z.string().nullable().describe('Null: self-registered accounts, whose ward is not known'),
    wardName: z.string().nullable(),
    registrations: Count,
  }),
  funnel: z.object({ stage: z.enum(FUNNEL_STAGES), assisted: Count, self: Count, total: Count }),
  mismatches: z.object({
    field: z.enum(MISMATCH_FIELDS as ['cccd', 'full_name', 'date_of_birth']),
    accounts: Count,
  }),
  handoffs: z.object({
    day: Day.nullable().describe('Null on the last row: the whole period'),
    opened: Count,
    answered: Count,
    medianSecondsToFirstAnswer: z.number().nullable(),
    averageSecondsToFirstAnswer: z.number().nullable(),
  }),
  leaderboard: z.object({
    rank: z.number().int().positive(),
    teamId: z.uuid(),
    teamName: z.string(),
    wardCode: z.string(),
    members: Count,
    registrations: Count,
    verified: Count,
    handoffsAnswered: Count,
  }),
};

const SUMMARIES: Record<StatsTableName, { operationId: string; summary: string }> = {
  'registrations-by-channel': {
    operationId: 'statsRegistrationsByChannel',
    summary: 'Accounts opened per day and channel',
  },
  'registrations-by-team': {
    operationId: 'statsRegistrationsByTeam',
    summary: 'Accounts opened per day by each team’s volunteers (DKH)',
  },
  'registrations-by-ward': {
    operationId: 'statsRegistrationsByWard',
    summary: 'Accounts opened per day and ward (the registering team’s; unknown for self-registrations)',
  },
  funnel: {
    operationId: 'statsFunnel',
    summary: 'The funnel started → consent given → account opened → verified',
  },
  mismatches: { operationId: 'statsMismatches', summary: 'Registry mismatches by the field that differed' },
  handoffs: {
    operationId: 'statsHandoffs',
    summary: 'Hand-offs opened and answered per day, time to the first answer',
  },
  leaderboard: {
    operationId: 'statsLeaderboard',
    summary: 'Every team ranked by accounts opened, verified, hand-offs answered',
  },
};

/** Whether the client asked for CSV: `Accept` names `text/csv` (with or without parameters), not with `q=0`. */
function wantsCsv(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').split(',').some((part) => {
    const [type, ...parameters] = part.split(';').map((p) => p.trim().toLowerCase());
    return type === 'text/csv' && !parameters.some((p) => /^q=0(\.0*)?$/.test(p));
  });
}

/**
 * `GET /api/v1/admin/stats/<table>` behind the ADMIN_TOKEN: each table of the console's dashboard for a period
 * (`from`, `to`) and a ward (`ward`), as JSON, or as CSV with `Accept: text/csv` (RFC 4180, UTF-8 with a byte-order
 * mark, formula-safe; see docs/dashboard.md).
 */
export function adminStatsRoutes(deps: AdminStatsDeps): FastifyPluginAsync {
  return async (plain) => {
    if (!deps.adminToken) return;
    useZodApi(plain);
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const now = deps.clock ?? (() => new Date());

    for (const name of Object.keys(STATS_TABLES) as StatsTableName[]) {
      app.get(
        `/api/v1/admin/stats/${name}`,
        {
          config: { access: 'admin' },
          schema: {
            tags: ['admin'],
            ...SUMMARIES[name],
            description:
              'JSON by default; `Accept: text/csv` answers the same rows as CSV (header row, UTF-8 with a byte-order mark). What each figure counts: docs/dashboard.md.',
            querystring: StatsQuery,
            response: {
              200: {
                description: 'The table',
                content: {
                  'application/json': {
                    schema: z.object({
                      from: Day,
                      to: Day,
                      ward: z.string().nullable().describe('The ward filtered by, or null: the whole city'),
                      rows: z.array(ROWS[name]),
                    }),
                  },
                  'text/csv': {
                    schema: z.string().describe(`Columns: ${STATS_TABLES[name].columns.join(', ')}`),
                  },
                },
              },
              400: ErrorBody.describe(
                '`VALIDATION`: a date that is not YYYY-MM-DD or `from` after `to`; `UNKNOWN_WARD`: no unit has this code',
              ),
              401: ErrorBody,
            },
          },
        },
        async (request, reply) => {
          const parsed = parseStatsFilter(request.query, now());
          if (parsed.type === 'invalid') throw apiError('VALIDATION', parsed.message);
          if (parsed.type === 'unknown_ward') {
            throw apiError('UNKNOWN_WARD', 'ward: no unit has this code (see GET /api/v1/admin/wards)');
          }
          const { filter } = parsed;
          const table = await readStatsTable(deps.campaignStats, name, filter);
          reply.header('cache-control', 'no-store').header('vary', 'Accept');
          if (wantsCsv(request)) {
            return reply
              .type('text/csv; charset=utf-8')
              .header('content-disposition', `attachment; filename="${statsCsvFileName(name, filter)}"`)
              .send(toCsv(table.columns, table.cells));
          }
          return reply
            .type('application/json; charset=utf-8')
            .send({ from: filter.from, to: filter.to, ward: filter.wardCode, rows: table.rows });
        },
      );
    }
  };
}
