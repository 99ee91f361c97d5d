import type { Reply } from './outbound-message.ts';

/**
 * Joins the replies of one turn into one message, for messengers: one message arrives instead of several
 * (they cannot overtake each other, and Zalo counts each message against its free-reply quota), with every
 * choice as a button and the phone request if any reply asked for it. SMS keeps one message per reply, each
 * within one segment.
 */
export function mergeReplies(replies: readonly Reply[]): Reply | null {
  if (replies.length === 0) return null;
  const [first] = replies;
  if (replies.length === 1 && first) return first;
  const choices = replies
    .flatMap((reply) => reply.choices ?? [])
    .filter((choice, index, all) => all.findIndex((c) => c.payload === choice.payload) === index);
  const image = replies.find((reply) => reply.image)?.image;
  return {
    text: replies.map((reply) => reply.text).join('\n\n'),
    ...(choices.length > 0 ? { choices } : {}),
    ...(replies.some((reply) => reply.requestPhone) ? { requestPhone: true } : {}),
    ...(image ? { image } : {}),
  };
}
