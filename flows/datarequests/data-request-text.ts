import type { DataRequest } from '../../src/domain/datarequests/data-request.ts';
import { type ChannelId, isSmsChannel, type Language } from '../../src/messaging/channel.ts';
import type { Reply } from '../../src/messaging/outbound-message.ts';
import { countSmsSegments, toGsm7 } from '../../src/shared/sms-segments.ts';
import { vietnamDates } from '../../src/shared/vietnam-time.ts';
import { dataRequestsCopy } from './datarequests.copy.ts';

/** What the texts of a request need: the request and the citizen's titles of the paper types asked for. */
export interface RequestText {
  readonly request: Pick<DataRequest, 'id' | 'agency' | 'purpose' | 'fields' | 'documentTypes' | 'expiresAt'>;
  /** The title of a paper type as the citizen's own papers name it ("Giấy khai sinh"); the code otherwise. */
  readonly typeTitles: Readonly<Record<string, string>>;
}

/** The short reference of a request in a button's payload (`YC CO 3F2A9C1B`): the first 8 hex digits of its id. */
export function requestRef(id: string): string {
  return id.replaceAll('-', '').slice(0, 8).toUpperCase();
}

/** The items asked for, in words: the fields first, then the papers by title. */
export function itemWords(language: Language, text: RequestText): string[] {
  const t = dataRequestsCopy[language];
  return [
    ...text.request.fields.map((field) => t.field(field)),
    ...text.request.documentTypes.map((type) => text.typeTitles[type] ?? type),
  ];
}

/** "a, b, c" or, shortened to `keep` items, "a, b và 3 mục khác". */
export function itemList(language: Language, items: readonly string[], keep = items.length): string {
  if (items.length <= keep) return items.join(', ');
  return `${items.slice(0, keep).join(', ')} ${dataRequestsCopy[language].andMore(items.length - keep)}`;
}

/** Whether a text fits one SMS segment once sent (unaccented GSM-7). */
const fitsOneSms = (text: string) => countSmsSegments(toGsm7(text)).segments === 1;

/**
 * The notice of a new request on SMS, in one GSM-7 segment: every item if they fit, else the first ones "và N
 * mục khác" (the whole list is one `YC` away), and the purpose cut with "…" when even one item leaves no room.
 */
export function smsNoticeText(language: Language, text: RequestText): string {
  const t = dataRequestsCopy[language];
  const items = itemWords(language, text);
  const until = vietnamDates.timeAndDay(text.request.expiresAt);
  const agency = text.request.agency.code;
  for (let keep = items.length; keep >= 1; keep -= 1) {
    const sentence = t.smsNotice(agency, itemList(language, items, keep), text.request.purpose, until);
    if (fitsOneSms(sentence)) return sentence;
  }
  const list = itemList(language, items, 1);
  let purpose = text.request.purpose;
  while (purpose.length > 1 && !fitsOneSms(t.smsNotice(agency, list, `${purpose}…`, until))) {
    purpose = purpose.slice(0, -1).trimEnd();
  }
  return t.smsNotice(agency, list, `${purpose}…`, until);
}

/** The buttons that answer one request (messengers): their payloads name the request, so an old button stays right. */
export function answerChoices(language: Language, id: string): NonNullable<Reply['choices']> {
  const t = dataRequestsCopy[language];
  const ref = requestRef(id);
  return [
    { label: t.yesLabel(), payload: `YC CO ${ref}` },
    { label: t.noLabel(), payload: `YC KHONG ${ref}` },
  ];
}

/** The notice of a new request: one SMS segment on SMS; the whole request and two buttons on a messenger. */
export function noticeReply(language: Language, channel: ChannelId, text: RequestText): Reply {
  if (isSmsChannel(channel)) return { text: smsNoticeText(language, text) };
  const t = dataRequestsCopy[language];
  return {
    text: t.chatNotice(
      `${text.request.agency.name} (${text.request.agency.code})`,
      itemList(language, itemWords(language, text)),
      text.request.purpose,
      vietnamDates.moment(text.request.expiresAt),
    ),
    choices: answerChoices(language, text.request.id),
  };
}
