import { z } from 'zod';
import type {
  DeliveryStatus,
  WebhookEvent,
  WebhookRequest,
  WebhookRoute,
} from '../../src/messaging/index.ts';
import { WebhookRejectedError } from '../../src/shared/errors.ts';
import { invalidFields } from '../../src/shared/invalid-fields.ts';
import { normalizePhone } from '../../src/shared/phone.ts';
import { SMS_GATEWAY_SIGNATURE_HEADER, verifySmsGatewaySignature } from './sms-gateway.signature.ts';

/** Path of the inbound SMS webhook the gateway posts every SMS sent to the short code to. */
export const SMS_GATEWAY_INBOUND_PATH = '/webhooks/sms-gateway';
/** Path of the delivery report webhook. */
export const SMS_GATEWAY_STATUS_PATH = '/webhooks/sms-gateway/status';

/** What both webhooks answer with HTTP 200 once the event is stored. */
export const SMS_GATEWAY_ACK = { contentType: 'application/json', body: '{"ok":true}' } as const;

/** The delivery states a gateway may report: ours, without `pending` (a message the gateway has is queued). */
export const SMS_GATEWAY_STATUSES = [
  'queued',
  'sent',
  'delivered',
  'undelivered',
  'failed',
] as const satisfies readonly DeliveryStatus[];

/** A gateway id: a string of 1 to 200 characters; a JSON integer is accepted and read as its decimal string. */
export const SmsGatewayIdSchema = z.union([
  z.string().min(1).max(200),
  z
    .int()
    .nonnegative()
    .transform((n) => String(n)),
]);

/** An ISO 8601 timestamp with a `Z` or `±hh:mm` offset, e.g. `2026-03-01T09:15:02+07:00`. */
const Timestamp = z.iso.datetime({ offset: true });

/** The JSON body of `POST /webhooks/sms-gateway`. Unknown fields are ignored. */
export const SmsGatewayInboundSchema = z.object({
  id: SmsGatewayIdSchema,
  from: z.string().min(1).max(50),
  to: z.string().min(1).max(200),
  text: z.string().max(5000),
  receivedAt: Timestamp,
});

/** The JSON body of `POST /webhooks/sms-gateway/status`. Unknown fields are ignored. */
export const SmsGatewayStatusSchema = z.object({
  id: SmsGatewayIdSchema,
  status: z.enum(SMS_GATEWAY_STATUSES),
  errorCode: z.union([z.string().max(50), z.int().transform((n) => String(n))]).nullish(),
  /** When the state was reached; checked, informational only. */
  at: Timestamp.nullish(),
});

/**
 * Verifies the signature over the raw bytes, then parses those same bytes (never a body parsed by someone
 * else, so what is read is exactly what was signed) and validates them. Rejections name fields, never values.
 */
function verifiedBody<T>(
  secret: string,
  request: WebhookRequest,
  schema: z.ZodType<T, unknown>,
  what: string,
): T {
  verifySmsGatewaySignature(secret, request);
  let json: unknown;
  try {
    json = JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    throw new WebhookRejectedError(400, 'SMS_GATEWAY_BAD_JSON', `SMS gateway ${what} is not valid JSON`);
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const fields = invalidFields(result.error, 'body');
    throw new WebhookRejectedError(400, 'SMS_GATEWAY_BAD_BODY', `Malformed SMS gateway ${what}: ${fields}`);
  }
  return result.data;
}

/**
 * `POST /webhooks/sms-gateway`: an SMS from a person to the short code. `from` is normalised to E.164
 * (`0905123456`, `84905123456` and `+84905123456` all give `+84905123456`); `receivedAt` to UTC, and reported as
 * the message's `signedAt` (the signature covers it), so a body replayed after the deduplication window is refused.
 */
export function smsGatewayInboundRoute(secret: string): WebhookRoute {
  return {
    path: SMS_GATEWAY_INBOUND_PATH,
    summary: 'An SMS from a person (SMS gateway)',
    authHeader: SMS_GATEWAY_SIGNATURE_HEADER,
    bodyType: 'json',
    ack: SMS_GATEWAY_ACK,
    handle(request): WebhookEvent {
      const sms = verifiedBody(secret, request, SmsGatewayInboundSchema, 'message');
      const from = normalizePhone(sms.from);
      if (from === null) {
        throw new WebhookRejectedError(
          400,
          'SMS_GATEWAY_BAD_PHONE',
          'SMS gateway message: from is not a phone number',
        );
      }
      return {
        type: 'message',
        message: {
          channel: 'sms-gateway',
          providerMessageId: sms.id,
          from,
          to: sms.to,
          text: sms.text,
          receivedAt: new Date(sms.receivedAt).toISOString(),
          // The signature covers `receivedAt`: the inbox refuses a message older than its window.
          signedAt: new Date(sms.receivedAt).toISOString(),
        },
      };
    },
  };
}

/** `POST /webhooks/sms-gateway/status`: a delivery report for a message we sent, by the gateway's id. */
export function smsGatewayStatusRoute(secret: string): WebhookRoute {
  return {
    path: SMS_GATEWAY_STATUS_PATH,
    summary: 'A delivery report of a message sent (SMS gateway)',
    authHeader: SMS_GATEWAY_SIGNATURE_HEADER,
    bodyType: 'json',
    ack: SMS_GATEWAY_ACK,
    handle(request): WebhookEvent {
      const report = verifiedBody(secret, request, SmsGatewayStatusSchema, 'delivery report');
      const errorCode = report.errorCode?.trim();
      return {
        type: 'delivery',
        report: {
          providerMessageId: report.id,
          status: report.status,
          ...(errorCode ? { errorCode } : {}),
        },
      };
    },
  };
}
