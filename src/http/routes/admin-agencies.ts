import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AgencyRepository } from '../../domain/agencies/agency.ts';
import { generateAgencyApiKey, hashAgencyApiKey } from '../../domain/agencies/api-key.ts';
import { generateWebhookSecret } from '../../domain/agencies/webhook-secret.ts';
import type { DataCipher } from '../../shared/crypto.ts';
import { apiError, ErrorBody, useZodApi } from '../api-errors.ts';
import { apiText, required } from '../api-schemas.ts';

/** What the agency admin API needs. */
export interface AdminAgencyDeps {
  /** Unset: the admin API is off (its routes do not exist). */
  readonly adminToken: string | undefined;
  readonly agencies: AgencyRepository;
  /** Hashes API keys (`keyedHash('agency-key', key)`): only the hash is stored; seals webhook secrets. */
  readonly cipher: DataCipher;
  readonly clock?: () => Date;
}

const AgencyId = z.uuid('must be an agency id (a UUID)');
const NewAgency = z.object(
  {
    code: z
      .string({ error: 'is required' })
      .regex(
        /^[A-Z0-9][A-Z0-9._-]{1,39}$/,
        'must be 2-40 characters of A-Z 0-9 . _ - (upper case), e.g. UBND-HAICHAU',
      ),
    name: apiText(200).describe(
      'The agency’s name as citizens read it, e.g. "UBND phường Hải Châu"; unique ignoring case, diacritics ' +
        'and extra spaces',
    ),
  },
  { error: required('a JSON object') },
);
const NewKey = z.object({
  apiKey: z.string().describe('The API key: shown only in this answer, store it safely'),
  keyId: z.uuid().describe('Names the key, to revoke it later'),
});
const WebhookSecret = z
  .string()
  .describe(
    'Signs the callbacks of data requests (`X-Signature: sha256=<hex HMAC-SHA256 of the body>`): shown only in ' +
      'this answer, store it safely',
  );

/**
 * `/api/v1/admin/agencies...` behind the ADMIN_TOKEN: create an agency (its first API key and its webhook secret
 * are shown once), add a key (rotation: old keys keep working until revoked), revoke a key (at once), replace the
 * webhook secret.
 */
export function adminAgencyRoutes(deps: AdminAgencyDeps): FastifyPluginAsync {
  return async (plain) => {
    if (!deps.adminToken) return;
    useZodApi(plain);
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const now = deps.clock ?? (() => new Date());
    const errors = { 400: ErrorBody, 401: ErrorBody };

    app.post(
      '/api/v1/admin/agencies',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['admin'],
          operationId: 'createAgency',
          summary: 'Create an agency and its first API key',
          body: NewAgency,
          response: {
            201: NewKey.extend({ id: z.uuid().describe('The agency’s id'), webhookSecret: WebhookSecret }),
            409: ErrorBody.describe(
              '`AGENCY_CODE_TAKEN`, or `AGENCY_NAME_TAKEN`: another agency has this name (ignoring case, ' +
                'diacritics and extra spaces)',
            ),
            415: ErrorBody.describe('`UNSUPPORTED_MEDIA_TYPE`: the body is not application/json'),
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const apiKey = generateAgencyApiKey();
        const webhookSecret = generateWebhookSecret();
        const outcome = await deps.agencies.create({
          ...request.body,
          keyHash: hashAgencyApiKey(deps.cipher, apiKey),
          webhookSecret: deps.cipher.encrypt(webhookSecret),
        });
        if (outcome.type === 'code_taken') {
          throw apiError('AGENCY_CODE_TAKEN', 'An agency with this code already exists');
        }
        if (outcome.type === 'name_taken') {
          throw apiError(
            'AGENCY_NAME_TAKEN',
            'Another agency has this name (names are compared ignoring case, diacritics and extra spaces)',
          );
        }
        return reply.code(201).send({ id: outcome.agency.id, apiKey, keyId: outcome.key.id, webhookSecret });
      },
    );

    app.post(
      '/api/v1/admin/agencies/:id/keys',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['admin'],
          operationId: 'addAgencyKey',
          summary: 'Add an API key to an agency (rotation)',
          description: 'The agency’s other keys keep working until they are revoked.',
          params: z.object({ id: AgencyId }),
          response: { 201: NewKey, 404: ErrorBody.describe('`AGENCY_NOT_FOUND`'), ...errors },
        },
      },
      async (request, reply) => {
        const apiKey = generateAgencyApiKey();
        const key = await deps.agencies.addKey(request.params.id, hashAgencyApiKey(deps.cipher, apiKey));
        if (!key) throw apiError('AGENCY_NOT_FOUND', 'No agency has this id');
        return reply.code(201).send({ apiKey, keyId: key.id });
      },
    );

    app.post(
      '/api/v1/admin/agencies/:id/webhook-secret',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['admin'],
          operationId: 'rotateAgencyWebhookSecret',
          summary: 'Replace an agency’s webhook secret',
          description:
            'The old secret stops signing at once: callbacks sent from now on (retries included) carry the new ' +
            'signature. Also gives a secret to an agency created before secrets existed.',
          params: z.object({ id: AgencyId }),
          response: {
            201: z.object({ webhookSecret: WebhookSecret }),
            404: ErrorBody.describe('`AGENCY_NOT_FOUND`'),
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const webhookSecret = generateWebhookSecret();
        const set = await deps.agencies.setWebhookSecret(
          request.params.id,
          deps.cipher.encrypt(webhookSecret),
        );
        if (!set) throw apiError('AGENCY_NOT_FOUND', 'No agency has this id');
        return reply.code(201).send({ webhookSecret });
      },
    );

    app.delete(
      '/api/v1/admin/agencies/:id/keys/:keyId',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['admin'],
          operationId: 'revokeAgencyKey',
          summary: 'Revoke an API key at once',
          description: 'Idempotent: revoking a revoked key answers 204 again.',
          params: z.object({ id: AgencyId, keyId: z.uuid('must be a key id (a UUID)') }),
          response: {
            204: z.null().describe('Revoked'),
            404: ErrorBody.describe('`KEY_NOT_FOUND`'),
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const revoked = await deps.agencies.revokeKey(request.params.id, request.params.keyId, now());
        if (!revoked) throw apiError('KEY_NOT_FOUND', 'This agency has no key with this id');
        return reply.code(204).send(null);
      },
    );
  };
}
