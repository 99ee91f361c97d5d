import type { Logger } from 'pino';
import type { AssistedRequestRepository } from '../domain/assisted/assisted-request.ts';
import type { CitizenRepository } from '../domain/citizens/citizen-repository.ts';
import type { DataRequestRepository } from '../domain/datarequests/data-request.ts';
import type { Inbox } from '../storage/postgres/inbox.ts';
import type { Outbox, Recipient } from '../storage/postgres/outbox.ts';
import type { DataRequestEvents } from './data-requests.ts';
import type { DossierNotices } from './dossier-notices.ts';
import { type RequeueWaitsDeps, requeueLostWaits } from './handoff-wait-job.ts';

/** Work older than this without progress is considered lost (its job vanished) and queued again. */
export const STALLED_AFTER_MS = 2 * 60 * 1000;

/** What the maintenance job needs. */
export interface MaintenanceJobDeps {
  readonly inbox: Pick<Inbox, 'stalledConversations' | 'purgeProcessed'>;
  readonly outbox: Pick<Outbox, 'stalledRecipients'>;
  /** Queues the turn of a conversation (deduplicated: one job per conversation). */
  queueTurn(conversationKey: string): Promise<void>;
  /** Queues the send job of a recipient (deduplicated: one job per recipient). */
  queueSend(recipient: Recipient): Promise<void>;
  readonly dossierNotices: Pick<DossierNotices, 'requeueLost'>;
  readonly handoffs: RequeueWaitsDeps['handoffs'];
  readonly scheduleHandoffWait: RequeueWaitsDeps['schedule'];
  /** Purges the closed accounts whose 30 days are over; resolves how many. */
  purgeAccounts(): Promise<number>;
  readonly assistedRequests: Pick<AssistedRequestRepository, 'overdue'>;
  /** Expires an assisted-registration request (telling its volunteer, once). */
  readonly assisted: { expire(requestId: string, at: Date): Promise<unknown> };
  readonly dataRequests: Pick<DataRequestRepository, 'overdue'>;
  readonly dataRequestEvents: Pick<DataRequestEvents, 'expire'>;
  readonly citizens: Pick<CitizenRepository, 'countByStatus'>;
  /** The gauge of accounts by status (`/metrics`), refreshed on every run. */
  readonly metrics: { readonly registrations: { set(labels: { status: string }, value: number): void } };
  readonly logger: Pick<Logger, 'info'>;
  readonly clock: () => Date;
}

/**
 * Housekeeping, every minute: re-queues conversations, recipients of outbound messages and dossier notices whose
 * jobs were lost (e.g. Redis restarted without its data), refreshes the gauges, and purges handled inbound
 * messages once their deduplication window is over. Queuing is deduplicated, so work in progress is not doubled.
 * The waiting notices of open hand-offs never sent 2 minutes after they were due are queued again too (their job
 * id is that of the first job, so a job still there makes it add nothing).
 * A message held back by quiet hours counts as stalled only 2 minutes after its `not_before`. It also purges the
 * closed accounts whose 30 days are over (`purgeDueAccounts`), and expires the assisted-registration requests
 * whose expiry job was lost (telling their volunteer, once) and the data requests whose expiry job was lost.
 */
export function createMaintenanceJob(deps: MaintenanceJobDeps) {
  const { inbox, outbox, metrics, citizens, logger, dossierNotices, clock } = deps;
  return async (): Promise<void> => {
    const conversations = await inbox.stalledConversations(STALLED_AFTER_MS);
    for (const key of conversations) await deps.queueTurn(key);
    const outbound = await outbox.stalledRecipients(STALLED_AFTER_MS, 500, clock());
    for (const recipient of outbound) await deps.queueSend(recipient);
    const notices = await dossierNotices.requeueLost(STALLED_AFTER_MS);
    await requeueLostWaits(
      { handoffs: deps.handoffs, schedule: deps.scheduleHandoffWait, clock },
      STALLED_AFTER_MS,
    );
    const purged = await inbox.purgeProcessed();
    const accountsPurged = await deps.purgeAccounts();
    const overdue = await deps.assistedRequests.overdue(new Date(clock().getTime() - STALLED_AFTER_MS), 100);
    for (const requestId of overdue) await deps.assisted.expire(requestId, clock());
    // Data requests whose expiry job was lost: expired now, and their agencies' callbacks queued.
    const lostExpiries = await deps.dataRequests.overdue(new Date(clock().getTime() - STALLED_AFTER_MS), 100);
    for (const requestId of lostExpiries) await deps.dataRequestEvents.expire(requestId);
    if (accountsPurged > 0) logger.info({ accountsPurged }, 'closed accounts purged');
    if (
      conversations.length + outbound.length + notices + purged + overdue.length + lostExpiries.length >
      0
    ) {
      logger.info(
        {
          conversations: conversations.length,
          recipients: outbound.length,
          notices,
          purged,
          assistedExpired: overdue.length,
          dataRequestsExpired: lostExpiries.length,
        },
        'maintenance',
      );
    }
    for (const [status, n] of Object.entries(await citizens.countByStatus()))
      metrics.registrations.set({ status }, n);
  };
}
