import type { ContactRepository } from '../contacts/contact.ts';
import type { DataRequestRepository } from '../datarequests/data-request.ts';
import type { DocumentRepository } from '../documents/document.ts';
import type { DossierRepository } from '../dossiers/dossier.ts';
import type { ShareRepository } from '../shares/share.ts';
import { formatAccountCode } from './account-code.ts';
import type { CitizenRepository } from './citizen-repository.ts';

/** What {@link exportCitizenData} reads: the ports, narrowed to what it uses. */
export interface ExportDataDeps {
  readonly citizens: Pick<CitizenRepository, 'findById' | 'findProfile' | 'listConsents'>;
  readonly contacts: Pick<ContactRepository, 'findByCitizen'>;
  readonly documents: Pick<DocumentRepository, 'listByCitizen'>;
  readonly dossiers: Pick<DossierRepository, 'listByCitizen' | 'history'>;
  readonly shares: Pick<ShareRepository, 'listByCitizen' | 'recentViewsFor'>;
  /** Agencies' data requests and the citizen's answers; absent: none are listed. */
  readonly dataRequests?: Pick<DataRequestRepository, 'listByCitizen'>;
}

/** The name and version of the export's shape, first in the document. */
export const EXPORT_FORMAT = 'dcz-citizen-data-export/1';

/** Upper bounds that no real account reaches (the export lists everything). */
const ALL_DOSSIERS = 10_000;
const ALL_VIEWS = 100_000;

const iso = (at: Date | null) => (at === null ? null : at.toISOString());

/**
 * Everything the service holds about a citizen, as a JSON-ready object (dates as ISO 8601 strings): the account,
 * the identity they gave, their profile, every consent (given and withdrawn), their channel identities (never
 * provider tokens), their papers (the records with SHA-256 and signature, not the files), their dossiers with
 * history, their share links with every view (the viewer's IP only as its keyed hash), and every agency's data
 * request with the citizen's answer (who asked, what, when, how it was answered, when the agency read it). Null when the account
 * does not exist or was purged. This is the data-access right of Law 91/2025: served by the `DULIEU` link.
 */
export async function exportCitizenData(deps: ExportDataDeps, citizenId: string, at: Date = new Date()) {
  const [citizen, profile] = await Promise.all([
    deps.citizens.findById(citizenId),
    deps.citizens.findProfile(citizenId),
  ]);
  if (citizen === null || profile === null) return null;
  const [consents, contacts, documents, dossiers, shares] = await Promise.all([
    deps.citizens.listConsents(citizenId),
    deps.contacts.findByCitizen(citizenId),
    deps.documents.listByCitizen(citizenId),
    deps.dossiers.listByCitizen(citizenId, ALL_DOSSIERS),
    deps.shares.listByCitizen(citizenId),
  ]);
  const requests = (await deps.dataRequests?.listByCitizen(citizenId)) ?? [];
  const views = await deps.shares.recentViewsFor(
    shares.map((share) => share.id),
    ALL_VIEWS,
  );
  return {
    format: EXPORT_FORMAT,
    exportedAt: at.toISOString(),
    account: {
      code: formatAccountCode(citizen.accountCode),
      status: citizen.status,
      mismatchField: citizen.mismatchField,
      openedVia: citizen.createdVia,
      createdAt: citizen.createdAt.toISOString(),
      verifiedAt: iso(citizen.verifiedAt),
      closedAt: iso(citizen.closedAt),
      purgeAfter: iso(citizen.purgeAfter),
    },
    identity: {
      fullName: profile.fullName,
      cccd: profile.cccd,
      dateOfBirth: profile.dateOfBirth,
      phone: profile.phone,
    },
    profile: { address: profile.address, email: profile.email },
    consents: consents.map((consent) => ({
      purpose: consent.purpose,
      textVersion: consent.textVersion,
      channel: consent.channel,
      language: consent.language,
      givenAt: consent.givenAt.toISOString(),
      withdrawnAt: iso(consent.withdrawnAt),
      // Given through a volunteer (DKH): how, and with which team member (ids only).
      ...(consent.assisted
        ? {
            givenThrough: {
              how: consent.assisted.how,
              teamId: consent.assisted.teamId,
              memberId: consent.assisted.memberId,
            },
          }
        : {}),
    })),
    contacts: contacts.map((contact) => ({
      channel: contact.channel,
      address: contact.address,
      language: contact.language,
      optedOutAt: iso(contact.optedOutAt),
      linkedAt: iso(contact.linkedAt),
      provenPhone: contact.phone,
    })),
    papers: documents.map((document) => ({
      id: document.id,
      issuer: { code: document.agency.code, name: document.agency.name },
      typeCode: document.typeCode,
      title: document.title,
      number: document.number,
      issuedAt: document.issuedAt,
      expiresAt: document.expiresAt,
      contentType: document.contentType,
      sizeBytes: document.sizeBytes,
      sha256: document.sha256,
      signature: document.signature,
      signingKeyId: document.signingKeyId,
      storedAt: document.createdAt.toISOString(),
    })),
    dossiers: await Promise.all(
      dossiers.map(async (dossier) => ({
        code: dossier.code,
        agency: { code: dossier.agency.code, name: dossier.agency.name },
        procedure: dossier.procedure,
        status: dossier.status,
        expectedAt: dossier.expectedAt,
        note: dossier.note,
        createdAt: dossier.createdAt.toISOString(),
        updatedAt: dossier.updatedAt.toISOString(),
        history: (await deps.dossiers.history(dossier.id)).map((event) => ({
          seq: event.seq,
          status: event.status,
          note: event.note,
          expectedAt: event.expectedAt,
          at: event.at.toISOString(),
        })),
      })),
    ),
    shares: shares.map((share) => ({
      id: share.id,
      kind: share.kind,
      paperId: share.documentId,
      createdAt: share.createdAt.toISOString(),
      expiresAt: share.expiresAt.toISOString(),
      revokedAt: iso(share.revokedAt),
      maxViews: share.maxViews,
      viewCount: share.viewCount,
      views: [...(views.get(share.id) ?? [])].reverse().map((view) => ({
        at: view.at.toISOString(),
        ipHash: view.ipHash,
        userAgentClass: view.userAgentClass,
        place: view.place,
      })),
    })),
    // Each request and the consent given or refused in it: who asked, for what, which items, when and how.
    dataRequests: requests.map((request) => ({
      id: request.id,
      agency: { code: request.agency.code, name: request.agency.name },
      purpose: request.purpose,
      fields: [...request.fields],
      documentTypes: [...request.documentTypes],
      status: request.status,
      createdAt: request.createdAt.toISOString(),
      expiresAt: request.expiresAt.toISOString(),
      decidedAt: iso(request.decidedAt),
      answeredVia: request.decidedVia,
      readableUntil: iso(request.readableUntil),
      firstReadAt: iso(request.firstReadAt),
      lastReadAt: iso(request.lastReadAt),
    })),
  };
}

/** The citizen's data export, as {@link exportCitizenData} builds it. */
export type CitizenDataExport = NonNullable<Awaited<ReturnType<typeof exportCitizenData>>>;
