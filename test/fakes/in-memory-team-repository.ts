import { randomUUID } from 'node:crypto';
import type {
  JoinTeamOutcome,
  Team,
  TeamFigures,
  TeamMember,
  TeamRepository,
} from '../../src/domain/teams/team.ts';

interface MemberEntry {
  member: TeamMember;
  leftAt: Date | null;
  leftReason: 'left' | 'removed' | null;
}

/** A team with no registrations and no hand-offs. */
const NO_FIGURES: TeamFigures = {
  registrations: { total: 0, verified: 0, notMatched: 0 },
  handoffs: { open: 0, closed: 0 },
};

/** Options of {@link InMemoryTeamRepository}. */
export interface InMemoryTeamRepositoryOptions {
  /**
   * The figures of a team. This fake sees neither accounts nor hand-offs, so it answers what this function says
   * (zeros by default); the counting rules are checked against PostgreSQL only.
   */
  readonly figures?: (team: Team) => TeamFigures;
}

/**
 * A working in-memory {@link TeamRepository}; passes test/contracts/team-repository.contract.ts except the
 * figures, which it takes from its options (see {@link InMemoryTeamRepositoryOptions.figures}).
 */
export class InMemoryTeamRepository implements TeamRepository {
  readonly teams: Team[] = [];
  readonly entries: MemberEntry[] = [];
  readonly audit: { actor: string; action: string; details: Record<string, string> }[] = [];
  readonly #figures: (team: Team) => TeamFigures;

  constructor(options: InMemoryTeamRepositoryOptions = {}) {
    this.#figures = options.figures ?? (() => NO_FIGURES);
  }

  async create(input: { name: string; wardCode: string; inviteCode: string }) {
    if (this.teams.some((t) => t.inviteCode === input.inviteCode)) return { type: 'code_taken' as const };
    const team: Team = { id: randomUUID(), ...input, createdAt: new Date() };
    this.teams.push(team);
    this.audit.push({
      actor: 'admin',
      action: 'team_created',
      details: { teamId: team.id, wardCode: team.wardCode },
    });
    return { type: 'created' as const, team };
  }

  async list() {
    return [...this.teams];
  }

  async findById(id: string) {
    return this.teams.find((t) => t.id === id) ?? null;
  }

  async findByInviteCode(inviteCode: string) {
    return this.teams.find((t) => t.inviteCode === inviteCode) ?? null;
  }

  async replaceInviteCode(id: string, inviteCode: string) {
    const index = this.teams.findIndex((t) => t.id === id);
    const current = this.teams[index];
    if (!current) return null;
    if (this.teams.some((t) => t.inviteCode === inviteCode)) return { type: 'code_taken' as const };
    const team: Team = { ...current, inviteCode };
    this.teams[index] = team;
    this.audit.push({ actor: 'admin', action: 'team_invite_replaced', details: { teamId: id } });
    return { type: 'replaced' as const, team };
  }

  async join(
    teamId: string,
    person: { phone: string; channel: string; address: string },
    at: Date,
  ): Promise<JoinTeamOutcome> {
    // No await between the checks and the push: two joins at once see each other, as in PostgreSQL.
    const team = this.teams.find((t) => t.id === teamId);
    if (!team) throw new Error(`join: no team ${teamId}`);
    const current = this.#membership(person.phone);
    if (current) return { type: current.team.id === teamId ? 'already_member' : 'in_other_team', ...current };
    const role = this.#current(teamId).length === 0 ? 'leader' : 'member';
    const member: TeamMember = { id: randomUUID(), teamId, ...person, role, joinedAt: at };
    this.entries.push({ member, leftAt: null, leftReason: null });
    this.audit.push({
      actor: 'volunteer',
      action: 'team_joined',
      details: { teamId, memberId: member.id, role },
    });
    return { type: 'joined', member, team };
  }

  async membershipOf(phone: string) {
    return this.#membership(phone);
  }

  async leave(phone: string, at: Date) {
    const current = this.#membership(phone);
    const entry = this.entries.find((e) => e.member === current?.member);
    if (!current || !entry) return null;
    entry.leftAt = at;
    entry.leftReason = 'left';
    this.audit.push({
      actor: 'volunteer',
      action: 'team_left',
      details: { teamId: current.team.id, memberId: current.member.id },
    });
    return current;
  }

  async removeMember(teamId: string, memberId: string, at: Date) {
    const entry = this.#current(teamId).find((e) => e.member.id === memberId);
    if (!entry) return false;
    entry.leftAt = at;
    entry.leftReason = 'removed';
    this.audit.push({ actor: 'admin', action: 'team_member_removed', details: { teamId, memberId } });
    return true;
  }

  async members(teamId: string) {
    return this.#current(teamId).map((e) => e.member);
  }

  async membersOfWard(wardCode: string | null) {
    const teams = this.teams.filter((t) => wardCode === null || t.wardCode === wardCode);
    return teams.flatMap((team) => this.#current(team.id).map((e) => ({ team, member: e.member })));
  }

  async figures(teamId: string) {
    const team = await this.findById(teamId);
    return team ? this.#figures(team) : NO_FIGURES;
  }

  #membership(phone: string): { team: Team; member: TeamMember } | null {
    const entry = this.entries.find((e) => e.leftAt === null && e.member.phone === phone);
    const team = entry && this.teams.find((t) => t.id === entry.member.teamId);
    return entry && team ? { team, member: entry.member } : null;
  }

  /** A team's current members, leader first, then by joining time. */
  #current(teamId: string): MemberEntry[] {
    const rank = (e: MemberEntry) => (e.member.role === 'leader' ? 0 : 1);
    return this.entries
      .filter((e) => e.leftAt === null && e.member.teamId === teamId)
      .sort((a, b) => rank(a) - rank(b) || a.member.joinedAt.getTime() - b.member.joinedAt.getTime());
  }
}
