import type { Logger } from 'pino';
import { dossierNoticeText } from '../../flows/notices/notices.copy.ts';
import type { CitizenRepository } from '../domain/citizens/citizen-repository.ts';
import type { Dossier } from '../domain/dossiers/dossier.ts';
import { planDossierNotice, untoldStatuses } from '../domain/notifications/dossier-notice-plan.ts';
import type { DossierNoticeStore } from '../domain/notifications/dossier-notice-store.ts';
import type { QuietHours } from '../domain/notifications/quiet-hours.ts';
import type { Notify } from './notify.ts';

/** A notice job that wakes up this much before its due time (clocks of two machines) still sends. */
const EARLY_TOLERANCE_MS = 5000;

/** Telling citizens about their dossiers: planning on every change, sending when due. */
export interface DossierNotices {
  /**
   * Called after every accepted agency update of a dossier (created, updated or unchanged). Idempotent: it looks
   * at the stored history, and plans one message when a status the citizen was not told about exists and no
   * message is pending.
   */
  statusChanged(dossier: Pick<Dossier, 'id'>, at: Date): Promise<void>;
  /** The `notice` job: sends one message with everything untold about the dossier, then marks it told. */
  send(dossierId: string): Promise<void>;
  /** Queues again the notices due more than `olderThanMs` ago whose job was lost; resolves how many. */
  requeueLost(olderThanMs: number): Promise<number>;
}

/**
 * Dossier notices. The first change is told at once; changes within 10 minutes of the last message wait for
 * the end of those 10 minutes and go out as one message; quiet hours push either to the morning. The due time is
 * stored (`notify_due_at`) before its delayed `notice` job is queued, so the maintenance job can re-queue a lost
 * job; the message's dedupe key `dossier-<id>-<lastSeq>` makes a re-run send nothing twice.
 */
export function createDossierNotices(deps: {
  store: DossierNoticeStore;
  citizens: Pick<CitizenRepository, 'findById'>;
  notify: Notify;
  /** Queues the `notice` job of a dossier, due at `dueAt`, in `delayMs` (one job per dossier and due time). */
  queueNotice(dossierId: string, dueAt: Date, delayMs: number): Promise<void>;
  clock: () => Date;
  quietHours: QuietHours | null;
  logger: Pick<Logger, 'info'>;
}): DossierNotices {
  const { store, clock } = deps;

  const plan = async (dossierId: string, at: Date) => {
    const record = await store.load(dossierId);
    if (!record) return;
    const decision = planDossierNotice(record.state, at, deps.quietHours);
    if (decision.type !== 'schedule') return;
    if (!(await store.schedule(dossierId, decision.dueAt))) return;
    const delayMs = decision.dueAt.getTime() - clock().getTime();
    await deps.queueNotice(dossierId, decision.dueAt, delayMs);
  };

  return {
    statusChanged: (dossier, at) => plan(dossier.id, at),

    async send(dossierId) {
      const record = await store.load(dossierId);
      if (!record) return;
      const now = clock();
      const due = record.state.notifyDueAt;
      // A later message is planned (this job is a stale one): that message's own job sends it.
      if (due !== null && due.getTime() > now.getTime() + EARLY_TOLERANCE_MS) return;
      const steps = untoldStatuses(record.state);
      const latest = steps.at(-1);
      if (latest === undefined) {
        await store.clearDue(dossierId);
        return;
      }
      const citizen = await deps.citizens.findById(record.citizenId);
      if (citizen) {
        const facts = {
          code: record.code,
          procedure: record.procedure,
          status: latest,
          earlier: steps.slice(0, -1),
          expectedAt: record.expectedAt,
          note: record.note,
        };
        await deps.notify(citizen, `dossier-${dossierId}-${record.lastSeq}`, (language) => ({
          text: dossierNoticeText(language, facts),
        }));
      }
      await store.markTold(dossierId, record.lastSeq, now);
      deps.logger.info({ dossierId, seq: record.lastSeq, steps: steps.length }, 'dossier notice sent');
      // A change stored while this message was composed found it pending: plan it now.
      await plan(dossierId, now);
    },

    async requeueLost(olderThanMs) {
      const lost = await store.overdue(olderThanMs, clock());
      for (const { dossierId, dueAt } of lost) await deps.queueNotice(dossierId, dueAt, 0);
      return lost.length;
    },
  };
}
