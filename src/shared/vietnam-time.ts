/**
 * Dates as citizens read them: dd/mm/yyyy, in Vietnam time (Asia/Ho_Chi_Minh, UTC+7 all year, no daylight
 * saving), whatever the server's time zone.
 */
export const vietnamDates = {
  /** A calendar date stored as YYYY-MM-DD, shown as dd/mm/yyyy. */
  isoDate(date: string): string {
    const [year, month, day] = date.split('-');
    return `${day}/${month}/${year}`;
  },
  /** The day of a moment in Vietnam: dd/mm/yyyy. */
  day(at: Date): string {
    const p = parts(at);
    return `${p.day}/${p.month}/${p.year}`;
  },
  /** A moment in Vietnam with its year: HH:MM dd/mm/yyyy. */
  moment(at: Date): string {
    const p = parts(at);
    return `${p.hour}:${p.minute} ${p.day}/${p.month}/${p.year}`;
  },
  /** The time of day of a moment in Vietnam: HH:MM. */
  time(at: Date): string {
    const p = parts(at);
    return `${p.hour}:${p.minute}`;
  },
  /** A moment in Vietnam, time first, without the year: HH:MM dd/mm. */
  timeAndDay(at: Date): string {
    const p = parts(at);
    return `${p.hour}:${p.minute} ${p.day}/${p.month}`;
  },
  /** A recent moment in Vietnam, without the year: dd/mm HH:MM. */
  recent(at: Date): string {
    const p = parts(at);
    return `${p.day}/${p.month} ${p.hour}:${p.minute}`;
  },
};

/** Vietnam's offset from UTC: UTC+7 all year (no daylight saving since 1975). */
export const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;

function parts(at: Date) {
  const local = new Date(at.getTime() + VIETNAM_OFFSET_MS);
  const two = (n: number) => String(n).padStart(2, '0');
  return {
    year: String(local.getUTCFullYear()),
    month: two(local.getUTCMonth() + 1),
    day: two(local.getUTCDate()),
    hour: two(local.getUTCHours()),
    minute: two(local.getUTCMinutes()),
  };
}
