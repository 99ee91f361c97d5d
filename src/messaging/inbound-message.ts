import { z } from 'zod';
import { ChannelIdSchema } from './channel.ts';

/**
 * A phone number the person shared through the channel itself: Telegram's contact button, Zalo OA's
 * information form. `own` is true only when the channel vouches that the number is the sender's own (Telegram:
 * `contact.user_id` equals the sender; Zalo OA: `user_submit_info`); a forwarded contact card is `own: false`.
 */
export const SharedPhoneSchema = z.object({
  phone: z.string().regex(/^\+\d{8,15}$/),
  own: z.boolean(),
});
/** A phone number shared through the channel. */
export type SharedPhone = z.infer<typeof SharedPhoneSchema>;

/**
 * One message from a person, normalised by its channel adapter. `from` is the person's address on that channel
 * (SMS: the phone number in E.164; Telegram: the chat id; Zalo: the user id). `providerMessageId` is the
 * provider's own id: retries of one webhook carry the same id, which is what makes delivery idempotent.
 *
 * Besides text, a message may carry a channel event: `follow` (the person followed the account: welcome them)
 * or `unfollow` (stop messaging them), or a `sharedPhone`. Such messages usually have empty text.
 */
export const InboundMessageSchema = z.object({
  channel: ChannelIdSchema,
  providerMessageId: z.string().min(1).max(200),
  from: z.string().min(1).max(200),
  to: z.string().max(200).optional(),
  text: z.string().max(5000),
  receivedAt: z.iso.datetime(),
  event: z.enum(['follow', 'unfollow']).optional(),
  sharedPhone: SharedPhoneSchema.optional(),
});
/** A normalised inbound message. */
export type InboundMessage = z.infer<typeof InboundMessageSchema>;
