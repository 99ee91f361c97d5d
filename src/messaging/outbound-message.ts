import { z } from 'zod';
import { ChannelIdSchema, LanguageSchema } from './channel.ts';

/** A choice offered with a reply: a button on messengers that have them; its payload comes back as the text. */
export const ChoiceSchema = z.object({ label: z.string().min(1), payload: z.string().min(1) });
/** A choice offered with a reply. */
export type Choice = z.infer<typeof ChoiceSchema>;

/**
 * What a flow says: the text (full Vietnamese or English, with diacritics) and optional choices. The text is
 * complete on its own (it names the numbers and keywords to answer with), which is all SMS shows; messengers
 * add the choices as buttons whose payload comes back as the message text.
 * `requestPhone` asks the person to share their phone number with the channel's own button where there is one
 * (Telegram's contact keyboard, Zalo OA's information form); other channels just show the text.
 */
export const ReplySchema = z.object({
  text: z.string().min(1),
  choices: z.array(ChoiceSchema).optional(),
  requestPhone: z.boolean().optional(),
  /**
   * A picture sent with the text where the channel can show one (the QR code of a share link on Telegram and
   * Zalo OA): a public https URL the provider fetches, and a short description. SMS shows only the text.
   */
  image: z.object({ url: z.url(), alt: z.string().min(1) }).optional(),
});
/** What a flow says, before any channel renders it. */
export type Reply = z.infer<typeof ReplySchema>;

/**
 * One message to send to one person on one channel. `clientRef` is our own id of the message (the outbox row):
 * adapters pass it to providers that accept a reference, and it names the message in logs.
 */
export const OutboundMessageSchema = z.object({
  channel: ChannelIdSchema,
  to: z.string().min(1),
  reply: ReplySchema,
  language: LanguageSchema,
  clientRef: z.string().min(1),
});
/** One message to send. */
export type OutboundMessage = z.infer<typeof OutboundMessageSchema>;

/** What a provider said when it accepted a message. */
export interface SendReceipt {
  /** The provider's id of the sent message; delivery reports refer to it. */
  readonly providerMessageId: string;
  /** How many billed parts the message used, when the provider says so or the adapter can count them. */
  readonly segments?: number;
}
