import { VIETNAM_OFFSET_MS } from '../../shared/vietnam-time.ts';
import { findWard } from '../wards/wards.ts';
import type { StatsFilter } from './campaign-stats.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The days a period covers when none is given: the last 30 days, today (Vietnam time) included. */
export const DEFAULT_PERIOD_DAYS = 30;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `text` is a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The Vietnam-time date of an instant, `YYYY-MM-DD`. */
export function vietnamDay(at: Date): string {
  return new Date(at.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

/** `day` plus `days` days (negative: before). */
function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The instants a filter's period covers: from `from` 00:00 Vietnam time, to the day after `to` 00:00 (excluded). */
export function periodBounds(filter: Pick<StatsFilter, 'from' | 'to'>): { start: Date; end: Date } {
  return {
    start: new Date(`${filter.from}T00:00:00+07:00`),
    end: new Date(`${addDays(filter.to, 1)}T00:00:00+07:00`),
  };
}

/** The outcome of {@link parseStatsFilter}. */
export type ParsedStatsFilter =
  | { readonly type: 'ok'; readonly filter: StatsFilter }
  | { readonly type: 'invalid'; readonly message: string }
  | { readonly type: 'unknown_ward' };

/**
 * A filter from what a person asked (query parameters): `from` and `to` as `YYYY-MM-DD` (both optional: `to`
 * defaults to today in Vietnam, `from` to {@link DEFAULT_PERIOD_DAYS} days ending at `to`), `ward` a known ward's
 * code or absent (the whole city). Refuses a date that is not a calendar date, `from` after `to`, an unknown ward.
 */
export function parseStatsFilter(
  input: { from?: string | undefined; to?: string | undefined; ward?: string | undefined },
  now: Date,
): ParsedStatsFilter {
  for (const name of ['from', 'to'] as const) {
    const value = input[name];
    if (value !== undefined && !isCalendarDate(value)) {
      return { type: 'invalid', message: `${name}: must be a date written YYYY-MM-DD` };
    }
  }
  const to = input.to ?? vietnamDay(now);
  const from = input.from ?? addDays(to, -(DEFAULT_PERIOD_DAYS - 1));
  if (from > to) return { type: 'invalid', message: 'from: must not be after to' };
  const ward = input.ward?.trim() || undefined;
  if (ward !== undefined && findWard(ward) === undefined) return { type: 'unknown_ward' };
  return { type: 'ok', filter: { from, to, wardCode: ward ?? null } };
}
