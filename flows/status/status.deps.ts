import type { DossierRepository } from '../../src/domain/dossiers/dossier.ts';
import type { StatusEffectDeps } from './status.effects.ts';

/** The ports the status check is built from. */
export interface StatusPorts {
  readonly dossiers: DossierRepository;
}

/** Narrows the ports to what the status check's effects use. */
export function statusEffectDeps(ports: StatusPorts): StatusEffectDeps {
  return {
    listDossiers: (citizenId, limit) => ports.dossiers.listByCitizen(citizenId, limit),
    findDossier: (code) => ports.dossiers.findByCode(code),
    history: (dossierId) => ports.dossiers.history(dossierId),
  };
}
