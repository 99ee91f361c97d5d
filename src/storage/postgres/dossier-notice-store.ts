import { DOSSIER_STATUSES, type DossierStatus } from '../../domain/dossiers/dossier.ts';
import type {
  DossierNoticeRecord,
  DossierNoticeStore,
} from '../../domain/notifications/dossier-notice-store.ts';
import type { DataCipher } from '../../shared/crypto.ts';
import type { Database } from './database.ts';

const toStatus = (value: string): DossierStatus => {
  const status = DOSSIER_STATUSES.find((s) => s === value);
  if (!status) throw new Error('unknown dossier status in the database');
  return status;
};
const toDate = (value: Date | string | null) => (value === null ? null : new Date(value));

/**
 * What the citizen was told about each dossier, over the `dossiers` columns `notified_seq`, `notified_at`,
 * `notify_due_at` and the `dossier_events` history (migration 003). `notify_due_at` set means one message is
 * pending (its `notice` job is queued); only one planner can set it, so a dossier has one pending message.
 */
export class PgDossierNoticeStore implements DossierNoticeStore {
  readonly #db: Database;
  readonly #cipher: DataCipher;

  constructor(db: Database, cipher: DataCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  /**
   * The dossier, its notice state and the events after the last one told; null for an unknown dossier. One
   * statement (it is on the path of every agency dossier update): the events come as two arrays, in order.
   */
  async load(dossierId: string): Promise<DossierNoticeRecord | null> {
    const { rows } = await this.#db.query<{
      citizen_id: string;
      code: string;
      procedure: string;
      status: string;
      expected_at: string | null;
      note_enc: string | null;
      notified_seq: number;
      notified_at: Date | string | null;
      notify_due_at: Date | string | null;
      event_seqs: number[];
      event_statuses: string[];
    }>(
      `SELECT d.citizen_id, d.code, d.procedure, d.status, to_char(d.expected_at, 'YYYY-MM-DD') AS expected_at,
              d.note_enc, d.notified_seq, d.notified_at, d.notify_due_at,
              array(SELECT e.seq FROM dossier_events e
                    WHERE e.dossier_id = d.id AND e.seq >= d.notified_seq ORDER BY e.seq) AS event_seqs,
              array(SELECT e.status FROM dossier_events e
                    WHERE e.dossier_id = d.id AND e.seq >= d.notified_seq ORDER BY e.seq) AS event_statuses
       FROM dossiers d WHERE d.id = $1`,
      [dossierId],
    );
    const row = rows[0];
    if (!row) return null;
    const events = row.event_seqs.map((seq, i) => ({
      seq: Number(seq),
      status: row.event_statuses[i] ?? '',
    }));
    const told = events.find((e) => e.seq === row.notified_seq);
    const untold = events
      .filter((e) => e.seq > row.notified_seq)
      .map((e) => ({ seq: e.seq, status: toStatus(e.status) }));
    return {
      dossierId,
      citizenId: row.citizen_id,
      code: row.code,
      procedure: row.procedure,
      status: toStatus(row.status),
      expectedAt: row.expected_at,
      note: row.note_enc === null ? null : this.#cipher.decrypt(row.note_enc),
      lastSeq: untold.at(-1)?.seq ?? row.notified_seq,
      state: {
        notifiedSeq: row.notified_seq,
        notifiedAt: toDate(row.notified_at),
        notifyDueAt: toDate(row.notify_due_at),
        toldStatus: told ? toStatus(told.status) : null,
        untold,
      },
    };
  }

  /** Marks a message due at `dueAt`, unless one is pending already; resolves whether this call set it. */
  async schedule(dossierId: string, dueAt: Date): Promise<boolean> {
    const { rowCount } = await this.#db.query(
      'UPDATE dossiers SET notify_due_at = $2 WHERE id = $1 AND notify_due_at IS NULL',
      [dossierId, dueAt],
    );
    return rowCount > 0;
  }

  /** Records that the citizen was told everything up to event `seq` at `at`; nothing is pending any more. */
  async markTold(dossierId: string, seq: number, at: Date): Promise<void> {
    await this.#db.query(
      `UPDATE dossiers SET notified_seq = GREATEST(notified_seq, $2), notified_at = $3, notify_due_at = NULL
       WHERE id = $1`,
      [dossierId, seq, at],
    );
  }

  /** Forgets the pending message (there was nothing new to tell). */
  async clearDue(dossierId: string): Promise<void> {
    await this.#db.query('UPDATE dossiers SET notify_due_at = NULL WHERE id = $1', [dossierId]);
  }

  /** Dossiers whose message was due more than `olderThanMs` before `now` and is still pending (job lost). */
  async overdue(olderThanMs: number, now: Date, limit = 500): Promise<{ dossierId: string; dueAt: Date }[]> {
    const { rows } = await this.#db.query<{ id: string; notify_due_at: Date | string }>(
      `SELECT id, notify_due_at FROM dossiers
       WHERE notify_due_at IS NOT NULL AND notify_due_at < $1::timestamptz - ($2::int * interval '1 millisecond')
       ORDER BY notify_due_at LIMIT $3`,
      [now, olderThanMs, limit],
    );
    return rows.map((r) => ({ dossierId: r.id, dueAt: new Date(r.notify_due_at) }));
  }
}
