import type { Choice, Language, Reply } from '../../src/messaging/index.ts';

/** Longest text of one consultation (CS) message, in characters. */
export const ZALO_MAX_TEXT = 2000;
/** Most buttons one message carries. */
export const ZALO_MAX_BUTTONS = 5;
/** Longest button title and button payload Zalo accepts for `oa.query.*` buttons. */
export const ZALO_MAX_BUTTON_TITLE = 100;
const MAX_BUTTON_PAYLOAD = 1000;
/** Limits of the `request_user_info` element. */
const MAX_INFO_TITLE = 100;
const MAX_INFO_SUBTITLE = 500;

/**
 * The banner Zalo's own SDK samples use for the information-request form (`image_url` is required there).
 * Operators may host their own (jpg/png) and pass it as `infoImageUrl`.
 */
export const ZALO_DEFAULT_INFO_IMAGE_URL = 'https://stc-oa-chat-adm.zdn.vn/images/request-info-banner.png';

/**
 * A button that makes the person send `payload` to the OA as an ordinary text message (`user_send_text`).
 * `oa.query.hide` keeps that text out of their chat window, so they see the bot's answer, not a code word.
 */
export interface ZaloQueryButton {
  readonly title: string;
  readonly type: 'oa.query.hide';
  readonly payload: string;
}

/** A text consultation message, optionally with buttons (`attachment.type = 'template'`, no template_type). */
export interface ZaloTextMessage {
  readonly text: string;
  readonly attachment?: {
    readonly type: 'template';
    readonly payload: { readonly buttons: readonly ZaloQueryButton[] };
  };
}

/** The information-request form: Zalo shows it with a button that shares the person's name and phone. */
export interface ZaloRequestInfoMessage {
  readonly attachment: {
    readonly type: 'template';
    readonly payload: {
      readonly template_type: 'request_user_info';
      readonly elements: readonly [
        { readonly title: string; readonly subtitle: string; readonly image_url: string },
      ];
    };
  };
}

/**
 * A picture by URL (Zalo fetches it; jpg or png, at most 1 MB), with an optional caption: the `media` template
 * of Zalo's v3 SDK (`SendImageCSMessage`).
 */
export interface ZaloImageMessage {
  readonly text?: string;
  readonly attachment: {
    readonly type: 'template';
    readonly payload: {
      readonly template_type: 'media';
      readonly elements: readonly [{ readonly media_type: 'image'; readonly url: string }];
    };
  };
}

/** The `message` object of `POST /v3.0/oa/message/cs`. */
export type ZaloCsMessage = ZaloTextMessage | ZaloRequestInfoMessage | ZaloImageMessage;

const INFO_TITLE: Record<Language, string> = {
  vi: 'Chia sẻ số điện thoại',
  en: 'Share your phone number',
};
const INFO_SUBTITLE: Record<Language, string> = {
  vi: 'Bấm vào đây để gửi số điện thoại Zalo của bạn cho chúng tôi.',
  en: 'Tap here to send us the phone number of your Zalo account.',
};

function chars(text: string): string[] {
  return Array.from(text);
}

/** Cuts `text` to `max` characters, ending with '…' when it was longer. */
function clip(text: string, max: number): string {
  const all = chars(text);
  return all.length <= max ? text : `${all.slice(0, max - 1).join('')}…`;
}

/**
 * Fits text into one Zalo message: NFC, at most {@link ZALO_MAX_TEXT} characters. Longer text is cut at the last
 * line break that fits (else the last space, else anywhere) and ends with '…'.
 */
export function fitZaloText(text: string): string {
  const normalized = text.normalize('NFC');
  const all = chars(normalized);
  if (all.length <= ZALO_MAX_TEXT) return normalized;
  const head = all.slice(0, ZALO_MAX_TEXT - 2).join('');
  const lineBreak = head.lastIndexOf('\n');
  if (lineBreak > 0) return `${head.slice(0, lineBreak).trimEnd()}\n…`;
  const space = head.lastIndexOf(' ');
  return `${(space > 0 ? head.slice(0, space) : head).trimEnd()}…`;
}

function buttons(choices: readonly Choice[]): ZaloQueryButton[] {
  return choices.map((choice) => ({
    title: clip(choice.label.normalize('NFC'), ZALO_MAX_BUTTON_TITLE),
    type: 'oa.query.hide',
    payload: choice.payload.slice(0, MAX_BUTTON_PAYLOAD),
  }));
}

/**
 * A reply's text (complete on its own: it names the keywords and numbers to answer with) and its choices as
 * buttons. Zalo shows at most 5 buttons; a reply with more choices is sent as its text alone rather than with
 * some of them missing.
 */
export function renderZaloText(reply: Reply): ZaloTextMessage {
  const choices = reply.choices ?? [];
  const text = fitZaloText(reply.text);
  if (choices.length === 0 || choices.length > ZALO_MAX_BUTTONS) return { text };
  return { text, attachment: { type: 'template', payload: { buttons: buttons(choices) } } };
}

/** Options of {@link renderZaloMessages}. */
export interface ZaloRenderOptions {
  /** `image_url` of the information-request form. */
  readonly infoImageUrl: string;
}

/**
 * Renders a reply as the consultation messages to send, in order:
 *
 * - a plain reply, or one with choices: one text message (choices as `oa.query.hide` buttons, up to 5);
 * - `requestPhone`: the `request_user_info` form, whose title is "Chia sẻ số điện thoại" / "Share your phone
 *   number" and whose subtitle is the reply text. The form has no body text and no buttons, so when the text
 *   is longer than the subtitle allows (500 characters) or the reply has choices, the text message goes first
 *   and the form follows with a standard subtitle.
 */
export function renderZaloMessages(
  reply: Reply,
  language: Language,
  options: ZaloRenderOptions,
): ZaloCsMessage[] {
  if (reply.requestPhone !== true) return [renderZaloText(reply)];
  const text = reply.text.normalize('NFC');
  const fitsForm = chars(text).length <= MAX_INFO_SUBTITLE && (reply.choices ?? []).length === 0;
  const form: ZaloRequestInfoMessage = {
    attachment: {
      type: 'template',
      payload: {
        template_type: 'request_user_info',
        elements: [
          {
            title: clip(INFO_TITLE[language], MAX_INFO_TITLE),
            subtitle: fitsForm ? text : INFO_SUBTITLE[language],
            image_url: options.infoImageUrl,
          },
        ],
      },
    },
  };
  return fitsForm ? [form] : [renderZaloText(reply), form];
}

/**
 * A reply's picture (`Reply.image`) as its own consultation message, sent after the text: the image by URL with
 * its short description as caption. The text message comes first and holds the link, so the picture is extra.
 */
export function renderZaloImage(image: NonNullable<Reply['image']>): ZaloImageMessage {
  return {
    text: fitZaloText(image.alt),
    attachment: {
      type: 'template',
      payload: { template_type: 'media', elements: [{ media_type: 'image', url: image.url }] },
    },
  };
}
