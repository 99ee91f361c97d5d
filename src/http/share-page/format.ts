import { vietnamDates } from '../../shared/vietnam-time.ts';
import type { PageLanguage } from './share-page.copy.ts';

/** `2025-06-08` as `08/06/2025`. */
export const formatDay = vietnamDates.isoDate;

/** A moment in Vietnam time: `{ time: '14:30', day: '08/06/2025' }`. */
export function formatMoment(moment: Date): { time: string; day: string } {
  return { time: vietnamDates.time(moment), day: vietnamDates.day(moment) };
}

/** A file size for people: `820 KB`, `1,5 MB` (vi) or `1.5 MB` (en). */
export function formatSize(bytes: number, lang: PageLanguage): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.ceil(bytes / 1024))} KB`;
  const mb = (bytes / (1024 * 1024)).toFixed(1);
  return `${lang === 'vi' ? mb.replace('.', ',') : mb} MB`;
}
