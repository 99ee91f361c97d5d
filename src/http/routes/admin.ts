import type { FastifyPluginAsync, onRequestAsyncHookHandler } from 'fastify';
import { z } from 'zod';
import { formatAccountCode } from '../../domain/citizens/account-code.ts';
import type { CitizenRepository } from '../../domain/citizens/citizen-repository.ts';
import { safeEqual } from '../../shared/crypto.ts';
import { normalizePhone } from '../../shared/phone.ts';

/** What the admin API needs. */
export interface AdminDeps {
  /** Unset: the admin API is off (its routes do not exist). */
  readonly adminToken: string | undefined;
  readonly citizens: CitizenRepository;
}

const CitizenQuery = z.object({ phone: z.string().min(1, 'phone is required') });

/**
 * The onRequest hook that keeps `/api/v1/admin/...` behind `Authorization: Bearer <ADMIN_TOKEN>` (401 otherwise).
 * Hooks are encapsulated: every plugin serving admin routes adds it to its own scope.
 */
export function adminTokenGuard(token: string): onRequestAsyncHookHandler {
  return async (request, reply) => {
    if (!request.url.startsWith('/api/v1/admin/')) return;
    const header = request.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!given || !safeEqual(given, token)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: { code: 'UNAUTHORIZED', message: 'A valid admin bearer token is required' } });
    }
  };
}

/** `/api/v1/admin/...`, behind `Authorization: Bearer <ADMIN_TOKEN>`. Never returns an ID number. */
export function adminRoutes(deps: AdminDeps): FastifyPluginAsync {
  return async (app) => {
    const token = deps.adminToken;
    if (!token) return;

    app.addHook('onRequest', adminTokenGuard(token));

    app.get('/api/v1/admin/citizens', async (request, reply) => {
      const query = CitizenQuery.safeParse(request.query);
      if (!query.success) {
        return reply.code(400).send({ error: { code: 'BAD_REQUEST', message: 'phone is required' } });
      }
      const phone = normalizePhone(query.data.phone);
      if (!phone) {
        return reply.code(400).send({
          error: { code: 'BAD_PHONE', message: 'phone must be a phone number such as +84905123456' },
        });
      }
      const citizen = await deps.citizens.findByPhone(phone);
      if (!citizen)
        return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'No account for this phone' } });
      return {
        accountCode: formatAccountCode(citizen.accountCode),
        status: citizen.status,
        phone: citizen.phone,
        createdVia: citizen.createdVia,
        createdAt: citizen.createdAt.toISOString(),
        verifiedAt: citizen.verifiedAt?.toISOString() ?? null,
      };
    });
  };
}
