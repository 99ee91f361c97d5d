import type { Team, TeamMember, TeamRepository } from './team.ts';

/**
 * Gives back the hand-off member `memberId` holds, if any: open again, relayed to nobody, the citizen and the
 * teams of its ward told (the hand-off desk's `release`, flows/handoff/handoff-desk.ts). Resolves once done.
 */
export type ReleaseHeld = (memberId: string, by: 'volunteer' | 'staff', at: Date) => Promise<unknown>;

/** What leaving a team needs. */
export interface LeaveTeamDeps {
  readonly teams: Pick<TeamRepository, 'membershipOf' | 'leave'>;
  readonly releaseHeld: ReleaseHeld;
}

/** What removing a member needs. */
export interface RemoveFromTeamDeps {
  readonly teams: Pick<TeamRepository, 'members' | 'removeMember'>;
  readonly releaseHeld: ReleaseHeld;
}

/**
 * `TNV ROI`: the person with this proven phone leaves their team, at once. A hand-off they hold goes back to the
 * teams (see {@link ReleaseHeld}) before they leave, and once more after, in case they took one in between, so
 * nothing is relayed to someone who is no longer a member. Resolves who left, or null when they belonged to no
 * team. Replayed after a crash, it releases nothing twice: a released hand-off has no holder.
 */
export async function leaveTeam(
  deps: LeaveTeamDeps,
  phone: string,
  at: Date,
): Promise<{ team: Team; member: TeamMember } | null> {
  const membership = await deps.teams.membershipOf(phone);
  if (!membership) return null;
  await deps.releaseHeld(membership.member.id, 'volunteer', at);
  const left = await deps.teams.leave(phone, at);
  if (left) await deps.releaseHeld(left.member.id, 'volunteer', at);
  return left;
}

/**
 * Staff remove member `memberId` from team `teamId` (admin API), at once: a hand-off they hold goes back to the
 * teams first (see {@link leaveTeam}). False when the team has no current member with this id (nothing is
 * released then).
 */
export async function removeFromTeam(
  deps: RemoveFromTeamDeps,
  teamId: string,
  memberId: string,
  at: Date,
): Promise<boolean> {
  const members = await deps.teams.members(teamId);
  if (!members.some((member) => member.id === memberId)) return false;
  await deps.releaseHeld(memberId, 'staff', at);
  const removed = await deps.teams.removeMember(teamId, memberId, at);
  if (removed) await deps.releaseHeld(memberId, 'staff', at);
  return removed;
}
