import { parseAccountCode } from '../../src/domain/citizens/account-code.ts';
import type { CitizenRepository } from '../../src/domain/citizens/citizen-repository.ts';
import type { DossierRepository } from '../../src/domain/dossiers/dossier.ts';
import type { StatusEffectDeps } from './status.effects.ts';

/** The ports the status check is built from. */
export interface StatusPorts {
  readonly citizens: Pick<CitizenRepository, 'findByAccountCode'>;
  readonly dossiers: DossierRepository;
}

/** Narrows the ports to what the status check's effects use. */
export function statusEffectDeps(ports: StatusPorts): StatusEffectDeps {
  return {
    citizenIdOf: citizenIdLookup(ports.citizens),
    listDossiers: (citizenId, limit) => ports.dossiers.listByCitizen(citizenId, limit),
    findDossier: (code) => ports.dossiers.findByCode(code),
    history: (dossierId) => ports.dossiers.history(dossierId),
  };
}

/** Finds the id of the account shown as `accountCode` (XXXX-XXXX): flows know accounts only by their code. */
export function citizenIdLookup(citizens: Pick<CitizenRepository, 'findByAccountCode'>) {
  return async (accountCode: string): Promise<string | null> => {
    const code = parseAccountCode(accountCode);
    return code === null ? null : ((await citizens.findByAccountCode(code))?.id ?? null);
  };
}
