import { type HandoffDesk, WAITING_NOTICE_AFTER_MS } from '../../flows/handoff/handoff-desk.ts';
import type { HandoffRepository } from '../domain/handoffs/handoff.ts';

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

/** What re-queuing lost waiting-notice jobs needs. */
export interface RequeueWaitsDeps {
  readonly handoffs: Pick<HandoffRepository, 'list'>;
  /** Queues the waiting-notice job of a hand-off for `dueAt`: one job per hand-off and due time (deduplicated). */
  schedule(handoffId: number, dueAt: Date): Promise<void>;
  readonly clock: () => Date;
}

/** The open hand-offs looked at by {@link requeueLostWaits}, newest first (the repository's list cap). */
export const REQUEUE_WAITS_LIMIT = 1000;

/**
 * For the maintenance job: queues again the waiting notice of every open hand-off (of the newest
 * {@link REQUEUE_WAITS_LIMIT}) whose notice was due more than `olderThanMs` ago and was never sent, e.g. its job
 * was lost with Redis' data. It is queued with the job id of the first one (due 10 minutes after opening), so a
 * job still delayed, or kept after it ran (a day), makes this add nothing; one that runs again sends the notice
 * at most once (see {@link createHandoffWaitJob}). Resolves how many it looked at again.
 */
export async function requeueLostWaits(deps: RequeueWaitsDeps, olderThanMs: number): Promise<number> {
  const now = deps.clock().getTime();
  const open = await deps.handoffs.list({ status: 'open', limit: REQUEUE_WAITS_LIMIT });
  const lost = open.filter(
    (h) => h.waitingNoticeAt === null && h.createdAt.getTime() + WAITING_NOTICE_AFTER_MS + olderThanMs <= now,
  );
  for (const handoff of lost)
    await deps.schedule(handoff.id, new Date(handoff.createdAt.getTime() + WAITING_NOTICE_AFTER_MS));
  return lost.length;
}
