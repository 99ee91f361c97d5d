import type { CsvCell } from '../../shared/csv.ts';
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
} from './campaign-stats.ts';

/** A table of the dashboard as rows of plain values: what its JSON and its CSV export hold. */
export interface StatsTableDefinition<Row> {
  /** The CSV header, one column per field of a row, in order. */
  readonly columns: readonly string[];
  /** The rows of the table for a filter. */
  read(stats: CampaignStats, filter: StatsFilter): Promise<Row[]>;
  /** One CSV line of a row, in the order of `columns`. */
  cells(row: Row): CsvCell[];
}

const table = <Row>(definition: StatsTableDefinition<Row>) => definition;

/**
 * Every table of the dashboard by its name in URLs and file names, with its CSV columns. The hand-offs table is its
 * days then its total (a last row whose `day` is null, written `total` in CSV).
 */
export const STATS_TABLES = {
  'registrations-by-channel': table<ChannelDayRow>({
    columns: ['day', 'channel', 'registrations'],
    read: (stats, filter) => stats.registrationsByChannel(filter),
    cells: (r) => [r.day, r.channel, r.registrations],
  }),
  'registrations-by-team': table<TeamDayRow>({
    columns: ['day', 'team_id', 'team_name', 'ward_code', 'registrations'],
    read: (stats, filter) => stats.registrationsByTeam(filter),
    cells: (r) => [r.day, r.teamId, r.teamName, r.wardCode, r.registrations],
  }),
  'registrations-by-ward': table<WardDayRow>({
    columns: ['day', 'ward_code', 'ward_name', 'registrations'],
    read: (stats, filter) => stats.registrationsByWard(filter),
    cells: (r) => [r.day, r.wardCode, r.wardName, r.registrations],
  }),
  funnel: table<FunnelRow>({
    columns: ['stage', 'assisted', 'self', 'total'],
    read: (stats, filter) => stats.funnel(filter),
    cells: (r) => [r.stage, r.assisted, r.self, r.total],
  }),
  mismatches: table<MismatchRow>({
    columns: ['field', 'accounts'],
    read: (stats, filter) => stats.mismatches(filter),
    cells: (r) => [r.field, r.accounts],
  }),
  handoffs: table<HandoffRow>({
    columns: [
      'day',
      'opened',
      'answered',
      'median_seconds_to_first_answer',
      'average_seconds_to_first_answer',
    ],
    read: async (stats, filter) => {
      const { days, total } = await stats.handoffs(filter);
      return [...days, total];
    },
    cells: (r) => [
      r.day ?? 'total',
      r.opened,
      r.answered,
      r.medianSecondsToFirstAnswer,
      r.averageSecondsToFirstAnswer,
    ],
  }),
  leaderboard: table<LeaderboardRow>({
    columns: [
      'rank',
      'team_id',
      'team_name',
      'ward_code',
      'members',
      'registrations',
      'verified',
      'handoffs_answered',
    ],
    read: (stats, filter) => stats.leaderboard(filter),
    cells: (r) => [
      r.rank,
      r.teamId,
      r.teamName,
      r.wardCode,
      r.members,
      r.registrations,
      r.verified,
      r.handoffsAnswered,
    ],
  }),
} as const;

export type StatsTableName = keyof typeof STATS_TABLES;

/** The names of the tables, in the dashboard's order. */
export const STATS_TABLE_NAMES = Object.keys(STATS_TABLES) as StatsTableName[];

/** The file name of a table's CSV export: `<table>_<from>_<to>[_<ward>].csv`. */
export function statsCsvFileName(name: StatsTableName, filter: StatsFilter): string {
  return `${name}_${filter.from}_${filter.to}${filter.wardCode ? `_${filter.wardCode}` : ''}.csv`;
}

/** A table read for a filter: its rows (as the JSON holds them), and the same as CSV columns and cells. */
export interface StatsTableRead {
  readonly rows: unknown[];
  readonly columns: readonly string[];
  readonly cells: CsvCell[][];
}

async function readTable<Row>(
  definition: StatsTableDefinition<Row>,
  stats: CampaignStats,
  filter: StatsFilter,
): Promise<StatsTableRead> {
  const rows = await definition.read(stats, filter);
  return { rows, columns: definition.columns, cells: rows.map((row) => definition.cells(row)) };
}

/** Reads the table `name` for `filter`: what the admin API and the console's dashboard show and export. */
export function readStatsTable(
  stats: CampaignStats,
  name: StatsTableName,
  filter: StatsFilter,
): Promise<StatsTableRead> {
  return readTable<unknown>(STATS_TABLES[name], stats, filter);
}
