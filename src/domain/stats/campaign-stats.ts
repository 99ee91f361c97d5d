/**
 * The campaign's figures, as the console's dashboard shows them (docs/dashboard.md says what each one counts).
 * Every figure is counted from storage when asked, never kept as a counter, so it matches the database exactly.
 *
 * Common rules of every table:
 * - **Period**: `from` and `to` are calendar days in Vietnam time (Asia/Ho_Chi_Minh, UTC+7 all year), both
 *   included: a row belongs to the period when its creation time is at or after `from` 00:00 and before the day
 *   after `to` 00:00, Vietnam time. Its **day** is the Vietnam-time date of that creation time.
 * - **Ward**: an account's ward is the ward of the team that registered it (DKH). A self-registered account has no
 *   known ward (its profile address is encrypted and optional, and cannot be read by the database): it is counted
 *   under the unknown ward (`wardCode` null), and left out of every figure filtered by ward. An assisted request's
 *   ward is its team's; a hand-off's is the ward it was opened for (from the citizen's address), null when unknown.
 * - **Purged** accounts are not counted (the figures are of accounts that exist, as in the teams' own figures),
 *   nor the hand-offs of a purged account (their threads are deleted by the purge). An assisted request whose
 *   account was purged still counts as started and consented: those facts are kept on the request.
 * - **Simulated** rows (the `simulated` column, set by the console's simulator) are never counted.
 * - Tables list only the groups that have something (no rows of zeros), except the funnel, the mismatch reasons and
 *   the leaderboard, which list every stage, reason and team.
 */

import type { MismatchField } from '../citizens/citizen.ts';

/** The time zone of the dashboard's days. */
export const STATS_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** What every table is filtered by. */
export interface StatsFilter {
  /** The first day, `YYYY-MM-DD`, Vietnam time, included. */
  readonly from: string;
  /** The last day, `YYYY-MM-DD`, Vietnam time, included (not before `from`). */
  readonly to: string;
  /** A ward's national code (see src/domain/wards), or null for the whole city. */
  readonly wardCode: string | null;
}

/** Accounts opened on one day through one channel. */
export interface ChannelDayRow {
  /** `YYYY-MM-DD`, Vietnam time. */
  readonly day: string;
  /** The channel the account was opened through (`created_via`: `twilio-sms`, `telegram`, `zalo-oa`, `web`...). */
  readonly channel: string;
  readonly registrations: number;
}

/** Accounts a team's volunteers opened for their neighbours (DKH) on one day. */
export interface TeamDayRow {
  readonly day: string;
  readonly teamId: string;
  readonly teamName: string;
  readonly wardCode: string;
  readonly registrations: number;
}

/** Accounts opened on one day in one ward (null: self-registered, ward unknown). */
export interface WardDayRow {
  readonly day: string;
  readonly wardCode: string | null;
  /** The ward's official name, null for the unknown ward. */
  readonly wardName: string | null;
  readonly registrations: number;
}

/** The stages of the funnel, in order: each is a part of the one before. */
export const FUNNEL_STAGES = ['started', 'consent_given', 'account_opened', 'verified'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/**
 * One stage of the funnel. The cohort is what started in the period: assisted requests (DKH) created in it, and
 * self-registrations, which the service records only once the account is opened (a conversation abandoned before
 * that leaves no record), so for them the four stages start at the account: accounts opened in the period without
 * a volunteer. `started`: requests created + self-registered accounts; `consent_given`: requests the neighbour
 * consented to (by reply or code, even when the account then failed to open) + self-registered accounts (consent
 * is part of registering); `account_opened`: requests whose account was opened and exists + self-registered
 * accounts; `verified`: those accounts verified by the registry now.
 */
export interface FunnelRow {
  readonly stage: FunnelStage;
  /** Through a volunteer (assisted requests). */
  readonly assisted: number;
  /** Without a volunteer (self-registered accounts); always 0 when filtered by ward. */
  readonly self: number;
  readonly total: number;
}

/** The reasons the registry check did not match, in order. */
export const MISMATCH_FIELDS: readonly MismatchField[] = ['cccd', 'full_name', 'date_of_birth'];

/** Accounts opened in the period whose registry check did not match (their status now), by the field that differed. */
export interface MismatchRow {
  readonly field: MismatchField;
  readonly accounts: number;
}

/** Hand-offs opened on one day (or, in the total, in the whole period), and how they were answered. */
export interface HandoffRow {
  /** `YYYY-MM-DD`, or null for the period's total. */
  readonly day: string | null;
  readonly opened: number;
  /** Those with at least one message from a volunteer or city staff in their thread. */
  readonly answered: number;
  /** Median time from opening to the first volunteer or staff message, whole seconds; null when none answered. */
  readonly medianSecondsToFirstAnswer: number | null;
  /** The mean of the same times, whole seconds; null when none answered. */
  readonly averageSecondsToFirstAnswer: number | null;
}

/** The hand-offs table: one row per day, and the period's total (its median is over every hand-off, not days). */
export interface HandoffTable {
  readonly days: readonly HandoffRow[];
  readonly total: HandoffRow & { readonly day: null };
}

/** A team's place in the period. */
export interface LeaderboardRow {
  /** 1 for the first; teams with the same three figures share a rank (1, 1, 3...). */
  readonly rank: number;
  readonly teamId: string;
  readonly teamName: string;
  readonly wardCode: string;
  /** Current members (not of the period). */
  readonly members: number;
  /** Accounts its volunteers opened in the period (DKH), existing ones. */
  readonly registrations: number;
  /** Of those, verified by the registry now. */
  readonly verified: number;
  /** Hand-offs opened in the period whose first answer was written by one of its members. */
  readonly handoffsAnswered: number;
}

/**
 * The dashboard's figures (see the module comment for the rules every table follows). Implemented on PostgreSQL
 * and PGlite by src/storage/postgres/campaign-stats.ts, tested with exact numbers in
 * test/integration/campaign-stats.test.ts.
 */
export interface CampaignStats {
  /** Accounts opened per day and channel, oldest day first, then by channel. */
  registrationsByChannel(filter: StatsFilter): Promise<ChannelDayRow[]>;
  /** Accounts opened by volunteers per day and team, oldest day first, then by team name. */
  registrationsByTeam(filter: StatsFilter): Promise<TeamDayRow[]>;
  /** Accounts opened per day and ward, oldest day first, then by ward code, the unknown ward last. */
  registrationsByWard(filter: StatsFilter): Promise<WardDayRow[]>;
  /** The four stages, in order. */
  funnel(filter: StatsFilter): Promise<FunnelRow[]>;
  /** The three reasons, in order. */
  mismatches(filter: StatsFilter): Promise<MismatchRow[]>;
  handoffs(filter: StatsFilter): Promise<HandoffTable>;
  /** Every team (of the ward, when filtered), best first; ties by team name. */
  leaderboard(filter: StatsFilter): Promise<LeaderboardRow[]>;
}
