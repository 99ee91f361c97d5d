import { createConfig, lintFromString } from '@redocly/openapi-core';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttp } from '../../src/app/http.ts';
import { AppHarness } from '../support/app-harness.ts';

/** The OpenAPI path of a fastify route pattern: `:param` → `{param}`. */
const openApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

describe('the OpenAPI document', () => {
  let h: AppHarness;
  let app: FastifyInstance;
  const registered: RouteOptions[] = [];
  let spec: {
    paths: Record<string, Record<string, { security?: unknown; tags?: string[] }>>;
    components: { securitySchemes: Record<string, unknown> };
  };
  let source: string;

  beforeAll(async () => {
    h = await AppHarness.start({ channels: ['sms-gateway', 'telegram', 'zalo-oa'] });
    app = buildHttp(h.services);
    app.addHook('onRoute', (route: RouteOptions) => {
      registered.push(route);
    });
    await app.ready();
    const response = await app.inject({ method: 'GET', url: '/docs/json' });
    source = response.body;
    spec = response.json();
  });
  afterAll(async () => {
    await app?.close();
    await h?.stop();
  });

  /**
   * Every route but the documentation's own pages and the console's (HTML pages and forms for people, not an API:
   * docs/console.md), and its methods but HEAD (which follows its GET).
   */
  const described = () =>
    registered
      .filter((route) => !route.url.startsWith('/docs') && !route.url.startsWith('/console'))
      .flatMap((route) => [route.method].flat().map((method) => ({ method, route })))
      .filter(({ method }) => method !== 'HEAD');

  it('describes every route the service registers, each with its security', () => {
    const routes = described();
    expect(routes.length).toBeGreaterThan(15);
    for (const { method, route } of routes) {
      const operation = spec.paths[openApiPath(route.url)]?.[method.toLowerCase()];
      expect(operation, `${method} ${route.url} is not in the document`).toBeDefined();
      expect(operation?.tags, `${method} ${route.url} has no tag`).toHaveLength(1);
      const access = route.config?.access;
      const expected =
        access === 'admin' ? [{ adminToken: [] }] : access === 'agency' ? [{ agencyKey: [] }] : [];
      if (access === 'provider') {
        const [requirement] = (operation?.security ?? []) as Record<string, unknown>[];
        const [scheme] = Object.keys(requirement ?? {});
        expect(scheme && spec.components.securitySchemes[scheme]).toMatchObject({
          type: 'apiKey',
          in: 'header',
        });
      } else {
        expect(operation?.security, `${method} ${route.url}`).toEqual(expected);
      }
    }
  });

  it('names the admin citizen look-up and marks the signing key as public', () => {
    expect(spec.paths['/api/v1/admin/citizens']?.get?.security).toEqual([{ adminToken: [] }]);
    expect(spec.paths['/.well-known/document-signing-key']?.get?.security).toEqual([]);
  });

  it('passes the Redocly OpenAPI linter’s recommended rules without an error, and warns only where no client error exists', async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config });

    // `operation-4xx-response` asks every operation for a 4XX answer; an operation that takes no input at all
    // (no parameter, no body: /healthz, /readyz, /metrics, the signing key) has no client error to describe.
    const takesNoInput = (pointer: string) => {
      const [, path, method] = /^#\/paths\/([^/]+)\/([a-z]+)\/responses$/.exec(pointer) ?? [];
      if (!path || !method) return false;
      const operation = spec.paths[path.replaceAll('~1', '/').replaceAll('~0', '~')]?.[method] as
        | { parameters?: unknown[]; requestBody?: unknown }
        | undefined;
      return operation !== undefined && !operation.parameters?.length && operation.requestBody === undefined;
    };
    const unexpected = problems.filter(
      (p) => !(p.ruleId === 'operation-4xx-response' && takesNoInput(p.location[0]?.pointer ?? '')),
    );
    expect(
      unexpected.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? ''}`),
    ).toEqual([]);
  });
});
