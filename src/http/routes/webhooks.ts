import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { ChannelAdapter, WebhookRequest } from '../../messaging/channel-adapter.ts';
import type { DeliveryReport } from '../../messaging/delivery-status.ts';
import type { InboundMessage } from '../../messaging/inbound-message.ts';
import { withDeadline } from '../../shared/deadline.ts';
import { WebhookRejectedError } from '../../shared/errors.ts';
import { ErrorBody, RETRY_AFTER_SECONDS, useZodSchemas } from '../api-errors.ts';
import { providerScheme } from '../openapi.ts';

/**
 * How long a webhook waits for its event to be stored (and queued) before answering 503: a PostgreSQL that
 * accepts connections but answers nothing must not hold the provider until its own timeout. The store may still
 * complete afterwards: the provider's retry is then absorbed by the inbox's unique key and queued, or the
 * maintenance job queues the message (as after a Redis outage).
 */
export const WEBHOOK_STORE_DEADLINE_MS = 5000;

/** What webhook routes need. */
export interface WebhookDeps {
  readonly publicBaseUrl: string;
  readonly adapters: ReadonlyMap<string, ChannelAdapter>;
  /**
   * Stores the message durably and queues its turn; resolves once it is safe to acknowledge. Rejects with
   * `WebhookRejectedError` when the message is refused (signed outside the deduplication window).
   */
  acceptInbound(message: InboundMessage): Promise<unknown>;
  applyDeliveryReport(channel: string, report: DeliveryReport): Promise<unknown>;
}

/**
 * Mounts every webhook of every configured channel. One mechanism for all: the adapter verifies and normalises,
 * the message is stored and queued, and the provider gets the adapter's acknowledgement at once. A rejected
 * request (forged, malformed, signed outside the deduplication window) stores nothing and is answered 4xx with a
 * log line naming only the channel and the code.
 */
export function webhookRoutes(deps: WebhookDeps): FastifyPluginAsync {
  return async (app) => {
    useZodSchemas(app);
    for (const adapter of deps.adapters.values()) {
      for (const route of adapter.webhooks) {
        const options = {
          // The adapter checks the provider's signature: 403 when it is missing or forged.
          config: { access: 'provider' },
          // No access lines (two per message, a third of a webhook's time at the default level); a rejected or
          // failed webhook is still logged (warn, error), and messages are counted in /metrics.
          logLevel: 'warn',
          schema: {
            tags: ['webhooks'],
            summary: route.summary,
            description:
              `Called by ${adapter.channel}, authenticated by its \`${route.authHeader}\` header. The event is ` +
              'stored before the answer, so an acknowledged event is never lost, and a retry of it is answered ' +
              'again without acting twice. The contract is in docs/channels/.',
            security: [{ [providerScheme(route.authHeader)]: [] }],
            response: {
              200: {
                description: 'Stored (or nothing to act on); the provider’s expected acknowledgement',
                content: { [route.ack.contentType]: { schema: z.string() } },
              },
              400: ErrorBody.describe(
                'Malformed (not what this provider sends), or signed outside the 24-hour window: `MESSAGE_TOO_OLD`, `MESSAGE_TIME_AHEAD`',
              ),
              403: ErrorBody.describe('Missing or forged signature'),
              503: ErrorBody.describe('`UNAVAILABLE`: could not be stored; the provider retries later'),
            },
          },
        } as const;
        app.post(route.path, options, async (request, reply) => {
          const webhookRequest: WebhookRequest = {
            url: `${deps.publicBaseUrl}${request.url}`,
            headers: Object.fromEntries(
              Object.entries(request.headers).map(([name, value]) => [
                name,
                Array.isArray(value) ? value.join(',') : value,
              ]),
            ),
            body: request.body ?? {},
            rawBody: request.rawBody ?? Buffer.alloc(0),
          };
          const rejected = (error: WebhookRejectedError) => {
            request.log.warn(
              { channel: adapter.channel, status: error.status, code: error.code },
              'webhook rejected',
            );
            return reply.code(error.status).send({ error: { code: error.code, message: error.message } });
          };
          let event: ReturnType<typeof route.handle>;
          try {
            event = route.handle(webhookRequest);
          } catch (error) {
            if (!(error instanceof WebhookRejectedError)) throw error;
            return rejected(error);
          }
          try {
            if (event.type === 'message')
              await withDeadline(deps.acceptInbound(event.message), WEBHOOK_STORE_DEADLINE_MS, 'The inbox');
            if (event.type === 'delivery')
              await withDeadline(
                deps.applyDeliveryReport(adapter.channel, event.report),
                WEBHOOK_STORE_DEADLINE_MS,
                'The outbox',
              );
          } catch (error) {
            if (error instanceof WebhookRejectedError) return rejected(error);
            // Not stored, or stored but not queued (Redis away: the operation failed at once or timed out):
            // 503 makes the provider deliver the webhook again; a message already stored is handled once.
            request.log.error({ err: error, channel: adapter.channel }, 'webhook not stored');
            return reply
              .code(503)
              .header('retry-after', String(RETRY_AFTER_SECONDS))
              .send({ error: { code: 'UNAVAILABLE', message: 'Try again later' } });
          }
          return reply.code(200).type(route.ack.contentType).send(route.ack.body);
        });
      }
    }
  };
}
