import type { DeliveryReport } from './delivery-status.ts';
import type { InboundMessage } from './inbound-message.ts';
import type { OutboundMessage, SendReceipt } from './outbound-message.ts';

/**
 * An HTTP request as a webhook handler sees it, free of any web framework. `url` is the public URL the provider
 * called (PUBLIC_BASE_URL + path and query), which is what providers sign.
 */
export interface WebhookRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The parsed body: an object of strings for form bodies, the JSON value for JSON bodies. */
  readonly body: unknown;
  /** The body exactly as received, for signatures computed over raw bytes. */
  readonly rawBody: Buffer;
}

/**
 * The value of header `name` of a webhook request, whatever the case of its name (HTTP header names are
 * case-insensitive; Node gives them in lower case, tests and other hosts may not). Undefined when absent.
 */
export function webhookHeader(request: WebhookRequest, name: string): string | undefined {
  const lower = name.toLowerCase();
  const direct = request.headers[lower];
  if (direct !== undefined) return direct;
  const key = Object.keys(request.headers).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : request.headers[key];
}

/** What a webhook carried once verified: a message, a delivery report, or nothing to act on. */
export type WebhookEvent =
  | { readonly type: 'message'; readonly message: InboundMessage }
  | { readonly type: 'delivery'; readonly report: DeliveryReport }
  | { readonly type: 'ignored'; readonly reason: string };

/** One webhook endpoint of a channel. The HTTP layer mounts it at `path`. */
export interface WebhookRoute {
  /** Absolute path, e.g. `/webhooks/twilio/sms`. */
  readonly path: string;
  /** What the provider posts here, in a few words (for the API document), e.g. `An SMS from a person (Twilio)`. */
  readonly summary: string;
  /** The request header that authenticates the provider: its signature or shared secret. */
  readonly authHeader: string;
  /** How the body is encoded. */
  readonly bodyType: 'form' | 'json';
  /**
   * Verifies the request (signature, shape) and turns it into an event. Throws `WebhookRejectedError` with 403
   * for a missing or forged signature and 400 for a malformed body; nothing is enqueued then.
   */
  handle(request: WebhookRequest): WebhookEvent;
  /** What to answer at once, after the event is safely stored. */
  readonly ack: { readonly contentType: string; readonly body: string };
}

/** A sustained rate: at most `limit` messages every `intervalMs` milliseconds, evenly spaced. */
export interface RateLimit {
  readonly limit: number;
  readonly intervalMs: number;
}

/**
 * The provider's sending limits. The outbound queue enforces them across every worker process, delaying
 * (never dropping) messages that would exceed them. Operators override them with `OUTBOUND_RATE_LIMITS`.
 */
export interface ChannelRateLimits {
  /** All messages of the channel together (e.g. Telegram: 30 a second). */
  readonly overall?: RateLimit;
  /** Messages to one recipient (e.g. Telegram: 1 a second per chat). */
  readonly perRecipient?: RateLimit;
}

/** Receives the events of a listening channel, exactly like webhook events; resolves once they are stored. */
export type EventSink = (event: WebhookEvent) => Promise<void>;

/** A running listener; `stop` ends it (idempotent). */
export interface Listening {
  stop(): Promise<void>;
}

/**
 * The port every channel implements: it only translates between a provider and our messages. An adapter knows
 * neither the web framework nor the queues, so it is tested with "fixture in, message out".
 */
export interface ChannelAdapter {
  readonly channel: InboundMessage['channel'];
  /** The webhook endpoints of push channels; empty for channels that only listen. */
  readonly webhooks: readonly WebhookRoute[];
  /** The provider's sending limits, when it has any. */
  readonly rateLimits?: ChannelRateLimits;
  /**
   * For channels that pull updates or hold a socket (Telegram in polling mode, a Zalo personal account):
   * starts receiving and hands every event to `sink`. Only the listener role calls it, in one process.
   */
  listen?(sink: EventSink): Promise<Listening>;
  /**
   * Renders and sends one message. Resolves with the provider's receipt; throws `SendFailedError`
   * (`retryable: false` for permanent refusals) when the provider says no.
   */
  send(message: OutboundMessage): Promise<SendReceipt>;
}
