import { randomBytes, randomUUID } from 'node:crypto';
import type { Agency } from '../../src/domain/agencies/agency.ts';
import { createDataCipher } from '../../src/shared/crypto.ts';
import { createPgAgencyRepository } from '../../src/storage/postgres/agency-repository.ts';
import { createPgCitizenRepository } from '../../src/storage/postgres/citizen-repository.ts';
import type { Database } from '../../src/storage/postgres/database.ts';
import { PgDossierNoticeStore } from '../../src/storage/postgres/dossier-notice-store.ts';
import { createPgDossierRepository } from '../../src/storage/postgres/dossier-repository.ts';
import { accountOpener } from '../contracts/citizen-repository.contract.ts';
import { describeDossierNoticeStoreContract } from '../contracts/dossier-notice-store.contract.ts';
import { InMemoryAgencyRepository } from '../fakes/in-memory-agency-repository.ts';
import { InMemoryDossierNoticeStore } from '../fakes/in-memory-dossier-notice-store.ts';
import { InMemoryDossierRepository } from '../fakes/in-memory-dossier-repository.ts';
import { contractDatabases } from '../support/contract-databases.ts';

// The store of what citizens were told about their dossiers: PGlite, PostgreSQL and the in-memory fake.
const cipher = createDataCipher(randomBytes(32));
const databases = contractDatabases();

/** Makes an agency in `agencies` (PostgreSQL's or the fake's). */
const agencyMaker =
  (agencies: { create: InMemoryAgencyRepository['create'] }) =>
  async (code: string, name: string): Promise<Agency> => {
    const outcome = await agencies.create({ code, name, keyHash: `hash-${randomUUID()}` });
    if (outcome.type !== 'created') throw new Error(`could not create an agency: ${outcome.type}`);
    return outcome.agency;
  };

for (const [name, database] of Object.entries(databases)) {
  describeDossierNoticeStoreContract(name, async () => {
    const db: Database = await database.get();
    return {
      store: new PgDossierNoticeStore(db, cipher),
      dossiers: createPgDossierRepository(db, cipher),
      newCitizenId: accountOpener(createPgCitizenRepository(db, cipher)),
      newAgency: agencyMaker(createPgAgencyRepository(db)),
      reset: () => db.exec('TRUNCATE citizens, audit_log, agencies RESTART IDENTITY CASCADE'),
      close: async () => {},
    };
  });
}

describeDossierNoticeStoreContract('in-memory fake', async () => {
  const fresh = () => {
    const agencies = new InMemoryAgencyRepository();
    const dossiers = new InMemoryDossierRepository(agencies);
    return { agencies, dossiers, store: new InMemoryDossierNoticeStore(dossiers) };
  };
  let current = fresh();
  const fixture = {
    store: current.store,
    dossiers: current.dossiers,
    newCitizenId: async () => randomUUID(),
    newAgency: (code: string, name: string) => agencyMaker(current.agencies)(code, name),
    async reset() {
      current = fresh();
      fixture.store = current.store;
      fixture.dossiers = current.dossiers;
    },
    close: async () => {},
  };
  return fixture;
});
