import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatAccountCode } from '../../domain/citizens/account-code.ts';
import type { CitizenRepository } from '../../domain/citizens/citizen-repository.ts';
import { normalizePhone } from '../../shared/phone.ts';
import { apiError, ErrorBody, useZodApi } from '../api-errors.ts';

/** What the admin API's citizen look-up needs. */
export interface AdminDeps {
  /** Unset: the admin API is off (its routes do not exist). */
  readonly adminToken: string | undefined;
  readonly citizens: Pick<CitizenRepository, 'findByPhone'>;
}

const CitizenQuery = z.object({
  phone: z
    .string({ error: 'is required' })
    .min(1, 'is required')
    .describe('The phone number in any common form: `+84905123456`, `0905 123 456`, `84905123456`'),
});

const CitizenView = z.object({
  accountCode: z.string().describe('The account code, `XXXX-XXXX`'),
  status: z.enum(['provisional', 'verified', 'not_matched']),
  phone: z.string().describe('E.164'),
  createdVia: z.string().describe('The channel the account was opened on'),
  createdAt: z.string().describe('ISO 8601'),
  verifiedAt: z.string().nullable().describe('ISO 8601, or null while not verified'),
  registeredBy: z
    .object({ teamId: z.uuid(), memberId: z.uuid() })
    .nullable()
    .describe(
      'The team and member of the volunteer who registered the account for the citizen (DKH); null when the ' +
        'citizen registered themself',
    ),
});

/** `GET /api/v1/admin/citizens?phone=...` (admin): an account by phone. Never returns an ID number. */
export function adminRoutes(deps: AdminDeps): FastifyPluginAsync {
  return async (plain) => {
    if (!deps.adminToken) return;
    useZodApi(plain);
    const app = plain.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/api/v1/admin/citizens',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['admin'],
          operationId: 'findCitizenByPhone',
          summary: 'Find an account by phone number',
          description: 'Answers the account’s code and status; never its ID number, name or date of birth.',
          querystring: CitizenQuery,
          response: {
            200: CitizenView,
            400: ErrorBody.describe('`VALIDATION`, or `BAD_PHONE`: not a phone number'),
            401: ErrorBody,
            404: ErrorBody.describe('`NOT_FOUND`: no account has this phone'),
          },
        },
      },
      async (request) => {
        const phone = normalizePhone(request.query.phone);
        if (!phone) throw apiError('BAD_PHONE', 'phone must be a phone number such as +84905123456');
        const citizen = await deps.citizens.findByPhone(phone);
        if (!citizen) throw apiError('NOT_FOUND', 'No account for this phone');
        return {
          accountCode: formatAccountCode(citizen.accountCode),
          status: citizen.status,
          phone: citizen.phone,
          createdVia: citizen.createdVia,
          createdAt: citizen.createdAt.toISOString(),
          verifiedAt: citizen.verifiedAt?.toISOString() ?? null,
          registeredBy: citizen.registeredBy && {
            teamId: citizen.registeredBy.teamId,
            memberId: citizen.registeredBy.memberId,
          },
        };
      },
    );
  };
}
