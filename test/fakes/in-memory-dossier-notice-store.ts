import type { DossierRepository } from '../../src/domain/dossiers/dossier.ts';
import type {
  DossierNoticeRecord,
  DossierNoticeStore,
} from '../../src/domain/notifications/dossier-notice-store.ts';

/** What was told about one dossier, and the message pending. */
interface Told {
  notifiedSeq: number;
  notifiedAt: Date | null;
  notifyDueAt: Date | null;
}

/**
 * A working in-memory {@link DossierNoticeStore} over a dossier repository (an InMemoryDossierRepository, say);
 * passes test/contracts/dossier-notice-store.contract.ts like the PostgreSQL one.
 */
export class InMemoryDossierNoticeStore implements DossierNoticeStore {
  readonly #dossiers: Pick<DossierRepository, 'findById' | 'history'>;
  readonly #told = new Map<string, Told>();

  constructor(dossiers: Pick<DossierRepository, 'findById' | 'history'>) {
    this.#dossiers = dossiers;
  }

  #of(dossierId: string): Told {
    let told = this.#told.get(dossierId);
    if (!told) {
      told = { notifiedSeq: 0, notifiedAt: null, notifyDueAt: null };
      this.#told.set(dossierId, told);
    }
    return told;
  }

  async load(dossierId: string): Promise<DossierNoticeRecord | null> {
    const dossier = await this.#dossiers.findById(dossierId);
    if (!dossier) return null;
    const told = this.#of(dossierId);
    const events = await this.#dossiers.history(dossierId);
    const last = events.find((e) => e.seq === told.notifiedSeq);
    const untold = events
      .filter((e) => e.seq > told.notifiedSeq)
      .map((e) => ({ seq: e.seq, status: e.status }));
    return {
      dossierId,
      citizenId: dossier.citizenId,
      code: dossier.code,
      procedure: dossier.procedure,
      status: dossier.status,
      expectedAt: dossier.expectedAt,
      note: dossier.note,
      lastSeq: untold.at(-1)?.seq ?? told.notifiedSeq,
      state: { ...told, toldStatus: last ? last.status : null, untold },
    };
  }

  async schedule(dossierId: string, dueAt: Date): Promise<boolean> {
    if (!(await this.#dossiers.findById(dossierId))) return false;
    const told = this.#of(dossierId);
    if (told.notifyDueAt !== null) return false;
    told.notifyDueAt = dueAt;
    return true;
  }

  async markTold(dossierId: string, seq: number, at: Date): Promise<void> {
    if (!(await this.#dossiers.findById(dossierId))) return;
    const told = this.#of(dossierId);
    Object.assign(told, { notifiedSeq: Math.max(told.notifiedSeq, seq), notifiedAt: at, notifyDueAt: null });
  }

  async clearDue(dossierId: string): Promise<void> {
    const told = this.#told.get(dossierId);
    if (told) told.notifyDueAt = null;
  }

  async overdue(olderThanMs: number, now: Date, limit = 500) {
    const before = now.getTime() - olderThanMs;
    const due: { dossierId: string; dueAt: Date }[] = [];
    for (const [dossierId, told] of this.#told) {
      if (
        told.notifyDueAt !== null &&
        told.notifyDueAt.getTime() < before &&
        (await this.#dossiers.findById(dossierId))
      )
        due.push({ dossierId, dueAt: told.notifyDueAt });
    }
    return due.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime()).slice(0, limit);
  }
}
