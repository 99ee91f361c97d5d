import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** The security schemes routes name in `schema.security`. */
export const SECURITY = {
  admin: [{ adminToken: [] }],
  agency: [{ agencyKey: [] }],
} as const;

/** The name of the security scheme of a provider's webhooks, authenticated by request header `header`. */
export function providerScheme(header: string): string {
  return `provider.${header.toLowerCase()}`;
}

/**
 * The OpenAPI 3.1 description of every route of the service (the agency and admin APIs, the providers' webhooks,
 * the share pages, health and metrics), generated from the routes' own zod schemas, at `/docs/json` (and
 * `/docs/yaml`), with the interactive Swagger UI at `/docs` (its assets served from this service, no CDN).
 * Register it before the routes it describes. `providerHeaders` are the headers that authenticate the
 * configured providers' webhooks (see {@link providerScheme}).
 */
export function registerOpenApi(
  app: FastifyInstance,
  options: { publicBaseUrl: string; providerHeaders: readonly string[] },
): void {
  app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Digital-citizen assistant: agency and admin API',
        version: '1',
        description:
          'Agencies issue papers into citizens’ data stores and report the status of dossiers; admins manage ' +
          'agencies and their API keys. Errors are always `{ "error": { "code", "message" } }`. Papers are ' +
          'signed (Ed25519): see `GET /.well-known/document-signing-key`. Also described: the webhooks the ' +
          'messaging providers call, the public share pages, and the health and metrics routes.',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      servers: [{ url: options.publicBaseUrl }],
      tags: [
        { name: 'agency', description: 'For agencies: `Authorization: Bearer <agency API key>`' },
        { name: 'admin', description: 'For administrators: `Authorization: Bearer <ADMIN_TOKEN>`' },
        { name: 'public', description: 'For anyone checking a paper' },
        { name: 'pages', description: 'Share pages, for people with a link (HTML)' },
        {
          name: 'webhooks',
          description: 'Called by the messaging providers, each authenticated by its own header',
        },
        { name: 'operations', description: 'Health, readiness and Prometheus metrics, for operators' },
      ],
      components: {
        securitySchemes: {
          adminToken: { type: 'http', scheme: 'bearer', description: 'The ADMIN_TOKEN of this service' },
          agencyKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'An agency API key (`dcz_ak_...`), from `POST /api/v1/admin/agencies`',
          },
          ...Object.fromEntries(
            options.providerHeaders.map((header) => [
              providerScheme(header),
              {
                type: 'apiKey',
                in: 'header',
                name: header,
                description: 'Set by the provider (a signature or a shared secret); see docs/channels/',
              },
            ]),
          ),
        },
      },
    },
    hideUntagged: true,
    transform: (document) =>
      document.schema?.tags ? jsonSchemaTransform(document) : { schema: { hide: true }, url: document.url },
    transformObject: (document) =>
      withOperationIds('openapiObject' in document ? document.openapiObject : document.swaggerObject),
  });
  // The documentation itself is public.
  const documentation: FastifyPluginAsync = async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, access: 'public' };
    });
    await docs.register(fastifySwaggerUi, { routePrefix: '/docs' });
  };
  app.register(documentation);
}

type Operations = Record<string, Record<string, { operationId?: string } | undefined> | undefined>;

/**
 * Gives every operation without an `operationId` one derived from its method and path (`GET /s/{token}/qr.png`
 * → `getSTokenQrPng`), so client generators and linters have a stable name for each.
 */
function withOperationIds<T extends { paths?: unknown }>(document: T): T {
  const paths = (document.paths ?? {}) as Operations;
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations ?? {})) {
      if (!operation || operation.operationId) continue;
      const words = `${method} ${path}`.split(/[^A-Za-z0-9]+/).filter(Boolean);
      operation.operationId = words
        .map((word, index) => (index === 0 ? word : word[0]?.toUpperCase() + word.slice(1)))
        .join('');
    }
  }
  return document;
}
