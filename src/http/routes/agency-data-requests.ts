import type { FastifyPluginAsync } from 'fastify';
import { jsonSchemaTransform, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AgencyRepository } from '../../domain/agencies/agency.ts';
import type { CitizenRepository } from '../../domain/citizens/citizen-repository.ts';
import { resolveVerifiedCitizen } from '../../domain/citizens/resolve-citizen.ts';
import {
  type DataRequest,
  type DataRequestRepository,
  isReadable,
  MAX_PENDING_PER_AGENCY,
} from '../../domain/datarequests/data-request.ts';
import { requestedData } from '../../domain/datarequests/requested-data.ts';
import type { DocumentRepository } from '../../domain/documents/document.ts';
import type { FileStore } from '../../domain/documents/file-store.ts';
import { checkedFileStream } from '../../domain/shares/checked-file-stream.ts';
import { agencyOf } from '../access-control.ts';
import { apiError, ErrorBody, useZodApi } from '../api-errors.ts';
import { downloadName } from '../share-page/download-name.ts';
import {
  CreatedDataRequest,
  DataRequestDocumentParams,
  DataRequestParams,
  DataRequestView,
  dataRequestBody,
} from './agency-data-requests-schemas.ts';

const HOUR_MS = 60 * 60 * 1000;

/** What the data-request routes of the agency API need. */
export interface AgencyDataRequestDeps {
  readonly citizens: CitizenRepository;
  readonly documents: DocumentRepository;
  readonly files: FileStore;
  readonly agencies: AgencyRepository;
  readonly dataRequests: DataRequestRepository;
  /** The service's public URL, for `downloadUrl`. */
  readonly publicBaseUrl: string;
  /** Outside production a callback may be `http` (a test server on 127.0.0.1). */
  readonly allowHttpCallbacks: boolean;
  /**
   * Called after a request is stored: tells the citizen and schedules its expiry. If it throws (the queue is
   * away), the POST answers 503 and the request stays stored, pending (the citizen may not have been told); the
   * maintenance job expires it when its time has come even if its expiry job was never queued.
   */
  readonly dataRequestCreated: (request: DataRequest) => Promise<void>;
  /** Called when a read finds a pending request past its time: expires it (and queues its callback). */
  readonly dataRequestDue: (request: DataRequest) => Promise<DataRequest>;
  readonly clock?: () => Date;
}

/**
 * `/api/v1/agency/data-requests...`: an agency asks a verified citizen for items of their data and papers
 * (the citizen answers in the chat), reads what was agreed for 7 days (each read audited), and downloads the
 * papers. A request of another agency is `404`, as one that does not exist.
 */
export function agencyDataRequestRoutes(deps: AgencyDataRequestDeps): FastifyPluginAsync {
  return async (plain) => {
    useZodApi(plain);
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const now = deps.clock ?? (() => new Date());
    const errors = { 400: ErrorBody, 401: ErrorBody };

    /** The agency's own request, due expiries applied; `NOT_FOUND` for another agency's or none. */
    const ownRequest = async (agencyId: string, id: string): Promise<DataRequest> => {
      const request = await deps.dataRequests.findById(id);
      if (!request || request.agency.id !== agencyId) {
        throw apiError('NOT_FOUND', 'This agency has no data request with this id');
      }
      if (request.status === 'pending' && request.expiresAt <= now()) return deps.dataRequestDue(request);
      return request;
    };

    app.post(
      '/api/v1/agency/data-requests',
      {
        config: { access: 'agency' },
        schema: {
          tags: ['agency'],
          operationId: 'createDataRequest',
          summary: 'Ask a citizen for items of their data and papers',
          description:
            'The citizen is told on the chat they used last (quiet hours respected) and answers there. At most ' +
            `${MAX_PENDING_PER_AGENCY} requests of one agency wait for one citizen at once.`,
          body: dataRequestBody({ allowHttpCallbacks: deps.allowHttpCallbacks }),
          response: {
            201: CreatedDataRequest.describe(
              'Asked; the citizen has been told (or will be, after quiet hours)',
            ),
            404: ErrorBody.describe('`CITIZEN_NOT_FOUND`'),
            409: ErrorBody.describe(
              '`CITIZEN_NOT_VERIFIED` (with `citizenStatus`): the registry has not confirmed the account; ' +
                '`WEBHOOK_SECRET_NOT_SET`: a `callbackUrl` was given but the agency has no webhook secret yet',
            ),
            415: ErrorBody.describe('`UNSUPPORTED_MEDIA_TYPE`: the body is not application/json'),
            429: ErrorBody.describe(
              `\`TOO_MANY_PENDING\`: ${MAX_PENDING_PER_AGENCY} requests of this agency already wait for this citizen`,
            ),
            503: ErrorBody.describe(
              '`UNAVAILABLE`: the job queue is away; the request may be stored already',
            ),
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const agency = agencyOf(request);
        const { body } = request;
        const citizen = await resolveVerifiedCitizen(deps.citizens, body.citizen);
        if (body.callbackUrl !== undefined && (await deps.agencies.findWebhookSecret(agency.id)) === null) {
          throw apiError(
            'WEBHOOK_SECRET_NOT_SET',
            'This agency has no webhook secret to sign callbacks: ask an administrator to set one',
          );
        }
        const at = now();
        const outcome = await deps.dataRequests.create(
          {
            agencyId: agency.id,
            citizenId: citizen.id,
            purpose: body.purpose,
            fields: body.fields,
            documentTypes: body.documentTypes,
            callbackUrl: body.callbackUrl ?? null,
            createdAt: at,
            expiresAt: new Date(at.getTime() + body.expiresInHours * HOUR_MS),
          },
          MAX_PENDING_PER_AGENCY,
        );
        if (outcome.type === 'too_many_pending') {
          throw apiError(
            'TOO_MANY_PENDING',
            `${MAX_PENDING_PER_AGENCY} requests of this agency already wait for this citizen's answer`,
          );
        }
        await deps.dataRequestCreated(outcome.request);
        return reply.code(201).send({
          id: outcome.request.id,
          status: 'pending' as const,
          expiresAt: outcome.request.expiresAt.toISOString(),
        });
      },
    );

    app.get(
      '/api/v1/agency/data-requests/:id',
      {
        config: { access: 'agency' },
        schema: {
          tags: ['agency'],
          operationId: 'getDataRequest',
          summary: 'Read a data request, with the data once the citizen agreed',
          description:
            'While approved and within 7 days of the approval, `data` holds exactly the fields and papers asked ' +
            'for (`missing`: the types the citizen holds no paper of). Every read is recorded in the audit log ' +
            'and shown to the citizen.',
          params: DataRequestParams,
          response: {
            200: DataRequestView,
            404: ErrorBody.describe('`NOT_FOUND`: no data request of this agency has this id'),
            ...errors,
          },
        },
      },
      async (request) => {
        const agency = agencyOf(request);
        const found = await ownRequest(agency.id, request.params.id);
        const at = now();
        const view = {
          id: found.id,
          status: found.status,
          purpose: found.purpose,
          fields: [...found.fields],
          documentTypes: [...found.documentTypes],
          createdAt: found.createdAt.toISOString(),
          expiresAt: found.expiresAt.toISOString(),
          decidedAt: found.decidedAt?.toISOString() ?? null,
          readableUntil: found.readableUntil?.toISOString() ?? null,
        };
        if (!isReadable(found, at)) return view;
        const profile = await deps.citizens.findProfile(found.citizenId);
        const citizen = await deps.citizens.findById(found.citizenId);
        // A closed or purged account hands nothing over.
        if (!profile || !citizen || citizen.closedAt !== null) return view;
        const given = requestedData(found, profile, await deps.documents.listByCitizen(found.citizenId));
        await deps.dataRequests.recordRead(found.id, at);
        const base = deps.publicBaseUrl.replace(/\/+$/, '');
        return {
          ...view,
          data: {
            ...given.values,
            documents: given.documents.map(({ issuer, ...paper }) => ({
              ...paper,
              issuer: issuer.code,
              issuerName: issuer.name,
              downloadUrl: `${base}/api/v1/agency/data-requests/${found.id}/documents/${paper.id}`,
            })),
          },
          missing: [...given.missing],
        };
      },
    );

    app.get(
      '/api/v1/agency/data-requests/:id/documents/:documentId',
      {
        config: {
          access: 'agency',
          // The file is streamed, not serialized: its 200 is described here only, for the OpenAPI document.
          swaggerTransform: (document) => {
            const transformed = jsonSchemaTransform(document);
            const response = (transformed.schema.response ?? {}) as Record<string, unknown>;
            const binary = { schema: { type: 'string', format: 'binary' } };
            return {
              ...transformed,
              schema: {
                ...transformed.schema,
                response: {
                  200: {
                    description: 'The paper’s file',
                    content: { 'application/pdf': binary, 'image/png': binary, 'image/jpeg': binary },
                  },
                  ...response,
                },
              },
            };
          },
        },
        schema: {
          tags: ['agency'],
          operationId: 'downloadDataRequestDocument',
          summary: 'Download a paper handed over with an approved data request',
          description:
            'The file exactly as issued (200: PDF, PNG or JPEG; its SHA-256 and size are those of the signed ' +
            'record); only to the ' +
            'agency that asked, while the data is readable. Every download is recorded in the audit log.',
          params: DataRequestDocumentParams,
          response: {
            404: ErrorBody.describe(
              '`NOT_FOUND`: no such request of this agency, not readable (not approved, withdrawn, past 7 ' +
                'days), or no such paper in it',
            ),
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const agency = agencyOf(request);
        const found = await ownRequest(agency.id, request.params.id);
        const at = now();
        const notHere = () => apiError('NOT_FOUND', 'No such paper is readable in this data request');
        if (!isReadable(found, at)) throw notHere();
        const citizen = await deps.citizens.findById(found.citizenId);
        const paper = await deps.documents.findById(request.params.documentId);
        const wanted = new Set(found.documentTypes.map((t) => t.toUpperCase()));
        if (
          !citizen ||
          citizen.closedAt !== null ||
          !paper ||
          paper.citizenId !== found.citizenId ||
          !wanted.has(paper.typeCode.toUpperCase())
        ) {
          throw notHere();
        }
        const stream = await deps.files.get(paper.fileKey).catch(() => null);
        if (stream === null) throw notHere();
        await deps.dataRequests.recordRead(found.id, at, paper.id);
        return (
          reply
            .type(paper.contentType)
            .header('content-length', String(paper.sizeBytes))
            .header(
              'content-disposition',
              `attachment; filename="${downloadName(paper.title, paper.contentType)}"`,
            )
            // A stream, not JSON: 200 has no response schema (only the errors are described), so nothing serializes it.
            .send(checkedFileStream(stream, paper) as never)
        );
      },
    );
  };
}
