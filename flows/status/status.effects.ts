import type { Dossier, DossierEvent, DossierStatus } from '../../src/domain/dossiers/dossier.ts';
import type { EffectRunners } from '../../src/engine/flow-kit.ts';

/** What the status check reads, narrowed to what it uses (built from the ports in status.deps.ts). */
export interface StatusEffectDeps {
  /** The citizen's dossiers, most recently updated first. */
  listDossiers(citizenId: string, limit: number): Promise<Dossier[]>;
  /** The dossier with this code, typed in any case. */
  findDossier(code: string): Promise<Dossier | null>;
  /** A dossier's events, oldest first. */
  history(dossierId: string): Promise<DossierEvent[]>;
}

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

/**
 * The effects of `TT`: the latest dossiers (at most `limit`), or one dossier by its code: null when there is no
 * dossier with that code, or it is another citizen's (the two are never told apart).
 */
export type StatusEffects = {
  recentDossiers: {
    effect: { readonly type: 'recentDossiers'; readonly limit: number };
    result: readonly DossierLine[];
  };
  findDossier: {
    effect: { readonly type: 'findDossier'; readonly code: string };
    result: DossierDetail | null;
  };
};

/** The account of the person: `TT` starts only with one (requireAccount, flows/index.ts) and runs these then. */
function accountOf(ctx: { readonly citizen: { readonly id: string } | null }): string {
  if (!ctx.citizen) throw new Error('the status effects need an account');
  return ctx.citizen.id;
}

/** Runs the status check's effects: reads only, so a replayed turn reads the same. */
export function createStatusEffects(deps: StatusEffectDeps): EffectRunners<StatusEffects> {
  return {
    async recentDossiers(effect, ctx) {
      const dossiers = await deps.listDossiers(accountOf(ctx), effect.limit);
      return dossiers.map(lineOf);
    },
    async findDossier(effect, ctx) {
      const dossier = await findOwn(deps, effect.code, accountOf(ctx));
      if (dossier === null) return null;
      const events = await deps.history(dossier.id);
      return {
        ...lineOf(dossier),
        agencyName: dossier.agency.name,
        note: dossier.note,
        history: events
          .filter((event, index) => events[index - 1]?.status !== event.status)
          .map((event) => ({ at: event.at, status: event.status })),
      };
    },
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
