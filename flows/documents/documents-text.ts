import type { FlowContext } from '../../src/engine/flow-context.ts';
import { isSmsChannel } from '../../src/messaging/channel.ts';
import type { Choice, Reply } from '../../src/messaging/outbound-message.ts';
import { toGsm7 } from '../../src/shared/sms-segments.ts';
import { vietnamDates } from '../../src/shared/vietnam-time.ts';
import { copyOf } from '../kit/answers.ts';
import { documentsCopy } from './documents.copy.ts';
import type { PaperLine, SharedPaper, SharedThing, ShareLine } from './documents.effects.ts';
import { fitPage, type ListPage, pageCount, pageOf, shorten } from './list-page.ts';

const t = copyOf(documentsCopy);

/** Longest paper title in an SMS (a link with a 40-character base URL is 65 characters). */
const SMS_TITLE_LENGTH = 30;
/** A title is cut further so the CS answer stays one segment with a longer base URL, but not below this. */
const SMS_TITLE_MIN = 12;
/** One GSM-7 segment. */
const SMS_SEGMENT = 160;

/** The "next page" line of a list page (none on the last page). */
function nextPageLine(ctx: FlowContext, keyword: 'GT' | 'LS', shown: ListPage<unknown>): string[] {
  return shown.next === null ? [] : [t(ctx).nextPage(keyword, shown.next)];
}

/** A reply with its choices as buttons on messengers (SMS shows the text, which names the same keywords). */
function withChoices(ctx: FlowContext, text: string, choices: Choice[]): Reply {
  return isSmsChannel(ctx.channel) || choices.length === 0 ? { text } : { text, choices };
}

/** The "Trang sau" button of a list page (none on the last page). */
function nextPageChoice(ctx: FlowContext, keyword: 'GT' | 'LS', shown: ListPage<unknown>): Choice[] {
  const label = t(ctx).nextButton();
  return shown.next === null ? [] : [{ label, payload: `${keyword} ${shown.next}` }];
}

/** What a link opens, in words, uncut. */
function thingName(ctx: FlowContext, thing: SharedThing): string {
  const copy = t(ctx);
  if (thing.type === 'export') return copy.exportTitle();
  if (thing.type === 'missing') return copy.missingPaper();
  return thing.title;
}

/** The replies of GT, CS, LS and THUHOI, composed from documents.copy.ts. */
export const documentsText = {
  /**
   * GT <page>: one page of the papers (list-page.ts), numbered in issue order across pages, fitted to the
   * channel; on messengers a "Share n" button for each paper of the page and "Next page". No page, or a page
   * past the end: says which pages there are.
   */
  papers(ctx: FlowContext, papers: readonly PaperLine[], page: number | null): Reply {
    const copy = t(ctx);
    if (papers.length === 0) return { text: copy.noPapers() };
    const shown = page === null ? null : pageOf(papers, page);
    if (shown === null) return { text: noSuchPage(ctx, 'GT', page, pageCount(papers.length)) };
    const text = fitPage(
      ctx,
      (fit) =>
        [
          copy.papersHeader(shown.page, shown.pages),
          ...shown.items.map((p, i) =>
            copy.paperLine(
              shown.first + i,
              fit.name(p.title),
              fit.name(p.issuer),
              vietnamDates.isoDate(p.issuedAt),
            ),
          ),
          copy.papersFooter(shown.first),
          ...nextPageLine(ctx, 'GT', shown),
        ].join('\n'),
      0,
    );
    const shareButtons = shown.items.map((_p, i) => ({
      label: copy.shareButton(shown.first + i),
      payload: `CS ${shown.first + i}`,
    }));
    return withChoices(ctx, text, [...shareButtons, ...nextPageChoice(ctx, 'GT', shown)]);
  },

  /** CS: the link and when it expires; messengers also get its QR code as a picture. */
  shared(ctx: FlowContext, shared: SharedPaper): Reply {
    const copy = t(ctx);
    const sms = isSmsChannel(ctx.channel);
    const until = vietnamDates.moment(shared.expiresAt);
    const room = SMS_SEGMENT - toGsm7(copy.shared('', until, shared.url)).length;
    const title = sms
      ? shorten(shared.title, Math.max(SMS_TITLE_MIN, Math.min(SMS_TITLE_LENGTH, room)))
      : shared.title;
    const text = copy.shared(title, until, shared.url);
    if (sms) return { text };
    return { text, image: { url: `${shared.url}/qr.png`, alt: copy.qrAlt(shared.title) } };
  },

  /**
   * LS <page>: one page of the open links, numbered oldest first across pages, with their view counts and
   * latest views, fitted to the channel (views give way first); "Next page" on messengers. No page, or a page
   * past the end: says which pages there are.
   */
  shares(ctx: FlowContext, shares: readonly ShareLine[], page: number | null): Reply {
    const copy = t(ctx);
    if (shares.length === 0) return { text: copy.noShares() };
    const shown = page === null ? null : pageOf(shares, page);
    if (shown === null) return { text: noSuchPage(ctx, 'LS', page, pageCount(shares.length)) };
    const text = fitPage(
      ctx,
      (fit) =>
        [
          copy.sharesHeader(shown.page, shown.pages),
          ...shown.items.flatMap((share, i) => [
            copy.shareLine(
              shown.first + i,
              fit.name(thingName(ctx, share.thing)),
              vietnamDates.moment(share.expiresAt),
              share.viewCount,
            ),
            ...share.views
              .slice(0, fit.details)
              .map((view) =>
                copy.viewLine(
                  vietnamDates.recent(view.at),
                  fit.name(view.place ?? copy.unknownPlace()),
                  copy.device(view.userAgentClass),
                ),
              ),
          ]),
          copy.sharesFooter(shown.first),
          ...nextPageLine(ctx, 'LS', shown),
        ].join('\n'),
      Math.max(0, ...shown.items.map((share) => share.views.length)),
    );
    return withChoices(ctx, text, nextPageChoice(ctx, 'LS', shown));
  },

  /** What a link opens, in words (shortened on SMS). */
  thing(ctx: FlowContext, thing: SharedThing): string {
    const name = thingName(ctx, thing);
    return isSmsChannel(ctx.channel) && thing.type === 'paper' ? shorten(name, SMS_TITLE_LENGTH) : name;
  },
};

/** The answer to a page that is not there (`page` null: not a page number at all). */
function noSuchPage(ctx: FlowContext, keyword: 'GT' | 'LS', page: number | null, pages: number): string {
  const copy = t(ctx);
  return page === null ? copy.pickPage(keyword, pages) : copy.noSuchPage(keyword, page, pages);
}
