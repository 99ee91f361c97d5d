import { z } from 'zod';

/** Every channel the assistant can speak on. An adapter in adapters/<channel> implements each. */
export const ChannelIdSchema = z.enum(['twilio-sms']);
/** The name of a channel, e.g. `twilio-sms`. */
export type ChannelId = z.infer<typeof ChannelIdSchema>;

/** The languages every reply exists in. Vietnamese is the default. */
export const LanguageSchema = z.enum(['vi', 'en']);
/** A reply language. */
export type Language = z.infer<typeof LanguageSchema>;
