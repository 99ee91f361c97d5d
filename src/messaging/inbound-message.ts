import { z } from 'zod';
import { ChannelIdSchema } from './channel.ts';

/**
 * One message from a person, normalised by its channel adapter. `from` is the person's address on that channel
 * (for SMS: the phone number in E.164). `providerMessageId` is the provider's own id: retries of one webhook carry
 * the same id, which is what makes delivery idempotent.
 */
export const InboundMessageSchema = z.object({
  channel: ChannelIdSchema,
  providerMessageId: z.string().min(1).max(200),
  from: z.string().min(1).max(200),
  to: z.string().max(200).optional(),
  text: z.string().max(5000),
  receivedAt: z.iso.datetime(),
});
/** A normalised inbound message. */
export type InboundMessage = z.infer<typeof InboundMessageSchema>;
