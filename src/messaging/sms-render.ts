import { countSmsSegments, toGsm7 } from '../shared/sms-segments.ts';
import type { Reply } from './outbound-message.ts';

/** How SMS text is sent: `gsm7` strips diacritics (160 characters a part), `unicode` keeps them (70 a part). */
export type SmsEncoding = 'gsm7' | 'unicode';

/**
 * The most parts one SMS body may take: 1,530 GSM-7 characters (10 × 153) or 670 UCS-2 code units (10 × 67).
 * Both are under Twilio's 1,600 characters (error 21617 above) and are what the SMS gateway contract requires a
 * gateway to accept (docs/channels/sms-gateway.md). Flows write far less (one segment, a list page three):
 * this is the last line of defence, never a budget.
 */
export const SMS_MAX_SEGMENTS = 10;

/** What ends a body cut to {@link SMS_MAX_SEGMENTS}. */
const CUT_MARK = '...';

/**
 * Renders a reply as SMS text, shared by every SMS channel. A reply's text is complete on its own (it names the
 * keywords and numbers to answer with), so choices, which messengers show as buttons, add nothing here and
 * cost no extra segment. In `gsm7` mode the text is made unaccented so it is billed as GSM-7.
 */
export function renderSmsText(reply: Reply, encoding: SmsEncoding): string {
  const text = reply.text.normalize('NFC');
  return encoding === 'gsm7' ? toGsm7(text) : text;
}

/** Receives an SMS adapter's log-safe events (`twilio-sms.body_cut`): our `clientRef` and counts, never text. */
export type SmsAdapterLog = (event: string, details: Readonly<Record<string, string | number>>) => void;

/** An SMS body as handed to a provider. */
export interface SmsBody {
  readonly text: string;
  /** The parts `text` takes. */
  readonly segments: number;
  /** Set when the rendered reply was longer than {@link SMS_MAX_SEGMENTS}: the parts it would have taken. */
  readonly cutFrom?: number;
}

/**
 * The body an SMS adapter sends: {@link renderSmsText}, cut to {@link SMS_MAX_SEGMENTS} parts at a word with
 * "..." when longer, so no provider refuses it. A cut means a flow wrote too much: the adapter logs it.
 */
export function renderSmsBody(reply: Reply, encoding: SmsEncoding): SmsBody {
  const text = renderSmsText(reply, encoding);
  const { segments } = countSmsSegments(text);
  if (segments <= SMS_MAX_SEGMENTS) return { text, segments };
  const cut = cutToSegments(text, SMS_MAX_SEGMENTS);
  return { text: cut, segments: countSmsSegments(cut).segments, cutFrom: segments };
}

/**
 * The longest start of `text` that, ended with "...", takes at most `max` parts: cut after the last whole word
 * when that keeps more than half of it, else anywhere (between characters, never inside one).
 */
function cutToSegments(text: string, max: number): string {
  const chars = Array.from(text);
  const fits = (length: number) =>
    countSmsSegments(`${chars.slice(0, length).join('')}${CUT_MARK}`).segments <= max;
  // Segments only grow with the length of a prefix: search for the longest prefix that fits.
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  const head = chars.slice(0, low).join('');
  // The head ends with a whole word when the next character is a space or a line break.
  const boundary = /\s/u.test(chars[low] ?? '') ? head.length : head.search(/\s\S*$/u);
  const words = boundary > head.length / 2 ? head.slice(0, boundary) : head;
  return `${words.trimEnd()}${CUT_MARK}`;
}
