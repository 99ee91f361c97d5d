import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Agency, AgencyRepository } from '../domain/agencies/agency.ts';
import { hashAgencyApiKey, isAgencyApiKeyShaped } from '../domain/agencies/api-key.ts';
import { type DataCipher, sameSecret } from '../shared/crypto.ts';
import { SECURITY } from './openapi.ts';

/**
 * Who may call a route, declared by every route in its `config.access`:
 * - `public`: anyone (health, share pages, the signing key, the API documentation);
 * - `admin`: `Authorization: Bearer <ADMIN_TOKEN>`;
 * - `agency`: `Authorization: Bearer <agency API key>`; the route reads the agency from {@link agencyOf};
 * - `provider`: a provider's webhook, whose adapter checks the provider's signature (403 when forged);
 * - `console`: a console page or form (`/console/...`): a console session cookie whose role is one of the route's
 *   `config.consoleRoles`; a state-changing request also carries the session's CSRF token (docs/console.md).
 */
export type RouteAccess = 'public' | 'admin' | 'agency' | 'provider' | 'console';

/** Who is signed in to the console: city staff (ADMIN_TOKEN), a team's leader, or a team member. */
export type ConsoleRole = 'staff' | 'leader' | 'member';

/** A console session as each request sees it (a member's team and role re-read from storage on each request). */
export interface ConsoleSession {
  readonly id: string;
  readonly role: ConsoleRole;
  /** The session's CSRF token: every state-changing console request carries it (`_csrf` field or header). */
  readonly csrf: string;
  /** Set for leaders and members. */
  readonly memberId?: string | undefined;
  readonly teamId?: string | undefined;
  /** The member's phone (E.164), for leaders and members. */
  readonly phone?: string | undefined;
}

/** Finds the console session a request carries (its cookie), or null: unknown, expired, or a member removed. */
export type ResolveConsoleSession = (request: FastifyRequest) => Promise<ConsoleSession | null>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route: see {@link RouteAccess}. Every route must say. */
    access?: RouteAccess;
    /** For `console` routes (and only them, required there): the roles that may call it. */
    consoleRoles?: readonly ConsoleRole[];
  }
}

/** The header a script sends the console's CSRF token in (forms send the `_csrf` field). */
export const CSRF_HEADER = 'x-csrf-token';
/** Where a console page sends a request without a session. */
export const CONSOLE_SIGN_IN_PATH = '/console/sign-in';

/** What access control needs to check credentials. */
export interface AccessControlDeps {
  /** Unset: no admin credentials exist (the admin routes are not registered either). */
  readonly adminToken: string | undefined;
  readonly agencies: Pick<AgencyRepository, 'findByKeyHash'>;
  /** Hashes API keys (`keyedHash('agency-key', key)`) to look them up. */
  readonly cipher: Pick<DataCipher, 'keyedHash'>;
  /** Unset: no console sessions exist (every `console` route is refused). */
  readonly consoleSession?: ResolveConsoleSession | undefined;
}

/** Thrown at start-up for a route that does not declare who may call it. */
export class RouteAccessMissingError extends Error {
  constructor(method: string, url: string) {
    super(
      `route ${method} ${url} does not declare config.access ('public', 'admin', 'agency', 'provider' or ` +
        `'console' with config.consoleRoles)`,
    );
    this.name = 'RouteAccessMissingError';
  }
}

const ACCESS_KINDS: ReadonlySet<string> = new Set<RouteAccess>([
  'public',
  'admin',
  'agency',
  'provider',
  'console',
]);
const CONSOLE_ROLES: ReadonlySet<string> = new Set<ConsoleRole>(['staff', 'leader', 'member']);

/** The console session each authenticated console request was made in. */
const consoleSessionOfRequest = new WeakMap<FastifyRequest, ConsoleSession>();

/** The console session a `console` route was called in (checked before the route runs). */
export function consoleSessionOf(request: FastifyRequest): ConsoleSession {
  const session = consoleSessionOfRequest.get(request);
  if (!session) throw new Error(`route ${request.routeOptions.url} read a console session it was not given`);
  return session;
}

/** Whether a console route declares a non-empty list of known roles. */
function declaresConsoleRoles(roles: readonly string[] | undefined): boolean {
  return Array.isArray(roles) && roles.length > 0 && roles.every((role) => CONSOLE_ROLES.has(role));
}

const STATE_CHANGING = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method);

/**
 * Whether a browser says the request came from another site: `Sec-Fetch-Site` other than `same-origin`/`none`
 * (browsers set it and pages cannot), or, from browsers without it, an `Origin` whose host is not the request's.
 * Absent headers say nothing (non-browser clients).
 */
export function crossSiteRequest(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin !== '') {
    try {
      return new URL(origin).host !== request.host;
    } catch {
      return true;
    }
  }
  return false;
}

/** The agency each authenticated agency request was made by. */
const agencyOfRequest = new WeakMap<FastifyRequest, Agency>();

/** The agency an `agency` route was called by (authenticated before the route runs). */
export function agencyOf(request: FastifyRequest): Agency {
  const agency = agencyOfRequest.get(request);
  if (!agency) throw new Error(`route ${request.routeOptions.url} read an agency it was not given`);
  return agency;
}

/**
 * The token of an `Authorization: Bearer <token>` header, or null. The scheme is matched in any case (RFC 7235
 * §2.1, RFC 6750 §2.1); one or more spaces may separate it from the token.
 */
export function bearerToken(header: string | undefined): string | null {
  const match = /^bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

const unauthorized = (reply: FastifyReply, message: string) =>
  reply
    .code(401)
    .header('www-authenticate', 'Bearer')
    .send({ error: { code: 'UNAUTHORIZED', message } });

/**
 * Installs access control on the whole application. Authorisation hangs on the route that matched, never on
 * how its URL was spelt: one `onRequest` hook reads the matched route's `config.access` (the router has already
 * decoded the path), and every route must declare it: a route without it stops the start-up
 * ({@link RouteAccessMissingError}), so a route added later cannot be left open by mistake. Call it before any
 * route is registered. Also records the access in the route's OpenAPI `security`, so the document and the
 * check cannot disagree.
 */
export function installAccessControl(app: FastifyInstance, deps: AccessControlDeps): void {
  // Checked once every plugin has registered its routes (a scope may set the access of routes it does not
  // write itself, such as the documentation's).
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  app.addHook('onReady', async () => {
    for (const route of routes) {
      const access = route.config?.access;
      if (
        access === undefined ||
        !ACCESS_KINDS.has(access) ||
        (access === 'console') !== (route.config?.consoleRoles !== undefined) ||
        (access === 'console' && !declaresConsoleRoles(route.config?.consoleRoles))
      ) {
        throw new RouteAccessMissingError(String(route.method), route.url);
      }
      if (route.schema && access !== 'provider' && access !== 'console') {
        route.schema.security = [...(access === 'public' ? [] : SECURITY[access])];
      }
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    // No route matched: the 404 handler answers, there is nothing to protect.
    if (request.is404) return;
    const access = request.routeOptions.config.access;
    if (access === 'public' || access === 'provider') return;
    if (access === 'console') return checkConsole(request, reply);
    const token = bearerToken(request.headers.authorization);
    if (access === 'admin') {
      if (deps.adminToken === undefined || token === null || !sameSecret(token, deps.adminToken)) {
        return unauthorized(reply, 'A valid admin bearer token is required');
      }
      return;
    }
    if (access === 'agency') {
      const agency =
        token !== null && isAgencyApiKeyShaped(token)
          ? await deps.agencies.findByKeyHash(hashAgencyApiKey(deps.cipher, token))
          : null;
      if (!agency) return unauthorized(reply, 'A valid agency API key is required (Bearer)');
      agencyOfRequest.set(request, agency);
      return;
    }
    // Unreachable while every route declares its access (checked at start-up); refuse rather than serve.
    return reply.code(403).send({ error: { code: 'FORBIDDEN', message: 'This route declares no access' } });
  });

  /**
   * A console route: a session whose current role is one the route declares. Without a session a page (GET)
   * redirects to the sign-in page and anything else is 401; a role the route does not allow is 403.
   */
  async function checkConsole(request: FastifyRequest, reply: FastifyReply) {
    const session = deps.consoleSession ? await deps.consoleSession(request) : null;
    if (!session) {
      if (request.method === 'GET' || request.method === 'HEAD') {
        return reply.code(303).header('location', CONSOLE_SIGN_IN_PATH).send();
      }
      return reply
        .code(401)
        .send({ error: { code: 'UNAUTHORIZED', message: 'Sign in to the console first' } });
    }
    if (!request.routeOptions.config.consoleRoles?.includes(session.role)) {
      return forbidden(reply, 'Your role may not do this');
    }
    if (STATE_CHANGING(request.method) && crossSiteRequest(request)) {
      return forbidden(reply, 'Cross-site requests are refused');
    }
    consoleSessionOfRequest.set(request, session);
  }

  // CSRF, in one place, once the body is read: every state-changing console request carries its session's
  // token (synchronizer token: the `_csrf` field of a form, or the header).
  app.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.config?.access !== 'console' || !STATE_CHANGING(request.method)) return;
    const session = consoleSessionOfRequest.get(request);
    const header = request.headers[CSRF_HEADER];
    const field = (request.body as { _csrf?: unknown } | undefined)?._csrf;
    const given = typeof header === 'string' ? header : typeof field === 'string' ? field : '';
    if (!session || given === '' || !sameSecret(given, session.csrf)) {
      return forbidden(reply, 'This form has expired: open the page again');
    }
  });
}

const forbidden = (reply: FastifyReply, message: string) =>
  reply.code(403).send({ error: { code: 'FORBIDDEN', message } });
