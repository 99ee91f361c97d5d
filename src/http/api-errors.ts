import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CitizenNotVerifiedError } from '../domain/citizens/resolve-citizen.ts';
import { AppError } from '../shared/errors.ts';
import { isTransientError } from '../shared/transient-errors.ts';

/** The body of every error answer of the admin and agency APIs. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().describe('Stable, machine-readable code, e.g. `VALIDATION`, `FILE_TOO_LARGE`'),
      message: z.string().describe('What went wrong, for people; never personal data'),
      citizenStatus: z
        .enum(['provisional', 'not_matched'])
        .optional()
        .describe(
          'With `CITIZEN_NOT_VERIFIED` only: where the account stands: `provisional` (the registry check is ' +
            'pending) or `not_matched` (the registry did not confirm it)',
        ),
    }),
  })
  .describe('An error');

/** The HTTP status of each error code our API routes raise as an {@link AppError}. */
const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  VALIDATION: 400,
  BAD_PHONE: 400,
  UNKNOWN_WARD: 400,
  UNAUTHORIZED: 401,
  DOSSIER_OF_ANOTHER_AGENCY: 403,
  NOT_FOUND: 404,
  CITIZEN_NOT_FOUND: 404,
  AGENCY_NOT_FOUND: 404,
  KEY_NOT_FOUND: 404,
  HANDOFF_NOT_FOUND: 404,
  AGENCY_CODE_TAKEN: 409,
  AGENCY_NAME_TAKEN: 409,
  DOCUMENT_NUMBER_REUSED: 409,
  DOSSIER_OF_ANOTHER_CITIZEN: 409,
  CITIZEN_NOT_VERIFIED: 409,
  WEBHOOK_SECRET_NOT_SET: 409,
  HANDOFF_CLOSED: 409,
  FILE_TOO_LARGE: 413,
  TOO_MANY_PENDING: 429,
  UNSUPPORTED_FILE_TYPE: 415,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAVAILABLE: 503,
};

/** The `Retry-After` (seconds) of a 503: a dependency (Redis) is away; the request can be sent again as it was. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * Answers 503 `UNAVAILABLE` with `Retry-After`: a part we depend on (PostgreSQL, Redis) is away or did not answer
 * in time (an `UnavailableError`, or any error `isTransientError` takes for an outage), and the request can be sent
 * again as it was. Logged with the error's class only.
 */
export function unavailable(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  request.log.error({ err: error }, 'request not completed: a dependency is unavailable');
  const message =
    error instanceof AppError && error.code === 'UNAVAILABLE'
      ? error.message
      : 'A service we depend on is unavailable; try again later';
  return reply
    .code(503)
    .header('retry-after', String(RETRY_AFTER_SECONDS))
    .send({ error: { code: 'UNAVAILABLE', message } });
}

/** Errors of @fastify/multipart and fastify itself, as our codes. */
const LIBRARY_ERRORS: Readonly<Record<string, { status: number; code: string }>> = {
  FST_REQ_FILE_TOO_LARGE: { status: 413, code: 'FILE_TOO_LARGE' },
  FST_FILES_LIMIT: { status: 400, code: 'VALIDATION' },
  FST_FIELDS_LIMIT: { status: 400, code: 'VALIDATION' },
  FST_PARTS_LIMIT: { status: 400, code: 'VALIDATION' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 400, code: 'VALIDATION' },
  FST_PROTO_VIOLATION: { status: 400, code: 'VALIDATION' },
  FST_INVALID_JSON_FIELD_ERROR: { status: 400, code: 'VALIDATION' },
  FST_MP_PREMATURE_CLOSE: { status: 400, code: 'VALIDATION' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'BODY_TOO_LARGE' },
};

/** An API error answer: `{ error: { code, message } }` with its status. */
export function apiError(code: string, message: string): AppError {
  return new AppError(code, message);
}

/** The media type of a request (`application/json` from `application/json; charset=utf-8`), '' without one. */
function mediaTypeOf(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * Makes a plugin scope a zod-validated JSON API: {@link useZodSchemas}, and a route takes one type of body: the
 * types in its schema's `consumes`, else `application/json` when it has a body schema; any other type, or none,
 * is 415 `UNSUPPORTED_MEDIA_TYPE` before the body is read. Routes without either take no body and ignore one.
 * JSON that does not parse is 400 `VALIDATION`. (The application's form and lenient JSON parsers are for
 * webhooks: they are not used here.) Call it first thing inside an encapsulated plugin: it changes nothing
 * outside that scope.
 */
export function useZodApi(app: FastifyInstance): void {
  useZodSchemas(app);
  app.removeContentTypeParser(['application/x-www-form-urlencoded', 'application/json']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(apiError('VALIDATION', 'body: must be valid JSON'), undefined);
    }
  });
  app.addHook('preParsing', async (request) => {
    const schema = request.routeOptions.schema;
    const takes = schema?.consumes ?? (schema?.body === undefined ? undefined : ['application/json']);
    if (takes !== undefined && !takes.includes(mediaTypeOf(request))) {
      throw apiError('UNSUPPORTED_MEDIA_TYPE', `body: must be ${takes.join(' or ')}`);
    }
  });
}

/**
 * Makes a plugin scope's schemas zod (they validate requests, serialize answers and feed the OpenAPI document),
 * and every error `{ "error": { "code", "message" } }`: validation errors are 400 `VALIDATION` naming the field,
 * our {@link AppError}s get their status (`UNAVAILABLE`: 503 with `Retry-After`), internals never leak (5xx are
 * logged). Bodies are parsed as the application parses them (webhooks take forms and raw JSON).
 */
export function useZodSchemas(app: FastifyInstance): void {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const send = (status: number, code: string, message: string) =>
      reply.code(status).send({ error: { code, message } });
    if (hasZodFastifySchemaValidationErrors(error)) {
      const context = (error as FastifyError).validationContext ?? 'body';
      const problems = error.validation.map((issue) => {
        const field = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
        return `${field || context}: ${issue.message}`;
      });
      return send(400, 'VALIDATION', problems.join('; '));
    }
    if (error instanceof CitizenNotVerifiedError) {
      return reply.code(409).send({
        error: { code: error.code, message: error.message, citizenStatus: error.citizenStatus },
      });
    }
    if (error instanceof AppError && STATUS_OF_CODE[error.code] !== undefined) {
      const status = STATUS_OF_CODE[error.code] ?? 400;
      if (status === 503) return unavailable(request, reply, error);
      return send(status, error.code, error.message);
    }
    const library = LIBRARY_ERRORS[error.code];
    if (library) return send(library.status, library.code, error.message);
    if (isTransientError(error)) return unavailable(request, reply, error);
    const status = 'statusCode' in error && error.statusCode !== undefined ? error.statusCode : 500;
    if (status >= 400 && status < 500) return send(status, 'BAD_REQUEST', error.message);
    request.log.error({ err: error }, 'request failed');
    return send(Math.max(status, 500), 'INTERNAL', 'Internal Server Error');
  });
}
