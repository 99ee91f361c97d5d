import type {
  ChannelAdapter,
  ChannelRateLimits,
  OutboundMessage,
  SendReceipt,
  SmsAdapterLog,
  SmsEncoding,
} from '../../src/messaging/index.ts';
import { renderSmsBody, SMS_MAX_SEGMENTS } from '../../src/messaging/index.ts';
import { AppError, SendFailedError } from '../../src/shared/errors.ts';
import { normalizePhone } from '../../src/shared/phone.ts';
import { answerFields, sendFailureFromNetwork, sendFailureFromResponse } from './sms-gateway.errors.ts';
import { SMS_GATEWAY_SIGNATURE_HEADER, signSmsGatewayBody } from './sms-gateway.signature.ts';
import { SmsGatewayIdSchema, smsGatewayInboundRoute, smsGatewayStatusRoute } from './sms-gateway.webhooks.ts';

/** Settings of the SMS gateway channel (from SMS_GATEWAY_URL, SMS_GATEWAY_SECRET and SMS_ENCODING). */
export interface SmsGatewayAdapterOptions {
  /** SMS_GATEWAY_URL: the gateway's send endpoint, called with `POST` (http or https). */
  readonly url: string;
  /** SMS_GATEWAY_SECRET: at least 32 characters; keys the `X-Signature` HMAC in both directions. */
  readonly secret: string;
  /** `gsm7` strips diacritics (160 characters a part), `unicode` keeps them (70 a part). */
  readonly encoding: SmsEncoding;
  /** Timeout of one send call in milliseconds, answer included; default 10 000. */
  readonly timeoutMs?: number | undefined;
  /** Receives log-safe events (`sms-gateway.body_cut`); default none. */
  readonly log?: SmsAdapterLog | undefined;
}

/** The minimum length of SMS_GATEWAY_SECRET. */
export const SMS_GATEWAY_MIN_SECRET_LENGTH = 32;

/** The default timeout of one send call. */
export const SMS_GATEWAY_DEFAULT_TIMEOUT_MS = 10_000;

/** What the gateway accepts by default: 20 messages a second overall (`OUTBOUND_RATE_LIMITS=sms-gateway=20/1s`). */
export const SMS_GATEWAY_RATE_LIMITS: ChannelRateLimits = { overall: { limit: 20, intervalMs: 1000 } };

function checkOptions(options: SmsGatewayAdapterOptions): void {
  const url = URL.canParse(options.url) ? new URL(options.url) : undefined;
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new AppError('SMS_GATEWAY_CONFIG', 'SMS_GATEWAY_URL must be an http(s) URL');
  }
  if (options.secret.length < SMS_GATEWAY_MIN_SECRET_LENGTH) {
    throw new AppError(
      'SMS_GATEWAY_CONFIG',
      `SMS_GATEWAY_SECRET must be at least ${SMS_GATEWAY_MIN_SECRET_LENGTH} characters`,
    );
  }
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) {
    throw new AppError('SMS_GATEWAY_CONFIG', 'the SMS gateway timeout must be positive');
  }
}

/** Reads the gateway's message id from an accepted answer, or undefined when there is none. */
function acceptedId(bodyText: string): string | undefined {
  const id = SmsGatewayIdSchema.safeParse(answerFields(bodyText)?.id);
  return id.success ? id.data : undefined;
}

/**
 * The local SMS gateway channel (a Vietnamese aggregator's short code): receives SMS and delivery reports on
 * `POST /webhooks/sms-gateway` and `POST /webhooks/sms-gateway/status`, and sends each reply with one signed
 * JSON `POST` to SMS_GATEWAY_URL. Both directions are signed with `X-Signature: sha256=<hex HMAC>` over the
 * raw body. Our `clientRef` goes with every send as the gateway's idempotency key, so a retried send after a
 * timeout does not send a second SMS. A text longer than {@link SMS_MAX_SEGMENTS} parts is cut and logged. See
 * docs/channels/sms-gateway.md for the contract.
 *
 * @throws AppError('SMS_GATEWAY_CONFIG') when the URL is not http(s) or the secret is shorter than 32 characters.
 */
export function createSmsGatewayAdapter(options: SmsGatewayAdapterOptions): ChannelAdapter {
  checkOptions(options);
  const timeoutMs = options.timeoutMs ?? SMS_GATEWAY_DEFAULT_TIMEOUT_MS;
  const log: SmsAdapterLog = options.log ?? (() => undefined);

  async function send(message: OutboundMessage): Promise<SendReceipt> {
    const to = normalizePhone(message.to);
    if (to === null) {
      throw new SendFailedError('SMS gateway message not sent: the recipient is not a phone number', {
        retryable: false,
        channel: 'sms-gateway',
      });
    }
    const { text, segments, cutFrom } = renderSmsBody(message.reply, options.encoding);
    if (cutFrom !== undefined) {
      log('sms-gateway.body_cut', {
        clientRef: message.clientRef,
        segments: cutFrom,
        cutTo: SMS_MAX_SEGMENTS,
      });
    }
    const body = Buffer.from(JSON.stringify({ to, text, clientRef: message.clientRef }), 'utf8');

    let status: number;
    let headers: Headers;
    let answer: string;
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          [SMS_GATEWAY_SIGNATURE_HEADER]: signSmsGatewayBody(body, options.secret),
        },
        body,
        // A redirect would re-send the signed body elsewhere: it is reported as a misconfiguration instead.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      headers = response.headers;
      answer = await response.text();
    } catch (error) {
      throw sendFailureFromNetwork(error);
    }

    if (status < 200 || status > 299) throw sendFailureFromResponse(status, headers, answer);
    const providerMessageId = acceptedId(answer);
    if (providerMessageId === undefined) {
      // The gateway said yes without an id: the SMS may be out, so retrying could send it twice, and its
      // delivery reports could never be matched. Recorded as a permanent failure for an operator to look at.
      throw new SendFailedError(
        `SMS gateway accepted the message (HTTP ${status}) without an id: it may have been sent`,
        { retryable: false, channel: 'sms-gateway' },
      );
    }
    return { providerMessageId, segments };
  }

  return {
    channel: 'sms-gateway',
    webhooks: [smsGatewayInboundRoute(options.secret), smsGatewayStatusRoute(options.secret)],
    rateLimits: SMS_GATEWAY_RATE_LIMITS,
    send,
  };
}
