import type { FastifyPluginAsync } from 'fastify';
import type { ChannelAdapter, WebhookRequest } from '../../messaging/channel-adapter.ts';
import type { DeliveryReport } from '../../messaging/delivery-status.ts';
import type { InboundMessage } from '../../messaging/inbound-message.ts';
import { WebhookRejectedError } from '../../shared/errors.ts';

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
    for (const adapter of deps.adapters.values()) {
      for (const route of adapter.webhooks) {
        app.post(route.path, async (request, reply) => {
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
            if (event.type === 'message') await deps.acceptInbound(event.message);
            if (event.type === 'delivery') await deps.applyDeliveryReport(adapter.channel, event.report);
          } catch (error) {
            if (error instanceof WebhookRejectedError) return rejected(error);
            // Nothing could be stored: 503 makes the provider deliver the webhook again later.
            request.log.error({ err: error, channel: adapter.channel }, 'webhook not stored');
            return reply
              .code(503)
              .header('retry-after', '5')
              .send({ error: { code: 'UNAVAILABLE', message: 'Try again later' } });
          }
          return reply.code(200).type(route.ack.contentType).send(route.ack.body);
        });
      }
    }
  };
}
