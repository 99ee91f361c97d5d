import { z } from 'zod';
import type { DeliveryStatus, WebhookEvent, WebhookRoute } from '../../src/messaging/index.ts';
import { WebhookRejectedError } from '../../src/shared/errors.ts';
import { invalidFields } from '../../src/shared/invalid-fields.ts';
import {
  assertAccount,
  TWILIO_SIGNATURE_HEADER,
  type TwilioParams,
  verifyTwilioSignature,
} from './twilio-sms.signature.ts';

/** Path of the incoming-message webhook (configure it on the number or Messaging Service, HTTP POST). */
export const TWILIO_SMS_WEBHOOK_PATH = '/webhooks/twilio/sms';
/** Path of the status callback, passed as `StatusCallback` with every message sent. */
export const TWILIO_STATUS_WEBHOOK_PATH = '/webhooks/twilio/status';

/** An empty TwiML answer: exactly what `new twilio.twiml.MessagingResponse().toString()` prints. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

const MessageSid = z.string().regex(/^(SM|MM)[0-9a-f]{32}$/i);

const InboundSmsSchema = z.object({
  MessageSid,
  From: z.string().min(1).max(200),
  To: z.string().min(1).max(200),
  Body: z.string().max(5000),
});

const StatusCallbackSchema = z.object({
  MessageSid,
  MessageStatus: z.string().min(1).max(50),
  ErrorCode: z.string().max(20).optional(),
});

/**
 * Twilio `MessageStatus` values and the delivery state each one means for us. `receiving` and `received`
 * describe inbound messages and are ignored; `partially_delivered` (some parts confirmed, not all) is kept at
 * `sent` so a later final report can still move it on.
 */
export const TWILIO_STATUS_MAP: Readonly<Record<string, DeliveryStatus>> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'queued',
  sent: 'sent',
  partially_delivered: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
  canceled: 'failed',
};

function parse<T>(schema: z.ZodType<T>, params: TwilioParams, what: string): T {
  const result = schema.safeParse(params);
  if (!result.success) {
    const fields = invalidFields(result.error);
    throw new WebhookRejectedError(400, 'TWILIO_BAD_BODY', `Malformed Twilio ${what}: ${fields}`);
  }
  return result.data;
}

/** Options shared by the Twilio webhook routes. */
export interface TwilioWebhookOptions {
  readonly accountSid: string;
  readonly authToken: string;
}

/** `POST /webhooks/twilio/sms`: an SMS from a person, answered with empty TwiML (replies go by REST). */
export function inboundSmsRoute(options: TwilioWebhookOptions): WebhookRoute {
  return {
    path: TWILIO_SMS_WEBHOOK_PATH,
    summary: 'An SMS from a person (Twilio)',
    authHeader: TWILIO_SIGNATURE_HEADER,
    bodyType: 'form',
    ack: { contentType: 'text/xml', body: EMPTY_TWIML },
    handle(request): WebhookEvent {
      const params = verifyTwilioSignature(options.authToken, request);
      assertAccount(params, options.accountSid);
      const sms = parse(InboundSmsSchema, params, 'message');
      return {
        type: 'message',
        message: {
          channel: 'twilio-sms',
          providerMessageId: sms.MessageSid,
          from: sms.From,
          to: sms.To,
          text: sms.Body,
          receivedAt: new Date().toISOString(),
        },
      };
    },
  };
}

/** `POST /webhooks/twilio/status`: a delivery report for a message we sent, answered with an empty 200. */
export function statusCallbackRoute(options: TwilioWebhookOptions): WebhookRoute {
  return {
    path: TWILIO_STATUS_WEBHOOK_PATH,
    summary: 'A delivery report of a message sent (Twilio)',
    authHeader: TWILIO_SIGNATURE_HEADER,
    bodyType: 'form',
    ack: { contentType: 'text/plain', body: '' },
    handle(request): WebhookEvent {
      const params = verifyTwilioSignature(options.authToken, request);
      assertAccount(params, options.accountSid);
      const callback = parse(StatusCallbackSchema, params, 'status callback');
      const status = Object.hasOwn(TWILIO_STATUS_MAP, callback.MessageStatus)
        ? TWILIO_STATUS_MAP[callback.MessageStatus]
        : undefined;
      if (status === undefined) {
        return { type: 'ignored', reason: `Twilio status ${callback.MessageStatus} is not a delivery state` };
      }
      const errorCode = callback.ErrorCode?.trim();
      return {
        type: 'delivery',
        report: {
          providerMessageId: callback.MessageSid,
          status,
          ...(errorCode ? { errorCode } : {}),
        },
      };
    },
  };
}
