import type { Language } from '../../src/messaging/channel.ts';
import { vietnamDates } from '../../src/shared/vietnam-time.ts';
import { dossierStatusWords } from './dossier-status.copy.ts';
import { dossiersCopy } from './dossiers.copy.ts';
import type { DossierDetail, DossierLine } from './status.effects.ts';

/** Most history lines `TT <code>` shows (the latest ones): an SMS reply should stay a few segments. */
const MAX_HISTORY_LINES = 6;

/** The texts of `TT` about dossiers, composed from dossiers.copy.ts. */
export const dossierText = {
  /** The latest dossiers: code, procedure, status in words, expected date. */
  recent(language: Language, dossiers: readonly DossierLine[]): string {
    const copy = dossiersCopy[language];
    const lines = dossiers.map((d) =>
      copy.dossierLine(
        d.code,
        d.procedure,
        dossierStatusWords[language][d.status],
        d.expectedAt === null ? null : vietnamDates.isoDate(d.expectedAt),
      ),
    );
    return [copy.recentHeader(), ...lines, copy.recentFooter()].join('\n');
  },

  /** One dossier: what it is, its history (newest last) and what the citizen must do next. */
  detail(language: Language, dossier: DossierDetail): string {
    const copy = dossiersCopy[language];
    const history = dossier.history
      .slice(-MAX_HISTORY_LINES)
      .map((event) =>
        copy.historyLine(vietnamDates.day(event.at), dossierStatusWords[language][event.status]),
      );
    return [
      copy.dossierTitle(dossier.code, dossier.procedure, dossier.agencyName),
      ...history,
      nextStep(language, dossier),
    ].join('\n');
  },
};

/** What the citizen must do now, for the dossier's status. */
function nextStep(language: Language, dossier: DossierDetail): string {
  const copy = dossiersCopy[language];
  const note = dossier.note === null || dossier.note.trim() === '' ? null : sentence(dossier.note);
  const expected =
    dossier.expectedAt === null ? [] : [copy.expected(vietnamDates.isoDate(dossier.expectedAt))];
  const parts = (() => {
    switch (dossier.status) {
      case 'received':
      case 'processing':
        return [...expected, copy.waitForNews()];
      case 'needs_more_info':
        return [...(note ? [copy.agencyNote(note)] : []), copy.bringMissing(dossier.agencyName)];
      case 'completed':
        return [...(note ? [copy.agencyNote(note)] : []), copy.resultReady()];
      case 'rejected':
        return [...(note ? [copy.reason(note)] : []), copy.contactAgency(dossier.agencyName)];
      case 'returned':
        return [...(note ? [copy.agencyNote(note)] : []), copy.contactAgency(dossier.agencyName)];
    }
  })();
  return parts.join(' ');
}

/** A note as a sentence: trimmed, ending with a full stop unless it ends with other punctuation. */
function sentence(note: string): string {
  const text = note.trim().replace(/\s+/gu, ' ');
  return /[.!?…]$/u.test(text) ? text : `${text}.`;
}
