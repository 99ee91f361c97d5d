import { foldForMatch } from '../../src/shared/text.ts';

const YES = new Set(['co', 'c', 'yes', 'y', 'ok', 'dong y', 'toi dong y', 'agree', '1']);
const NO = new Set(['khong', 'k', 'ko', 'no', 'n', 'khong dong y', 'giu', 'keep', 'huy bo', '2']);

/** Reads a CO/KHONG answer (any case, with or without diacritics, or the button's number): yes, no or unclear. */
export function readYesNo(text: string): 'yes' | 'no' | null {
  const answer = foldForMatch(text);
  if (YES.has(answer)) return 'yes';
  if (NO.has(answer)) return 'no';
  return null;
}

/** Wrong answers allowed to a CO/KHONG question before the flow gives up and changes nothing. */
export const MAX_ANSWER_ATTEMPTS = 3;
