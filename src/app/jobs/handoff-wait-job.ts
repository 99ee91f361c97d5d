import type { HandoffDesk } from '../../../flows/handoff/handoff-desk.ts';

/** What the waiting-notice job needs. */
export interface HandoffWaitJobDeps {
  readonly desk: Pick<HandoffDesk, 'remindWaiting'>;
  /** Queues this job again for the hand-off at `dueAt` (the next 07:00). */
  schedule(handoffId: number, dueAt: Date): Promise<void>;
  readonly clock: () => Date;
}

/**
 * The waiting notice of a hand-off to a person, 10 minutes after it opened: when nobody has taken it, the citizen
 * is told when to expect an answer, once, and the hand-off stays open. Outside answer hours (07:00-21:00 Vietnam
 * time) the job comes back at 07:00 and looks again, so nothing is said if a volunteer took it overnight. Safe
 * to run twice: the notice is marked on the hand-off and stored once (dedupe key).
 */
export function createHandoffWaitJob(deps: HandoffWaitJobDeps) {
  return async ({ handoffId }: { handoffId: number }): Promise<void> => {
    const outcome = await deps.desk.remindWaiting(handoffId, deps.clock());
    if (outcome.type === 'later') await deps.schedule(handoffId, outcome.at);
  };
}
