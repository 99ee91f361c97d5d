import { toGsm7 } from '../shared/sms-segments.ts';
import type { Reply } from './outbound-message.ts';

/** How SMS text is sent: `gsm7` strips diacritics (160 characters a part), `unicode` keeps them (70 a part). */
export type SmsEncoding = 'gsm7' | 'unicode';

/**
 * Renders a reply as SMS text, shared by every SMS channel. A reply's text is complete on its own (it names the
 * keywords and numbers to answer with), so choices, which messengers show as buttons, add nothing here and
 * cost no extra segment. In `gsm7` mode the text is made unaccented so it is billed as GSM-7.
 */
export function renderSmsText(reply: Reply, encoding: SmsEncoding): string {
  const text = reply.text.normalize('NFC');
  return encoding === 'gsm7' ? toGsm7(text) : text;
}
