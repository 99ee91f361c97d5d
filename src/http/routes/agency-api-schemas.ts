import { z } from 'zod';
import {
  DOSSIER_STATUSES,
  type Dossier,
  type DossierEvent,
  normalizeDossierCode,
} from '../../domain/dossiers/dossier.ts';
import { apiDate, apiText, required } from '../api-schemas.ts';

/** Who a paper or dossier belongs to: account code, phone number or CCCD. */
const Citizen = apiText(64).describe(
  'The holder: account code (`ABCD-2345`), phone number (`0905123456`, `+84905123456`) or 12-digit CCCD',
);

/** The form fields of `POST /api/v1/agency/documents` (the file part comes after them). */
export const DocumentFields = z
  .object({
    citizen: Citizen,
    typeCode: z
      .string({ error: required('a type code') })
      .regex(/^[A-Za-z0-9._-]{1,40}$/, 'must be 1-40 characters of A-Z a-z 0-9 . _ -')
      .describe('The kind of paper, e.g. `KHAISINH`'),
    title: apiText(200).describe(
      'What the paper is, as the citizen reads it, e.g. "Giấy khai sinh"; one line, no control or invisible characters',
    ),
    number: apiText(100).describe(
      'The agency’s own number of the paper; issuing twice under one number is idempotent',
    ),
    issuedAt: apiDate.describe('Date of issue, YYYY-MM-DD (a real date, years 1900-2100)'),
    expiresAt: apiDate
      .optional()
      .describe('Valid until, YYYY-MM-DD (after issuedAt, years 1900-2100); omit if it does not expire'),
  })
  .refine((f) => f.expiresAt === undefined || f.expiresAt > f.issuedAt, {
    path: ['expiresAt'],
    message: 'must be after issuedAt',
  });

/** The answer to an issued paper. */
export const IssuedDocument = z.object({ id: z.uuid().describe('The paper’s id in the data store') });

/**
 * A dossier code: 1-64 ASCII letters, digits and `. - _ /` (percent-encode `/` in the URL), case-insensitive:
 * checked as sent, then put in its normal form (upper case). Checking first keeps out any non-ASCII character
 * that upper-cases to ASCII.
 */
export const DossierCodeParams = z.object({
  code: z
    .string()
    .regex(/^[A-Za-z0-9._/-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 . - _ /')
    .overwrite(normalizeDossierCode)
    .describe(
      'The agency’s dossier code, e.g. `000.00.20.H17-250601-0001` (`/` written as `%2F`). Case-insensitive: ' +
        '`hs-001` and `HS-001` are one dossier, shown in upper case',
    ),
});

/** The body of `PUT /api/v1/agency/dossiers/{code}`. */
export const DossierBody = z.object(
  {
    citizen: Citizen,
    procedure: apiText(300).describe(
      'The procedure, as the citizen reads it, e.g. "Đăng ký khai sinh"; one line, no control or invisible characters',
    ),
    status: z.enum(DOSSIER_STATUSES, { error: `must be one of ${DOSSIER_STATUSES.join(', ')}` }),
    expectedAt: apiDate
      .nullable()
      .optional()
      .describe('When the agency expects to finish, YYYY-MM-DD (a real date, years 1900-2100)'),
    note: apiText(1000, { lineFeeds: true })
      .nullable()
      .optional()
      .describe(
        'A note to the citizen: what to bring, why it was rejected. May hold line breaks (CRLF is stored as LF); ' +
          'no other control or invisible characters',
      ),
  },
  { error: required('a JSON object') },
);

const DossierEventView = z.object({
  seq: z.number().int(),
  status: z.enum(DOSSIER_STATUSES),
  note: z.string().nullable(),
  expectedAt: z.string().nullable(),
  at: z.string().describe('ISO 8601 time'),
});

/** A dossier as the agency API shows it, with its history. */
export const DossierView = z.object({
  code: z.string(),
  procedure: z.string(),
  status: z.enum(DOSSIER_STATUSES),
  expectedAt: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  outcome: z
    .enum(['created', 'updated', 'unchanged', 'read'])
    .describe('What this request did: a repeated PUT is `unchanged` and adds no history'),
  history: z.array(DossierEventView).describe('Every change of status, note or expected date, oldest first'),
});

/** The {@link DossierView} of a dossier. */
export function dossierView(
  dossier: Dossier,
  history: readonly DossierEvent[],
  outcome: z.infer<typeof DossierView>['outcome'],
): z.infer<typeof DossierView> {
  return {
    code: dossier.code,
    procedure: dossier.procedure,
    status: dossier.status,
    expectedAt: dossier.expectedAt,
    note: dossier.note,
    createdAt: dossier.createdAt.toISOString(),
    updatedAt: dossier.updatedAt.toISOString(),
    outcome,
    history: history.map((event) => ({ ...event, at: event.at.toISOString() })),
  };
}
