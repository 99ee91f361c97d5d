import { z } from 'zod';
import type { InboundMessage, WebhookEvent } from '../../src/messaging/index.ts';
import { WebhookRejectedError } from '../../src/shared/errors.ts';
import { invalidFields } from '../../src/shared/invalid-fields.ts';
import { normalizePhone } from '../../src/shared/phone.ts';

const ChatSchema = z.object({ id: z.number().int(), type: z.string() });
const UserSchema = z.object({ id: z.number().int() });

const MessageSchema = z.object({
  message_id: z.number().int(),
  date: z.number().int().nonnegative(),
  chat: ChatSchema,
  from: UserSchema.optional(),
  text: z.string().optional(),
  contact: z.object({ phone_number: z.string().max(100), user_id: z.number().int().optional() }).optional(),
});

const CallbackQuerySchema = z.object({
  id: z.string(),
  from: UserSchema,
  /** The message carrying the button; absent for buttons of inline-mode messages. */
  message: z.object({ chat: ChatSchema }).optional(),
  data: z.string().optional(),
});

const ChatMemberUpdatedSchema = z.object({
  chat: ChatSchema,
  date: z.number().int().nonnegative(),
  new_chat_member: z.object({ status: z.string() }),
});

/**
 * The parts of a Telegram `Update` the adapter reads (Bot API `Update`, `Message`, `CallbackQuery`,
 * `ChatMemberUpdated`). Other fields and other update kinds are accepted and dropped; only a missing or
 * non-numeric `update_id`, or a known part of the wrong shape, makes an update malformed.
 */
export const TelegramUpdateSchema = z.object({
  update_id: z.number().int().nonnegative(),
  message: MessageSchema.optional(),
  edited_message: z.unknown().optional(),
  callback_query: CallbackQuerySchema.optional(),
  my_chat_member: ChatMemberUpdatedSchema.optional(),
});
/** A validated Telegram update, reduced to what the adapter reads. */
export type TelegramUpdate = z.infer<typeof TelegramUpdateSchema>;

/**
 * Validates a webhook body as a Telegram update. Throws `WebhookRejectedError(400)` naming only the offending
 * fields (never their values) when it is not one.
 */
export function parseTelegramUpdate(body: unknown): TelegramUpdate {
  const result = TelegramUpdateSchema.safeParse(body);
  if (!result.success) {
    throw new WebhookRejectedError(
      400,
      'TELEGRAM_BAD_UPDATE',
      `Malformed Telegram update: ${invalidFields(result.error, '(body)')}`,
    );
  }
  return result.data;
}

/**
 * Normalises the phone number of a shared Telegram contact to E.164, or returns null when it is not a usable
 * number. Telegram gives it in international form, usually without the `+` (`84905123456`).
 */
export function normalizeTelegramPhone(raw: string): string | null {
  const compact = raw.replace(/[\s.()-]/gu, '');
  const digits = compact.startsWith('+') ? compact.slice(1) : compact;
  if (!/^\d{1,20}$/.test(digits)) return null;
  return normalizePhone(digits.startsWith('0') ? digits : `+${digits}`);
}

/** `/start`, `/help` or another bot command, optionally addressed (`/start@DanangCitizenBot`) and with arguments. */
const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{1,64})?(?:\s+([\s\S]*))?$/u;

/**
 * What a command means to the engine: `/start` welcomes, `/help` is the HD keyword (`/HD`), others keep their
 * slash and lose the `@botname`. The engine reads a leading slash as "a command": the same as the keyword without
 * it, except while a volunteer relays a hand-off, where it is what sets their own commands apart from what they
 * write to the citizen.
 */
function commandText(text: string): { text: string; follow: boolean } {
  const match = COMMAND.exec(text.trim());
  if (match === null) return { text, follow: false };
  const name = match[1] ?? '';
  const args = match[2]?.trim() ?? '';
  if (name.toLowerCase() === 'start') return { text: '', follow: true };
  if (name.toLowerCase() === 'help') return { text: '/HD', follow: false };
  return { text: args === '' ? `/${name}` : `/${name} ${args}`, follow: false };
}

function iso(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}

function ignored(reason: string): WebhookEvent {
  return { type: 'ignored', reason };
}

function message(fields: Omit<InboundMessage, 'channel'>): WebhookEvent {
  return { type: 'message', message: { channel: 'telegram', ...fields } };
}

/**
 * Turns a Telegram update into an event, the same way for webhooks and long polling. Pure: `now` stamps the
 * updates that carry no date (button presses).
 *
 * - Only private chats count; groups, supergroups and channels are ignored.
 * - `providerMessageId` is always `String(update_id)`, the deduplication key; `from` is the chat id.
 * - A text message gives its text; `/start` (with or without payload) gives a `follow` event with empty text,
 *   `/help` gives `/HD`, another `/command@bot args` gives `/command args`.
 * - A shared contact gives empty text and `sharedPhone` (E.164): `vouched` when `contact.user_id` is the sender's
 *   id (the contact button: Telegram proves it is their own number), `foreign` otherwise (a forwarded card); a
 *   number that cannot be normalised is ignored.
 * - Any other message (photo, sticker, voice…) gives empty text, so the engine can answer with help.
 * - An inline button press gives the button's `callback_data` as text.
 * - `my_chat_member` to `kicked` (the person blocked the bot) gives `unfollow`, back to `member` gives `follow`.
 * - Edited messages and every other update kind are ignored.
 */
export function telegramUpdateToEvent(update: TelegramUpdate, now: Date = new Date()): WebhookEvent {
  const providerMessageId = String(update.update_id);

  if (update.message !== undefined) {
    const msg = update.message;
    if (msg.chat.type !== 'private') return ignored(`Telegram ${msg.chat.type} chat`);
    const base = { providerMessageId, from: String(msg.chat.id), receivedAt: iso(msg.date) };
    if (msg.contact !== undefined) {
      const phone = normalizeTelegramPhone(msg.contact.phone_number);
      if (phone === null) return ignored('Telegram contact without a usable phone number');
      const own = msg.contact.user_id !== undefined && msg.contact.user_id === msg.from?.id;
      return message({ ...base, text: '', sharedPhone: { phone, trust: own ? 'vouched' : 'foreign' } });
    }
    if (msg.text !== undefined) {
      const command = commandText(msg.text);
      return message({
        ...base,
        text: command.text,
        ...(command.follow ? { event: 'follow' as const } : {}),
      });
    }
    return message({ ...base, text: '' });
  }

  if (update.callback_query !== undefined) {
    const query = update.callback_query;
    if (query.message !== undefined && query.message.chat.type !== 'private') {
      return ignored(`Telegram button press in a ${query.message.chat.type} chat`);
    }
    if (query.data === undefined) return ignored('Telegram button press without callback data');
    return message({
      providerMessageId,
      from: String(query.message?.chat.id ?? query.from.id),
      text: query.data,
      receivedAt: now.toISOString(),
    });
  }

  if (update.my_chat_member !== undefined) {
    const change = update.my_chat_member;
    if (change.chat.type !== 'private')
      return ignored(`Telegram membership change in a ${change.chat.type} chat`);
    const status = change.new_chat_member.status;
    if (status !== 'kicked' && status !== 'member') return ignored(`Telegram membership status ${status}`);
    return message({
      providerMessageId,
      from: String(change.chat.id),
      text: '',
      receivedAt: iso(change.date),
      event: status === 'kicked' ? 'unfollow' : 'follow',
    });
  }

  if (update.edited_message !== undefined) return ignored('Telegram edited message');
  return ignored('Telegram update kind not handled');
}
