import type { ContactRepository } from '../contacts/contact.ts';
import type { DocumentRepository } from '../documents/document.ts';
import type { FileStore } from '../documents/file-store.ts';
import type { DossierRepository } from '../dossiers/dossier.ts';
import type { HandoffRepository } from '../handoffs/handoff.ts';
import type { ShareRepository } from '../shares/share.ts';
import type { CitizenRepository } from './citizen-repository.ts';

/** What purging accounts needs. */
export interface PurgeAccountsDeps {
  readonly citizens: Pick<CitizenRepository, 'duePurges' | 'purge'>;
  readonly contacts: Pick<ContactRepository, 'findByCitizen' | 'unlinkCitizen'>;
  readonly documents: Pick<DocumentRepository, 'listByCitizen' | 'deleteByCitizen'>;
  readonly files: Pick<FileStore, 'delete'>;
  readonly dossiers: Pick<DossierRepository, 'deleteByCitizen'>;
  readonly shares: Pick<ShareRepository, 'deleteByCitizen'>;
  /**
   * Forgets the hand-offs to a person of the account and of these chats (their threads, and the chat addresses);
   * the composition root adds the account's phone on the SMS channels to the chats.
   */
  readonly handoffs: Pick<HandoffRepository, 'forgetChats'>;
  /**
   * Forgets the messages exchanged with these channel identities (the inbox and outbox hold their text), before
   * the identities themselves are forgotten.
   */
  forgetMessages?(
    citizenId: string,
    identities: readonly { channel: string; address: string }[],
  ): Promise<void>;
}

/**
 * Purges every closed account whose 30 days have passed at `at`: deletes its papers and their files, its share
 * links with their views, its dossiers with their history, its hand-offs' threads, the messages exchanged with it, forgets its channel
 * identities, and last wipes the account's personal data (see `CitizenRepository.purge`). Each step is
 * idempotent and the account is marked purged only at the end, so an interrupted purge is finished by the next
 * run. Resolves how many accounts were purged. What stays: the append-only audit log and the consent records,
 * neither holding personal data.
 */
export async function purgeDueAccounts(deps: PurgeAccountsDeps, at: Date): Promise<number> {
  let purged = 0;
  for (const citizenId of await deps.citizens.duePurges(at)) {
    // Shares first: a share of a paper goes with the paper, but a data-export share has no paper.
    await deps.shares.deleteByCitizen(citizenId);
    // Files before their records: a purge interrupted in between finds the records again next time.
    for (const paper of await deps.documents.listByCitizen(citizenId)) await deps.files.delete(paper.fileKey);
    await deps.documents.deleteByCitizen(citizenId);
    await deps.dossiers.deleteByCitizen(citizenId);
    const identities = await deps.contacts.findByCitizen(citizenId);
    await deps.handoffs.forgetChats(
      citizenId,
      identities.map((contact) => ({ channel: contact.channel, address: contact.address })),
      at,
    );
    await deps.forgetMessages?.(
      citizenId,
      identities.map((contact) => ({ channel: contact.channel, address: contact.address })),
    );
    await deps.contacts.unlinkCitizen(citizenId);
    if (await deps.citizens.purge(citizenId, at)) purged += 1;
  }
  return purged;
}
