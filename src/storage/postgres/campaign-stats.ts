import type { MismatchField } from '../../domain/citizens/citizen.ts';
import {
  type CampaignStats,
  FUNNEL_STAGES,
  type FunnelRow,
  type HandoffRow,
  MISMATCH_FIELDS,
  STATS_TIME_ZONE,
  type StatsFilter,
} from '../../domain/stats/campaign-stats.ts';
import { periodBounds } from '../../domain/stats/stats-filter.ts';
import { findWard } from '../../domain/wards/wards.ts';
import type { Database } from './database.ts';

/** The Vietnam-time day of a timestamp column, `YYYY-MM-DD`. */
const dayOf = (column: string) => `to_char(${column} AT TIME ZONE '${STATS_TIME_ZONE}', 'YYYY-MM-DD')`;

/**
 * The accounts counted ($1 start, $2 end excluded, $3 ward or null), as `c` with the registering team as `t`
 * (null for a self-registration): in the period, not purged, not simulated, of the ward when filtered.
 */
const COUNTED_ACCOUNTS = `
  citizens c LEFT JOIN teams t ON t.id = c.registered_by_team_id
  WHERE c.created_at >= $1 AND c.created_at < $2 AND c.purged_at IS NULL AND NOT c.simulated
    AND ($3::text IS NULL OR t.ward_code = $3)`;

/**
 * The hand-offs counted, as `h` with `first_at` (the first message of a volunteer or staff) and `first_member`
 * (the member who wrote it, null for staff): opened in the period, not simulated, not of a purged account, of the
 * ward when filtered.
 */
const COUNTED_HANDOFFS = `
  SELECT h.id, h.created_at, first.at AS first_at, first.member_id AS first_member
  FROM handoffs h
  LEFT JOIN citizens c ON c.id = h.citizen_id
  LEFT JOIN LATERAL (
    SELECT m.at, m.member_id FROM handoff_messages m
    WHERE m.handoff_id = h.id AND m.author IN ('volunteer', 'staff')
    ORDER BY m.at, m.id LIMIT 1
  ) first ON true
  WHERE h.created_at >= $1 AND h.created_at < $2 AND NOT h.simulated AND c.purged_at IS NULL
    AND ($3::text IS NULL OR h.ward_code = $3)`;

const count = (value: unknown) => Number(value ?? 0);
const seconds = (value: unknown) => (value === null || value === undefined ? null : Number(value));

/** The PostgreSQL (and PGlite) implementation of {@link CampaignStats}. */
export function createPgCampaignStats(db: Database): CampaignStats {
  const params = (filter: StatsFilter) => {
    const { start, end } = periodBounds(filter);
    return [start, end, filter.wardCode];
  };

  return {
    async registrationsByChannel(filter) {
      const { rows } = await db.query<{ day: string; channel: string; n: string }>(
        `SELECT ${dayOf('c.created_at')} AS day, c.created_via AS channel, count(*) AS n
         FROM ${COUNTED_ACCOUNTS}
         GROUP BY 1, 2 ORDER BY 1, 2`,
        params(filter),
      );
      return rows.map((r) => ({ day: r.day, channel: r.channel, registrations: count(r.n) }));
    },

    async registrationsByTeam(filter) {
      const { rows } = await db.query<{
        day: string;
        id: string;
        name: string;
        ward_code: string;
        n: string;
      }>(
        `SELECT ${dayOf('c.created_at')} AS day, t.id, t.name, t.ward_code, count(*) AS n
         FROM ${COUNTED_ACCOUNTS} AND t.id IS NOT NULL
         GROUP BY 1, t.id ORDER BY 1, t.name, t.id`,
        params(filter),
      );
      return rows.map((r) => ({
        day: r.day,
        teamId: r.id,
        teamName: r.name,
        wardCode: r.ward_code,
        registrations: count(r.n),
      }));
    },

    async registrationsByWard(filter) {
      const { rows } = await db.query<{ day: string; ward_code: string | null; n: string }>(
        `SELECT ${dayOf('c.created_at')} AS day, t.ward_code, count(*) AS n
         FROM ${COUNTED_ACCOUNTS}
         GROUP BY 1, 2 ORDER BY 1, 2 NULLS LAST`,
        params(filter),
      );
      return rows.map((r) => ({
        day: r.day,
        wardCode: r.ward_code,
        wardName: r.ward_code === null ? null : (findWard(r.ward_code)?.name ?? null),
        registrations: count(r.n),
      }));
    },

    async funnel(filter) {
      const [assisted] = (
        await db.query<Record<string, string>>(
          `WITH assisted AS (
             SELECT a.how, a.status = 'opened' AND c.id IS NOT NULL AND c.purged_at IS NULL AS opened,
                    c.status AS citizen_status
             FROM assisted_requests a
             JOIN teams t ON t.id = a.team_id
             LEFT JOIN citizens c ON c.id = a.citizen_id
             WHERE a.created_at >= $1 AND a.created_at < $2 AND NOT a.simulated
               AND ($3::text IS NULL OR t.ward_code = $3)
           )
           SELECT count(*) AS started,
                  count(*) FILTER (WHERE how IS NOT NULL) AS consent_given,
                  count(*) FILTER (WHERE opened) AS account_opened,
                  count(*) FILTER (WHERE opened AND citizen_status = 'verified') AS verified
           FROM assisted`,
          params(filter),
        )
      ).rows;
      const [self] = (
        await db.query<Record<string, string>>(
          `SELECT count(*) AS opened, count(*) FILTER (WHERE c.status = 'verified') AS verified
           FROM ${COUNTED_ACCOUNTS} AND c.registered_by_team_id IS NULL`,
          params(filter),
        )
      ).rows;
      const selfOf: Record<(typeof FUNNEL_STAGES)[number], number> = {
        started: count(self?.opened),
        consent_given: count(self?.opened),
        account_opened: count(self?.opened),
        verified: count(self?.verified),
      };
      return FUNNEL_STAGES.map((stage): FunnelRow => {
        const a = count(assisted?.[stage]);
        const s = selfOf[stage];
        return { stage, assisted: a, self: s, total: a + s };
      });
    },

    async mismatches(filter) {
      const { rows } = await db.query<{ field: MismatchField; n: string }>(
        `SELECT c.mismatch_field AS field, count(*) AS n
         FROM ${COUNTED_ACCOUNTS} AND c.status = 'not_matched'
         GROUP BY 1`,
        params(filter),
      );
      const of = new Map(rows.map((r) => [r.field, count(r.n)]));
      return MISMATCH_FIELDS.map((field) => ({ field, accounts: of.get(field) ?? 0 }));
    },

    async handoffs(filter) {
      const { rows } = await db.query<{
        day: string | null;
        opened: string;
        answered: string;
        median: number | string | null;
        average: number | string | null;
      }>(
        `WITH counted AS (${COUNTED_HANDOFFS}),
         timed AS (
           SELECT ${dayOf('created_at')} AS day, first_at,
                  extract(epoch FROM first_at - created_at)::float8 AS wait
           FROM counted
         )
         SELECT day, count(*) AS opened, count(first_at) AS answered,
                round(percentile_cont(0.5) WITHIN GROUP (ORDER BY wait)) AS median,
                round(avg(wait)) AS average
         FROM timed
         GROUP BY GROUPING SETS ((day), ())
         ORDER BY day NULLS LAST`,
        params(filter),
      );
      const toRow = (r: (typeof rows)[number]): HandoffRow => ({
        day: r.day,
        opened: count(r.opened),
        answered: count(r.answered),
        medianSecondsToFirstAnswer: seconds(r.median),
        averageSecondsToFirstAnswer: seconds(r.average),
      });
      const total = rows.find((r) => r.day === null);
      return {
        days: rows.filter((r) => r.day !== null).map(toRow),
        total: {
          ...(total
            ? toRow(total)
            : {
                opened: 0,
                answered: 0,
                medianSecondsToFirstAnswer: null,
                averageSecondsToFirstAnswer: null,
              }),
          day: null,
        },
      };
    },

    async leaderboard(filter) {
      const { rows } = await db.query<{
        id: string;
        name: string;
        ward_code: string;
        members: string;
        registrations: string;
        verified: string;
        answered: string;
        rank: string;
      }>(
        `WITH accounts AS (
           SELECT c.registered_by_team_id AS team_id, count(*) AS registrations,
                  count(*) FILTER (WHERE c.status = 'verified') AS verified
           FROM ${COUNTED_ACCOUNTS} AND c.registered_by_team_id IS NOT NULL
           GROUP BY 1
         ),
         answers AS (
           SELECT tm.team_id, count(*) AS answered
           FROM (${COUNTED_HANDOFFS}) h JOIN team_members tm ON tm.id = h.first_member
           GROUP BY 1
         ),
         members AS (
           SELECT team_id, count(*) AS members FROM team_members WHERE left_at IS NULL GROUP BY 1
         ),
         board AS (
           SELECT t.id, t.name, t.ward_code, coalesce(m.members, 0) AS members,
                  coalesce(a.registrations, 0) AS registrations, coalesce(a.verified, 0) AS verified,
                  coalesce(h.answered, 0) AS answered
           FROM teams t
           LEFT JOIN accounts a ON a.team_id = t.id
           LEFT JOIN answers h ON h.team_id = t.id
           LEFT JOIN members m ON m.team_id = t.id
           WHERE $3::text IS NULL OR t.ward_code = $3
         )
         SELECT *, rank() OVER (ORDER BY registrations DESC, verified DESC, answered DESC) AS rank
         FROM board
         ORDER BY rank, name, id`,
        params(filter),
      );
      return rows.map((r) => ({
        rank: count(r.rank),
        teamId: r.id,
        teamName: r.name,
        wardCode: r.ward_code,
        members: count(r.members),
        registrations: count(r.registrations),
        verified: count(r.verified),
        handoffsAnswered: count(r.answered),
      }));
    },
  };
}
