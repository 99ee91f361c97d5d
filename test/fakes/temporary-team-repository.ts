import { randomUUID } from 'node:crypto';
import type { Team, TeamMember, TeamRepository } from '../../src/domain/teams/team.ts';

/**
 * TEMPORARY: a minimal team store for the assisted-registration transcripts until the teams helper's
 * InMemoryTeamRepository lands on main (then this file is deleted). Only what DKH reads is implemented.
 */
export class TemporaryTeamRepository
  implements Pick<TeamRepository, 'membershipOf' | 'findById' | 'members'>
{
  readonly teams: Team[] = [];
  readonly current: TeamMember[] = [];

  async create(input: { name: string; wardCode: string; inviteCode: string }) {
    const team: Team = { id: randomUUID(), ...input, createdAt: new Date() };
    this.teams.push(team);
    return { type: 'created' as const, team };
  }

  async join(teamId: string, person: { phone: string; channel: string; address: string }, at: Date) {
    const team = this.teams.find((t) => t.id === teamId);
    if (!team) throw new Error('no such team');
    const role = this.current.some((m) => m.teamId === teamId) ? 'member' : 'leader';
    const member: TeamMember = { id: randomUUID(), teamId, role, joinedAt: at, ...person };
    this.current.push(member);
    return { type: 'joined' as const, member, team };
  }

  async removeMember(teamId: string, memberId: string) {
    const index = this.current.findIndex((m) => m.teamId === teamId && m.id === memberId);
    if (index < 0) return false;
    this.current.splice(index, 1);
    return true;
  }

  async findById(id: string) {
    return this.teams.find((t) => t.id === id) ?? null;
  }

  async membershipOf(phone: string) {
    const member = this.current.find((m) => m.phone === phone);
    const team = member && this.teams.find((t) => t.id === member.teamId);
    return member && team ? { team, member } : null;
  }

  async members(teamId: string) {
    return this.current.filter((m) => m.teamId === teamId);
  }
}
