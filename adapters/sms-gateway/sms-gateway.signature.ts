import { createHmac } from 'node:crypto';
import { type WebhookRequest, webhookHeader } from '../../src/messaging/index.ts';
import { safeEqual } from '../../src/shared/crypto.ts';
import { WebhookRejectedError } from '../../src/shared/errors.ts';

/** The header carrying the signature, in both directions (HTTP header names are case-insensitive). */
export const SMS_GATEWAY_SIGNATURE_HEADER = 'X-Signature';

/**
 * Signs a body for the SMS gateway: `sha256=` followed by the lowercase hex HMAC-SHA256 of the body's exact
 * bytes, keyed with SMS_GATEWAY_SECRET (its UTF-8 bytes). A string body is signed as its UTF-8 encoding, so sign
 * exactly the bytes that go on the wire. Returns the `X-Signature` header value.
 */
export function signSmsGatewayBody(rawBody: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/**
 * Checks `X-Signature` over the raw body bytes, in constant time, before anything in the body is read.
 * Throws `WebhookRejectedError(403)` when the header is missing or does not match.
 */
export function verifySmsGatewaySignature(secret: string, request: WebhookRequest): void {
  const signature = webhookHeader(request, SMS_GATEWAY_SIGNATURE_HEADER)?.trim();
  if (signature === undefined || signature === '') {
    throw new WebhookRejectedError(
      403,
      'SMS_GATEWAY_SIGNATURE_MISSING',
      'SMS gateway webhook without X-Signature',
    );
  }
  // Hex digits are case-insensitive; the comparison itself is constant-time.
  if (!safeEqual(signature.toLowerCase(), signSmsGatewayBody(request.rawBody, secret))) {
    throw new WebhookRejectedError(
      403,
      'SMS_GATEWAY_SIGNATURE_INVALID',
      'SMS gateway webhook signature does not match',
    );
  }
}
