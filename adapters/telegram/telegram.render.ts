import type { InlineKeyboardMarkup, ReplyKeyboardMarkup } from 'grammy/types';
import type { Language, Reply } from '../../src/messaging/index.ts';

/** The most characters `sendMessage` takes in one message. */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** The most bytes of `callback_data` in an inline button. */
export const TELEGRAM_CALLBACK_DATA_LIMIT = 64;

/** The label of the contact-sharing button, per reply language. */
export const SHARE_PHONE_LABEL: Readonly<Record<Language, string>> = {
  vi: 'Chia sẻ số điện thoại',
  en: 'Share my phone number',
};

/** One `sendMessage` call: plain text (no parse mode) and an optional keyboard. */
export interface TelegramOutgoingMessage {
  readonly text: string;
  readonly replyMarkup?: InlineKeyboardMarkup | ReplyKeyboardMarkup;
}

/** Cuts `value` to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateUtf8(value: string, maxBytes: number): string {
  if (Buffer.byteLength(value, 'utf8') <= maxBytes) return value;
  let out = '';
  let bytes = 0;
  for (const char of value) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > maxBytes) break;
    out += char;
    bytes += size;
  }
  return out;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Splits text into parts of at most `limit` UTF-16 code units (what Telegram counts, and never fewer than the
 * characters it counts). Cuts at the last line break of the window, else the last space, when that keeps at
 * least half a part; otherwise cuts hard, never inside a surrogate pair. The separator cut at is dropped.
 */
export function splitTelegramText(text: string, limit: number = TELEGRAM_TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    let cut = window.lastIndexOf('\n');
    if (cut < limit / 2) cut = window.lastIndexOf(' ');
    if (cut >= limit / 2) {
      parts.push(rest.slice(0, cut));
      rest = rest.slice(cut + 1);
    } else {
      const hard = isHighSurrogate(rest.charCodeAt(limit - 1)) ? limit - 1 : limit;
      parts.push(rest.slice(0, hard));
      rest = rest.slice(hard);
    }
  }
  if (rest !== '' || parts.length === 0) parts.push(rest);
  return parts;
}

function keyboard(reply: Reply, language: Language): InlineKeyboardMarkup | ReplyKeyboardMarkup | undefined {
  if (reply.requestPhone === true) {
    return {
      keyboard: [[{ text: SHARE_PHONE_LABEL[language], request_contact: true }]],
      resize_keyboard: true,
      one_time_keyboard: true,
    };
  }
  if (reply.choices !== undefined && reply.choices.length > 0) {
    return {
      inline_keyboard: reply.choices.map((choice) => [
        { text: choice.label, callback_data: truncateUtf8(choice.payload, TELEGRAM_CALLBACK_DATA_LIMIT) },
      ]),
    };
  }
  return undefined;
}

/**
 * Renders a reply as one or more `sendMessage` calls: the text as is (NFC, diacritics kept), split only when it
 * exceeds 4096 characters, with the keyboard on the last part. `requestPhone` gives a one-time reply keyboard
 * with a single contact-sharing button (it wins over choices, as a message has one keyboard); choices give an
 * inline keyboard, one button a row, whose `callback_data` is the payload cut to 64 bytes.
 */
export function renderTelegramMessages(reply: Reply, language: Language): TelegramOutgoingMessage[] {
  const parts = splitTelegramText(reply.text.normalize('NFC'));
  const markup = keyboard(reply, language);
  return parts.map((text, index) =>
    index === parts.length - 1 && markup !== undefined ? { text, replyMarkup: markup } : { text },
  );
}

/** The most characters of a photo's caption. */
export const TELEGRAM_CAPTION_LIMIT = 1024;

/**
 * One Bot API call of a reply: a `sendMessage` (text and optional keyboard) or a `sendPhoto` (the picture's
 * public URL, which Telegram fetches itself, with a plain caption and optional keyboard). `carriesText` marks
 * the calls showing the reply's text: the receipt is the last of them.
 */
export type TelegramCall =
  | ({ readonly method: 'sendMessage'; readonly carriesText: true } & TelegramOutgoingMessage)
  | {
      readonly method: 'sendPhoto';
      readonly photo: string;
      readonly caption: string;
      readonly replyMarkup?: InlineKeyboardMarkup | ReplyKeyboardMarkup;
      readonly carriesText: boolean;
    };

/**
 * Renders a reply as the Bot API calls to make, in order. Without `image` these are the `sendMessage` calls of
 * {@link renderTelegramMessages}. With `image`, a text that fits a caption (1024 characters) goes as one
 * `sendPhoto` whose caption is the text, with the same keyboard a text message would have; a longer text goes
 * first as text messages (keyboard on the last) and the photo follows with the image's `alt` as caption.
 */
export function renderTelegramCalls(reply: Reply, language: Language): TelegramCall[] {
  const texts: TelegramCall[] = renderTelegramMessages(reply, language).map((message) => ({
    method: 'sendMessage',
    carriesText: true,
    ...message,
  }));
  const image = reply.image;
  if (image === undefined) return texts;
  const text = reply.text.normalize('NFC');
  if (text.length <= TELEGRAM_CAPTION_LIMIT) {
    const markup = keyboard(reply, language);
    return [
      {
        method: 'sendPhoto',
        photo: image.url,
        caption: text,
        carriesText: true,
        ...(markup === undefined ? {} : { replyMarkup: markup }),
      },
    ];
  }
  const [alt = ''] = splitTelegramText(image.alt.normalize('NFC'), TELEGRAM_CAPTION_LIMIT);
  return [...texts, { method: 'sendPhoto', photo: image.url, caption: alt, carriesText: false }];
}
