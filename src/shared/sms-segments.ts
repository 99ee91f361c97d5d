/**
 * SMS encoding and segment counting. GSM-7 fits 160 characters in one part and 153 per part when split;
 * UCS-2 fits 70 and 67 (counted in UTF-16 code units). One character outside GSM-7 turns the whole message
 * into UCS-2. Of the Vietnamese letters only à è é ì ò ù É are in GSM-7.
 */

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '^{}\\[~]|€\f';
const BASIC = new Set(GSM7_BASIC);
const EXTENSION = new Set(GSM7_EXTENSION);

/** How a text is encoded as SMS and how many billed parts it takes. */
export interface SmsSegmentCount {
  readonly encoding: 'GSM-7' | 'UCS-2';
  /** Septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2. */
  readonly units: number;
  readonly segments: number;
}

/** True when every character of `text` can be sent in the GSM-7 alphabet. */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!BASIC.has(ch) && !EXTENSION.has(ch)) return false;
  return true;
}

/** Counts the parts `text` takes as one SMS. Normalises to NFC first, as the message is sent. */
export function countSmsSegments(text: string): SmsSegmentCount {
  const nfc = text.normalize('NFC');
  if (isGsm7(nfc)) {
    const widths = Array.from(nfc, (ch) => (EXTENSION.has(ch) ? 2 : 1));
    return { encoding: 'GSM-7', ...countParts(widths, 160, 153) };
  }
  const widths = Array.from(nfc, (ch) => ch.length);
  return { encoding: 'UCS-2', ...countParts(widths, 70, 67) };
}

/**
 * Packs characters (given as their widths in units) into parts. A character never straddles two parts: an
 * escaped GSM-7 extension character (ESC + char) or a UTF-16 surrogate pair that does not fit in what is left
 * of a part starts the next one, so a split message can take more parts than `ceil(units / perPart)`.
 */
function countParts(
  widths: readonly number[],
  single: number,
  perPart: number,
): Omit<SmsSegmentCount, 'encoding'> {
  let units = 0;
  for (const width of widths) units += width;
  if (units <= single) return { units, segments: 1 };
  let segments = 1;
  let used = 0;
  for (const width of widths) {
    if (used + width > perPart) {
      segments += 1;
      used = 0;
    }
    used += width;
  }
  return { units, segments };
}

const LOOKALIKES: Record<string, string> = {
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '–': '-',
  '—': '-',
  '…': '...',
  '•': '-',
  '\u00a0': ' ',
};

/**
 * Turns any text into GSM-7: diacritics are removed (đ becomes d), typographic look-alikes are replaced and
 * whatever else is left outside the alphabet becomes "?". The result always counts as GSM-7.
 */
export function toGsm7(text: string): string {
  const stripped = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFC');
  let out = '';
  for (const ch of stripped) {
    const mapped = LOOKALIKES[ch] ?? ch;
    out += isGsm7(mapped) ? mapped : '?';
  }
  return out;
}
