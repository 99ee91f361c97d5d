import { z } from 'zod';
import { DATA_FIELDS, DATA_REQUEST_STATUSES } from '../../domain/datarequests/data-request.ts';
import { namesPrivateHost } from '../../shared/public-address.ts';
import { apiText, required } from '../api-schemas.ts';

/** A paper type code, as in `POST /api/v1/agency/documents`. */
const TypeCode = z
  .string({ error: required('a type code') })
  .regex(/^[A-Za-z0-9._-]{1,40}$/, 'must be 1-40 characters of A-Z a-z 0-9 . _ -')
  .overwrite((code) => code.toUpperCase());

/**
 * `callbackUrl`: an absolute http(s) URL; in production (`allowHttp` false) `https` only and never a host that
 * can only be this machine or a private network (`localhost`, `10.0.0.5`, `[::1]`, `169.254.169.254`...).
 */
function callbackUrl(allowHttp: boolean) {
  return z
    .url({ error: 'must be an absolute URL' })
    .max(2000, 'must be at most 2000 characters')
    .refine(
      (url) => {
        const { protocol } = new URL(url);
        return protocol === 'https:' || (allowHttp && protocol === 'http:');
      },
      { error: allowHttp ? 'must be an http or https URL' : 'must be an https URL' },
    )
    .refine((url) => allowHttp || !namesPrivateHost(new URL(url)), {
      error: 'must be a public address (not localhost or a private network)',
    })
    .describe(
      'Where `{"id","status"}` is posted when the request is decided or expires (`https` in production)',
    );
}

/** The body of `POST /api/v1/agency/data-requests`. */
export function dataRequestBody(options: { allowHttpCallbacks: boolean }) {
  return z
    .object(
      {
        citizen: apiText(64).describe(
          'Whom to ask: account code (`ABCD-2345`), phone number (`0905123456`) or 12-digit CCCD',
        ),
        purpose: apiText(200)
          .min(5, 'must be at least 5 characters')
          .describe('Why, as the citizen reads it, e.g. "Đăng ký thường trú" (5-200 characters, one line)'),
        fields: z
          .array(z.enum(DATA_FIELDS, { error: `must be one of ${DATA_FIELDS.join(', ')}` }), {
            error: required('an array of field names'),
          })
          .max(DATA_FIELDS.length)
          .refine((list) => new Set(list).size === list.length, 'must not repeat a field')
          .default([])
          .describe('The items of the citizen’s data asked for'),
        documentTypes: z
          .array(TypeCode, { error: required('an array of type codes') })
          .max(20, 'must hold at most 20 types')
          .refine((list) => new Set(list).size === list.length, 'must not repeat a type')
          .default([])
          .describe('The paper types asked for, e.g. `KHAISINH` (case-insensitive)'),
        expiresInHours: z
          .number({ error: required('a whole number of hours') })
          .int('must be a whole number of hours')
          .min(1, 'must be 1-168 hours')
          .max(168, 'must be 1-168 hours')
          .default(72)
          .describe('How long the citizen has to answer: 1-168 hours, default 72'),
        callbackUrl: callbackUrl(options.allowHttpCallbacks).optional(),
      },
      { error: required('a JSON object') },
    )
    .refine((body) => body.fields.length + body.documentTypes.length > 0, {
      path: ['fields'],
      error: 'ask for at least one field or document type',
    });
}

/** The answer to a new request. */
export const CreatedDataRequest = z.object({
  id: z.uuid(),
  status: z.literal('pending'),
  expiresAt: z.string().describe('ISO 8601 time: the citizen must answer before then'),
});

/** The id in the URL. */
export const DataRequestParams = z.object({ id: z.uuid('must be a data request id (a UUID)') });

/** The id of a request and of one of its papers in the URL. */
export const DataRequestDocumentParams = DataRequestParams.extend({
  documentId: z.uuid('must be a document id (a UUID)'),
});

const DocumentView = z.object({
  id: z.uuid(),
  typeCode: z.string(),
  title: z.string(),
  issuer: z.string().describe('The issuing agency’s code'),
  issuerName: z.string(),
  number: z.string(),
  issuedAt: z.string(),
  expiresAt: z.string().nullable(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  signature: z.string().describe('Ed25519 over the signed record (docs/agency-api.md, the signature)'),
  signingKeyId: z.string(),
  downloadUrl: z
    .string()
    .describe('The file; served to this agency’s API keys only, while the data is readable'),
});

const FieldValue = z.string().nullable();

/** A request as its agency reads it. */
export const DataRequestView = z.object({
  id: z.uuid(),
  status: z.enum(DATA_REQUEST_STATUSES),
  purpose: z.string(),
  fields: z.array(z.enum(DATA_FIELDS)),
  documentTypes: z.array(z.string()),
  createdAt: z.string(),
  expiresAt: z.string().describe('Until when the citizen may answer'),
  decidedAt: z.string().nullable().describe('When it was approved, refused, expired or withdrawn'),
  readableUntil: z
    .string()
    .nullable()
    .describe('Approved: until when `data` can be read (7 days after the approval)'),
  data: z
    .object({
      fullName: FieldValue.optional(),
      dateOfBirth: FieldValue.optional(),
      cccd: FieldValue.optional(),
      phone: FieldValue.optional(),
      address: FieldValue.optional(),
      email: FieldValue.optional(),
      documents: z.array(DocumentView),
    })
    .optional()
    .describe('Only while approved and readable: exactly the fields and papers asked for (null: not given)'),
  missing: z
    .array(z.string())
    .optional()
    .describe('With `data`: the document types asked for that the citizen holds no paper of'),
});
