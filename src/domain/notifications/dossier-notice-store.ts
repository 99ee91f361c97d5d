import type { DossierStatus } from '../dossiers/dossier.ts';
import type { DossierNoticeState } from './dossier-notice-plan.ts';

/** A dossier as its notice needs it: what to say, to whom, and what the citizen was already told. */
export interface DossierNoticeRecord {
  readonly dossierId: string;
  readonly citizenId: string;
  readonly code: string;
  readonly procedure: string;
  readonly status: DossierStatus;
  /** YYYY-MM-DD. */
  readonly expectedAt: string | null;
  /** The agency's current note (decrypted). */
  readonly note: string | null;
  /** The last event of the history (0: none). */
  readonly lastSeq: number;
  readonly state: DossierNoticeState;
}

/**
 * What the citizen was told about each dossier of the dossier repository, and the message pending. Contract
 * (test/contracts/dossier-notice-store.contract.ts, PostgreSQL and the in-memory fake):
 * - `load` gives the dossier as it now is, the status of the last event told and the events after it;
 * - `schedule` sets the due time only when no message is pending, so a dossier has one pending message;
 * - `markTold` never goes back to an earlier event, and clears the pending message; `clearDue` only clears it;
 * - `overdue` lists the pending messages due more than `olderThanMs` before `now`, earliest first.
 */
export interface DossierNoticeStore {
  /** The dossier, its notice state and the events after the last one told; null for an unknown dossier. */
  load(dossierId: string): Promise<DossierNoticeRecord | null>;
  /** Marks a message due at `dueAt`, unless one is pending already; resolves whether this call set it. */
  schedule(dossierId: string, dueAt: Date): Promise<boolean>;
  /** Records that the citizen was told everything up to event `seq` at `at`; nothing is pending any more. */
  markTold(dossierId: string, seq: number, at: Date): Promise<void>;
  /** Forgets the pending message (there was nothing new to tell). */
  clearDue(dossierId: string): Promise<void>;
  /** Dossiers whose message was due more than `olderThanMs` before `now` and is still pending (job lost). */
  overdue(olderThanMs: number, now: Date, limit?: number): Promise<{ dossierId: string; dueAt: Date }[]>;
}
