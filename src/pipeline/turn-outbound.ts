import type { TurnReply } from '../engine/run-turn.ts';
import { isSmsChannel } from '../messaging/channel.ts';
import type { InboundMessage } from '../messaging/inbound-message.ts';
import { mergeReplies } from '../messaging/merge-replies.ts';
import type { NewOutbound } from '../storage/postgres/outbox.ts';

/**
 * The outbox messages of a turn's replies to the sender of `message`: on SMS one per reply (each one segment);
 * on a messenger one per purpose, the replies merged (in order, one quota unit). Their dedupe keys come from the
 * turn's `ref` and position, so a replayed turn stores the same messages once.
 */
export function turnOutbound(
  ref: string,
  message: InboundMessage,
  replies: readonly TurnReply[],
): NewOutbound[] {
  const messages = isSmsChannel(message.channel)
    ? replies
    : (['reply', 'opt_out_confirmation'] as const).flatMap((purpose) => {
        const same = replies.filter((r) => r.purpose === purpose);
        const reply = mergeReplies(same.map((r) => r.reply));
        return reply && same[0] ? [{ ...same[0], reply }] : [];
      });
  return messages.map((r, index) => ({
    dedupeKey: `in-${ref}-${index}`,
    channel: message.channel,
    to: message.from,
    reply: r.reply,
    language: r.language,
    purpose: r.purpose,
  }));
}
