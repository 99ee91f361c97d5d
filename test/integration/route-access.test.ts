import type { FastifyInstance, FastifyPluginAsync, HTTPMethods, RouteOptions } from 'fastify';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttp } from '../../src/app/http.ts';
import { installAccessControl, RouteAccessMissingError } from '../../src/http/access-control.ts';
import { ADMIN_TOKEN, AppHarness } from '../support/app-harness.ts';

/** A route as the router holds it: method, pattern and who may call it. */
interface WalkedRoute {
  readonly method: string;
  readonly url: string;
  readonly access: string | undefined;
}

const SAMPLE_PARAMS: Readonly<Record<string, string>> = {
  id: '5b0f2a56-7d1e-4c3b-9a8e-2f6d1c0b9e7a',
  keyId: '0c9d8e7f-6a5b-4c3d-8e1f-0a9b8c7d6e5f',
  code: 'HS-2026-000001',
  token: 'AAAAAAAAAAAAAAAAAAAAAA',
};

/** A concrete path of a route pattern: each `:param` filled with a sample value. */
function concrete(url: string): string {
  return url.replace(/:(\w+)/g, (_, name: string) => SAMPLE_PARAMS[name] ?? 'x');
}

const encodeChar = (c: string, upper = true) => {
  const hex = c.charCodeAt(0).toString(16);
  return `%${upper ? hex.toUpperCase() : hex}`;
};

/** Rewrites the segments of `path` (from index `from`) with `rewrite`. */
function eachSegment(path: string, rewrite: (segment: string, index: number) => string): string {
  return path
    .split('/')
    .map((segment, index) => (segment === '' ? segment : rewrite(segment, index)))
    .join('/');
}

/**
 * Other spellings of `path` a hostile client may send: percent-encoded letters (first, last or every letter of a
 * segment, upper- and lower-case hex), double encoding, an encoded slash, a trailing slash, doubled slashes, dot
 * segments (plain and encoded), upper case, and a `;` parameter.
 */
function spellings(path: string): string[] {
  const segments = path.split('/').filter((s) => s !== '');
  const variants = new Set<string>();
  for (const [n] of segments.entries()) {
    const at = (rewrite: (segment: string) => string) =>
      eachSegment(path, (segment, index) => (index === n + 1 ? rewrite(segment) : segment));
    const firstLetter = (segment: string, encode: (c: string) => string) =>
      segment.replace(/[a-z]/i, (c) => encode(c));
    variants.add(at((s) => firstLetter(s, (c) => encodeChar(c, false))));
    variants.add(at((s) => firstLetter(s, (c) => encodeChar(c))));
    variants.add(at((s) => s.replace(/[a-z](?=[^a-z]*$)/i, (c) => encodeChar(c))));
    variants.add(at((s) => firstLetter(s, (c) => `%25${encodeChar(c).slice(1)}`)));
    variants.add(at((s) => s.toUpperCase()));
    variants.add(at((s) => `${s};x=1`));
  }
  variants.add(eachSegment(path, (s) => s.replace(/[a-z]/gi, (c) => encodeChar(c))));
  variants.add(path.toUpperCase());
  variants.add(`${path}/`);
  variants.add(path.replace(/\//g, '//'));
  variants.add(`/${path}`);
  variants.add(path.replace(/^\/([^/]+)\//, '/$1%2F'));
  variants.add(path.replace(/^\/([^/]+)\//, '/$1/./'));
  variants.add(path.replace(/^\/([^/]+)\//, '/$1/x/../'));
  variants.add(path.replace(/^\/([^/]+)\//, '/$1/x/%2e%2e/'));
  variants.add(path.replace(/^\/([^/]+)\//, '/$1/%2E/'));
  variants.delete(path);
  return [...variants];
}

describe('authorisation hangs on the matched route, however its URL is spelt', () => {
  let h: AppHarness;
  let app: FastifyInstance;
  const routes: WalkedRoute[] = [];
  let agencyKey: string;

  beforeAll(async () => {
    h = await AppHarness.start({ channels: ['sms-gateway', 'telegram', 'zalo-oa'] });
    // A second app over the same services, walked as it registers its routes: every route that exists now and
    // every route added later.
    app = buildHttp(h.services);
    const registered: RouteOptions[] = [];
    app.addHook('onRoute', (route: RouteOptions) => {
      registered.push(route);
    });
    await app.ready();
    // Read once every scope has had its say (a scope may set the access of routes it did not write).
    for (const route of registered) {
      for (const method of [route.method].flat()) {
        routes.push({ method, url: route.url, access: route.config?.access });
      }
    }
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/agencies',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { code: 'UBND-ACCESS', name: 'UBND phường Kiểm Tra' },
    });
    agencyKey = created.json().apiKey;
  });
  afterAll(async () => {
    await app?.close();
    await h?.stop();
  });

  const guarded = () => routes.filter((r) => r.access !== 'public');
  const bodyTypeOf = (url: string) =>
    [...h.services.adapters.values()].flatMap((a) => a.webhooks).find((w) => w.path === url)?.bodyType;

  /** A request to `url` with `authorization` (or none), with a body of the kind the route reads. */
  const call = (route: WalkedRoute, url: string, authorization?: string) => {
    const form = bodyTypeOf(route.url) === 'form';
    const hasBody = !['GET', 'HEAD', 'DELETE'].includes(route.method);
    return app.inject({
      method: route.method as HTTPMethods,
      url,
      headers: {
        ...(authorization ? { authorization } : {}),
        ...(hasBody
          ? { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' }
          : {}),
      },
      ...(hasBody ? { payload: form ? 'Body=DK&From=%2B84905111222' : '{}' } : {}),
    });
  };

  /**
   * What refusing a caller looks like on a route of this access: 401, or 404 for a spelling no route matches. A
   * provider's webhook answers 403 to a missing signature, or 400 to a body it cannot even read the signed
   * fields of (Zalo signs fields of the body).
   */
  const refusals = (route: WalkedRoute) =>
    route.access === 'provider' ? [400, 403, 404] : route.access === 'console' ? [303, 401, 404] : [401, 404];

  it('declares who may call every route, and guards the admin, agency and webhook routes', () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.filter((r) => r.access === undefined)).toEqual([]);
    const byAccess = (access: string) =>
      routes
        .filter((r) => r.access === access)
        .map((r) => `${r.method} ${r.url}`)
        .sort();
    expect(byAccess('admin')).toEqual(
      expect.arrayContaining([
        'GET /api/v1/admin/citizens',
        'POST /api/v1/admin/agencies',
        'POST /api/v1/admin/agencies/:id/keys',
        'POST /api/v1/admin/agencies/:id/webhook-secret',
        'DELETE /api/v1/admin/agencies/:id/keys/:keyId',
        'GET /api/v1/admin/wards',
        'POST /api/v1/admin/teams',
        'GET /api/v1/admin/teams',
        'GET /api/v1/admin/teams/:id',
        'POST /api/v1/admin/teams/:id/invite',
        'DELETE /api/v1/admin/teams/:id/members/:memberId',
      ]),
    );
    expect(byAccess('agency')).toEqual(
      expect.arrayContaining([
        'POST /api/v1/agency/documents',
        'PUT /api/v1/agency/dossiers/:code',
        'GET /api/v1/agency/dossiers/:code',
        'POST /api/v1/agency/data-requests',
        'GET /api/v1/agency/data-requests/:id',
        'GET /api/v1/agency/data-requests/:id/documents/:documentId',
      ]),
    );
    expect(byAccess('console')).toEqual(
      expect.arrayContaining([
        'GET /console',
        'POST /console/sign-out',
        'GET /console/teams',
        'POST /console/teams',
        'GET /console/teams/:id',
        'POST /console/teams/:id/invite',
        'POST /console/teams/:id/members/:memberId/remove',
        'GET /console/dashboard',
        'GET /console/dashboard/csv/:table',
        'GET /console/inbox',
        'GET /console/inbox/events',
        'GET /console/inbox/:id',
        'POST /console/inbox/:id/take',
        'POST /console/inbox/:id/reply',
        'POST /console/inbox/:id/close',
        'GET /console/register',
        'POST /console/register',
        'POST /console/register/send',
        'GET /console/register/:id',
        'POST /console/register/:id/code',
        'GET /console/register/:id/wait',
        'GET /console/simulator',
        'POST /console/simulator/start',
        'POST /console/simulator/messages',
        'GET /console/simulator/events',
        // bull-board's routes, each given the console's declaration (staff only) by its plugin.
        'GET /console/queues/',
        'GET /console/queues/queue/:queueName',
        'GET /console/queues/api/queues',
        'PUT /console/queues/api/queues/:queueName/pause',
        'PUT /console/queues/api/queues/:queueName/:jobId/retry',
        'GET /console/queues/static/*',
      ]),
    );
    expect(byAccess('provider')).toEqual(
      expect.arrayContaining([
        'POST /webhooks/twilio/sms',
        'POST /webhooks/twilio/status',
        'POST /webhooks/sms-gateway',
        'POST /webhooks/telegram',
        'POST /webhooks/zalo',
      ]),
    );
  });

  it('lets the right credentials through at the canonical path, so the refusals below are the guard’s', async () => {
    // Console routes take a session cookie, not a bearer token: test/integration/console.test.ts signs in.
    for (const route of guarded().filter((r) => r.access === 'admin' || r.access === 'agency')) {
      const token = route.access === 'admin' ? ADMIN_TOKEN : agencyKey;
      const response = await call(route, concrete(route.url), `Bearer ${token}`);
      expect([401, 403], `${route.method} ${route.url} answered ${response.statusCode}`).not.toContain(
        response.statusCode,
      );
    }
  });

  it('refuses every guarded route without credentials, under every spelling of its path, never 2xx (a console page redirects to its sign-in)', async () => {
    const answered: string[] = [];
    for (const route of guarded()) {
      const path = concrete(route.url);
      for (const url of [path, ...spellings(path)]) {
        const response = await call(route, url);
        answered.push(`${response.statusCode} ${route.method} ${url}`);
        expect(refusals(route), `${route.method} ${url} answered ${response.statusCode}`).toContain(
          response.statusCode,
        );
      }
    }
    // The canonical spellings reached the guard itself, not just the not-found handler.
    for (const route of guarded()) {
      const canonical = answered.find((line) => line.endsWith(` ${route.method} ${concrete(route.url)}`));
      const expected =
        route.access === 'provider'
          ? /^40[03] /
          : route.access === 'console'
            ? ['GET', 'HEAD'].includes(route.method)
              ? /^303 /
              : /^401 /
            : /^401 /;
      expect(canonical).toMatch(expected);
    }
  });

  it('refuses wrong credentials, and one kind’s credentials on the other kind’s routes, under every spelling', async () => {
    const wrong = [
      'Bearer wrong-token-wrong-token-wrong',
      `Bearer dcz_ak_${'A'.repeat(43)}`,
      `bearer ${ADMIN_TOKEN}x`,
      `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`,
      ADMIN_TOKEN,
    ];
    for (const route of guarded().filter((r) => r.access !== 'provider')) {
      const other = route.access === 'admin' ? `Bearer ${agencyKey}` : `Bearer ${ADMIN_TOKEN}`;
      const path = concrete(route.url);
      for (const url of [path, ...spellings(path)]) {
        for (const authorization of [...wrong, other]) {
          const response = await call(route, url, authorization);
          expect(refusals(route), `${route.method} ${url} with ${authorization.slice(0, 12)}…`).toContain(
            response.statusCode,
          );
        }
      }
    }
  });

  it('accepts the Bearer scheme in any case on the admin and agency APIs (RFC 6750)', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const admin = await app.inject({
        method: 'GET',
        url: '/api/v1/admin/citizens?phone=%2B84905000001',
        headers: { authorization: `${scheme} ${ADMIN_TOKEN}` },
      });
      const agency = await app.inject({
        method: 'GET',
        url: '/api/v1/agency/dossiers/HS-UNKNOWN-1',
        headers: { authorization: `${scheme} ${agencyKey}` },
      });
      expect([scheme, admin.statusCode, agency.statusCode]).toEqual([scheme, 404, 404]);
    }
  });

  it('logs the matched route, never the URL as sent: no share token, phone or encoded admin path', async () => {
    const token = 'Zq9TOKENzq9TOKENzq9TOK';
    await h.app.inject({ method: 'GET', url: `/%73/${token}` });
    await h.app.inject({ method: 'GET', url: `/s/${token}/qr.png` });
    await h.app.inject({ method: 'GET', url: '/api/v1/%61dmin/citizens?phone=%2B84905111222' });
    await h.app.inject({ method: 'GET', url: `/nothing-here/${token}?phone=0905111222` });

    const logs = h.logLines.join('\n');
    expect(logs).toContain('"route":"/s/:token"');
    expect(logs).toContain('"route":"/api/v1/admin/citizens"');
    expect(logs).toContain('"route":"(no route)"');
    expect(logs).not.toContain(token);
    expect(logs).not.toMatch(/905111222|%61dmin|%2B84/);
  });

  it('mounts the development phones only in development mode, every route public and answers refused from another site', async () => {
    expect(routes.filter((r) => r.url.startsWith('/dev/'))).toEqual([]);
    const dev = buildHttp({ ...h.services, devOutbox: true });
    const devRoutes: WalkedRoute[] = [];
    dev.addHook('onRoute', (route: RouteOptions) => {
      for (const method of [route.method].flat()) {
        devRoutes.push({ method, url: route.url, access: route.config?.access });
      }
    });
    await dev.ready();
    try {
      const phones = devRoutes.filter((r) => r.url.startsWith('/dev/') && r.method !== 'HEAD');
      expect(phones.map((r) => `${r.method} ${r.url} ${r.access}`).sort()).toEqual([
        'GET /dev/phones public',
        'GET /dev/phones/:phone public',
        'GET /dev/phones/:phone/events public',
        'GET /dev/phones/assets/phones.js public',
        'POST /dev/phones public',
        'POST /dev/phones/:phone/messages public',
      ]);
      for (const route of phones.filter((r) => r.method === 'POST')) {
        const url = route.url.replace(':phone', '84905111222');
        for (const site of [{ 'sec-fetch-site': 'cross-site' }, { origin: 'https://elsewhere.example' }]) {
          const response = await dev.inject({
            method: 'POST',
            url,
            headers: { 'content-type': 'application/json', ...site },
            payload: '{"text":"TT","phone":"0905111222"}',
          });
          expect(response.statusCode, `${route.method} ${url}`).toBe(403);
        }
      }
    } finally {
      await dev.close();
    }
  });
});

describe('access control fails closed', () => {
  it('refuses to start an app with a route that does not declare who may call it', async () => {
    const app = Fastify();
    installAccessControl(app, {
      adminToken: undefined,
      agencies: { findByKeyHash: async () => null },
      cipher: { keyedHash: () => '' },
    });
    const forgetful: FastifyPluginAsync = async (scope) => {
      scope.get('/forgotten', async () => ({ secret: true }));
    };
    app.register(forgetful);

    await expect(app.ready()).rejects.toThrow(RouteAccessMissingError);
  });

  it('refuses to start a console route without its roles, or roles on a route that is not the console’s', async () => {
    for (const config of [
      { access: 'console' as const },
      { access: 'console' as const, consoleRoles: [] },
      { access: 'console' as const, consoleRoles: ['staff', 'owner'] as never },
      { access: 'public' as const, consoleRoles: ['staff'] as const },
    ]) {
      const app = Fastify();
      installAccessControl(app, {
        adminToken: undefined,
        agencies: { findByKeyHash: async () => null },
        cipher: { keyedHash: () => '' },
      });
      app.get('/console/x', { config }, async () => ({ secret: true }));
      await expect(app.ready(), JSON.stringify(config)).rejects.toThrow(RouteAccessMissingError);
    }
  });

  it('guards a route by its declared access wherever it is registered, with or without a prefix', async () => {
    const app = Fastify();
    installAccessControl(app, {
      adminToken: 'a-long-admin-token-0123456789',
      agencies: { findByKeyHash: async () => null },
      cipher: { keyedHash: () => '' },
    });
    const guarded: FastifyPluginAsync = async (scope) => {
      scope.get('/anything', { config: { access: 'admin' } }, async () => ({ secret: true }));
    };
    app.register(guarded, { prefix: '/elsewhere' });
    await app.ready();

    for (const url of ['/elsewhere/anything', '/%65lsewhere/anything', '/elsewhere/%61nything']) {
      expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
      const allowed = await app.inject({
        method: 'GET',
        url,
        headers: { authorization: 'Bearer a-long-admin-token-0123456789' },
      });
      expect(allowed.json()).toEqual({ secret: true });
    }
    await app.close();
  });
});
