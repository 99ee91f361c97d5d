import type { FlowContext } from '../../src/engine/flow-context.ts';
import { isSmsChannel } from '../../src/messaging/channel.ts';
import { countSmsSegments, toGsm7 } from '../../src/shared/sms-segments.ts';
import { foldForMatch } from '../../src/shared/text.ts';

/**
 * How many papers (`GT`) or links (`LS`) one page shows, on every channel. Four "Chia sẻ n" buttons and "Trang
 * sau" are the 5 buttons Zalo OA shows, and four lines keep recognisable titles within an SMS page.
 */
export const PAGE_SIZE = 4;

/**
 * The most GSM-7 segments of one list page by SMS (459 characters). The citizen pays per segment, and a page
 * of four papers is three at most where a whole list of 24 was twelve; three parts is also the longest
 * customer-care message some Vietnamese brandname routes take. Every other reply is one segment.
 */
export const SMS_PAGE_SEGMENTS = 3;

/** The most characters of one list page on a messenger: Zalo OA's limit (Telegram takes 4,096). */
export const CHAT_PAGE_CHARACTERS = 2000;

/** By SMS a title, issuer or place is cut to this before a page is fitted (whole on messengers). */
const SMS_NAME_LENGTH = 30;
/** Fitting a page never cuts a name shorter than this. */
const MIN_NAME_LENGTH = 12;

/**
 * Cuts a title to at most `max` characters, at a word when it can, ending it with "..." when cut (a comma or
 * other punctuation left before the cut goes).
 */
export function shorten(title: string, max: number): string {
  const chars = [...title.trim()];
  if (chars.length <= max) return chars.join('');
  const head = chars.slice(0, max - 3).join('');
  const space = head.lastIndexOf(' ');
  return `${(space > max / 2 ? head.slice(0, space) : head).replace(/[\s,;:.-]+$/u, '')}...`;
}

/**
 * Reads what followed `GT` or `LS`: the page asked for ("2", "trang 2", "page 2"; 1 when nothing followed),
 * or null when it is not a page number.
 */
export function parsePage(args: string): number | null {
  const folded = foldForMatch(args);
  if (folded === '') return 1;
  const digits = /^(?:trang|page|p)?\s*(\d{1,3})$/u.exec(folded)?.[1];
  return digits === undefined ? null : Number(digits);
}

/** One page of a list. Items keep their number in the whole list: paper 13 is 13 on whichever page. */
export interface ListPage<T> {
  readonly items: readonly T[];
  /** The number of the page's first item in the whole list (1-based). */
  readonly first: number;
  readonly page: number;
  readonly pages: number;
  /** The page after this one, or null on the last page. */
  readonly next: number | null;
}

/** How many pages a list of `total` items takes (an empty list is one empty page). */
export function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / PAGE_SIZE));
}

/** Page `page` of `items`, or null when there is no such page. */
export function pageOf<T>(items: readonly T[], page: number): ListPage<T> | null {
  const pages = pageCount(items.length);
  if (!Number.isInteger(page) || page < 1 || page > pages) return null;
  const start = (page - 1) * PAGE_SIZE;
  return {
    items: items.slice(start, start + PAGE_SIZE),
    first: start + 1,
    page,
    pages,
    next: page < pages ? page + 1 : null,
  };
}

/** How much of each item a page shows while it is fitted. */
export interface PageFit {
  /** Cuts a title, issuer or place to the current length. */
  name(text: string): string;
  /** How many detail lines (latest views) each item may show. */
  readonly details: number;
}

/**
 * Composes a page's text as fully as the channel's budget allows (SMS: {@link SMS_PAGE_SEGMENTS} GSM-7
 * segments once unaccented; messengers: {@link CHAT_PAGE_CHARACTERS}). It tries every detail line with names as
 * long as allowed (30 characters by SMS, whole on messengers), then fewer detail lines, then shorter names, and
 * gives the first text that fits. Names are never cut below 12 characters: `flows/sms-budget.test.ts` shows
 * every page then fits, with the longest titles, issuers and places the agency API and the share page accept.
 */
export function fitPage(ctx: FlowContext, compose: (fit: PageFit) => string, maxDetails: number): string {
  const sms = isSmsChannel(ctx.channel);
  const fits = (text: string) =>
    sms ? countSmsSegments(toGsm7(text)).segments <= SMS_PAGE_SEGMENTS : text.length <= CHAT_PAGE_CHARACTERS;
  const cutTo = (max: number) => (text: string) => shorten(text, max);
  const longest = sms ? SMS_NAME_LENGTH : Number.POSITIVE_INFINITY;
  for (let details = maxDetails; details >= 0; details -= 1) {
    const text = compose({ name: cutTo(longest), details });
    if (fits(text)) return text;
  }
  let longestName = 0;
  compose({
    name: (text) => {
      longestName = Math.max(longestName, [...text.trim()].length);
      return text;
    },
    details: 0,
  });
  for (let max = Math.min(longest, longestName) - 1; max > MIN_NAME_LENGTH; max -= 1) {
    const text = compose({ name: cutTo(max), details: 0 });
    if (fits(text)) return text;
  }
  return compose({ name: cutTo(MIN_NAME_LENGTH), details: 0 });
}
