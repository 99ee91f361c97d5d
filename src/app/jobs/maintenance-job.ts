import { enqueueConversation, enqueueSend } from '../../queues/queues.ts';
import type { Services } from '../services.ts';
import { requeueLostWaits } from './handoff-wait-job.ts';

/** Work older than this without progress is considered lost (its job vanished) and queued again. */
export const STALLED_AFTER_MS = 2 * 60 * 1000;

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
export function createMaintenanceJob(services: Services) {
  const { inbox, outbox, queues, metrics, citizens, logger, dossierNotices, clock } = services;
  return async (): Promise<void> => {
    const conversations = await inbox.stalledConversations(STALLED_AFTER_MS);
    for (const key of conversations) await enqueueConversation(queues, key);
    const outbound = await outbox.stalledRecipients(STALLED_AFTER_MS, 500, clock());
    for (const recipient of outbound) await enqueueSend(queues, recipient);
    const notices = await dossierNotices.requeueLost(STALLED_AFTER_MS);
    await requeueLostWaits(
      { handoffs: services.handoffs, schedule: services.scheduleHandoffWait, clock },
      STALLED_AFTER_MS,
    );
    const purged = await inbox.purgeProcessed();
    const accountsPurged = await services.purgeAccounts();
    const overdue = await services.assistedRequests.overdue(
      new Date(clock().getTime() - STALLED_AFTER_MS),
      100,
    );
    for (const requestId of overdue) await services.assisted.expire(requestId, clock());
    // Data requests whose expiry job was lost: expired now, and their agencies' callbacks queued.
    const lostExpiries = await services.dataRequests.overdue(
      new Date(clock().getTime() - STALLED_AFTER_MS),
      100,
    );
    for (const requestId of lostExpiries) await services.dataRequestEvents.expire(requestId);
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
