import type { GuessLimiter } from '../../src/domain/shares/guess-limiter.ts';
import { joinTeamByCode } from '../../src/domain/teams/join-team.ts';
import { leaveTeam } from '../../src/domain/teams/leave-team.ts';
import type { Team, TeamRepository, TeamRole } from '../../src/domain/teams/team.ts';
import { findWard } from '../../src/domain/wards/wards.ts';
import type { EffectContext } from '../../src/engine/flow-context.ts';
import type { EffectRunners } from '../../src/engine/flow-kit.ts';
import type { KeyedHash } from '../../src/shared/crypto.ts';
import { AppError } from '../../src/shared/errors.ts';
import type { HandoffDesk } from '../handoff/handoff-desk.ts';

/**
 * What `TNV` needs: team storage, the count of wrong invite codes, keyed hashes to name senders in it, and the
 * hand-off desk to give back the hand-off of someone who leaves.
 */
export interface VolunteerPorts {
  readonly teams: Pick<TeamRepository, 'findByInviteCode' | 'join' | 'membershipOf' | 'leave'>;
  readonly handoffDesk: Pick<HandoffDesk, 'release'>;
  /** Wrong invite codes per sender, `WRONG_INVITE_CODES` (5 a clock hour). */
  readonly wrongInviteCodes: GuessLimiter;
  readonly keyedHash: KeyedHash;
}

/** A team as `TNV` names it: its name, the name of its ward, and the sender's role in it. */
export interface TeamLine {
  readonly name: string;
  readonly wardName: string;
  readonly role: TeamRole;
}

/**
 * The effects of `TNV`, named as `joinTeamByCode` and the repository name their outcomes: join by invite code;
 * the sender's team (null: none); leave it (null: there was none).
 */
export type VolunteerEffects = {
  joinTeam: {
    effect: { readonly type: 'joinTeam'; readonly code: string };
    result:
      | { readonly type: 'joined' | 'already_member' | 'in_other_team'; readonly team: TeamLine }
      /** No team has this code now; whether it ever existed is never told. */
      | { readonly type: 'wrong_code' }
      /** Too many wrong codes this hour: no code is looked up until `until`. */
      | { readonly type: 'blocked'; readonly until: Date };
  };
  showTeam: { effect: { readonly type: 'showTeam' }; result: TeamLine | null };
  leaveTeam: { effect: { readonly type: 'leaveTeam' }; result: TeamLine | null };
};

const lineOf = (team: Team, role: TeamRole): TeamLine => ({
  name: team.name,
  wardName: findWard(team.wardCode)?.name ?? team.wardCode,
  role,
});

/** The sender's proven phone: `TNV` runs no effect without one (the command says to link first). */
function phoneOf(ctx: EffectContext): string {
  if (ctx.phone === null) {
    throw new AppError('PHONE_NOT_PROVEN', 'teams are joined, shown and left only with a proven phone', {
      context: { channel: ctx.channel },
    });
  }
  return ctx.phone;
}

/**
 * Runs the effects of `TNV` for the sender's proven phone. Joining twice with one message joins once (the second
 * run finds the member: `already_member`).
 */
export function createVolunteerEffects(deps: VolunteerPorts): EffectRunners<VolunteerEffects> {
  return {
    async joinTeam(effect, ctx) {
      const person = { phone: phoneOf(ctx), channel: ctx.channel, address: ctx.address };
      const outcome = await joinTeamByCode(
        { teams: deps.teams, wrongCodes: deps.wrongInviteCodes, keyedHash: deps.keyedHash },
        person,
        effect.code,
        ctx.now,
      );
      if (outcome.type === 'wrong_code' || outcome.type === 'blocked') return outcome;
      return { type: outcome.type, team: lineOf(outcome.team, outcome.member.role) };
    },
    async showTeam(_effect, ctx) {
      const current = await deps.teams.membershipOf(phoneOf(ctx));
      return current && lineOf(current.team, current.member.role);
    },
    async leaveTeam(_effect, ctx) {
      const left = await leaveTeam(
        { teams: deps.teams, releaseHeld: (memberId, by, at) => deps.handoffDesk.release(memberId, by, at) },
        phoneOf(ctx),
        ctx.now,
      );
      return left && lineOf(left.team, left.member.role);
    },
  };
}
