import { type Message, ThreadType, type TMention } from 'zca-js';
import { z } from 'zod';
import type { InboundMessage } from '../../src/messaging/index.ts';
import { invalidFields } from '../../src/shared/invalid-fields.ts';

/** The longest text an `InboundMessage` carries; longer messages are cut. */
const MAX_TEXT = 5000;

/** The fields of a zca-js message we rely on, checked because they come from a reverse-engineered protocol. */
const MessageDataSchema = z.object({
  msgId: z.union([z.string().min(1).max(200), z.number().int().nonnegative()]),
  uidFrom: z.string().min(1).max(200),
  ts: z.union([z.string(), z.number()]).optional(),
});

/** What one zca-js message means for us: a message to hand on, or why it is dropped. */
export type ZaloPersonalInbound =
  | { readonly type: 'message'; readonly message: InboundMessage }
  | { readonly type: 'ignored'; readonly reason: string };

function receivedAt(ts: string | number | undefined, now: Date): string {
  const ms = Number(ts);
  return ts !== undefined && ts !== '' && Number.isFinite(ms) && ms > 0
    ? new Date(ms).toISOString()
    : now.toISOString();
}

/**
 * Removes the mentions of our own account from a group message (`@Tổ hỗ trợ cho tôi đăng ký` → `cho tôi đăng
 * ký`). Positions are UTF-16 offsets, as Zalo sends them; ranges outside the text are ignored.
 */
export function stripOwnMentions(text: string, mentions: readonly TMention[], ownId: string): string {
  const own = mentions
    .filter((m) => m.uid === ownId && m.pos >= 0 && m.len > 0 && m.pos + m.len <= text.length)
    .sort((a, b) => b.pos - a.pos);
  let stripped = text;
  for (const mention of own)
    stripped = stripped.slice(0, mention.pos) + stripped.slice(mention.pos + mention.len);
  return stripped.replace(/[ \t]{2,}/g, ' ').trim();
}

/**
 * Turns a zca-js `UserMessage` / `GroupMessage` into an inbound message, or says why it is ignored:
 *
 * - our own messages (`isSelf`) are ignored;
 * - a direct thread (`ThreadType.User`): `from` is the thread (the other person's uid); text content as is,
 *   anything else (sticker, photo, file, voice…) becomes empty text;
 * - a group (`ThreadType.Group`) only counts when it mentions our account: it then becomes a private message
 *   from the sender (`data.uidFrom`), without the mention, so the answer goes to that person privately and
 *   personal data never appears in the group. Other group messages are ignored.
 *
 * `receivedAt` is Zalo's `ts` (epoch milliseconds), or `now` when it is missing or unreadable.
 */
export function inboundFromZalo(message: Message, ownId: string, now: Date): ZaloPersonalInbound {
  if (message.isSelf) return { type: 'ignored', reason: 'own message' };
  const parsed = MessageDataSchema.safeParse(message.data);
  if (!parsed.success) {
    return { type: 'ignored', reason: `malformed message: ${invalidFields(parsed.error)}` };
  }
  const data = parsed.data;
  const content = message.data.content;
  const text = typeof content === 'string' ? content : '';
  let from: string;
  let body: string;
  if (message.type === ThreadType.User) {
    from = message.threadId;
    body = text;
  } else if (message.type === ThreadType.Group) {
    const mentions = message.data.mentions ?? [];
    if (!mentions.some((m) => m.uid === ownId)) return { type: 'ignored', reason: 'group message' };
    from = data.uidFrom;
    body = stripOwnMentions(text, mentions, ownId);
  } else {
    return { type: 'ignored', reason: 'unknown thread type' };
  }
  if (from === '' || from.length > 200) return { type: 'ignored', reason: 'malformed message: threadId' };
  return {
    type: 'message',
    message: {
      channel: 'zalo-personal',
      providerMessageId: String(data.msgId),
      from,
      text: body.slice(0, MAX_TEXT),
      receivedAt: receivedAt(data.ts, now),
    },
  };
}
