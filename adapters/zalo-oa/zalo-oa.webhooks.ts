import { z } from 'zod';
import type { InboundMessage, WebhookEvent, WebhookRoute } from '../../src/messaging/index.ts';
import { WebhookRejectedError } from '../../src/shared/errors.ts';
import { invalidFields } from '../../src/shared/invalid-fields.ts';
import { normalizePhone } from '../../src/shared/phone.ts';
import { verifyZaloSignature, ZALO_SIGNATURE_HEADER } from './zalo-oa.signature.ts';

/** Path of the OA webhook, configured in the app's Webhook settings as `PUBLIC_BASE_URL/webhooks/zalo`. */
export const ZALO_WEBHOOK_PATH = '/webhooks/zalo';

/** What the webhook answers once the event is stored: Zalo only needs a quick 200. */
export const ZALO_WEBHOOK_ACK = { contentType: 'application/json', body: '{"ok":true}' } as const;

const CHANNEL = 'zalo-oa';
const Id = z.string().min(1).max(200);
const Timestamp = z.union([z.string().regex(/^\d{1,16}$/), z.number().int().nonnegative()]);

/** The fields every OA event has; the rest depends on `event_name`. Zalo sends ids and timestamps as strings. */
const EnvelopeSchema = z.object({
  app_id: Id,
  event_name: z.string().min(1).max(100),
  timestamp: Timestamp,
});

const PartySchema = z.object({ id: Id });

const UserMessageSchema = z.object({
  sender: PartySchema,
  recipient: PartySchema,
  message: z.object({ msg_id: Id.optional(), text: z.string().optional() }).optional(),
});

const FollowSchema = z.object({
  follower: PartySchema.optional(),
  sender: PartySchema.optional(),
  oa_id: Id.optional(),
});

const SubmitInfoSchema = z.object({
  sender: PartySchema,
  recipient: PartySchema.optional(),
  info: z.unknown().optional(),
});

const OaIdSchema = z.object({
  oa_id: z.string().optional(),
  sender: z.object({ id: z.string() }).optional(),
});

/** Options of the OA webhook route. */
export interface ZaloWebhookOptions {
  /** ZALO_OA_APP_ID: events naming another app are rejected (403). */
  readonly appId: string;
  /** ZALO_OA_SECRET_KEY: the OA secret key shown in the app's Webhook settings (not the app secret). */
  readonly oaSecretKey: string;
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const fields = invalidFields(result.error, '(body)');
    throw new WebhookRejectedError(400, 'ZALO_BAD_BODY', `Malformed Zalo ${what}: ${fields}`);
  }
  return result.data;
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new WebhookRejectedError(400, 'ZALO_BAD_BODY', 'Zalo webhook body is not JSON');
  }
}

/**
 * Reads the phone number out of `user_submit_info.info`, whichever shape it has: `{ name, phone, address, city,
 * district, ward }` or `{ name, phone, user_dob, gender, full_address: {…} }` (sources disagree), with the phone
 * as a string or a number, in `84912345678`, `0912345678` or `+84912345678` form. Null when there is none.
 */
export function submittedPhone(info: unknown): string | null {
  let value = info;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return null;
    }
  }
  if (typeof value !== 'object' || value === null) return null;
  const phone = (value as Record<string, unknown>).phone;
  if (typeof phone === 'string') return normalizePhone(phone);
  if (typeof phone === 'number' && Number.isSafeInteger(phone)) return normalizePhone(String(phone));
  return null;
}

/**
 * Turns a verified OA event (its `envelope` already parsed by {@link zaloWebhookRoute}) into our event.
 *
 * - `user_send_text` → a message with the text; other `user_send_*` (image, sticker, file, location…) → a
 *   message with empty text, so the conversation can answer "please type".
 * - `follow` / `unfollow` → a message with `event` and empty text.
 * - `user_submit_info` → a message with `sharedPhone` (`trust: 'claimed'`: the person can edit every field of the
 *   form, so the number is proven by the code texted to it, like a typed one); ignored when no usable number came.
 * - the OA's own messages (`oa_send_*`, or anything sent by the OA id) and every other event → ignored.
 */
function toWebhookEvent(
  body: Record<string, unknown>,
  envelope: z.infer<typeof EnvelopeSchema>,
  signedAt: Date,
): WebhookEvent {
  const name = envelope.event_name;
  const timestamp = String(envelope.timestamp);
  // The signature covers `timestamp`: it is the message's time, and the inbox refuses one outside its window.
  const times = { receivedAt: signedAt.toISOString(), signedAt: signedAt.toISOString() };

  if (name.startsWith('oa_')) return { type: 'ignored', reason: `Zalo ${name} is the OA's own message` };
  const ids = OaIdSchema.safeParse(body);
  if (ids.success && ids.data.oa_id !== undefined && ids.data.oa_id === ids.data.sender?.id) {
    return { type: 'ignored', reason: `Zalo ${name} was sent by the OA itself` };
  }

  if (name.startsWith('user_send_')) {
    const event = parse(UserMessageSchema, body, name);
    if (event.sender.id === event.recipient.id) {
      return { type: 'ignored', reason: `Zalo ${name} was sent by the OA itself` };
    }
    const isText = name === 'user_send_text';
    const msgId = event.message?.msg_id;
    if (isText && (msgId === undefined || event.message?.text === undefined)) {
      throw new WebhookRejectedError(400, 'ZALO_BAD_BODY', 'Malformed Zalo user_send_text: message');
    }
    const message: InboundMessage = {
      channel: CHANNEL,
      providerMessageId: msgId ?? `${name}:${event.sender.id}:${timestamp}`,
      from: event.sender.id,
      to: event.recipient.id,
      text: isText ? (event.message?.text ?? '').slice(0, 5000) : '',
      ...times,
    };
    return { type: 'message', message };
  }

  if (name === 'follow' || name === 'unfollow') {
    const event = parse(FollowSchema, body, name);
    const follower = event.follower?.id ?? event.sender?.id;
    if (follower === undefined) {
      throw new WebhookRejectedError(400, 'ZALO_BAD_BODY', `Malformed Zalo ${name}: follower.id`);
    }
    const message: InboundMessage = {
      channel: CHANNEL,
      providerMessageId: `${name}:${follower}:${timestamp}`,
      from: follower,
      ...(event.oa_id === undefined ? {} : { to: event.oa_id }),
      text: '',
      ...times,
      event: name,
    };
    return { type: 'message', message };
  }

  if (name === 'user_submit_info') {
    const event = parse(SubmitInfoSchema, body, name);
    const phone = submittedPhone(event.info);
    if (phone === null) return { type: 'ignored', reason: 'Zalo user_submit_info without a usable phone' };
    const message: InboundMessage = {
      channel: CHANNEL,
      providerMessageId: `submit_info:${event.sender.id}:${timestamp}`,
      from: event.sender.id,
      ...(event.recipient === undefined ? {} : { to: event.recipient.id }),
      text: '',
      ...times,
      sharedPhone: { phone, trust: 'claimed' },
    };
    return { type: 'message', message };
  }

  return { type: 'ignored', reason: `Zalo ${name} is not acted on` };
}

/**
 * `POST /webhooks/zalo`: every OA event. Order of checks: JSON with `app_id`, `event_name` and `timestamp`
 * (else 400) → `X-ZEvent-Signature` over the raw body (else 403) → `app_id` is ours (else 403). The signed
 * `timestamp` becomes the message's `signedAt`: the inbox refuses an event signed more than 24 hours ago or more
 * than 5 minutes ahead (400 `MESSAGE_TOO_OLD`, `MESSAGE_TIME_AHEAD`), which only a replay or a wrong clock gives.
 */
export function zaloWebhookRoute(options: ZaloWebhookOptions): WebhookRoute {
  return {
    path: ZALO_WEBHOOK_PATH,
    summary: 'An event from the Zalo Official Account',
    authHeader: ZALO_SIGNATURE_HEADER,
    bodyType: 'json',
    ack: ZALO_WEBHOOK_ACK,
    handle(request): WebhookEvent {
      const body = parseJson(request.rawBody);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new WebhookRejectedError(400, 'ZALO_BAD_BODY', 'Zalo webhook body is not a JSON object');
      }
      const envelope = parse(EnvelopeSchema, body, 'event');
      const timestamp = String(envelope.timestamp);
      verifyZaloSignature(request, { appId: envelope.app_id, timestamp }, options.oaSecretKey);
      if (envelope.app_id !== options.appId) {
        throw new WebhookRejectedError(403, 'ZALO_APP_MISMATCH', 'Zalo webhook for another app');
      }
      const signedAt = new Date(Number(timestamp));
      if (Number.isNaN(signedAt.getTime())) {
        throw new WebhookRejectedError(400, 'ZALO_BAD_BODY', 'Malformed Zalo event: timestamp');
      }
      return toWebhookEvent(body as Record<string, unknown>, envelope, signedAt);
    },
  };
}
