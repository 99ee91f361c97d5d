import { z } from 'zod';

/**
 * Every channel the assistant can speak on. An adapter in adapters/<channel> implements each; `web` is the chat
 * of the service's own page (`GET /`), whose address is a random session id. `sim-sms`, `sim-zalo` and
 * `sim-telegram` are the console's simulator (docs/console.md): they behave as SMS, Zalo and Telegram, but their
 * adapter only writes to the simulator's page; nothing reaches a provider and what they create is `simulated`.
 * `dev-sms` is the development phones (docs/channels/web.md): the SMS channel of a service started without one,
 * outside production, whose texts are shown on `/dev/phones` instead of sent.
 */
export const ChannelIdSchema = z.enum([
  'twilio-sms',
  'sms-gateway',
  'zalo-oa',
  'zalo-personal',
  'telegram',
  'web',
  'sim-sms',
  'sim-zalo',
  'sim-telegram',
  'dev-sms',
]);
/** The name of a channel, e.g. `twilio-sms`. */
export type ChannelId = z.infer<typeof ChannelIdSchema>;

/** The SMS channels: their address is the person's phone number (E.164), which the SMS itself proves. */
export const SMS_CHANNELS: readonly ChannelId[] = ['twilio-sms', 'sms-gateway', 'sim-sms', 'dev-sms'];

/** The console simulator's channels: a made-up person, never a provider (docs/console.md, Simulator). */
export const SIMULATED_CHANNELS = ['sim-sms', 'sim-zalo', 'sim-telegram'] as const;
/** A simulator channel. */
export type SimulatedChannel = (typeof SIMULATED_CHANNELS)[number];

/** Whether a channel is one of the console simulator's (what it creates is marked simulated). */
export function isSimulatedChannel(channel: string): channel is SimulatedChannel {
  return (SIMULATED_CHANNELS as readonly string[]).includes(channel);
}

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
