import twilio from 'twilio';
import { type WebhookRequest, webhookHeader } from '../../src/messaging/index.ts';
import { WebhookRejectedError } from '../../src/shared/errors.ts';

/** The header that carries Twilio's signature of a webhook. */
export const TWILIO_SIGNATURE_HEADER = 'X-Twilio-Signature';
/** Every parameter of a Twilio form body, exactly as received (repeated names become arrays). */
export type TwilioParams = Readonly<Record<string, string | readonly string[]>>;

function isParams(value: unknown): value is TwilioParams {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Buffer.isBuffer(value))
    return false;
  return Object.values(value).every(
    (v) => typeof v === 'string' || (Array.isArray(v) && v.every((item) => typeof item === 'string')),
  );
}

/** Reads the form parameters: the parsed body when the HTTP layer gave one, else the raw bytes. */
function formParams(request: WebhookRequest): TwilioParams {
  if (isParams(request.body)) return request.body;
  if (request.body !== undefined && request.body !== null && !Buffer.isBuffer(request.body)) {
    throw new WebhookRejectedError(400, 'TWILIO_BAD_BODY', 'Twilio webhook body is not a form');
  }
  const params: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(request.rawBody.toString('utf8'))) {
    const previous = params[name];
    if (previous === undefined) params[name] = value;
    else params[name] = Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return params;
}

/**
 * Checks `X-Twilio-Signature` over the public URL (`request.url`, as Twilio called it) and **every** form
 * parameter received, never a stripped copy: Twilio adds parameters without notice and signs them all.
 * Returns the parameters once they are proven to come from Twilio; throws `WebhookRejectedError(403)` otherwise.
 */
export function verifyTwilioSignature(authToken: string, request: WebhookRequest): TwilioParams {
  const signature = webhookHeader(request, TWILIO_SIGNATURE_HEADER);
  if (signature === undefined || signature === '') {
    throw new WebhookRejectedError(
      403,
      'TWILIO_SIGNATURE_MISSING',
      'Twilio webhook without X-Twilio-Signature',
    );
  }
  const params = formParams(request);
  let valid = false;
  try {
    valid = twilio.validateRequest(authToken, signature, request.url, params);
  } catch {
    valid = false; // an unparsable URL cannot match what Twilio signed
  }
  if (!valid) {
    throw new WebhookRejectedError(
      403,
      'TWILIO_SIGNATURE_INVALID',
      'Twilio webhook signature does not match',
    );
  }
  return params;
}

/** Rejects with 403 a correctly signed request that names another Twilio account. */
export function assertAccount(params: TwilioParams, accountSid: string): void {
  if (params.AccountSid !== accountSid) {
    throw new WebhookRejectedError(403, 'TWILIO_ACCOUNT_MISMATCH', 'Twilio webhook for another account');
  }
}
