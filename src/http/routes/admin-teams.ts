import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ReleaseHeld, removeFromTeam } from '../../domain/teams/leave-team.ts';
import { createTeam, renewInviteCode } from '../../domain/teams/manage-teams.ts';
import type { Team, TeamRepository } from '../../domain/teams/team.ts';
import { wards } from '../../domain/wards/wards.ts';
import { apiError, ErrorBody, useZodApi } from '../api-errors.ts';
import { apiText, required } from '../api-schemas.ts';

/** What the admin API of wards and teams needs. */
export interface AdminTeamDeps {
  /** Unset: the admin API is off (its routes do not exist). */
  readonly adminToken: string | undefined;
  readonly teams: TeamRepository;
  /** Gives back the hand-off a removed member holds (the hand-off desk's `release`). */
  readonly releaseHeld: ReleaseHeld;
  readonly clock?: () => Date;
}

const TeamId = z.uuid('must be a team id (a UUID)');
const MemberId = z.uuid('must be a member id (a UUID)');

const WardView = z.object({
  code: z.string().describe('The national administrative unit code'),
  name: z.string().describe('The official name, e.g. "Phường Hải Châu"'),
  kind: z.enum(['phuong', 'xa', 'dac_khu']).describe('phường (ward), xã (commune) or đặc khu (special zone)'),
});

const NewTeam = z.object(
  {
    name: apiText(120)
      .min(2, 'must be at least 2 characters')
      .describe('The team’s name, e.g. "Tổ công nghệ số tổ dân phố 12"'),
    wardCode: z
      .string({ error: required('a ward code') })
      .trim()
      .min(1, 'is required')
      .max(20, 'must be at most 20 characters')
      .describe('The code of its commune-level unit, from `GET /api/v1/admin/wards`'),
  },
  { error: required('a JSON object') },
);

const TeamView = z.object({
  id: z.uuid(),
  name: z.string(),
  wardCode: z.string(),
  inviteCode: z
    .string()
    .describe('8 characters; people join by sending `TNV <invite code>` from a chat whose phone is proven'),
});

const TeamDetail = TeamView.extend({
  members: z
    .array(
      z.object({
        id: z.uuid(),
        phone: z.string().describe('E.164'),
        role: z.enum(['leader', 'member']).describe('The first member to join leads the team'),
        joinedAt: z.string().describe('ISO 8601'),
      }),
    )
    .describe('The current members, leader first, then by joining time'),
  registrations: z
    .object({ total: z.number().int(), verified: z.number().int(), notMatched: z.number().int() })
    .describe('Accounts the team’s members registered for their neighbours (DKH), by status'),
  handoffs: z
    .object({ open: z.number().int(), closed: z.number().int() })
    .describe(
      'Hand-offs waiting or held that the team sees (its own, its ward’s and those of no ward), and those it closed',
    ),
});

const teamView = (team: Team) => ({
  id: team.id,
  name: team.name,
  wardCode: team.wardCode,
  inviteCode: team.inviteCode,
});

const teamNotFound = () => apiError('NOT_FOUND', 'No team has this id');

/**
 * `/api/v1/admin/wards` and `/api/v1/admin/teams...` behind the ADMIN_TOKEN: the commune-level units, teams
 * (create, list, one with its members and figures), a new invite code (the old one stops working), and removing
 * a member (at once).
 */
export function adminTeamRoutes(deps: AdminTeamDeps): FastifyPluginAsync {
  return async (plain) => {
    if (!deps.adminToken) return;
    useZodApi(plain);
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const now = deps.clock ?? (() => new Date());
    const errors = { 400: ErrorBody.describe('`VALIDATION`'), 401: ErrorBody };
    const notFound = { 404: ErrorBody.describe('`NOT_FOUND`: no team has this id') };

    app.get(
      '/api/v1/admin/wards',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['admin'],
          operationId: 'listWards',
          summary: 'List Đà Nẵng’s commune-level units (wards, communes, the special zone)',
          response: { 200: z.array(WardView), 401: ErrorBody },
        },
      },
      async () => wards.map(({ code, name, kind }) => ({ code, name, kind })),
    );

    app.post(
      '/api/v1/admin/teams',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['admin'],
          operationId: 'createTeam',
          summary: 'Create a community digital-technology team with its invite code',
          body: NewTeam,
          response: {
            201: TeamView,
            400: ErrorBody.describe('`VALIDATION`, or `UNKNOWN_WARD`: no unit has this ward code'),
            401: ErrorBody,
            415: ErrorBody.describe('`UNSUPPORTED_MEDIA_TYPE`: the body is not application/json'),
          },
        },
      },
      async (request, reply) => {
        const outcome = await createTeam(deps, request.body);
        if (outcome.type === 'unknown_ward') {
          throw apiError('UNKNOWN_WARD', 'wardCode: no unit has this code (see GET /api/v1/admin/wards)');
        }
        return reply.code(201).send(teamView(outcome.team));
      },
    );

    app.get(
      '/api/v1/admin/teams',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['admin'],
          operationId: 'listTeams',
          summary: 'List the teams, oldest first',
          response: { 200: z.array(TeamView), 401: ErrorBody },
        },
      },
      async () => (await deps.teams.list()).map(teamView),
    );

    app.get(
      '/api/v1/admin/teams/:id',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['admin'],
          operationId: 'getTeam',
          summary: 'A team with its members and figures',
          params: z.object({ id: TeamId }),
          response: { 200: TeamDetail, ...notFound, ...errors },
        },
      },
      async (request) => {
        const team = await deps.teams.findById(request.params.id);
        if (!team) throw teamNotFound();
        const [members, figures] = await Promise.all([
          deps.teams.members(team.id),
          deps.teams.figures(team.id),
        ]);
        return {
          ...teamView(team),
          members: members.map((m) => ({
            id: m.id,
            phone: m.phone,
            role: m.role,
            joinedAt: m.joinedAt.toISOString(),
          })),
          ...figures,
        };
      },
    );

    app.post(
      '/api/v1/admin/teams/:id/invite',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['admin'],
          operationId: 'renewTeamInvite',
          summary: 'Give a team a new invite code',
          description: 'The old code stops working at once; members stay in the team.',
          params: z.object({ id: TeamId }),
          response: { 200: TeamView, ...notFound, ...errors },
        },
      },
      async (request) => {
        const team = await renewInviteCode(deps, request.params.id);
        if (!team) throw teamNotFound();
        return teamView(team);
      },
    );

    app.delete(
      '/api/v1/admin/teams/:id/members/:memberId',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['admin'],
          operationId: 'removeTeamMember',
          summary: 'Remove a member from a team, at once',
          description:
            'From the next message on, the person is no longer a member (no `DKH`, no hand-offs). A hand-off ' +
            'they hold goes back to `open` at once: nothing more is relayed to them, the citizen is told another ' +
            'volunteer will take it, and the teams of its ward are told again. The team’s invite code still ' +
            'works: renew it to keep them from joining again.',
          params: z.object({ id: TeamId, memberId: MemberId }),
          response: {
            204: z.null().describe('Removed'),
            404: ErrorBody.describe('`NOT_FOUND`: the team has no current member with this id'),
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const removed = await removeFromTeam(deps, request.params.id, request.params.memberId, now());
        if (!removed) throw apiError('NOT_FOUND', 'This team has no current member with this id');
        return reply.code(204).send(null);
      },
    );
  };
}
