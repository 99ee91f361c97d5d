import { SendFailedError } from '../../src/shared/errors.ts';
import { isRetryableHttpStatus, networkErrorCode } from '../../src/shared/http-errors.ts';

const CHANNEL = 'twilio-sms';

function field(error: object, name: string): unknown {
  return (error as Record<string, unknown>)[name];
}

/**
 * Turns whatever `client.messages.create` threw into a `SendFailedError`.
 *
 * - An API answer (twilio-node's `RestException`, or `TwilioServiceException` for RFC 9457 bodies, both carry a
 *   numeric `status` and Twilio `code`): 4xx except 408/429 is permanent (21610 opted out, 21211 invalid To,
 *   21612, 21614 not SMS-capable...), 408/429/5xx are retryable.
 * - Anything else (connection refused, reset, timeout, DNS) is retryable.
 *
 * The original error is not attached as `cause`: Twilio's messages quote the phone number, and axios errors
 * carry the request body and the Authorization header. Only status, Twilio code and the network error code are
 * kept, which are safe to log.
 */
export function toSendFailedError(error: unknown): SendFailedError {
  if (typeof error === 'object' && error !== null) {
    const status = field(error, 'status');
    const code = field(error, 'code');
    const isAxios = field(error, 'isAxiosError') === true;
    if (!isAxios && typeof status === 'number' && status >= 400 && status < 600) {
      const providerCode = typeof code === 'number' && code > 0 ? String(code) : undefined;
      const retryable = isRetryableHttpStatus(status);
      return new SendFailedError(
        `Twilio refused the message: HTTP ${status}${providerCode ? `, Twilio error ${providerCode}` : ''}`,
        { retryable, providerCode, channel: CHANNEL },
      );
    }
    const networkCode = networkErrorCode(error) ?? 'UNKNOWN';
    return new SendFailedError(`Twilio could not be reached (${networkCode})`, {
      retryable: true,
      channel: CHANNEL,
    });
  }
  return new SendFailedError('Twilio could not be reached', { retryable: true, channel: CHANNEL });
}
