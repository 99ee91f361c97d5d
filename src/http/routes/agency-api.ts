import fastifyMultipart, { type Multipart, type MultipartFile } from '@fastify/multipart';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CitizenRepository } from '../../domain/citizens/citizen-repository.ts';
import { resolveCitizen } from '../../domain/citizens/resolve-citizen.ts';
import type { DocumentRepository } from '../../domain/documents/document.ts';
import type { DocumentSigner } from '../../domain/documents/document-signature.ts';
import type { FileStore } from '../../domain/documents/file-store.ts';
import { issueDocument, MAX_DOCUMENT_BYTES } from '../../domain/documents/issue-document.ts';
import type { Dossier, DossierRepository } from '../../domain/dossiers/dossier.ts';
import { agencyOf } from '../access-control.ts';
import { apiError, ErrorBody, useZodApi } from '../api-errors.ts';
import {
  DocumentFields,
  DossierBody,
  DossierCodeParams,
  DossierView,
  dossierView,
  IssuedDocument,
} from './agency-api-schemas.ts';

/** What the agency API needs. */
export interface AgencyApiDeps {
  readonly citizens: CitizenRepository;
  readonly documents: DocumentRepository;
  readonly dossiers: DossierRepository;
  readonly files: FileStore;
  readonly signer: DocumentSigner;
  /**
   * Called after every successful dossier PUT (created, updated or unchanged): tells the citizen about a new
   * status. Must be idempotent (it decides from the stored history); if it throws, the PUT answers 5xx (503
   * `UNAVAILABLE` when the queue is away) and the agency retries.
   */
  readonly dossierStatusChanged: (dossier: Dossier, at: Date) => Promise<void>;
  readonly clock?: () => Date;
  /** Defaults to 10 MB. */
  readonly maxDocumentBytes?: number;
}

/** The multipart form of a paper, for the OpenAPI document (fastify does not parse it: it is streamed). */
const DOCUMENT_FORM = (() => {
  const fields = z.toJSONSchema(DocumentFields, { target: 'draft-2020-12', io: 'input' }) as {
    properties: Record<string, unknown>;
    required: string[];
  };
  return {
    type: 'object',
    description:
      'multipart/form-data: the text fields first, then the part `file` (PDF, PNG or JPEG, at most 10 MB, ' +
      'its type checked by content). Fields sent after the file are not read.',
    properties: {
      ...fields.properties,
      file: { type: 'string', format: 'binary', description: 'The paper: PDF, PNG or JPEG, at most 10 MB' },
    },
    required: [...fields.required, 'file'],
  };
})();

type Parts = AsyncIterator<Multipart>;

/**
 * Runs a read of the form, turning the multipart parser's own errors (a missing boundary, a body that ends
 * before the form does, a malformed part header: plain errors without a code) into the client's 400. Errors with
 * a code (the parser's limits, ours) are left for the error handler.
 */
async function readingForm<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof Error && !('code' in error)) {
      throw apiError('VALIDATION', `body: not a complete multipart/form-data form (${error.message})`);
    }
    throw error;
  }
}

/**
 * Reads the parts of an upload up to its file: the text fields (each named, at most once, not cut off; empty
 * ones are absent) and the file part, or null when the form has no file.
 */
async function fieldsThenFile(
  parts: Parts,
): Promise<{ fields: Record<string, string>; file: MultipartFile | null }> {
  const fields: Record<string, string> = {};
  const seen = new Set<string>();
  const nextPart = () => readingForm(() => parts.next());
  for (let next = await nextPart(); !next.done; next = await nextPart()) {
    const part = next.value;
    if (!part.fieldname) {
      throw apiError(
        'VALIDATION',
        'body: every part needs a name (Content-Disposition: form-data; name="…")',
      );
    }
    if (part.type === 'file') return { fields, file: part };
    if (seen.has(part.fieldname)) throw apiError('VALIDATION', `${part.fieldname}: must be given once`);
    seen.add(part.fieldname);
    if (part.valueTruncated) throw apiError('VALIDATION', `${part.fieldname}: is too long`);
    if (typeof part.value === 'string' && part.value !== '') fields[part.fieldname] = part.value;
  }
  return { fields, file: null };
}

/**
 * The bytes of the file part, then a check that nothing follows it: a part after the file fails the stream
 * (so nothing is stored) with a 400 saying the fields must come first.
 */
async function* fileThenEnd(file: MultipartFile, parts: Parts): AsyncGenerator<Buffer> {
  const chunks = file.file[Symbol.asyncIterator]();
  for (
    let chunk = await readingForm(() => chunks.next());
    !chunk.done;
    chunk = await readingForm(() => chunks.next())
  ) {
    yield chunk.value as Buffer;
  }
  const next = await readingForm(() => parts.next());
  if (!next.done) {
    if (next.value.type === 'file') next.value.file.resume();
    throw apiError('VALIDATION', `${next.value.fieldname}: comes after the file part; send the fields first`);
  }
}

/**
 * Room for the fields and part headers around the file: more than the multipart limits below allow (12 parts,
 * each header block at most 80 KiB in busboy, fields at most 2 KiB).
 */
const FORM_OVERHEAD_BYTES = 1024 * 1024;

/**
 * `/api/v1/agency/...`, behind `Authorization: Bearer <agency API key>`: issue papers (multipart, streamed) and
 * create or update dossiers. An agency sees and changes only its own dossiers.
 */
export function agencyApiRoutes(deps: AgencyApiDeps): FastifyPluginAsync {
  return async (plain) => {
    useZodApi(plain);
    const maxBytes = deps.maxDocumentBytes ?? MAX_DOCUMENT_BYTES;
    await plain.register(fastifyMultipart, {
      throwFileSizeLimit: false,
      // One byte over the limit reaches issue-document, which refuses it (413) and keeps nothing.
      limits: { fileSize: maxBytes + 1, files: 1, fields: 10, fieldSize: 2048, fieldNameSize: 64, parts: 12 },
    });
    const now = deps.clock ?? (() => new Date());
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const errors = { 400: ErrorBody, 401: ErrorBody };

    app.post(
      '/api/v1/agency/documents',
      {
        schema: {
          tags: ['agency'],
          operationId: 'issueDocument',
          summary: 'Issue a paper into a citizen’s data store',
          description:
            'Streams the file, checks its type by content, records its SHA-256 and signs the record. ' +
            'Idempotent on `number`: the same paper again answers 200 with the same id.',
          consumes: ['multipart/form-data'],
          response: {
            201: IssuedDocument.describe('Issued'),
            200: IssuedDocument.describe('Already issued (same number, same paper)'),
            404: ErrorBody.describe('`CITIZEN_NOT_FOUND`'),
            409: ErrorBody.describe(
              '`DOCUMENT_NUMBER_REUSED`: another paper has this number; `CITIZEN_NOT_VERIFIED`: the registry ' +
                'has not confirmed the account (its `citizenStatus` is in the body): papers go only to verified accounts',
            ),
            413: ErrorBody.describe('`FILE_TOO_LARGE`: over 10 MB'),
            415: ErrorBody.describe(
              '`UNSUPPORTED_FILE_TYPE`: not a PDF, PNG or JPEG; `UNSUPPORTED_MEDIA_TYPE`: the body is not ' +
                'multipart/form-data',
            ),
            ...errors,
          },
        },
        // A body announced far over the limit is refused before a byte of it is parsed or stored. The margin is
        // more than the fields and part headers the multipart limits allow, so no acceptable form is refused.
        onRequest: async (request) => {
          if (Number(request.headers['content-length']) > maxBytes + FORM_OVERHEAD_BYTES) {
            throw apiError('FILE_TOO_LARGE', `The file is larger than ${maxBytes} bytes`);
          }
        },
        config: {
          access: 'agency',
          // The body is streamed, not validated by fastify: describe the form by hand.
          swaggerTransform: (document) => {
            const transformed = jsonSchemaTransform(document);
            return { ...transformed, schema: { ...transformed.schema, body: DOCUMENT_FORM } };
          },
        },
      },
      async (request, reply) => {
        const parts = request.parts();
        let file: MultipartFile | null = null;
        try {
          const form = await fieldsThenFile(parts);
          file = form.file;
          const { fields } = form;
          if (!file)
            throw apiError('VALIDATION', 'file: is required (a part named `file`, after the fields)');
          if (file.fieldname !== 'file')
            throw apiError('VALIDATION', 'file: the file part must be named `file`');
          const parsed = DocumentFields.safeParse(fields);
          if (!parsed.success) {
            const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
            const missing = parsed.error.issues.some((i) => i.message === 'is required');
            const hint = missing ? ' (the fields must come before the file part)' : '';
            throw apiError('VALIDATION', `${problems.join('; ')}${hint}`);
          }
          const { expiresAt, ...paper } = parsed.data;
          const outcome = await issueDocument(
            { ...deps, maxBytes },
            { ...paper, agency: agencyOf(request), expiresAt: expiresAt ?? null },
            fileThenEnd(file, parts),
          );
          return reply.code(outcome.type === 'created' ? 201 : 200).send({ id: outcome.document.id });
        } finally {
          // A refused upload is not read to its end: stop parsing it and discard the rest of the body, so the
          // client gets its answer and the connection is not left waiting on a paused request.
          if (file && !file.file.readableEnded) file.file.destroy();
          if (!request.raw.readableEnded) request.raw.unpipe().resume();
        }
      },
    );

    app.put(
      '/api/v1/agency/dossiers/:code',
      {
        config: { access: 'agency' },
        schema: {
          tags: ['agency'],
          operationId: 'putDossier',
          summary: 'Create or update a dossier',
          description:
            'Every change of status, note or expected date is kept in the history; the same PUT again changes ' +
            'nothing, so it is safe to retry. A new status is told to the citizen.',
          params: DossierCodeParams,
          body: DossierBody,
          response: {
            201: DossierView.describe('Created'),
            200: DossierView.describe('Updated, or unchanged'),
            403: ErrorBody.describe('`DOSSIER_OF_ANOTHER_AGENCY`'),
            404: ErrorBody.describe('`CITIZEN_NOT_FOUND`'),
            409: ErrorBody.describe('`DOSSIER_OF_ANOTHER_CITIZEN`: a dossier never changes hands'),
            415: ErrorBody.describe('`UNSUPPORTED_MEDIA_TYPE`: the body is not application/json'),
            503: ErrorBody.describe(
              '`UNAVAILABLE`: the job queue is away (the change may already be stored); send the same PUT again after `Retry-After`',
            ),
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const agency = agencyOf(request);
        const { body } = request;
        const citizen = await resolveCitizen(deps.citizens, body.citizen);
        const at = now();
        const outcome = await deps.dossiers.upsert({
          agencyId: agency.id,
          code: request.params.code,
          citizenId: citizen.id,
          procedure: body.procedure,
          status: body.status,
          expectedAt: body.expectedAt ?? null,
          note: body.note ?? null,
          at,
        });
        if (outcome.type === 'other_agency') {
          throw apiError('DOSSIER_OF_ANOTHER_AGENCY', 'This dossier code belongs to another agency');
        }
        if (outcome.type === 'other_citizen') {
          throw apiError('DOSSIER_OF_ANOTHER_CITIZEN', 'This dossier belongs to another citizen');
        }
        // The notice is planned while the history is read (neither waits for the other); a failed plan still
        // fails the PUT, so the agency retries.
        const [, history] = await Promise.all([
          deps.dossierStatusChanged(outcome.dossier, at),
          deps.dossiers.history(outcome.dossier.id),
        ]);
        return reply
          .code(outcome.type === 'created' ? 201 : 200)
          .send(dossierView(outcome.dossier, history, outcome.type));
      },
    );

    app.get(
      '/api/v1/agency/dossiers/:code',
      {
        config: { access: 'agency' },
        schema: {
          tags: ['agency'],
          operationId: 'getDossier',
          summary: 'Read a dossier of this agency, with its history',
          params: DossierCodeParams,
          response: {
            200: DossierView,
            404: ErrorBody.describe('`NOT_FOUND`: no dossier of this agency'),
            ...errors,
          },
        },
      },
      async (request) => {
        const dossier = await deps.dossiers.findByCode(request.params.code);
        if (!dossier || dossier.agency.id !== agencyOf(request).id) {
          throw apiError('NOT_FOUND', 'This agency has no dossier with this code');
        }
        return dossierView(dossier, await deps.dossiers.history(dossier.id), 'read');
      },
    );
  };
}
