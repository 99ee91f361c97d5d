import type { Agency } from '../../src/domain/agencies/agency.ts';
import {
  type DocumentRecord,
  type DocumentRepository,
  type IssueDocumentOutcome,
  type NewDocument,
  samePaper,
} from '../../src/domain/documents/document.ts';

/**
 * A working in-memory {@link DocumentRepository}; passes test/contracts/document-repository.contract.ts.
 * Agencies are looked up in `agencies` (an InMemoryAgencyRepository, say) to fill in each paper's issuer;
 * without one, or for an agency it does not know, the issuer is named after its id.
 */
export class InMemoryDocumentRepository implements DocumentRepository {
  readonly documents: DocumentRecord[] = [];
  readonly audit: { action: string; citizenId: string; details: Record<string, string> }[] = [];
  readonly #agencies: { readonly agencies: readonly Agency[] } | undefined;

  constructor(agencies?: { readonly agencies: readonly Agency[] }) {
    this.#agencies = agencies;
  }

  async issue(document: NewDocument): Promise<IssueDocumentOutcome> {
    const existing = this.documents.find(
      (d) => d.agency.id === document.agencyId && d.number === document.number,
    );
    if (existing) {
      return { type: samePaper(existing, document) ? 'existing' : 'number_reused', document: existing };
    }
    const { agencyId, ...fields } = document;
    const agency = this.#agencies?.agencies.find((a) => a.id === agencyId);
    const record: DocumentRecord = {
      ...fields,
      agency: agency
        ? { id: agency.id, code: agency.code, name: agency.name }
        : { id: agencyId, code: agencyId, name: agencyId },
      createdAt: new Date(),
    };
    this.documents.push(record);
    this.audit.push({
      action: 'document_issued',
      citizenId: record.citizenId,
      details: { agencyId, documentId: record.id },
    });
    return { type: 'created', document: record };
  }

  async findById(id: string) {
    return this.documents.find((d) => d.id === id) ?? null;
  }

  async listByCitizen(citizenId: string) {
    return this.documents.filter((d) => d.citizenId === citizenId);
  }

  async deleteByCitizen(citizenId: string) {
    const kept = this.documents.filter((d) => d.citizenId !== citizenId);
    this.documents.splice(0, this.documents.length, ...kept);
  }
}
