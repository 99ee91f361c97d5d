import type { SimulatedChannel } from '../../src/messaging/channel.ts';
import type { ChannelAdapter, OutboundMessage, SendReceipt } from '../../src/messaging/index.ts';
import { renderSmsBody, type SmsEncoding } from '../../src/messaging/sms-render.ts';
import {
  renderWebReply,
  type WebChatDevSms,
  type WebChatFeed,
  type WebChatReply,
} from '../../src/messaging/web-feed.ts';
import { SendFailedError } from '../../src/shared/errors.ts';
import { countSmsSegments } from '../../src/shared/sms-segments.ts';

/** How an SMS reply is billed: what the simulator shows under it. */
export interface SimulatedSmsCount {
  readonly encoding: 'GSM-7' | 'UCS-2';
  /** Characters as the phone counts them (septets for GSM-7, UTF-16 units for UCS-2). */
  readonly characters: number;
  readonly segments: number;
}

/** One entry of a simulated conversation's feed: a reply as the channel shows it, or a phone code's SMS. */
export type SimulatorEntry = (WebChatReply & { readonly sms?: SimulatedSmsCount }) | WebChatDevSms;

/** The feed of a simulated conversation: the web chat's feed, keyed by channel and address. */
export function simulatorFeedKey(channel: SimulatedChannel, address: string): string {
  return `${channel}:${address}`;
}

/**
 * A console simulator channel (`sim-sms`, `sim-zalo`, `sim-telegram`): `send` writes the reply, rendered as the
 * real channel would show it, into the simulated conversation's feed (the web chat's Redis feed, under its own
 * prefix), from which the simulator page streams it. Nothing is ever sent to a provider. SMS: the text exactly as
 * the SMS adapters send it (GSM-7 without diacritics, or Unicode) with its character and segment count, and no
 * buttons or pictures; Zalo and Telegram: the text, buttons (with their payloads) and the picture.
 */
export function createSimulatorAdapter(options: {
  readonly channel: SimulatedChannel;
  readonly feed: WebChatFeed;
  readonly smsEncoding: SmsEncoding;
  readonly publicBaseUrl?: string;
}): ChannelAdapter {
  const { channel } = options;
  return {
    channel,
    webhooks: [],
    async send(message: OutboundMessage): Promise<SendReceipt> {
      let entry: SimulatorEntry;
      if (channel === 'sim-sms') {
        const body = renderSmsBody(message.reply, options.smsEncoding);
        const count = countSmsSegments(body.text);
        entry = {
          kind: 'reply',
          text: body.text,
          language: message.language,
          choices: [],
          sms: { encoding: count.encoding, characters: count.units, segments: count.segments },
        };
      } else {
        entry = renderWebReply(message.reply, message.language, options.publicBaseUrl);
      }
      try {
        const id = await options.feed.push(simulatorFeedKey(channel, message.to), entry);
        return { providerMessageId: `${channel}-${id}` };
      } catch {
        throw new SendFailedError('Simulator feed unavailable', { retryable: true, channel });
      }
    },
  };
}
