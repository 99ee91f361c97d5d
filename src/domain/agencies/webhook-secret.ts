import { createHmac, randomBytes } from 'node:crypto';

/** Every agency webhook secret starts with this, so a leaked one is easy to recognise. */
export const WEBHOOK_SECRET_PREFIX = 'dcz_whs_';

/**
 * A new webhook secret: {@link WEBHOOK_SECRET_PREFIX} followed by 256 random bits in base64url (43 characters).
 * Shown once to the admin (at the agency's creation or a rotation); stored sealed with the data cipher, because
 * the service needs it whole to sign.
 */
export function generateWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * The `X-Signature` of a callback body, as the SMS gateway's requests are signed: `sha256=` followed by the
 * lower-case hex HMAC-SHA256 of the body's exact bytes, keyed with the secret's UTF-8 bytes.
 */
export function signWebhookBody(rawBody: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}
