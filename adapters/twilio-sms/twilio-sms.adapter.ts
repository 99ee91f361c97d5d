import type {
  ChannelAdapter,
  OutboundMessage,
  SendReceipt,
  SmsAdapterLog,
  SmsEncoding,
} from '../../src/messaging/index.ts';
import { renderSmsBody, SMS_MAX_SEGMENTS } from '../../src/messaging/index.ts';
import { SendFailedError } from '../../src/shared/errors.ts';
import { createTwilioClient } from './twilio-sms.client.ts';
import { toSendFailedError } from './twilio-sms.errors.ts';
import { inboundSmsRoute, statusCallbackRoute, TWILIO_STATUS_WEBHOOK_PATH } from './twilio-sms.webhooks.ts';

/** Settings of the Twilio SMS channel (from TWILIO_*, PUBLIC_BASE_URL and SMS_ENCODING). */
export interface TwilioSmsAdapterOptions {
  /** TWILIO_ACCOUNT_SID, `AC…`. Inbound webhooks naming another account are rejected. */
  readonly accountSid: string;
  /** TWILIO_AUTH_TOKEN: authenticates API calls and keys the webhook signatures. */
  readonly authToken: string;
  /** TWILIO_FROM: an E.164 number (`+1…`) or a Messaging Service SID (`MG…`). */
  readonly from: string;
  /** PUBLIC_BASE_URL: exactly the origin (and prefix) Twilio calls; the status callback URL is built on it. */
  readonly publicBaseUrl: string;
  /** TWILIO_API_URL: a base URL replacing https://api.twilio.com (a gateway or a test double). */
  readonly apiUrl?: string | undefined;
  /** `gsm7` strips diacritics (160 characters a part), `unicode` keeps them (70 a part). */
  readonly encoding: SmsEncoding;
  /** Timeout of one API call in milliseconds; default 15 000. */
  readonly timeoutMs?: number | undefined;
  /** Receives log-safe events (`twilio-sms.body_cut`); default none. */
  readonly log?: SmsAdapterLog | undefined;
}

const MESSAGING_SERVICE_SID = /^MG[0-9a-f]{32}$/i;
const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * The Twilio SMS channel: receives SMS and delivery reports on `POST /webhooks/twilio/sms` and
 * `POST /webhooks/twilio/status` (signature-checked), and sends replies with the Messages REST API.
 * Inbound webhooks are acknowledged with empty TwiML; every reply goes out by REST from the outbound worker.
 * A body longer than {@link SMS_MAX_SEGMENTS} parts (Twilio refuses 1,600 characters) is cut and logged.
 */
export function createTwilioSmsAdapter(options: TwilioSmsAdapterOptions): ChannelAdapter {
  const client = createTwilioClient({
    accountSid: options.accountSid,
    authToken: options.authToken,
    apiUrl: options.apiUrl,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  const statusCallback = `${options.publicBaseUrl.replace(/\/+$/, '')}${TWILIO_STATUS_WEBHOOK_PATH}`;
  const sender = MESSAGING_SERVICE_SID.test(options.from)
    ? { messagingServiceSid: options.from }
    : { from: options.from };
  const webhookOptions = { accountSid: options.accountSid, authToken: options.authToken };
  const log: SmsAdapterLog = options.log ?? (() => undefined);

  async function send(message: OutboundMessage): Promise<SendReceipt> {
    const { text: body, segments, cutFrom } = renderSmsBody(message.reply, options.encoding);
    if (cutFrom !== undefined) {
      log('twilio-sms.body_cut', {
        clientRef: message.clientRef,
        segments: cutFrom,
        cutTo: SMS_MAX_SEGMENTS,
      });
    }
    let created: { sid?: string | null; numSegments?: string | null };
    try {
      created = await client.messages.create({ to: message.to, body, statusCallback, ...sender });
    } catch (error) {
      throw toSendFailedError(error);
    }
    if (typeof created.sid !== 'string' || created.sid === '') {
      // Twilio said yes without an id: the SMS may be out, so retrying could send it twice.
      throw new SendFailedError('Twilio accepted the message without a message SID', {
        retryable: false,
        channel: 'twilio-sms',
      });
    }
    return {
      providerMessageId: created.sid,
      segments: Number(created.numSegments) || segments,
    };
  }

  return {
    channel: 'twilio-sms',
    webhooks: [inboundSmsRoute(webhookOptions), statusCallbackRoute(webhookOptions)],
    send,
  };
}
