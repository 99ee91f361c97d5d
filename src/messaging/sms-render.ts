import { toGsm7 } from '../shared/sms-segments.ts';
import type { Reply } from './outbound-message.ts';

/** How SMS text is sent: `gsm7` strips diacritics (160 characters a part), `unicode` keeps them (70 a part). */
export type SmsEncoding = 'gsm7' | 'unicode';

/**
 * Renders a reply as SMS text, shared by every SMS channel: choices become numbered lines ("1 Dang ky"), and
 * in `gsm7` mode the whole text is made unaccented so it is billed as GSM-7.
 */
export function renderSmsText(reply: Reply, encoding: SmsEncoding): string {
  const lines = [reply.text];
  reply.choices?.forEach((choice, index) => {
    lines.push(`${index + 1} ${choice.label}`);
  });
  const text = lines.join('\n').normalize('NFC');
  return encoding === 'gsm7' ? toGsm7(text) : text;
}
