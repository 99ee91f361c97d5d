import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Agency, AgencyRepository } from '../domain/agencies/agency.ts';
import { hashAgencyApiKey, isAgencyApiKeyShaped } from '../domain/agencies/api-key.ts';
import type { DataCipher } from '../shared/crypto.ts';
import { SECURITY } from './openapi.ts';

/**
 * Who may call a route, declared by every route in its `config.access`:
 * - `public`: anyone (health, share pages, the signing key, the API documentation);
 * - `admin`: `Authorization: Bearer <ADMIN_TOKEN>`;
 * - `agency`: `Authorization: Bearer <agency API key>`; the route reads the agency from {@link agencyOf};
 * - `provider`: a provider's webhook, whose adapter checks the provider's signature (403 when forged).
 */
export type RouteAccess = 'public' | 'admin' | 'agency' | 'provider';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route: see {@link RouteAccess}. Every route must say. */
    access?: RouteAccess;
  }
}

/** What access control needs to check credentials. */
export interface AccessControlDeps {
  /** Unset: no admin credentials exist (the admin routes are not registered either). */
  readonly adminToken: string | undefined;
  readonly agencies: Pick<AgencyRepository, 'findByKeyHash'>;
  /** Hashes API keys (`keyedHash('agency-key', key)`) to look them up. */
  readonly cipher: Pick<DataCipher, 'keyedHash'>;
}

/** Thrown at start-up for a route that does not declare who may call it. */
export class RouteAccessMissingError extends Error {
  constructor(method: string, url: string) {
    super(
      `route ${method} ${url} does not declare config.access ('public', 'admin', 'agency' or 'provider')`,
    );
    this.name = 'RouteAccessMissingError';
  }
}

const ACCESS_KINDS: ReadonlySet<string> = new Set<RouteAccess>(['public', 'admin', 'agency', 'provider']);

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

/** Compares secrets in constant time, whatever their lengths. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
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
      if (access === undefined || !ACCESS_KINDS.has(access)) {
        throw new RouteAccessMissingError(String(route.method), route.url);
      }
      if (route.schema && access !== 'provider') {
        route.schema.security = [...(access === 'public' ? [] : SECURITY[access])];
      }
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    // No route matched: the 404 handler answers, there is nothing to protect.
    if (request.is404) return;
    const access = request.routeOptions.config.access;
    if (access === 'public' || access === 'provider') return;
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
}
