import type { FlowContext } from '../../src/engine/flow-context.ts';
import { isSmsChannel } from '../../src/messaging/channel.ts';
import type { Reply } from '../../src/messaging/outbound-message.ts';
import { AppError } from '../../src/shared/errors.ts';
import { toGsm7 } from '../../src/shared/sms-segments.ts';
import { vietnamDates } from '../../src/shared/vietnam-time.ts';
import { documentsCopy } from './documents.copy.ts';
import type { DocumentsResult, PaperLine, SharedThing, ShareLine } from './documents.effects.ts';

/** Most buttons GT offers on messengers (one "Share n" per paper). */
const MAX_SHARE_BUTTONS = 10;
/** Zalo OA shows at most 5 buttons (and none at all for a message with more). */
const ZALO_OA_MAX_BUTTONS = 5;
/** Longest paper title in an SMS (a link with a 40-character base URL is 65 characters). */
const SMS_TITLE_LENGTH = 30;
/** A title is cut further so the CS answer stays one segment with a longer base URL, but not below this. */
const SMS_TITLE_MIN = 12;
/** One GSM-7 segment. */
const SMS_SEGMENT = 160;

/** The replies of GT, CS, LS and THUHOI, composed from documents.copy.ts. */
export const documentsText = {
  /** GT: the papers numbered in issue order; on messengers a "Share n" button for each of the first ten. */
  papers(ctx: FlowContext, papers: readonly PaperLine[]): Reply {
    const copy = documentsCopy[ctx.language];
    if (papers.length === 0) return { text: copy.noPapers() };
    const text = [
      copy.papersHeader(),
      ...papers.map((p, i) => copy.paperLine(i + 1, p.title, p.issuer, vietnamDates.isoDate(p.issuedAt))),
      copy.papersFooter(),
    ].join('\n');
    if (isSmsChannel(ctx.channel)) return { text };
    const choices = papers
      .slice(0, ctx.channel === 'zalo-oa' ? ZALO_OA_MAX_BUTTONS : MAX_SHARE_BUTTONS)
      .map((_p, i) => ({ label: copy.shareButton(i + 1), payload: `CS ${i + 1}` }));
    return { text, choices };
  },

  /** CS: the link and when it expires; messengers also get its QR code as a picture. */
  shared(ctx: FlowContext, shared: Extract<DocumentsResult, { type: 'shared' }>): Reply {
    const copy = documentsCopy[ctx.language];
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

  /** LS: the open links numbered, with their view counts and latest views. */
  shares(ctx: FlowContext, shares: readonly ShareLine[]): Reply {
    const copy = documentsCopy[ctx.language];
    if (shares.length === 0) return { text: copy.noShares() };
    const lines = shares.flatMap((share, i) => [
      copy.shareLine(
        i + 1,
        documentsText.thing(ctx, share.thing),
        vietnamDates.moment(share.expiresAt),
        share.viewCount,
      ),
      ...share.views.map((view) =>
        copy.viewLine(
          vietnamDates.recent(view.at),
          view.place ?? copy.unknownPlace(),
          copy.device(view.userAgentClass),
        ),
      ),
    ]);
    return { text: [copy.sharesHeader(), ...lines, copy.sharesFooter()].join('\n') };
  },

  /** What a link opens, in words (shortened on SMS). */
  thing(ctx: FlowContext, thing: SharedThing): string {
    const copy = documentsCopy[ctx.language];
    if (thing.type === 'export') return copy.exportTitle();
    if (thing.type === 'missing') return copy.missingPaper();
    return isSmsChannel(ctx.channel) ? shorten(thing.title, SMS_TITLE_LENGTH) : thing.title;
  },
};

/** Thrown when an effect gives a result its step never asks for: a programming error. */
export function unexpectedResult(result: DocumentsResult): never {
  throw new AppError('UNEXPECTED_EFFECT_RESULT', `unexpected result ${result.type}`, {
    context: { result: result.type },
  });
}

/** Cuts a title to at most `max` characters, at a word when it can, ending it with "..." when cut. */
function shorten(title: string, max: number): string {
  const chars = [...title.trim()];
  if (chars.length <= max) return chars.join('');
  const head = chars.slice(0, max - 3).join('');
  const space = head.lastIndexOf(' ');
  return `${(space > max / 2 ? head.slice(0, space) : head).trimEnd()}...`;
}
