import type {
  ChannelAdapter,
  Language,
  OutboundMessage,
  Reply,
  SendReceipt,
} from '../../src/messaging/index.ts';
import { SendFailedError } from '../../src/shared/errors.ts';

/** A web chat's address: the random session id of its cookie (32 random bytes, base64url). Never a phone. */
export const WEB_SESSION_ID = /^[A-Za-z0-9_-]{43}$/u;

/** A reply as the chat page shows it: the text, buttons whose payload is sent back, and a picture. */
export interface WebChatReply {
  readonly kind: 'reply';
  readonly text: string;
  readonly language: Language;
  readonly choices: readonly { readonly label: string; readonly payload: string }[];
  readonly image?: { readonly url: string; readonly alt: string } | undefined;
}

/** A text that would have gone to a phone by SMS, caught by the development outbox (no SMS channel). */
export interface WebChatDevSms {
  readonly kind: 'sms';
  /** The phone it was for, masked (0905***456). */
  readonly to: string;
  readonly text: string;
}

/** One entry of a web chat's feed, as the page receives it over server-sent events. */
export type WebChatEntry = WebChatReply | WebChatDevSms;

/**
 * Where the web adapter hands a reply: the feed of one chat session, read by the web process that holds the
 * browser's connection (Redis in the service: `src/storage/redis/redis-web-chat.ts`). Resolves the entry's id.
 */
export interface WebChatFeed {
  push(session: string, entry: WebChatEntry): Promise<string>;
}

/**
 * Renders a reply for the page: the text as is (NFC), every choice as a button, the picture (a share link's QR
 * code) as an image with its description. `requestPhone` shows nothing more: the page has no phone to share,
 * and the text says to type the number.
 */
export function renderWebReply(reply: Reply, language: Language, publicBaseUrl?: string): WebChatReply {
  return {
    kind: 'reply',
    text: reply.text.normalize('NFC'),
    language,
    choices: (reply.choices ?? []).map((choice) => ({ label: choice.label, payload: choice.payload })),
    ...(reply.image
      ? { image: { url: pageLocal(reply.image.url, publicBaseUrl), alt: reply.image.alt } }
      : {}),
  };
}

/**
 * A picture of the service itself (under PUBLIC_BASE_URL, e.g. a share link's QR code) as a path from the root,
 * so the page loads it from the origin it was opened on (`localhost` or `127.0.0.1` alike), as its CSP wants.
 */
function pageLocal(url: string, publicBaseUrl: string | undefined): string {
  if (publicBaseUrl === undefined) return url;
  const base = publicBaseUrl.replace(/\/+$/u, '');
  return url.startsWith(`${base}/`) ? url.slice(base.length) : url;
}

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
