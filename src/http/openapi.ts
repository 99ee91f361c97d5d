import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** The security schemes routes name in `schema.security`. */
export const SECURITY = {
  admin: [{ adminToken: [] }],
  agency: [{ agencyKey: [] }],
} as const;

/**
 * The OpenAPI 3.1 description of the admin and agency APIs, generated from the routes' own zod schemas, at
 * `/docs/json` (and `/docs/yaml`), with the interactive Swagger UI at `/docs` (its assets served from this
 * service, no CDN). Only tagged routes are described: webhooks, health and pages stay out. Register it before
 * the routes it describes.
 */
export function registerOpenApi(app: FastifyInstance, options: { publicBaseUrl: string }): void {
  app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Digital-citizen assistant: agency and admin API',
        version: '1',
        description:
          'Agencies issue papers into citizens` data stores and report the status of dossiers; admins manage ' +
          'agencies and their API keys. Errors are always `{ "error": { "code", "message" } }`. Papers are ' +
          'signed (Ed25519): see `GET /.well-known/document-signing-key`.',
      },
      servers: [{ url: options.publicBaseUrl }],
      tags: [
        { name: 'agency', description: 'For agencies: `Authorization: Bearer <agency API key>`' },
        { name: 'admin', description: 'For administrators: `Authorization: Bearer <ADMIN_TOKEN>`' },
        { name: 'public', description: 'For anyone checking a paper' },
      ],
      components: {
        securitySchemes: {
          adminToken: { type: 'http', scheme: 'bearer', description: 'The ADMIN_TOKEN of this service' },
          agencyKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'An agency API key (`dcz_ak_...`), from `POST /api/v1/admin/agencies`',
          },
        },
      },
    },
    hideUntagged: true,
    transform: (document) =>
      document.schema?.tags ? jsonSchemaTransform(document) : { schema: { hide: true }, url: document.url },
  });
  app.register(fastifySwaggerUi, { routePrefix: '/docs' });
}
