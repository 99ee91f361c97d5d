/**
 * Community digital-technology teams (tổ công nghệ số cộng đồng): volunteers of one ward who register their
 * neighbours (DKH) and answer citizens who ask for a person (GAP). City staff create teams through the admin API;
 * people join by sending `TNV <invite code>` from a chat whose phone is proven.
 */

/** A team's role: the first member to join leads it. */
export type TeamRole = 'leader' | 'member';

/** A team, as stored. */
export interface Team {
  readonly id: string;
  readonly name: string;
  /** The national code of its commune-level unit (see src/domain/wards). */
  readonly wardCode: string;
  /** 8 characters from the account-code alphabet; replacing it makes the old one stop working at once. */
  readonly inviteCode: string;
  readonly createdAt: Date;
}

/** A member of a team. Members are known by their proven phone, and reached in the chat where they joined. */
export interface TeamMember {
  readonly id: string;
  readonly teamId: string;
  /** E.164. */
  readonly phone: string;
  readonly role: TeamRole;
  readonly joinedAt: Date;
  /** The chat they joined from (`TNV`): where the team's notices reach them. */
  readonly channel: string;
  readonly address: string;
}

/** The outcome of {@link TeamRepository.join}. */
export type JoinTeamOutcome =
  | { readonly type: 'joined'; readonly member: TeamMember; readonly team: Team }
  /** Already a member of this team: nothing changed. */
  | { readonly type: 'already_member'; readonly member: TeamMember; readonly team: Team }
  /** A member of another team: one person belongs to one team at a time (`TNV ROI` first). */
  | { readonly type: 'in_other_team'; readonly member: TeamMember; readonly team: Team };

/** A team's figures, counted from storage (never kept as counters). */
export interface TeamFigures {
  readonly registrations: { readonly total: number; readonly verified: number; readonly notMatched: number };
  readonly handoffs: { readonly open: number; readonly closed: number };
}

/**
 * Storage of teams and their members. Contract (test/contracts/team-repository.contract.ts, run on PostgreSQL,
 * PGlite and the in-memory fake):
 * - invite codes are unique among teams (`create` and `replaceInviteCode` answer `code_taken` and change nothing);
 *   `findByInviteCode` finds only a team's current code;
 * - a phone belongs to at most one team at a time; the first member of a team (counting from when it had none)
 *   is its leader, later ones are members;
 * - removing a member or leaving takes effect at once for every lookup (`membershipOf` answers null);
 * - phones and chat addresses are stored encrypted and looked up by keyed hash; joining, leaving, removal and
 *   invite changes are audited (no personal data in the audit details);
 * - figures count the accounts registered by the team (`registered_by_team_id`) by status, purged ones left out,
 *   and its hand-offs: `open` = open or held, of the team or not yet held and of its ward or of no ward;
 *   `closed` = closed by the team. The in-memory fake sees neither accounts nor hand-offs: it answers the figures
 *   it is given, and the counting is checked on PostgreSQL and PGlite only (test/integration/team-storage.test.ts).
 */
export interface TeamRepository {
  create(team: {
    name: string;
    wardCode: string;
    inviteCode: string;
  }): Promise<{ type: 'created'; team: Team } | { type: 'code_taken' }>;
  list(): Promise<Team[]>;
  findById(id: string): Promise<Team | null>;
  /** By current invite code, as stored (8 characters, no dash). */
  findByInviteCode(inviteCode: string): Promise<Team | null>;
  /** Null when the team does not exist. */
  replaceInviteCode(
    id: string,
    inviteCode: string,
  ): Promise<{ type: 'replaced'; team: Team } | { type: 'code_taken' } | null>;
  /**
   * Joins `person` to the team (its leader when it has no current member). The team must exist (found by
   * `findByInviteCode`: teams are never deleted); an unknown id throws.
   */
  join(
    teamId: string,
    person: { phone: string; channel: string; address: string },
    at: Date,
  ): Promise<JoinTeamOutcome>;
  /** The team of a phone and the member it is, or null when it belongs to none. */
  membershipOf(phone: string): Promise<{ team: Team; member: TeamMember } | null>;
  /** Leaves the team the phone belongs to; resolves who left, or null when it belonged to none. */
  leave(phone: string, at: Date): Promise<{ team: Team; member: TeamMember } | null>;
  /** Removes a member (admin, leader); false when there is no such member in that team. */
  removeMember(teamId: string, memberId: string, at: Date): Promise<boolean>;
  /** The current members, leader first, then by joining time. */
  members(teamId: string): Promise<TeamMember[]>;
  /** The current members of every team of a ward (every team when `wardCode` is null). */
  membersOfWard(wardCode: string | null): Promise<Array<{ team: Team; member: TeamMember }>>;
  /** Zeros for a team that does not exist. */
  figures(teamId: string): Promise<TeamFigures>;
}
