import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { PhoneCodeStore } from '../../domain/contacts/phone-codes.ts';
import { type ReleaseHeld, removeFromTeam } from '../../domain/teams/leave-team.ts';
import { createTeam, renewInviteCode } from '../../domain/teams/manage-teams.ts';
import type { Team, TeamMember, TeamRepository } from '../../domain/teams/team.ts';
import { findWard, wards } from '../../domain/wards/wards.ts';
import { sameSecret } from '../../shared/crypto.ts';
import { normalizePhone } from '../../shared/phone.ts';
import type { ConsoleSessionStore } from '../../storage/redis/redis-console-sessions.ts';
import {
  type ConsoleRole,
  type ConsoleSession,
  consoleSessionOf,
  crossSiteRequest,
  type ResolveConsoleSession,
} from '../access-control.ts';
import { plainHttpElsewhere } from '../cookie-security.ts';
import { html, type SafeHtml } from '../share-page/html.ts';
import { type ConsoleLang, consoleCopy } from './console.copy.ts';
import { CONSOLE_CSP, CONSOLE_CSS, renderConsolePage } from './console-page.ts';

/** The cookie of a console session: a random id, the state in Redis. */
export const CONSOLE_COOKIE = 'dcz_console';
const LANG_COOKIE = 'dcz_console_lang';
const SESSION_MAX_AGE = 12 * 60 * 60;
const cookieAttributes = (maxAge: number) =>
  `Path=/console; Max-Age=${maxAge}; Secure; HttpOnly; SameSite=Strict`;

/** What the console needs. */
export interface ConsoleDeps {
  /** Unset: staff cannot sign in to the console (members still can). */
  readonly adminToken: string | undefined;
  /** Development only: the file the generated admin token is in (the sign-in page says where to find it). */
  readonly adminTokenFile?: string | undefined;
  readonly teams: TeamRepository;
  readonly releaseHeld: ReleaseHeld;
  readonly clock?: () => Date;
  /** Unset: the console is off (its routes do not exist). */
  readonly consoleSessions?: ConsoleSessionStore | undefined;
  /** The phone-code store, under its own prefix, for members' sign-in codes. */
  readonly consoleCodes?: PhoneCodeStore | undefined;
  /** Sends a sign-in code to the chat where the member joined their team (through the outbox). */
  readonly sendConsoleCode?:
    | ((member: TeamMember, text: string, lang: ConsoleLang, dedupeKey: string) => Promise<void>)
    | undefined;
  /** NODE_ENV is production (unset: the same): cookies are always `Secure` (src/http/cookie-security.ts). */
  readonly production?: boolean | undefined;
}

/** The cookies of a request, by name. */
function cookiesOf(request: FastifyRequest): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) jar.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return jar;
}

/** A console page's language: `?lang=` (remembered in a cookie), else the cookie, else Vietnamese. */
export function consoleLangOf(request: FastifyRequest, reply?: FastifyReply): ConsoleLang {
  const asked = (request.query as { lang?: unknown } | undefined)?.lang;
  if (asked === 'en' || asked === 'vi') {
    reply?.header('set-cookie', `${LANG_COOKIE}=${asked}; ${cookieAttributes(365 * 24 * 60 * 60)}`);
    return asked;
  }
  return cookiesOf(request).get(LANG_COOKIE) === 'en' ? 'en' : 'vi';
}

/**
 * Sends a console page (HTML, the console's CSP, never cached) for a signed-in session, in the language of the
 * request (see {@link consoleLangOf}); `build` makes its title and content in that language.
 */
export function sendConsolePage(
  request: FastifyRequest,
  reply: FastifyReply,
  session: ConsoleSession,
  build: (lang: ConsoleLang) => { title: string; content: SafeHtml },
  status = 200,
) {
  const lang = consoleLangOf(request, reply);
  const path = request.url.split('?')[0] ?? '/console';
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', CONSOLE_CSP)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(
      renderConsolePage({
        lang,
        path,
        session,
        developmentMode: request.server.developmentMode,
        ...build(lang),
      }),
    );
}

/**
 * Finds a request's console session: its cookie, the record in Redis, and for leaders and members their
 * membership as it is now (a removed member has no session any more; a member made leader is a leader).
 */
export function consoleSessionResolver(deps: {
  sessions: ConsoleSessionStore;
  teams: Pick<TeamRepository, 'membershipOf'>;
}): ResolveConsoleSession {
  return async (request) => {
    const id = cookiesOf(request).get(CONSOLE_COOKIE);
    if (!id) return null;
    const record = await deps.sessions.find(id);
    if (!record) return null;
    if (record.role === 'staff') return { id, role: 'staff', csrf: record.csrf };
    const membership = record.phone ? await deps.teams.membershipOf(record.phone) : null;
    if (!membership || membership.member.id !== record.memberId) {
      await deps.sessions.delete(id);
      return null;
    }
    return {
      id,
      role: membership.member.role,
      csrf: record.csrf,
      memberId: membership.member.id,
      teamId: membership.team.id,
      phone: record.phone,
    };
  };
}

const field = (body: unknown, name: string): string => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ALL: readonly ConsoleRole[] = ['staff', 'leader', 'member'];
const console_ = (roles: readonly ConsoleRole[]) => ({ access: 'console' as const, consoleRoles: roles });

/**
 * The console (`/console`): sign-in (staff by ADMIN_TOKEN, members by a code sent to their team chat), sign-out,
 * the home page and the Teams page. Every page route declares `access: 'console'` and its roles; the access
 * control hook checks the session, the role and (for forms) the CSRF token before the handler runs.
 */
export function consoleRoutes(deps: ConsoleDeps): FastifyPluginAsync {
  return async (app) => {
    const sessions = deps.consoleSessions;
    if (!sessions) return;
    const now = deps.clock ?? (() => new Date());

    const langOf = consoleLangOf;
    const pathOf = (request: FastifyRequest) => request.url.split('?')[0] ?? '/console';
    const page = (
      request: FastifyRequest,
      reply: FastifyReply,
      build: (lang: ConsoleLang) => { title: string; content: SafeHtml; session?: ConsoleSession },
      status = 200,
      path = pathOf(request),
    ) => {
      const lang = langOf(request, reply);
      const built = build(lang);
      return reply
        .code(status)
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', CONSOLE_CSP)
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(renderConsolePage({ lang, path, developmentMode: request.server.developmentMode, ...built }));
    };
    const csrfField = (session: ConsoleSession) =>
      html`<input type="hidden" name="_csrf" value="${session.csrf}">`;
    const see = (reply: FastifyReply, location: string) =>
      reply.code(303).header('location', location).send();
    const refuseCrossSite = (request: FastifyRequest, reply: FastifyReply) =>
      crossSiteRequest(request)
        ? reply.code(403).send({ error: { code: 'FORBIDDEN', message: 'Cross-site requests are refused' } })
        : null;
    /** A new session (a new id: an earlier session of this browser ends), then the home page. */
    const startSession = async (
      request: FastifyRequest,
      reply: FastifyReply,
      fields: Parameters<ConsoleSessionStore['create']>[0],
    ) => {
      const earlier = cookiesOf(request).get(CONSOLE_COOKIE);
      if (earlier) await sessions.delete(earlier);
      const { id } = await sessions.create(fields);
      reply.header('set-cookie', `${CONSOLE_COOKIE}=${id}; ${cookieAttributes(SESSION_MAX_AGE)}`);
      return see(reply, '/console');
    };

    app.get('/console/assets/console.css', { config: { access: 'public' } }, async (_request, reply) =>
      reply
        .header('content-type', 'text/css; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(CONSOLE_CSS),
    );

    // ── Sign-in ──────────────────────────────────────────────────────────────────────────────────────────────
    const signInPage = (
      request: FastifyRequest,
      reply: FastifyReply,
      options: { error?: 'wrongToken' | 'badPhone' | 'expired'; status?: number } = {},
    ) =>
      page(
        request,
        reply,
        (lang) => {
          const c = consoleCopy[lang];
          return {
            title: c.signInTitle,
            content: html`${
              // In production the session cookie is always Secure: over plain HTTP to another host it is dropped.
              (deps.production ?? true) && plainHttpElsewhere(request)
                ? html`<p class="error" role="alert">${c.httpsNeeded}</p>`
                : null
            }${options.error ? html`<p class="error" role="alert">${c[options.error]}</p>` : null}
<h2>${c.memberHeading}</h2>
<form method="post" action="/console/sign-in/phone">
<label for="phone">${c.phone}</label>
<input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" required>
<button type="submit">${c.sendCode}</button>
</form>
<h2>${c.staffHeading}</h2>
<form method="post" action="/console/sign-in/staff">
<label for="token">${c.adminToken}</label>
${deps.adminTokenFile ? html`<p id="token-file" class="muted">${c.adminTokenFile(deps.adminTokenFile)}</p>` : null}
<input id="token" name="token" type="password" autocomplete="off" required${deps.adminTokenFile ? html` aria-describedby="token-file"` : null}>
<button type="submit">${c.signIn}</button>
</form>`,
          };
        },
        options.status,
        '/console/sign-in',
      );
    const codePage = (
      request: FastifyRequest,
      reply: FastifyReply,
      phone: string,
      wrong: boolean,
      status = 200,
    ) =>
      page(
        request,
        reply,
        (lang) => {
          const c = consoleCopy[lang];
          return {
            title: c.signInTitle,
            content: html`${wrong ? html`<p class="error" role="alert">${c.wrongCode}</p>` : html`<p class="note" role="status">${c.codeSent}</p>`}
<form method="post" action="/console/sign-in/code">
<input type="hidden" name="phone" value="${phone}">
<label for="code">${c.code}</label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="8" required>
<button type="submit">${c.signIn}</button>
</form>
<p><a href="/console/sign-in">${c.otherPhone}</a></p>`,
          };
        },
        status,
        '/console/sign-in',
      );

    app.get('/console/sign-in', { config: { access: 'public' } }, async (request, reply) =>
      signInPage(request, reply),
    );

    app.post('/console/sign-in/staff', { config: { access: 'public' } }, async (request, reply) => {
      if (refuseCrossSite(request, reply)) return reply;
      const token = field(request.body, 'token').trim();
      if (deps.adminToken === undefined || token === '' || !sameSecret(token, deps.adminToken)) {
        return signInPage(request, reply, { error: 'wrongToken', status: 401 });
      }
      return startSession(request, reply, { role: 'staff' });
    });

    // The same answer whether or not the phone belongs to a team member: the form finds nobody.
    app.post('/console/sign-in/phone', { config: { access: 'public' } }, async (request, reply) => {
      if (refuseCrossSite(request, reply)) return reply;
      const phone = normalizePhone(field(request.body, 'phone'));
      if (!phone) return signInPage(request, reply, { error: 'badPhone', status: 400 });
      const membership = await deps.teams.membershipOf(phone);
      if (membership && deps.consoleCodes && deps.sendConsoleCode) {
        const ref = randomUUID();
        const issued = await deps.consoleCodes.issue(phone, ref, now());
        if (issued.type === 'issued') {
          const lang = langOf(request, reply);
          await deps.sendConsoleCode(
            membership.member,
            consoleCopy[lang].codeMessage(issued.code),
            lang,
            `console-otp-${ref}`,
          );
        }
      }
      return codePage(request, reply, phone, false);
    });

    app.post('/console/sign-in/code', { config: { access: 'public' } }, async (request, reply) => {
      if (refuseCrossSite(request, reply)) return reply;
      const phone = normalizePhone(field(request.body, 'phone'));
      if (!phone || !deps.consoleCodes) return signInPage(request, reply, { error: 'badPhone', status: 400 });
      const checked = await deps.consoleCodes.check(phone, field(request.body, 'code'), now());
      const membership = checked.type === 'ok' ? await deps.teams.membershipOf(phone) : null;
      if (!membership) return codePage(request, reply, phone, true, 401);
      return startSession(request, reply, {
        role: membership.member.role,
        memberId: membership.member.id,
        teamId: membership.team.id,
        phone,
      });
    });

    app.post('/console/sign-out', { config: console_(ALL) }, async (request, reply) => {
      await sessions.delete(consoleSessionOf(request).id);
      reply.header('set-cookie', `${CONSOLE_COOKIE}=; ${cookieAttributes(0)}`);
      return see(reply, '/console/sign-in');
    });

    // ── Home ─────────────────────────────────────────────────────────────────────────────────────────────────
    app.get('/console', { config: console_(ALL) }, async (request, reply) => {
      const session = consoleSessionOf(request);
      return page(request, reply, (lang) => {
        const c = consoleCopy[lang];
        return {
          title: c.welcome,
          session,
          content: html`<p>${c.homeIntro}</p><p><a href="/console/teams">${c.teams}</a></p>`,
        };
      });
    });

    // ── Teams ────────────────────────────────────────────────────────────────────────────────────────────────
    const messages = (request: FastifyRequest, lang: ConsoleLang) => {
      const c = consoleCopy[lang];
      const query = request.query as { error?: unknown; done?: unknown };
      const error = typeof query.error === 'string' ? c.errors[query.error] : undefined;
      const done = typeof query.done === 'string' ? c.done[query.done] : undefined;
      return html`${error ? html`<p class="error" role="alert">${error}</p>` : null}${done ? html`<p class="note" role="status">${done}</p>` : null}`;
    };
    const wardName = (team: Team) => findWard(team.wardCode)?.name ?? team.wardCode;
    const forbiddenPage = (request: FastifyRequest, reply: FastifyReply, session: ConsoleSession) =>
      page(request, reply, (lang) => ({ title: consoleCopy[lang].forbidden, session, content: html`` }), 403);

    app.get('/console/teams', { config: console_(ALL) }, async (request, reply) => {
      const session = consoleSessionOf(request);
      if (session.role !== 'staff') return see(reply, `/console/teams/${session.teamId}`);
      const teams = await deps.teams.list();
      return page(request, reply, (lang) => {
        const c = consoleCopy[lang];
        return {
          title: c.teamsTitle,
          session,
          content: html`${messages(request, lang)}
${
  teams.length === 0
    ? html`<p>${c.noTeams}</p>`
    : html`<ul class="list">${teams.map(
        (team) =>
          html`<li><a href="/console/teams/${team.id}">${team.name}</a> <span class="muted">${wardName(team)}</span></li>`,
      )}</ul>`
}
<h2>${c.createTeam}</h2>
<form method="post" action="/console/teams">
${csrfField(session)}
<label for="name">${c.teamName}</label>
<input id="name" name="name" required minlength="2" maxlength="120">
<label for="wardCode">${c.ward}</label>
<select id="wardCode" name="wardCode" required>${wards.map((ward) => html`<option value="${ward.code}">${ward.name}</option>`)}</select>
<button type="submit">${c.create}</button>
</form>`,
        };
      });
    });

    app.post('/console/teams', { config: console_(['staff']) }, async (request, reply) => {
      const name = field(request.body, 'name').trim();
      if (name.length < 2 || name.length > 120) return see(reply, '/console/teams?error=bad_name');
      const outcome = await createTeam(deps, { name, wardCode: field(request.body, 'wardCode') });
      if (outcome.type === 'unknown_ward') return see(reply, '/console/teams?error=unknown_ward');
      return see(reply, `/console/teams/${outcome.team.id}?done=created`);
    });

    /** The team of `:id` if this session may see it (staff: any; leaders and members: their own), else null. */
    const visibleTeam = async (request: FastifyRequest, session: ConsoleSession) => {
      const { id } = request.params as { id: string };
      if (!UUID.test(id) || (session.role !== 'staff' && session.teamId !== id)) return null;
      return deps.teams.findById(id);
    };
    const mayManage = (session: ConsoleSession, team: Team) =>
      session.role === 'staff' || (session.role === 'leader' && session.teamId === team.id);

    app.get('/console/teams/:id', { config: console_(ALL) }, async (request, reply) => {
      const session = consoleSessionOf(request);
      const team = await visibleTeam(request, session);
      if (!team) return forbiddenPage(request, reply, session);
      const members = await deps.teams.members(team.id);
      const manage = mayManage(session, team);
      return page(request, reply, (lang) => {
        const c = consoleCopy[lang];
        const memberItem = (member: TeamMember) =>
          html`<li><strong>${manage ? member.phone : `…${member.phone.slice(-3)}`}</strong> · ${c.roles[member.role]}
<span class="muted">· ${c.joined} ${member.joinedAt.toISOString().slice(0, 10)}</span>${
            manage && member.id !== session.memberId
              ? html`<form method="post" action="/console/teams/${team.id}/members/${member.id}/remove">${csrfField(session)}<button class="danger" type="submit">${c.remove}</button></form>`
              : null
          }</li>`;
        return {
          title: team.name,
          session,
          content: html`${messages(request, lang)}
<p>${wardName(team)}</p>
<h2>${c.inviteCode}</h2>
<p class="code" id="invite-code">${team.inviteCode}</p>
<p class="muted">${c.inviteHelp(team.inviteCode)}</p>
${manage ? html`<form method="post" action="/console/teams/${team.id}/invite">${csrfField(session)}<button type="submit">${c.newInvite}</button></form>` : null}
<h2>${c.members}</h2>
${members.length === 0 ? html`<p>${c.noMembers}</p>` : html`<ul class="list">${members.map(memberItem)}</ul>`}
${session.role === 'staff' ? html`<p><a href="/console/teams">${c.back}</a></p>` : null}`,
        };
      });
    });

    app.post(
      '/console/teams/:id/invite',
      { config: console_(['staff', 'leader']) },
      async (request, reply) => {
        const session = consoleSessionOf(request);
        const team = await visibleTeam(request, session);
        if (!team || !mayManage(session, team)) return forbiddenPage(request, reply, session);
        await renewInviteCode(deps, team.id);
        return see(reply, `/console/teams/${team.id}?done=invite`);
      },
    );

    app.post(
      '/console/teams/:id/members/:memberId/remove',
      { config: console_(['staff', 'leader']) },
      async (request, reply) => {
        const session = consoleSessionOf(request);
        const team = await visibleTeam(request, session);
        if (!team || !mayManage(session, team)) return forbiddenPage(request, reply, session);
        const { memberId } = request.params as { memberId: string };
        const removed = UUID.test(memberId) && (await removeFromTeam(deps, team.id, memberId, now()));
        return see(reply, `/console/teams/${team.id}?${removed ? 'done=removed' : 'error=not_found'}`);
      },
    );
  };
}
