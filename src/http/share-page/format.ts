import type { PageLanguage } from './share-page.copy.ts';

/** Vietnam has one offset all year (UTC+7, no daylight saving). */
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

const pad = (n: number) => String(n).padStart(2, '0');

/** `2025-06-08` as `08/06/2025`. */
export function formatDay(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}

/** A moment in Vietnam time: `{ time: '14:30', day: '08/06/2025' }`. */
export function formatMoment(moment: Date): { time: string; day: string } {
  const local = new Date(moment.getTime() + VIETNAM_OFFSET_MS);
  return {
    time: `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`,
    day: `${pad(local.getUTCDate())}/${pad(local.getUTCMonth() + 1)}/${local.getUTCFullYear()}`,
  };
}

/** A file size for people: `820 KB`, `1,5 MB` (vi) or `1.5 MB` (en). */
export function formatSize(bytes: number, lang: PageLanguage): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.ceil(bytes / 1024))} KB`;
  const mb = (bytes / (1024 * 1024)).toFixed(1);
  return `${lang === 'vi' ? mb.replace('.', ',') : mb} MB`;
}
