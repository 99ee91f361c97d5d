import type { Dossier, DossierEvent, DossierStatus } from '../../src/domain/dossiers/dossier.ts';
import type { EffectContext } from '../../src/engine/flow-context.ts';

/** What the status check reads, narrowed to what it uses (built from the ports in status.deps.ts). */
export interface StatusEffectDeps {
  /** The citizen's dossiers, most recently updated first. */
  listDossiers(citizenId: string, limit: number): Promise<Dossier[]>;
  /** The dossier with this code, typed in any case. */
  findDossier(code: string): Promise<Dossier | null>;
  /** A dossier's events, oldest first. */
  history(dossierId: string): Promise<DossierEvent[]>;
}

/** The effects of `TT`: the latest dossiers, or one dossier by its code. */
export type StatusEffect =
  | { readonly type: 'recentDossiers'; readonly limit: number }
  | { readonly type: 'findDossier'; readonly code: string };

/** A dossier as `TT` lists it. */
export interface DossierLine {
  readonly code: string;
  readonly procedure: string;
  readonly status: DossierStatus;
  /** YYYY-MM-DD. */
  readonly expectedAt: string | null;
}

/** A dossier as `TT <code>` shows it. */
export interface DossierDetail extends DossierLine {
  readonly agencyName: string;
  readonly note: string | null;
  /** The status changes, oldest first (repeated statuses, from changes of note or date, are left out). */
  readonly history: readonly { readonly at: Date; readonly status: DossierStatus }[];
}

/** What the effects of `TT` give. */
export type StatusResult =
  | { readonly type: 'dossiers'; readonly dossiers: readonly DossierLine[] }
  | { readonly type: 'dossier'; readonly dossier: DossierDetail }
  /** No dossier with that code, or one of another citizen: the two are never told apart. */
  | { readonly type: 'noDossier' };

/** Runs the status check's effects: reads only, so a replayed turn reads the same. */
export function createStatusEffects(deps: StatusEffectDeps) {
  return async (effect: StatusEffect, ctx: EffectContext): Promise<StatusResult> => {
    const citizenId = ctx.citizen?.id;
    // `TT` starts only with an account (requireAccount, flows/index.ts), and runs these in that same turn.
    if (citizenId === undefined) throw new Error('the status effects need an account');
    if (effect.type === 'recentDossiers') {
      const dossiers = await deps.listDossiers(citizenId, effect.limit);
      return { type: 'dossiers', dossiers: dossiers.map(lineOf) };
    }
    const dossier = await findOwn(deps, effect.code, citizenId);
    if (dossier === null) return { type: 'noDossier' };
    const events = await deps.history(dossier.id);
    return {
      type: 'dossier',
      dossier: {
        ...lineOf(dossier),
        agencyName: dossier.agency.name,
        note: dossier.note,
        history: events
          .filter((event, index) => events[index - 1]?.status !== event.status)
          .map((event) => ({ at: event.at, status: event.status })),
      },
    };
  };
}

/** The dossier with that code (in any case: codes are case-insensitive) when it is the citizen's own; otherwise null. */
async function findOwn(deps: StatusEffectDeps, typed: string, citizenId: string): Promise<Dossier | null> {
  const code = typed.trim();
  if (code === '') return null;
  const dossier = await deps.findDossier(code);
  return dossier !== null && dossier.citizenId === citizenId ? dossier : null;
}

function lineOf(dossier: Dossier): DossierLine {
  return {
    code: dossier.code,
    procedure: dossier.procedure,
    status: dossier.status,
    expectedAt: dossier.expectedAt,
  };
}
