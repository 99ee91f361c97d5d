import type { DossierStatus } from '../dossiers/dossier.ts';
import { nextSendableAt, type QuietHours } from './quiet-hours.ts';

/** Updates of one dossier within this long after the citizen was told collapse into the next message. */
export const COLLAPSE_WINDOW_MS = 10 * 60 * 1000;

/** One entry of a dossier's history, as far as notices care. */
export interface NoticeEvent {
  readonly seq: number;
  readonly status: DossierStatus;
}

/** What is stored about a dossier's notices: what the citizen was told, when, and what is pending. */
export interface DossierNoticeState {
  /** The last event the citizen was told about (0: none yet). */
  readonly notifiedSeq: number;
  /** When they were last told, or null. */
  readonly notifiedAt: Date | null;
  /** When the pending message is due, or null when none is pending. */
  readonly notifyDueAt: Date | null;
  /** The status of event `notifiedSeq` (what the citizen last heard), or null when told nothing yet. */
  readonly toldStatus: DossierStatus | null;
  /** The events after `notifiedSeq`, oldest first. */
  readonly untold: readonly NoticeEvent[];
}

/** What to do after a dossier changed. */
export type DossierNoticePlan =
  /** No status the citizen was not told about. */
  | { readonly type: 'nothing' }
  /** A message is already due at `dueAt`: it will carry the new status too. */
  | { readonly type: 'pending'; readonly dueAt: Date }
  /** Send one message at `dueAt`. */
  | { readonly type: 'schedule'; readonly dueAt: Date };

/**
 * The statuses the citizen has not heard of, in order: each untold event whose status differs from the one
 * before it (a change of note or expected date alone is not a new status). Empty when there is nothing to tell.
 */
export function untoldStatuses(state: Pick<DossierNoticeState, 'toldStatus' | 'untold'>): DossierStatus[] {
  const steps: DossierStatus[] = [];
  let previous = state.toldStatus;
  for (const event of state.untold) {
    if (event.status !== previous) steps.push(event.status);
    previous = event.status;
  }
  return steps;
}

/**
 * Plans the message about a dossier at `now`. The first change is told at once; changes within
 * {@link COLLAPSE_WINDOW_MS} after the citizen was last told wait until that window ends, so they go out as one
 * message; either way the time is moved out of the quiet hours. A message already pending is left as it is.
 */
export function planDossierNotice(
  state: DossierNoticeState,
  now: Date,
  quiet: QuietHours | null,
): DossierNoticePlan {
  if (untoldStatuses(state).length === 0) return { type: 'nothing' };
  if (state.notifyDueAt !== null) return { type: 'pending', dueAt: state.notifyDueAt };
  const windowEnd =
    state.notifiedAt === null ? null : new Date(state.notifiedAt.getTime() + COLLAPSE_WINDOW_MS);
  const base = windowEnd !== null && windowEnd > now ? windowEnd : now;
  return { type: 'schedule', dueAt: nextSendableAt(base, quiet) };
}
