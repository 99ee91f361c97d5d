import { AppError } from '../../shared/errors.ts';
import { findWard } from '../wards/wards.ts';
import { generateInviteCode } from './invite-code.ts';
import type { Team, TeamRepository } from './team.ts';

/** How many fresh invite codes to draw before giving up: 32^8 codes make even a second draw a rarity. */
export const INVITE_CODE_ATTEMPTS = 5;

/** What creating a team and renewing its invite code need: the storage, and where new codes come from. */
export interface ManageTeamsDeps {
  readonly teams: Pick<TeamRepository, 'create' | 'replaceInviteCode'>;
  /** Draws a new invite code; {@link generateInviteCode} unless a test scripts it. */
  readonly newInviteCode?: () => string;
}

/** Thrown when every drawn invite code was taken: something is wrong with the generator, not with the request. */
export class InviteCodeExhaustedError extends AppError {
  constructor(attempts: number) {
    super('INVITE_CODE_EXHAUSTED', `every one of ${attempts} drawn invite codes was taken`, {
      context: { attempts },
    });
  }
}

/**
 * Creates a team of a Đà Nẵng commune-level unit with a fresh invite code (drawn again when taken). Answers
 * `unknown_ward` when `wardCode` names no unit of src/domain/wards.
 * @throws InviteCodeExhaustedError when {@link INVITE_CODE_ATTEMPTS} codes in a row were taken.
 */
export async function createTeam(
  deps: ManageTeamsDeps,
  input: { name: string; wardCode: string },
): Promise<{ type: 'created'; team: Team } | { type: 'unknown_ward' }> {
  const ward = findWard(input.wardCode);
  if (!ward) return { type: 'unknown_ward' };
  const draw = deps.newInviteCode ?? generateInviteCode;
  for (let attempt = 0; attempt < INVITE_CODE_ATTEMPTS; attempt += 1) {
    const outcome = await deps.teams.create({ name: input.name, wardCode: ward.code, inviteCode: draw() });
    if (outcome.type === 'created') return outcome;
  }
  throw new InviteCodeExhaustedError(INVITE_CODE_ATTEMPTS);
}

/**
 * Gives a team a fresh invite code (drawn again when taken): the old one stops working at once. Null when the
 * team does not exist.
 * @throws InviteCodeExhaustedError when {@link INVITE_CODE_ATTEMPTS} codes in a row were taken.
 */
export async function renewInviteCode(deps: ManageTeamsDeps, teamId: string): Promise<Team | null> {
  const draw = deps.newInviteCode ?? generateInviteCode;
  for (let attempt = 0; attempt < INVITE_CODE_ATTEMPTS; attempt += 1) {
    const outcome = await deps.teams.replaceInviteCode(teamId, draw());
    if (outcome === null) return null;
    if (outcome.type === 'replaced') return outcome.team;
  }
  throw new InviteCodeExhaustedError(INVITE_CODE_ATTEMPTS);
}
