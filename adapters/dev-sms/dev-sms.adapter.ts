import type { DevPhoneAdoption } from '../../src/messaging/dev-phones.ts';
import type { ChannelAdapter, OutboundMessage, SendReceipt } from '../../src/messaging/index.ts';
import { renderSmsBody, type SmsEncoding } from '../../src/messaging/sms-render.ts';
import type { WebChatFeed, WebChatReply } from '../../src/messaging/web-feed.ts';
import { SendFailedError } from '../../src/shared/errors.ts';
import { countSmsSegments } from '../../src/shared/sms-segments.ts';

/** The provider code of a text to a phone development mode did not adopt (it has a real account). */
export const DEV_PHONE_NOT_ADOPTED = 'DEV_PHONE_NOT_ADOPTED';

/** How a text is billed: what the phones page shows under it. */
export interface DevSmsCount {
  readonly encoding: 'GSM-7' | 'UCS-2';
  /** Characters as the phone counts them (septets for GSM-7, UTF-16 units for UCS-2). */
  readonly characters: number;
  readonly segments: number;
}

/** One text in a development phone's feed: the SMS exactly as an SMS adapter would send it, with its count. */
export type DevSmsEntry = WebChatReply & { readonly sms: DevSmsCount };

/**
 * The development phones' SMS channel (`dev-sms`): the SMS channel of a service started without one, outside
 * production (docs/channels/web.md). `send` writes the text, rendered as the SMS adapters send it (GSM-7 without
 * diacritics, or Unicode) with its character and segment count, to the phone's feed (the web chat's Redis feed
 * under its own prefix, keyed by the phone), from which `/dev/phones` streams it. Nothing leaves the machine. A
 * phone development mode may not adopt (it has an account that was not made in development mode) is a permanent
 * refusal: the text is recorded as not delivered and shown nowhere.
 */
export function createDevSmsAdapter(options: {
  readonly feed: WebChatFeed;
  readonly phones: DevPhoneAdoption;
  readonly smsEncoding: SmsEncoding;
  readonly clock?: () => Date;
}): ChannelAdapter {
  const now = options.clock ?? (() => new Date());
  return {
    channel: 'dev-sms',
    webhooks: [],
    async send(message: OutboundMessage): Promise<SendReceipt> {
      let adopted: boolean;
      try {
        adopted = await options.phones.adopt(message.to, now());
      } catch (cause) {
        throw new SendFailedError('Development phones unavailable', {
          retryable: true,
          channel: 'dev-sms',
          cause,
        });
      }
      if (!adopted) {
        throw new SendFailedError(
          'Not a development phone: it has an account made outside development mode',
          {
            retryable: false,
            providerCode: DEV_PHONE_NOT_ADOPTED,
            channel: 'dev-sms',
          },
        );
      }
      const body = renderSmsBody(message.reply, options.smsEncoding);
      const count = countSmsSegments(body.text);
      const entry: DevSmsEntry = {
        kind: 'reply',
        text: body.text,
        language: message.language,
        choices: [],
        sms: { encoding: count.encoding, characters: count.units, segments: count.segments },
      };
      try {
        const id = await options.feed.push(message.to, entry);
        return { providerMessageId: `dev-sms-${id}`, segments: count.segments };
      } catch {
        throw new SendFailedError('Development phone feed unavailable', {
          retryable: true,
          channel: 'dev-sms',
        });
      }
    },
  };
}
