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
    let units = 0;
    for (const ch of nfc) units += EXTENSION.has(ch) ? 2 : 1;
    return { encoding: 'GSM-7', units, segments: units <= 160 ? 1 : Math.ceil(units / 153) };
  }
  const units = nfc.length;
  return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
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
