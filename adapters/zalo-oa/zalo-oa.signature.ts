import { createHash } from 'node:crypto';
import { type WebhookRequest, webhookHeader } from '../../src/messaging/index.ts';
import { safeEqual } from '../../src/shared/crypto.ts';
import { WebhookRejectedError } from '../../src/shared/errors.ts';

/** The header Zalo signs OA webhook events with: `mac=<64 hex>` (a bare hex value is accepted too). */
export const ZALO_SIGNATURE_HEADER = 'x-zevent-signature';

/**
 * The signature Zalo puts on an OA webhook event: the SHA-256 hex digest (plain SHA-256, not HMAC) of
 * `app_id + raw body + timestamp + OA secret key`, where `app_id` and `timestamp` are the body's own fields and
 * the raw body is the UTF-8 string exactly as received. This is `MacUtils.buildMac` of Zalo's Java SDK.
 */
export function computeZaloSignature(
  appId: string,
  rawBody: string,
  timestamp: string,
  oaSecretKey: string,
): string {
  return createHash('sha256').update(`${appId}${rawBody}${timestamp}${oaSecretKey}`, 'utf8').digest('hex');
}

/**
 * Checks `X-ZEvent-Signature` against {@link computeZaloSignature} in constant time. `appId` and `timestamp`
 * are the fields of the body being verified (not our configuration: the caller compares the app id afterwards).
 * Throws `WebhookRejectedError(403)` when the header is missing or does not match.
 */
export function verifyZaloSignature(
  request: WebhookRequest,
  fields: { readonly appId: string; readonly timestamp: string },
  oaSecretKey: string,
): void {
  const value = webhookHeader(request, ZALO_SIGNATURE_HEADER)?.trim();
  if (value === undefined || value === '') {
    throw new WebhookRejectedError(403, 'ZALO_SIGNATURE_MISSING', 'Zalo webhook without X-ZEvent-Signature');
  }
  const given = value.replace(/^mac=/i, '').trim().toLowerCase();
  const expected = computeZaloSignature(
    fields.appId,
    request.rawBody.toString('utf8'),
    fields.timestamp,
    oaSecretKey,
  );
  if (!safeEqual(given, expected)) {
    throw new WebhookRejectedError(403, 'ZALO_SIGNATURE_INVALID', 'Zalo webhook signature does not match');
  }
}
