import type { Language } from './channel.ts';
import type { Reply } from './outbound-message.ts';

// What a chat page shows, shared by the channels that deliver to a page rather than to a provider: the web
// chat (adapters/web) and the console's simulator (adapters/simulator).

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
