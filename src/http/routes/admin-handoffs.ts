import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ContactRepository } from '../../domain/contacts/contact.ts';
import type { Handoff, HandoffRepository } from '../../domain/handoffs/handoff.ts';
import { type ChannelId, ChannelIdSchema, isSmsChannel } from '../../messaging/channel.ts';
import { maskPhone } from '../../shared/phone.ts';
import { apiError, ErrorBody, useZodApi } from '../api-errors.ts';
import { apiText } from '../api-schemas.ts';

/** What staff can do to a hand-off from the API: answer the citizen as a volunteer would, and close it. */
export interface StaffHandoffActions {
  answer(
    handoffId: number,
    from: { author: 'staff' },
    text: string,
    ref: string,
    at: Date,
  ): Promise<{ type: 'sent'; parts: number } | { type: 'closed' } | { type: 'not_found' }>;
  close(
    handoffId: number,
    by: { closer: 'staff' },
    at: Date,
  ): Promise<{ type: 'closed' | 'already_closed' } | { type: 'not_found' }>;
}

/** What the hand-off admin API needs. */
export interface AdminHandoffDeps {
  /** Unset: the admin API is off (its routes do not exist). */
  readonly adminToken: string | undefined;
  readonly handoffs: Pick<HandoffRepository, 'list' | 'findById' | 'thread'>;
  /** The proven phone of a messenger chat, to show it masked. */
  readonly contacts: Pick<ContactRepository, 'find'>;
  readonly staffHandoffs: StaffHandoffActions;
  readonly clock?: () => Date;
}

const HandoffStatus = z.enum(['open', 'held', 'closed']);
const HandoffSummary = z.object({
  id: z.number().int().describe('The number people use: `NHAN 12`'),
  status: HandoffStatus,
  channel: z.string().describe('The citizen’s channel'),
  phone: z.string().nullable().describe('The citizen’s phone, masked (`+84******456`); null when not known'),
  wardCode: z.string().nullable().describe('The ward whose teams were told; null: every team'),
  teamId: z.uuid().nullable().describe('The team of the volunteer holding (or who held) it'),
  createdAt: z.iso.datetime(),
  takenAt: z.iso.datetime().nullable(),
  closedAt: z.iso.datetime().nullable(),
});
const HandoffDetail = HandoffSummary.extend({
  reason: z
    .enum(['asked', 'stuck'])
    .describe(
      '`asked`: the citizen sent GAP; `stuck`: they accepted the GAP offered after failing the same question three times',
    ),
  thread: z.array(
    z.object({
      author: z.enum(['citizen', 'volunteer', 'staff', 'bot']),
      text: z.string(),
      at: z.iso.datetime(),
    }),
  ),
});
const HandoffId = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 53 - 1),
});

/**
 * `/api/v1/admin/handoffs...` behind the ADMIN_TOKEN: hand-offs to a person, listed without their text, one with
 * its thread, a staff answer (sent like a volunteer's), and closing one.
 */
export function adminHandoffRoutes(deps: AdminHandoffDeps): FastifyPluginAsync {
  return async (plain) => {
    if (!deps.adminToken) return;
    useZodApi(plain);
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const now = deps.clock ?? (() => new Date());
    const errors = { 400: ErrorBody, 401: ErrorBody };
    const notFound = { 404: ErrorBody.describe('`HANDOFF_NOT_FOUND`') };

    const phoneOf = async (handoff: Handoff): Promise<string | null> => {
      const { channel, address } = handoff.chat;
      if (address === '') return null;
      const parsed = ChannelIdSchema.safeParse(channel);
      if (parsed.success && isSmsChannel(parsed.data as ChannelId)) return maskPhone(address);
      const phone = (await deps.contacts.find(channel, address))?.phone;
      return phone ? maskPhone(phone) : null;
    };
    const summary = async (handoff: Handoff) => ({
      id: handoff.id,
      status: handoff.status,
      channel: handoff.chat.channel,
      phone: await phoneOf(handoff),
      wardCode: handoff.wardCode,
      teamId: handoff.holder?.teamId ?? null,
      createdAt: handoff.createdAt.toISOString(),
      takenAt: handoff.takenAt?.toISOString() ?? null,
      closedAt: handoff.closedAt?.toISOString() ?? null,
    });
    const found = async (id: number) => {
      const handoff = await deps.handoffs.findById(id);
      if (!handoff) throw apiError('HANDOFF_NOT_FOUND', 'No hand-off has this number');
      return handoff;
    };

    app.get(
      '/api/v1/admin/handoffs',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['admin'],
          operationId: 'listHandoffs',
          summary: 'List hand-offs to a person, newest first (no message text)',
          querystring: z.object({
            status: HandoffStatus.optional().describe('Only the hand-offs of this status'),
          }),
          response: { 200: z.array(HandoffSummary), ...errors },
        },
      },
      async (request) => {
        const list = await deps.handoffs.list(request.query.status ? { status: request.query.status } : {});
        return Promise.all(list.map(summary));
      },
    );

    app.get(
      '/api/v1/admin/handoffs/:id',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['admin'],
          operationId: 'getHandoff',
          summary: 'One hand-off with its thread',
          params: HandoffId,
          response: { 200: HandoffDetail, ...notFound, ...errors },
        },
      },
      async (request) => {
        const handoff = await found(request.params.id);
        const thread = await deps.handoffs.thread(handoff.id);
        return {
          ...(await summary(handoff)),
          reason: handoff.reason,
          thread: thread.map((m) => ({ author: m.author, text: m.text, at: m.at.toISOString() })),
        };
      },
    );

    app.post(
      '/api/v1/admin/handoffs/:id/messages',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['admin'],
          operationId: 'answerHandoff',
          summary: 'Answer the citizen as staff',
          description:
            'The text goes to the citizen on their channel, like a volunteer’s (split into one-segment GSM-7 ' +
            'SMS on SMS channels), is kept in the thread, and is copied to the volunteer holding it, if any.',
          params: HandoffId,
          body: z.object({ text: apiText(1000, { lineFeeds: true }) }),
          response: {
            202: z.object({ parts: z.number().int().describe('How many messages carry it') }),
            409: ErrorBody.describe('`HANDOFF_CLOSED`'),
            415: ErrorBody.describe('`UNSUPPORTED_MEDIA_TYPE`: the body is not application/json'),
            ...notFound,
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const outcome = await deps.staffHandoffs.answer(
          request.params.id,
          { author: 'staff' },
          request.body.text,
          `staff-${randomUUID()}`,
          now(),
        );
        if (outcome.type === 'not_found') throw apiError('HANDOFF_NOT_FOUND', 'No hand-off has this number');
        if (outcome.type === 'closed') throw apiError('HANDOFF_CLOSED', 'This hand-off is closed');
        return reply.code(202).send({ parts: outcome.parts });
      },
    );

    app.post(
      '/api/v1/admin/handoffs/:id/close',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['admin'],
          operationId: 'closeHandoff',
          summary: 'Close a hand-off: the citizen is told and the assistant answers them again',
          description: 'Closing a closed hand-off changes nothing and answers it as it is.',
          params: HandoffId,
          response: { 200: HandoffSummary, ...notFound, ...errors },
        },
      },
      async (request) => {
        const outcome = await deps.staffHandoffs.close(request.params.id, { closer: 'staff' }, now());
        if (outcome.type === 'not_found') throw apiError('HANDOFF_NOT_FOUND', 'No hand-off has this number');
        return summary(await found(request.params.id));
      },
    );
  };
}
