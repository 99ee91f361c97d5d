import { type ChannelId, ChannelIdSchema, isSmsChannel } from '../../src/messaging/channel.ts';
import { countSmsSegments, toGsm7 } from '../../src/shared/sms-segments.ts';
import { collapseSpaces } from '../../src/shared/text.ts';

/** The longest team name put in a sentence (one SMS segment with the rest). */
export const TEAM_NAME_CHARACTERS = 40;
/** The longest part of a citizen's message quoted in the notice to volunteers. */
export const QUOTE_CHARACTERS = 60;

/** `text` on one line, cut to `max` characters with "..." when longer. */
export function shorten(text: string, max: number): string {
  const line = collapseSpaces(text);
  const chars = Array.from(line);
  return chars.length <= max
    ? line
    : `${chars
        .slice(0, max - 3)
        .join('')
        .trimEnd()}...`;
}

/** Whether a stored channel name is an SMS channel. */
export function isSmsChat(channel: string): boolean {
  const parsed = ChannelIdSchema.safeParse(channel);
  return parsed.success && isSmsChannel(parsed.data);
}

/** How a channel is named to volunteers. */
export function channelLabel(channel: string): string {
  const labels: Record<ChannelId, string> = {
    'twilio-sms': 'SMS',
    'sms-gateway': 'SMS',
    'zalo-oa': 'Zalo',
    'zalo-personal': 'Zalo',
    telegram: 'Telegram',
    web: 'Web',
    'sim-sms': 'SMS (simulator)',
    'sim-zalo': 'Zalo (simulator)',
    'sim-telegram': 'Telegram (simulator)',
    'dev-sms': 'SMS (development)',
  };
  const parsed = ChannelIdSchema.safeParse(channel);
  return parsed.success ? labels[parsed.data] : channel;
}

/**
 * A person's message (or a relayed one, after `prefix`) as the messages that carry it on `channel`: one on a
 * messenger; on SMS, GSM-7 text (diacritics removed) cut at words into parts that are each one segment with
 * the prefix, so no part is billed as more than one SMS.
 */
export function messagesFor(channel: string, prefix: string, text: string): string[] {
  if (!isSmsChat(channel)) return [`${prefix}${text}`];
  const head = toGsm7(prefix);
  const words = collapseSpaces(toGsm7(text))
    .split(' ')
    .filter((w) => w !== '');
  const fits = (body: string) => {
    const count = countSmsSegments(`${head}${body}`);
    return count.encoding === 'GSM-7' && count.segments === 1;
  };
  const parts: string[] = [];
  let current = '';
  for (const word of words) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if (fits(candidate)) {
      current = candidate;
      continue;
    }
    if (current !== '') parts.push(current);
    current = '';
    // A word longer than a whole part is cut between characters.
    let rest = word;
    while (!fits(rest)) {
      const chars = Array.from(rest);
      let length = chars.length - 1;
      while (length > 1 && !fits(chars.slice(0, length).join(''))) length -= 1;
      parts.push(chars.slice(0, length).join(''));
      rest = chars.slice(length).join('');
    }
    current = rest;
  }
  if (current !== '') parts.push(current);
  return (parts.length > 0 ? parts : ['']).map((part) => `${head}${part}`);
}
