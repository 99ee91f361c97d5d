import {
  type ChannelAdapter,
  type OutboundMessage,
  renderWebReply,
  type SendReceipt,
  WEB_SESSION_ID,
  type WebChatFeed,
} from '../../src/messaging/index.ts';
import { SendFailedError } from '../../src/shared/errors.ts';

/**
 * The web chat channel (`GET /` of the service). It has no webhook: the chat's own route posts the person's
 * messages to the inbox like a webhook would. `send` puts the rendered reply in the session's feed, from which
 * the web process streams it to the browser; the outbox keeps the record, as for every channel. A session
 * whose feed is gone (expired) still "receives" it: the page shows the conversation again on the next visit
 * only while the feed lasts.
 */
export function createWebAdapter(options: {
  readonly feed: WebChatFeed;
  /** PUBLIC_BASE_URL: pictures under it are given to the page as paths from the root. */
  readonly publicBaseUrl?: string;
}): ChannelAdapter {
  return {
    channel: 'web',
    webhooks: [],
    async send(message: OutboundMessage): Promise<SendReceipt> {
      if (!WEB_SESSION_ID.test(message.to)) {
        throw new SendFailedError('Web chat recipient is not a session id', {
          retryable: false,
          channel: 'web',
        });
      }
      try {
        const id = await options.feed.push(
          message.to,
          renderWebReply(message.reply, message.language, options.publicBaseUrl),
        );
        return { providerMessageId: `web-${id}` };
      } catch {
        throw new SendFailedError('Web chat feed unavailable', { retryable: true, channel: 'web' });
      }
    },
  };
}
