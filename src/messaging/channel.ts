import { z } from 'zod';

/**
 * Every channel the assistant can speak on. An adapter in adapters/<channel> implements each; `web` is the chat
 * of the service's own page (`GET /`), whose address is a random session id.
 */
export const ChannelIdSchema = z.enum([
  'twilio-sms',
  'sms-gateway',
  'zalo-oa',
  'zalo-personal',
  'telegram',
  'web',
]);
/** The name of a channel, e.g. `twilio-sms`. */
export type ChannelId = z.infer<typeof ChannelIdSchema>;

/** The SMS channels: their address is the person's phone number (E.164), which the SMS itself proves. */
export const SMS_CHANNELS: readonly ChannelId[] = ['twilio-sms', 'sms-gateway'];

/** Whether a channel's address is a phone number (SMS) rather than a messenger's user id. */
export function isSmsChannel(channel: ChannelId): boolean {
  return SMS_CHANNELS.includes(channel);
}

/** The channels with a button to share one's own phone number: Telegram's contact keyboard, Zalo OA's form. */
const PHONE_SHARING_CHANNELS: readonly ChannelId[] = ['telegram', 'zalo-oa'];

/** Whether the channel lets the person share their phone number with a button (see `Reply.requestPhone`). */
export function canSharePhone(channel: ChannelId): boolean {
  return PHONE_SHARING_CHANNELS.includes(channel);
}

/** The languages every reply exists in. Vietnamese is the default. */
export const LanguageSchema = z.enum(['vi', 'en']);
/** A reply language. */
export type Language = z.infer<typeof LanguageSchema>;
