import { z } from 'zod';
import { ChannelIdSchema } from './channel.ts';

/**
 * How far a phone number that came through the channel itself can be trusted, one name per outcome from the
 * adapter to the flow:
 * - `vouched`: the channel proves it is the sender's own (Telegram's contact button, whose `contact.user_id` is
 *   the sender): it is proven at once;
 * - `claimed`: the person says it is theirs, and nothing proves it (Zalo OA's information form, whose fields the
 *   person can edit): it is proven by the code texted to it, exactly like a typed number;
 * - `foreign`: it is someone else's (a forwarded contact card): refused.
 */
export const PhoneTrustSchema = z.enum(['vouched', 'claimed', 'foreign']);
/** How far a shared phone number can be trusted (see {@link PhoneTrustSchema}). */
export type PhoneTrust = z.infer<typeof PhoneTrustSchema>;

/** A phone number shared through the channel (a contact card, an information form), with its trust. */
export const SharedPhoneSchema = z.object({
  phone: z.string().regex(/^\+\d{8,15}$/),
  trust: PhoneTrustSchema,
});
/** A phone number shared through the channel. */
export type SharedPhone = z.infer<typeof SharedPhoneSchema>;

/**
 * One message from a person, normalised by its channel adapter. `from` is the person's address on that channel
 * (SMS: the phone number in E.164; Telegram: the chat id; Zalo: the user id). `providerMessageId` is the
 * provider's own id: retries of one webhook carry the same id, which is what makes delivery idempotent (the inbox
 * stores only a keyed hash of it, so an id built from a user id is safe). `signedAt` is the provider's own time of
 * the message when the provider's signature covers it (SMS gateway `receivedAt`, Zalo OA `timestamp`): a message
 * signed longer ago than the deduplication window is refused, so a captured request cannot be replayed once its
 * deduplication key is gone (see `inbound-window.ts`). Channels whose signature covers no time leave it out.
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
  signedAt: z.iso.datetime().optional(),
  event: z.enum(['follow', 'unfollow']).optional(),
  sharedPhone: SharedPhoneSchema.optional(),
});
/** A normalised inbound message. */
export type InboundMessage = z.infer<typeof InboundMessageSchema>;
