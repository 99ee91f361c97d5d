import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FailedInbound } from '../../storage/postgres/inbox.ts';
import { ErrorBody, useZodApi } from '../api-errors.ts';

/** What the failed-messages admin API needs. */
export interface AdminFailedMessagesDeps {
  /** Unset: the admin API is off (its routes do not exist). */
  readonly adminToken: string | undefined;
  /** The inbound messages given up on, newest first (the inbox's `listFailed`). */
  readonly failedMessages: {
    listFailed(options: { limit: number; before?: number | undefined }): Promise<FailedInbound[]>;
  };
}

const FailedMessage = z.object({
  id: z.number().int().describe('The inbox id of the message (`inbound_messages.id`)'),
  channel: z.string().describe('The channel it came on'),
  receivedAt: z.iso.datetime(),
  failedAt: z.iso.datetime().describe('When it was given up on'),
  attempts: z.number().int().describe('Turns of it that threw, outages included'),
  errorClass: z
    .string()
    .nullable()
    .describe('The last error’s code or class name (`TypeError`, `UNKNOWN_FLOW`), never its message'),
});

const DEFAULT_LIMIT = 50;

/**
 * `GET /api/v1/admin/failed-messages` behind the ADMIN_TOKEN: the inbound messages whose turn kept failing
 * (a defect, not an outage) and were given up on, for a person to look into, newest first, without their text or
 * sender. Each was answered with the "something went wrong" reply; they are kept 30 days.
 */
export function adminFailedMessagesRoutes(deps: AdminFailedMessagesDeps): FastifyPluginAsync {
  return async (plain) => {
    if (!deps.adminToken) return;
    useZodApi(plain);
    const app = plain.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/api/v1/admin/failed-messages',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['admin'],
          operationId: 'listFailedMessages',
          summary: 'List the inbound messages given up on after their last attempt (no text, no sender)',
          description:
            'A message whose turn threw a defect (not an outage of PostgreSQL or Redis) three times is marked ' +
            'failed: the citizen gets the “something went wrong” reply and their next message is handled. ' +
            'Newest first; pass `next` as `before` for the next page. Kept 30 days. ' +
            'Counted in `dcz_inbound_failed_total`.',
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(200).default(DEFAULT_LIMIT),
            before: z.coerce
              .number()
              .int()
              .positive()
              .max(2 ** 53 - 1)
              .optional()
              .describe('Only messages with a smaller id (the `next` of the previous page)'),
          }),
          response: {
            200: z.object({
              messages: z.array(FailedMessage),
              next: z.number().int().nullable().describe('The `before` of the next page; null: no more'),
            }),
            400: ErrorBody,
            401: ErrorBody,
          },
        },
      },
      async (request) => {
        const { limit, before } = request.query;
        const failed = await deps.failedMessages.listFailed({ limit, before });
        const last = failed.at(-1);
        return {
          messages: failed.map((m) => ({
            id: m.id,
            channel: m.channel,
            receivedAt: m.receivedAt.toISOString(),
            failedAt: m.failedAt.toISOString(),
            attempts: m.attempts,
            errorClass: m.errorClass,
          })),
          next: failed.length === limit && last ? last.id : null,
        };
      },
    );
  };
}
