import type { KeyedHash } from '../../shared/crypto.ts';
import type { GuessLimiter } from '../shares/guess-limiter.ts';
import { parseInviteCode } from './invite-code.ts';
import type { JoinTeamOutcome, TeamRepository } from './team.ts';

/** Wrong invite codes a sender may try: 5 in each clock hour, then none until the hour ends. */
export const WRONG_INVITE_CODES = { misses: 5, windowMs: 60 * 60_000 } as const;

/** What joining a team by its invite code needs. */
export interface JoinTeamDeps {
  readonly teams: Pick<TeamRepository, 'findByInviteCode' | 'join'>;
  /**
   * Counts each sender's wrong invite codes ({@link WRONG_INVITE_CODES}); the sender is named by a keyed hash
   * of their phone, never the phone.
   */
  readonly wrongCodes: GuessLimiter;
  readonly keyedHash: KeyedHash;
}

/** The outcome of {@link joinTeamByCode}. */
export type JoinByCodeOutcome =
  | JoinTeamOutcome
  /**
   * No team has this code now: unknown, replaced, or not a code at all. Whether it ever existed is never told.
   */
  | { readonly type: 'wrong_code' }
  /** Too many wrong codes this hour (this one may have been the last allowed): nothing is looked up until `until`. */
  | { readonly type: 'blocked'; readonly until: Date };

/**
 * `TNV <invite code>`: joins the team whose current invite code was typed (any case, spaces and dashes ignored),
 * as the person with this proven phone, reached in the chat `channel`/`address`. The first member of a team
 * leads it; a person is in one team at a time (`in_other_team`). Wrong codes are counted per phone: the fifth in
 * a clock hour blocks every further try, the right code too, until the hour ends. Text that cannot be a code
 * (wrong length, 0/O/1/I) gets the same `wrong_code` but is not counted: it guesses nothing.
 */
export async function joinTeamByCode(
  deps: JoinTeamDeps,
  person: { phone: string; channel: string; address: string },
  typed: string,
  at: Date,
): Promise<JoinByCodeOutcome> {
  const sender = deps.keyedHash('invite-code-guess', person.phone);
  const blocked = (retryAfterSeconds: number) => ({
    type: 'blocked' as const,
    until: new Date(at.getTime() + retryAfterSeconds * 1000),
  });
  const before = await deps.wrongCodes.check(sender, at);
  if (before.blocked) return blocked(before.retryAfterSeconds);
  const code = parseInviteCode(typed);
  if (code === null) return { type: 'wrong_code' };
  const team = await deps.teams.findByInviteCode(code);
  if (!team) {
    const after = await deps.wrongCodes.miss(sender, at);
    return after.blocked ? blocked(after.retryAfterSeconds) : { type: 'wrong_code' };
  }
  return deps.teams.join(team.id, person, at);
}
