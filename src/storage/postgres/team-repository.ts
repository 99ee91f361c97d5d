import type {
  JoinTeamOutcome,
  Team,
  TeamFigures,
  TeamMember,
  TeamRepository,
  TeamRole,
} from '../../domain/teams/team.ts';
import type { DataCipher } from '../../shared/crypto.ts';
import { type Database, isUuid, type Sql } from './database.ts';

interface TeamRow {
  id: string;
  name: string;
  ward_code: string;
  invite_code: string;
  created_at: Date;
}

interface MemberRow {
  id: string;
  team_id: string;
  phone_enc: string;
  role: TeamRole;
  channel: string;
  address_enc: string;
  joined_at: Date;
}

const TEAM_COLUMNS = 'id, name, ward_code, invite_code, created_at';
const MEMBER_COLUMNS = 'id, team_id, phone_enc, role, channel, address_enc, joined_at';
/** The same member columns, qualified, for joins with `teams`. */
const M_COLUMNS = MEMBER_COLUMNS.split(', ')
  .map((column) => `m.${column}`)
  .join(', ');
const T_COLUMNS = `t.id AS t_id, t.name AS t_name, t.ward_code AS t_ward_code, t.invite_code AS t_invite_code,
  t.created_at AS t_created_at`;
/** Leader first, then by joining time. */
const MEMBER_ORDER = `CASE m.role WHEN 'leader' THEN 0 ELSE 1 END, m.joined_at, m.id`;

type JoinedRow = MemberRow & {
  t_id: string;
  t_name: string;
  t_ward_code: string;
  t_invite_code: string;
  t_created_at: Date;
};

const toTeam = (row: TeamRow): Team => ({
  id: row.id,
  name: row.name,
  wardCode: row.ward_code,
  inviteCode: row.invite_code,
  createdAt: row.created_at,
});

const teamOfJoined = (row: JoinedRow): Team => ({
  id: row.t_id,
  name: row.t_name,
  wardCode: row.t_ward_code,
  inviteCode: row.t_invite_code,
  createdAt: row.t_created_at,
});

/** PostgreSQL's unique_violation: a concurrent writer took the value between our check and our write. */
const isUniqueViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';

/**
 * The PostgreSQL (and PGlite) implementation of {@link TeamRepository}. Phones are stored encrypted with a keyed
 * hash (`phone`, as for citizens) for lookup, chat addresses encrypted; a member row is kept after the person
 * leaves (`left_at`). Team changes are audited with actor `admin`, joining and leaving with actor `volunteer`;
 * the details hold ids only.
 */
export function createPgTeamRepository(db: Database, cipher: DataCipher): TeamRepository {
  const phoneHash = (phone: string) => cipher.keyedHash('phone', phone);
  const toMember = (row: MemberRow): TeamMember => ({
    id: row.id,
    teamId: row.team_id,
    phone: cipher.decrypt(row.phone_enc),
    role: row.role,
    joinedAt: row.joined_at,
    channel: row.channel,
    address: cipher.decrypt(row.address_enc),
  });
  const audit = (sql: Sql, actor: 'admin' | 'volunteer', action: string, details: Record<string, string>) =>
    sql.query('INSERT INTO audit_log (actor, action, details) VALUES ($1, $2, $3)', [
      actor,
      action,
      JSON.stringify(details),
    ]);

  const findTeam = async (sql: Sql, id: string): Promise<Team | null> => {
    if (!isUuid(id)) return null;
    const { rows } = await sql.query<TeamRow>(`SELECT ${TEAM_COLUMNS} FROM teams WHERE id = $1`, [id]);
    return rows[0] ? toTeam(rows[0]) : null;
  };

  const membership = async (sql: Sql, phone: string) => {
    const { rows } = await sql.query<JoinedRow>(
      `SELECT ${M_COLUMNS}, ${T_COLUMNS} FROM team_members m JOIN teams t ON t.id = m.team_id
       WHERE m.phone_hash = $1 AND m.left_at IS NULL`,
      [phoneHash(phone)],
    );
    const row = rows[0];
    return row ? { team: teamOfJoined(row), member: toMember(row) } : null;
  };

  const join = (
    teamId: string,
    person: { phone: string; channel: string; address: string },
    at: Date,
  ): Promise<JoinTeamOutcome> =>
    db.transaction(async (tx) => {
      // Locking the team makes "first member leads" hold when two people join an empty team at once.
      const locked = await tx.query<TeamRow>(`SELECT ${TEAM_COLUMNS} FROM teams WHERE id = $1 FOR UPDATE`, [
        teamId,
      ]);
      const teamRow = locked.rows[0];
      if (!teamRow) throw new Error(`join: no team ${teamId}`);
      const team = toTeam(teamRow);
      const current = await membership(tx, person.phone);
      if (current) {
        const type = current.team.id === teamId ? 'already_member' : 'in_other_team';
        return { type, ...current };
      }
      const { rows: counted } = await tx.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM team_members WHERE team_id = $1 AND left_at IS NULL',
        [teamId],
      );
      const role: TeamRole = counted[0]?.n === 0 ? 'leader' : 'member';
      const inserted = await tx.query<MemberRow>(
        `INSERT INTO team_members (team_id, phone_hash, phone_enc, role, channel, address_enc, joined_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT DO NOTHING
         RETURNING ${MEMBER_COLUMNS}`,
        [
          teamId,
          phoneHash(person.phone),
          cipher.encrypt(person.phone),
          role,
          person.channel,
          cipher.encrypt(person.address),
          at,
        ],
      );
      const row = inserted.rows[0];
      if (!row) {
        // The same phone joined another team between our check and our insert (that team is not locked).
        const winner = await membership(tx, person.phone);
        if (!winner) throw new Error('join: membership conflict without a current membership');
        const type = winner.team.id === teamId ? 'already_member' : 'in_other_team';
        return { type, ...winner };
      }
      const member = toMember(row);
      await audit(tx, 'volunteer', 'team_joined', { teamId, memberId: member.id, role });
      return { type: 'joined', member, team };
    });

  return {
    async create(input) {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<TeamRow>(
          `INSERT INTO teams (name, ward_code, invite_code) VALUES ($1, $2, $3)
           ON CONFLICT (invite_code) DO NOTHING RETURNING ${TEAM_COLUMNS}`,
          [input.name, input.wardCode, input.inviteCode],
        );
        const row = rows[0];
        if (!row) return { type: 'code_taken' as const };
        await audit(tx, 'admin', 'team_created', { teamId: row.id, wardCode: row.ward_code });
        return { type: 'created' as const, team: toTeam(row) };
      });
    },

    async list() {
      const { rows } = await db.query<TeamRow>(`SELECT ${TEAM_COLUMNS} FROM teams ORDER BY created_at, id`);
      return rows.map(toTeam);
    },

    findById: (id) => findTeam(db, id),

    async findByInviteCode(inviteCode) {
      const { rows } = await db.query<TeamRow>(`SELECT ${TEAM_COLUMNS} FROM teams WHERE invite_code = $1`, [
        inviteCode,
      ]);
      return rows[0] ? toTeam(rows[0]) : null;
    },

    async replaceInviteCode(id, inviteCode) {
      if (!isUuid(id)) return null;
      try {
        return await db.transaction(async (tx) => {
          const taken = await tx.query('SELECT 1 FROM teams WHERE invite_code = $1', [inviteCode]);
          if (taken.rowCount > 0) {
            return (await findTeam(tx, id)) ? { type: 'code_taken' as const } : null;
          }
          const { rows } = await tx.query<TeamRow>(
            `UPDATE teams SET invite_code = $2 WHERE id = $1 RETURNING ${TEAM_COLUMNS}`,
            [id, inviteCode],
          );
          const row = rows[0];
          if (!row) return null;
          await audit(tx, 'admin', 'team_invite_replaced', { teamId: id });
          return { type: 'replaced' as const, team: toTeam(row) };
        });
      } catch (error) {
        if (isUniqueViolation(error)) return { type: 'code_taken' as const };
        throw error;
      }
    },

    async join(teamId, person, at) {
      if (!isUuid(teamId)) throw new Error(`join: no team ${teamId}`);
      return join(teamId, person, at);
    },

    membershipOf: (phone) => membership(db, phone),

    leave: (phone, at) =>
      db.transaction(async (tx) => {
        const current = await membership(tx, phone);
        if (!current) return null;
        const { rowCount } = await tx.query(
          `UPDATE team_members SET left_at = $2, left_reason = 'left' WHERE id = $1 AND left_at IS NULL`,
          [current.member.id, at],
        );
        if (rowCount === 0) return null;
        await audit(tx, 'volunteer', 'team_left', { teamId: current.team.id, memberId: current.member.id });
        return current;
      }),

    async removeMember(teamId, memberId, at) {
      if (!isUuid(teamId) || !isUuid(memberId)) return false;
      return db.transaction(async (tx) => {
        const { rowCount } = await tx.query(
          `UPDATE team_members SET left_at = $3, left_reason = 'removed'
           WHERE id = $2 AND team_id = $1 AND left_at IS NULL`,
          [teamId, memberId, at],
        );
        if (rowCount === 0) return false;
        await audit(tx, 'admin', 'team_member_removed', { teamId, memberId });
        return true;
      });
    },

    async members(teamId) {
      if (!isUuid(teamId)) return [];
      const { rows } = await db.query<MemberRow>(
        `SELECT ${M_COLUMNS} FROM team_members m WHERE m.team_id = $1 AND m.left_at IS NULL
         ORDER BY ${MEMBER_ORDER}`,
        [teamId],
      );
      return rows.map(toMember);
    },

    async membersOfWard(wardCode) {
      const { rows } = await db.query<JoinedRow>(
        `SELECT ${M_COLUMNS}, ${T_COLUMNS} FROM team_members m JOIN teams t ON t.id = m.team_id
         WHERE m.left_at IS NULL AND ($1::text IS NULL OR t.ward_code = $1)
         ORDER BY t.created_at, t.id, ${MEMBER_ORDER}`,
        [wardCode],
      );
      return rows.map((row) => ({ team: teamOfJoined(row), member: toMember(row) }));
    },

    async figures(teamId): Promise<TeamFigures> {
      const team = await findTeam(db, teamId);
      if (!team)
        return { registrations: { total: 0, verified: 0, notMatched: 0 }, handoffs: { open: 0, closed: 0 } };
      const { rows: registered } = await db.query<{ total: number; verified: number; not_matched: number }>(
        `SELECT count(*)::int AS total,
           count(*) FILTER (WHERE status = 'verified')::int AS verified,
           count(*) FILTER (WHERE status = 'not_matched')::int AS not_matched
         FROM citizens WHERE registered_by_team_id = $1 AND purged_at IS NULL`,
        [teamId],
      );
      // Open: waiting or held, for this team or still offered to it (its ward's, or every team's); closed: its own.
      const { rows: handoffs } = await db.query<{ open: number; closed: number }>(
        `SELECT
           count(*) FILTER (WHERE status IN ('open', 'held')
             AND (team_id = $1 OR (team_id IS NULL AND (ward_code = $2 OR ward_code IS NULL))))::int AS open,
           count(*) FILTER (WHERE status = 'closed' AND team_id = $1)::int AS closed
         FROM handoffs WHERE team_id = $1 OR team_id IS NULL`,
        [teamId, team.wardCode],
      );
      return {
        registrations: {
          total: registered[0]?.total ?? 0,
          verified: registered[0]?.verified ?? 0,
          notMatched: registered[0]?.not_matched ?? 0,
        },
        handoffs: { open: handoffs[0]?.open ?? 0, closed: handoffs[0]?.closed ?? 0 },
      };
    },
  };
}
