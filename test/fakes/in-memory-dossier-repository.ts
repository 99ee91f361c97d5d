import { randomUUID } from 'node:crypto';
import type { Agency } from '../../src/domain/agencies/agency.ts';
import {
  type Dossier,
  type DossierEvent,
  type DossierRepository,
  type DossierUpdate,
  normalizeDossierCode,
  type UpsertDossierOutcome,
} from '../../src/domain/dossiers/dossier.ts';

/**
 * A working in-memory {@link DossierRepository}; passes test/contracts/dossier-repository.contract.ts.
 * Agencies are looked up in `agencies` (an InMemoryAgencyRepository, say) to fill in each dossier's agency;
 * without one, or for an agency it does not know, the agency is named after its id.
 */
export class InMemoryDossierRepository implements DossierRepository {
  readonly dossiers: Dossier[] = [];
  /** Each dossier's history by dossier id, oldest first. */
  readonly events = new Map<string, DossierEvent[]>();
  readonly audit: { action: string; citizenId: string; details: Record<string, string> }[] = [];
  readonly #agencies: { readonly agencies: readonly Agency[] } | undefined;

  constructor(agencies?: { readonly agencies: readonly Agency[] }) {
    this.#agencies = agencies;
  }

  async upsert({ code, ...rest }: DossierUpdate): Promise<UpsertDossierOutcome> {
    const update = { ...rest, code: normalizeDossierCode(code) };
    const index = this.dossiers.findIndex((d) => d.code === update.code);
    const current = this.dossiers[index];
    const event = (seq: number): DossierEvent => ({
      seq,
      status: update.status,
      note: update.note,
      expectedAt: update.expectedAt,
      at: update.at,
    });
    if (!current) {
      const agency = this.#agencies?.agencies.find((a) => a.id === update.agencyId);
      const dossier: Dossier = {
        id: randomUUID(),
        code: update.code,
        agency: agency
          ? { id: agency.id, code: agency.code, name: agency.name }
          : { id: update.agencyId, code: update.agencyId, name: update.agencyId },
        citizenId: update.citizenId,
        procedure: update.procedure,
        status: update.status,
        expectedAt: update.expectedAt,
        note: update.note,
        createdAt: update.at,
        updatedAt: update.at,
      };
      this.dossiers.push(dossier);
      this.events.set(dossier.id, [event(1)]);
      this.#audit('dossier_created', dossier, update);
      return { type: 'created', dossier, statusChanged: true };
    }
    if (current.agency.id !== update.agencyId) return { type: 'other_agency' };
    if (current.citizenId !== update.citizenId) return { type: 'other_citizen' };
    const eventful =
      current.status !== update.status ||
      current.expectedAt !== update.expectedAt ||
      current.note !== update.note;
    if (!eventful && current.procedure === update.procedure) {
      return { type: 'unchanged', dossier: current, statusChanged: false };
    }
    const dossier: Dossier = {
      ...current,
      procedure: update.procedure,
      status: update.status,
      expectedAt: update.expectedAt,
      note: update.note,
      updatedAt: update.at,
    };
    this.dossiers[index] = dossier;
    const history = this.events.get(dossier.id) ?? [];
    if (eventful) history.push(event(history.length + 1));
    this.events.set(dossier.id, history);
    this.#audit('dossier_updated', dossier, update);
    return { type: 'updated', dossier, statusChanged: current.status !== update.status };
  }

  async findById(id: string) {
    return this.dossiers.find((d) => d.id === id) ?? null;
  }

  async findByCode(code: string) {
    const normal = normalizeDossierCode(code);
    return this.dossiers.find((d) => d.code === normal) ?? null;
  }

  async listByCitizen(citizenId: string, limit: number) {
    return this.dossiers
      .filter((d) => d.citizenId === citizenId)
      .sort(
        (a, b) =>
          b.updatedAt.getTime() - a.updatedAt.getTime() || b.createdAt.getTime() - a.createdAt.getTime(),
      )
      .slice(0, limit);
  }

  async history(dossierId: string) {
    return [...(this.events.get(dossierId) ?? [])];
  }

  async deleteByCitizen(citizenId: string) {
    for (const dossier of this.dossiers.filter((d) => d.citizenId === citizenId))
      this.events.delete(dossier.id);
    this.dossiers.splice(0, this.dossiers.length, ...this.dossiers.filter((d) => d.citizenId !== citizenId));
  }

  #audit(action: string, dossier: Dossier, update: DossierUpdate) {
    this.audit.push({
      action,
      citizenId: dossier.citizenId,
      details: { agencyId: update.agencyId, dossierId: dossier.id, status: update.status },
    });
  }
}
